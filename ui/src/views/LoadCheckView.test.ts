import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import App from "../App.svelte";
import { formatDateTime } from "../lib/format";
import type { SessionDetail } from "../lib/ipc";
import { clearBackend } from "../lib/ipc/mock";
import { loadPlot } from "../lib/report/charts/plot";
import { deferred } from "../lib/testing/async";
import { all } from "../lib/testing/dom";
import { SESSION } from "../lib/testing/fixtures";
import { LOAD_SESSION, PERSONALIZE, PERSONALIZE_WARNING, QUICK } from "../lib/testing/loadFake";
import { reviewBackend } from "../lib/testing/reviewBackend";

afterEach(clearBackend);
beforeEach(() => localStorage.clear());
// The charts load Plot on first use; load it once up front (it goes through Vite's transforms).
beforeAll(() => loadPlot(), 30_000);

const input = (testid: string) => screen.getByTestId<HTMLInputElement>(testid);
const text = (testid: string) =>
  screen.getByTestId(testid).textContent?.replace(/\s+/g, " ").trim();

async function type(testid: string, value: string) {
  await fireEvent.input(input(testid), { target: { value } });
}

/** The Review tab with the session open, then its Load check. */
async function openLoadCheck(sessions: SessionDetail[] = [LOAD_SESSION]) {
  const backend = reviewBackend({}, sessions);
  render(App);
  await fireEvent.click(screen.getByTestId("nav-review"));
  await fireEvent.click((await screen.findAllByTestId("session-item"))[0]!);
  await fireEvent.click(await screen.findByTestId("loadcheck-open"));
  await screen.findByTestId("loadcheck-view");
  return backend;
}

describe("Load check", () => {
  it("opens from the session with the challenger picked and the defaults", async () => {
    await openLoadCheck();
    expect(text("loadcheck-title")).toBe("Release v3 vs v2");
    const select = screen.getByTestId<HTMLSelectElement>("loadcheck-candidate");
    expect(select.value).toBe("ease");
    expect([...select.options].map((o) => o.textContent?.trim())).toEqual([
      "EASE (λ 250) (challenger)",
      "Popularity",
      "Random (control)",
      "Personalize (prod campaign)",
    ]);
    expect(input("loadcheck-rate").value).toBe("20");
    expect(input("loadcheck-duration").value).toBe("30");
    expect(input("loadcheck-ramp").value).toBe("0");
    expect(input("loadcheck-concurrency").value).toBe("16");
    expect(input("loadcheck-max-p99").value).toBe("500");
    expect(screen.queryByTestId("loadcheck-cost-warning")).toBeNull();
    expect(screen.getByTestId("loadcheck-empty")).toBeTruthy();
    expect(await screen.findByTestId("loadcheck-history-empty")).toBeTruthy();

    await fireEvent.click(screen.getByTestId("loadcheck-close"));
    expect(await screen.findByTestId("session-detail")).toBeTruthy();
  });

  it("running shows live progress and charts, then the result and its history row", async () => {
    const { load, calls } = await openLoadCheck();
    const hold = deferred<void>();
    load.gate = hold.promise;
    await type("loadcheck-rate", "10");
    await type("loadcheck-duration", "3");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));

    await waitFor(() => expect(text("loadcheck-live-elapsed")).toBe("1 s of 3 s"));
    expect(text("loadcheck-live-rps")).toBe("10 req/s of 10 req/s");
    expect(text("loadcheck-live-p99")).toBe("35 ms");
    expect(text("loadcheck-live-errors")).toBe("0");
    expect(screen.getByTestId("loadcheck-live-bar").getAttribute("aria-valuenow")).toBe("1");
    expect(screen.getByTestId("loadcheck-live-bar").getAttribute("aria-valuemax")).toBe("3");
    expect(screen.getByTestId("loadcheck-stop")).toBeTruthy();
    expect(screen.queryByTestId("loadcheck-run")).toBeNull();
    expect(input("loadcheck-rate").closest("fieldset")?.disabled).toBe(true);
    const latency = screen.getByTestId("loadcheck-latency-chart");
    await waitFor(() => expect(latency.querySelector("svg")).toBeTruthy());
    expect(latency.querySelectorAll(".p99-dot circle")).toHaveLength(1);

    hold.resolve();
    const result = await screen.findByTestId("loadcheck-result");
    expect(result.dataset.passed).toBe("true");
    expect(text("loadcheck-verdict")).toContain("PASSED");
    expect(text("loadcheck-note")).toBe(
      "Held 10 req/s with p99 35 ms. Needs ≥ 95% of 10 req/s, ≤ 1% errors, p99 ≤ 500 ms.",
    );
    expect(text("loadcheck-achieved")).toBe("10 req/s of 10 req/s");
    expect(text("loadcheck-requests")).toBe("30");
    expect(text("loadcheck-errors")).toBe("0");
    expect(text("loadcheck-latency-p50")).toBe("8.2 ms");
    expect(text("loadcheck-latency-p99")).toBe("35 ms");
    expect(text("loadcheck-latency-max")).toBe("53 ms");
    expect(text("loadcheck-gate-use")).toBe(
      "The release gate reads the challenger's latest load check.",
    );
    await waitFor(() =>
      expect(
        screen.getByTestId("loadcheck-latency-chart").querySelectorAll(".p99-dot circle"),
      ).toHaveLength(3),
    );

    const rows = all("loadcheck-history-row");
    expect(rows).toHaveLength(1);
    const cells = [...rows[0]!.querySelectorAll("td")].map((td) =>
      td.textContent?.replace(/\s+/g, " ").trim(),
    );
    expect(cells).toEqual([
      formatDateTime(load.checks[0]!.created_at),
      "EASE (λ 250) in the gate",
      "10 req/s",
      "10 req/s",
      "35 ms",
      "0",
      "Passed",
    ]);
    expect(calls.find((c) => c.command === "run_load_check")?.args.request).toEqual({
      session_id: "s1",
      candidate_id: "ease",
      rate: 10,
      duration_s: 3,
      ramp_s: 0,
      concurrency: 16,
      max_p99_ms: 500,
      confirm_cost: false,
    });
  });

  it("Stop gives the partial result, marked stopped and failed", async () => {
    const { load } = await openLoadCheck();
    load.gate = new Promise(() => {});
    await type("loadcheck-duration", "60");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    await waitFor(() => expect(text("loadcheck-live-elapsed")).toBe("1 s of 60 s"));
    await fireEvent.click(screen.getByTestId("loadcheck-stop"));

    const result = await screen.findByTestId("loadcheck-result");
    expect(result.dataset.stopped).toBe("true");
    expect(result.dataset.passed).toBe("false");
    expect(text("loadcheck-stopped")).toBe("Stopped");
    expect(text("loadcheck-note")).toMatch(/^The run was stopped before its end\./);
    expect(text("loadcheck-partial")).toBe(
      "Stopped after 1 s of 60 s: these are the figures of what ran.",
    );
    expect(text("loadcheck-requests")).toBe("20");
    const row = all("loadcheck-history-row")[0]!;
    expect(row.dataset.stopped).toBe("true");
    expect(row.textContent).toContain("Failed");
    expect(row.textContent).toContain("stopped");
    expect(screen.getByTestId("loadcheck-run")).toBeTruthy();
  });

  it("a Personalize candidate shows the cost warning; Run needs the checkbox", async () => {
    const { calls } = await openLoadCheck();
    await fireEvent.change(screen.getByTestId("loadcheck-candidate"), {
      target: { value: PERSONALIZE.id },
    });
    const warning = await screen.findByTestId("loadcheck-cost-warning");
    expect(warning.textContent).toContain("This costs money.");
    expect(warning.textContent).toContain("about 500 requests/s");
    expect(input("loadcheck-confirm-cost").checked).toBe(false);

    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    expect(text("loadcheck-problems")).toBe(
      "Tick “I understand this costs money” to load an Amazon Personalize campaign.",
    );
    expect(input("loadcheck-confirm-cost").getAttribute("aria-invalid")).toBe("true");
    expect(calls.some((c) => c.command === "run_load_check")).toBe(false);

    await fireEvent.click(input("loadcheck-confirm-cost"));
    await type("loadcheck-duration", "2");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    const result = await screen.findByTestId("loadcheck-result");
    expect(result.textContent).toContain("Personalize (prod campaign)");
    expect(text("loadcheck-gate-use")).toBe(
      "Only the challenger's load checks count in the release gate.",
    );
    expect(calls.find((c) => c.command === "run_load_check")?.args.request).toMatchObject({
      candidate_id: PERSONALIZE.id,
      confirm_cost: true,
    });
  });

  it("a refused request shows the backend's message in place; nothing runs", async () => {
    const { load } = await openLoadCheck();
    await type("loadcheck-rate", "0");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    const error = await screen.findByTestId("loadcheck-error");
    expect(error.textContent).toContain("The load check did not run");
    expect(error.textContent).toContain("rate: between 0 and 2000 requests/s, not 0");
    expect(within(error).getByText("invalid_input")).toBeTruthy();
    expect(screen.queryByTestId("loadcheck-result")).toBeNull();
    expect(load.checks).toHaveLength(0);

    // The backend's cost refusal, as it comes back when the confirmation did not reach it.
    clearBackend();
    reviewBackend(
      {
        run_load_check: () => {
          throw { code: "invalid_input", message: `${PERSONALIZE_WARNING} Confirm to go ahead.` };
        },
      },
      [LOAD_SESSION],
    );
    await type("loadcheck-rate", "20");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    await waitFor(() =>
      expect(screen.getByTestId("loadcheck-error").textContent).toContain("Confirm to go ahead."),
    );
  });

  it("a joined team session's name-only candidate cannot be run from here", async () => {
    const joined: SessionDetail = {
      ...LOAD_SESSION,
      candidates: [{ id: "team-ease", name: "EASE (λ 250)", kind: "team" }, ...SESSION.candidates],
      challenger_candidate_id: "team-ease",
    };
    await openLoadCheck([joined]);
    expect(text("loadcheck-name-only")).toContain("load-check it where the session was made");
    expect(screen.getByTestId<HTMLButtonElement>("loadcheck-run").disabled).toBe(true);
    await fireEvent.change(screen.getByTestId("loadcheck-candidate"), {
      target: { value: "popularity" },
    });
    expect(screen.queryByTestId("loadcheck-name-only")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("loadcheck-run").disabled).toBe(false);
  });

  it("the history lists the session's checks newest first; the gate's one is marked", async () => {
    const backend = reviewBackend({}, [LOAD_SESSION]);
    const base = {
      session_id: "s1",
      plan: {
        rate: 50,
        duration_s: 30,
        ramp_from: 0,
        ramp_s: 0,
        concurrency: 16,
        timeout_ms: 5000,
      },
      max_p99_ms: 500,
    };
    const result = {
      target_rps: 50,
      scheduled_rps: 50,
      achieved_rps: 49.8,
      requests: 1494,
      errors: {},
      latency_ms: QUICK.latency,
      duration_s: 30,
      stopped: false,
      timeline: [],
    };
    backend.load.add({
      ...base,
      candidate_id: "ease",
      candidate: "EASE (λ 250)",
      created_at: Date.UTC(2026, 10, 29, 9),
      result: { ...result, achieved_rps: 41.3, errors: { timeout: 30 } },
    });
    backend.load.add({
      ...base,
      candidate_id: "ease",
      candidate: "EASE (λ 250)",
      created_at: Date.UTC(2026, 10, 29, 10),
      result,
    });
    backend.load.add({
      ...base,
      candidate_id: "popularity",
      candidate: "Popularity",
      created_at: Date.UTC(2026, 10, 29, 11),
      result: { ...result, latency_ms: { ...QUICK.latency, p99: 612.4 } },
    });
    render(App);
    await fireEvent.click(screen.getByTestId("nav-review"));
    await fireEvent.click((await screen.findAllByTestId("session-item"))[0]!);
    await fireEvent.click(await screen.findByTestId("loadcheck-open"));

    await waitFor(() => expect(all("loadcheck-history-row")).toHaveLength(3));
    const rows = all("loadcheck-history-row");
    expect(rows.map((r) => r.dataset.passed)).toEqual(["false", "true", "false"]);
    expect(rows[0]!.textContent).toContain("Popularity");
    expect(rows[0]!.textContent).toContain("612 ms");
    expect(rows[1]!.textContent).toContain("in the gate");
    expect(rows[2]!.textContent).toContain("41.3 req/s");
    expect(rows[2]!.textContent).toContain("30 (2%)");
    expect(rows[2]!.textContent).not.toContain("in the gate");
    expect(document.getElementById("loadcheck-history-heading")?.textContent).toContain("3 checks");
  });

  it("the report's gate lists the challenger's load check", async () => {
    const { load } = await openLoadCheck();
    load.behaviours.set("ease", { ...QUICK, latency: { ...QUICK.latency, p99: 640.2 } });
    await type("loadcheck-duration", "2");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    expect((await screen.findByTestId("loadcheck-result")).dataset.passed).toBe("false");
    expect(text("loadcheck-note")).toMatch(/^p99 640 ms is above 500 ms\./i);

    await fireEvent.click(screen.getByTestId("loadcheck-close"));
    await fireEvent.click(await screen.findByTestId("report-open"));
    const row = await screen.findByTestId("gate-check-load");
    expect(row.dataset.passed).toBe("false");
    expect(row.textContent).toContain(
      "Challenger sustains 20 requests/s with p99 ≤ 500 ms (load check)",
    );
    expect(within(row).getByTestId("gate-check-value").textContent).toBe("640 ms");
    expect(within(row).getByTestId("gate-check-threshold").textContent).toBe("≤ 500 ms");
  });

  it("a running check goes on when its view is left, and is there again on return", async () => {
    const { load } = await openLoadCheck();
    const hold = deferred<void>();
    load.gate = hold.promise;
    await type("loadcheck-duration", "3");
    await fireEvent.click(screen.getByTestId("loadcheck-run"));
    await screen.findByTestId("loadcheck-live");
    await fireEvent.click(screen.getByTestId("loadcheck-close"));
    await fireEvent.click(await screen.findByTestId("loadcheck-open"));
    expect(await screen.findByTestId("loadcheck-live")).toBeTruthy();
    hold.resolve();
    expect(await screen.findByTestId("loadcheck-result")).toBeTruthy();
    expect(all("loadcheck-history-row")).toHaveLength(1);
  });
});
