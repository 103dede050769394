import { afterEach, describe, expect, it } from "vitest";

import { runLoadCheck } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred, flush } from "../testing/async";
import { SESSION } from "../testing/fixtures";
import { LOAD_SESSION, PERSONALIZE, PERSONALIZE_WARNING } from "../testing/loadFake";
import { reviewBackend } from "../testing/reviewBackend";
import { LOAD_DEFAULTS, LoadCheckState } from "./loadCheck.svelte";

afterEach(clearBackend);

describe("LoadCheckState", () => {
  it("starts on the challenger with the defaults", () => {
    const state = new LoadCheckState(SESSION);
    expect(state.candidateId).toBe("ease");
    expect(state.candidate?.name).toBe("EASE (λ 250)");
    expect(state.toRequest()).toEqual({
      session_id: "s1",
      candidate_id: "ease",
      rate: LOAD_DEFAULTS.rate,
      duration_s: 30,
      ramp_s: 0,
      concurrency: 16,
      max_p99_ms: 500,
      confirm_cost: false,
    });
    expect(state.plannedLength).toBe(30);
    expect(state.running).toBe(false);
  });

  it("runs: progress second by second, then the result, added to the history", async () => {
    const { calls, load } = reviewBackend({}, [LOAD_SESSION]);
    const hold = deferred<void>();
    load.gate = hold.promise;
    const state = new LoadCheckState(LOAD_SESSION);
    await state.loadHistory();
    expect(state.history).toEqual([]);
    state.rate = 10;
    state.durationS = 3;

    const running = state.run();
    await flush();
    expect(state.running).toBe(true);
    expect(state.request?.rate).toBe(10);
    expect(state.timeline).toHaveLength(1);
    expect(state.progress).toMatchObject({ elapsed_s: 1, length_s: 3, target_rps: 10, rps: 10 });
    expect(await state.run()).toBeNull(); // one at a time

    hold.resolve();
    const check = await running;
    expect(state.running).toBe(false);
    expect(state.timeline.map((p) => p.elapsed_s)).toEqual([1, 2, 3]);
    expect(check?.result.stopped).toBe(false);
    expect(check?.passed).toBe(true);
    expect(state.result).toEqual(check);
    expect(state.result?.result.requests).toBe(30);
    expect(state.history.map((c) => c.id)).toEqual([check!.id]);
    expect(calls.filter((c) => c.command === "run_load_check")).toHaveLength(1);
  });

  it("Stop ends the run with what it measured: a stopped, failed result", async () => {
    const { load } = reviewBackend({}, [LOAD_SESSION]);
    load.gate = new Promise(() => {}); // never: only Stop ends it
    const state = new LoadCheckState(LOAD_SESSION);
    state.durationS = 60;
    const running = state.run();
    await flush();
    expect(state.progress?.elapsed_s).toBe(1);

    const stopping = state.stop();
    expect(state.stopping).toBe(true);
    await stopping;
    const check = await running;
    expect(load.cancels).toBe(1);
    expect(check?.result.stopped).toBe(true);
    expect(check?.result.duration_s).toBe(1);
    expect(check?.passed).toBe(false);
    expect(state.result?.result.stopped).toBe(true);
    expect(state.stopping).toBe(false);
    expect(state.history).toHaveLength(1);
  });

  it("a Personalize candidate needs the cost confirmation; picking another asks again", async () => {
    const { calls } = reviewBackend({}, [LOAD_SESSION]);
    const state = new LoadCheckState(LOAD_SESSION);
    state.candidateId = PERSONALIZE.id;
    expect(state.costly).toBe(true);
    expect(await state.run()).toBeNull();
    expect(state.problems.map((p) => p.field)).toEqual(["confirm_cost"]);
    expect(calls.some((c) => c.command === "run_load_check")).toBe(false);

    state.confirmCost = true;
    state.durationS = 2;
    const check = await state.run();
    expect(check?.candidate).toBe("Personalize (prod campaign)");
    expect(calls.find((c) => c.command === "run_load_check")?.args.request).toMatchObject({
      candidate_id: PERSONALIZE.id,
      confirm_cost: true,
    });

    state.candidateId = "ease";
    state.candidateId = PERSONALIZE.id;
    expect(state.confirmCost).toBe(false);
  });

  it("the backend's refusal is kept in its words (the cost warning too)", async () => {
    reviewBackend({}, [LOAD_SESSION]);
    const state = new LoadCheckState(LOAD_SESSION);
    state.rate = 5000;
    expect(await state.run()).toBeNull();
    expect(state.error?.code).toBe("invalid_input");
    expect(state.error?.message).toBe("rate: between 0 and 2000 requests/s, not 5000");
    expect(state.running).toBe(false);

    // A form that skipped the checkbox: the backend refuses with the warning.
    state.rate = 20;
    state.candidateId = PERSONALIZE.id;
    state.confirmCost = true;
    const request = state.toRequest()!;
    await expect(runLoadCheck({ ...request, confirm_cost: false })).rejects.toMatchObject({
      message: `${PERSONALIZE_WARNING} Confirm to go ahead.`,
    });
  });

  it("empty fields are problems before anything is sent", async () => {
    const { calls } = reviewBackend({}, [LOAD_SESSION]);
    const state = new LoadCheckState(LOAD_SESSION);
    state.rate = null;
    state.concurrency = 2.5;
    expect(await state.run()).toBeNull();
    expect(state.attempted).toBe(true);
    expect(state.problems.map((p) => p.field)).toEqual(["rate", "concurrency"]);
    expect(calls.some((c) => c.command === "run_load_check")).toBe(false);
  });

  it("lists the session's checks, oldest first; an error is kept", async () => {
    const { load } = reviewBackend({}, [LOAD_SESSION]);
    const state = new LoadCheckState(LOAD_SESSION);
    state.durationS = 2;
    const first = await state.run();
    state.candidateId = "popularity";
    const second = await state.run();
    const again = new LoadCheckState(LOAD_SESSION);
    await again.loadHistory();
    expect(again.history.map((c) => [c.id, c.candidate])).toEqual([
      [first!.id, "EASE (λ 250)"],
      [second!.id, "Popularity"],
    ]);
    expect(load.checks).toHaveLength(2);

    clearBackend();
    reviewBackend({
      load_checks: () => {
        throw { code: "unavailable", message: "the data folder is in use by another window" };
      },
    });
    await again.loadHistory();
    expect(again.historyStatus).toBe("error");
    expect(again.historyError?.code).toBe("unavailable");
  });
});
