import { afterEach, describe, expect, it } from "vitest";

import type { FreezeReport, NewSessionRequest } from "../ipc";
import { clearBackend, sendOnChannel } from "../ipc/mock";
import { deferred, flush } from "../testing/async";
import { CANDIDATES, SESSION } from "../testing/fixtures";
import { reviewBackend } from "../testing/reviewBackend";
import { SessionState } from "./session.svelte";
import { SessionsState } from "./sessions.svelte";

afterEach(clearBackend);

const REQUEST: NewSessionRequest = {
  name: "Kids autumn check",
  persona_ids: ["reality-fan", "new-viewer"],
  candidate_ids: ["ease", "item-knn"],
  k: 10,
  blind: true,
  criteria: ["relevance", "overall"],
  incumbent_candidate_id: "item-knn",
  challenger_candidate_id: null,
};

describe("SessionsState", () => {
  it("lists the sessions and the candidates", async () => {
    const { calls } = reviewBackend();
    const sessions = new SessionsState();
    await Promise.all([sessions.load(), sessions.loadCandidates()]);
    expect(sessions.status).toBe("ready");
    expect(sessions.list.map((s) => s.name)).toEqual(["Release v3 vs v2"]);
    expect(sessions.candidates).toEqual(CANDIDATES);
    await sessions.loadCandidates(); // loaded once
    expect(calls.filter((c) => c.command === "list_candidates")).toHaveLength(1);
  });

  it("creates a session with the request as sent, then lists it", async () => {
    const { calls } = reviewBackend();
    const sessions = new SessionsState();
    const creating = sessions.create(REQUEST);
    expect(sessions.creating).toBe(true);
    const detail = await creating;
    expect(sessions.creating).toBe(false);
    expect(detail?.summary.name).toBe("Kids autumn check");
    expect(detail?.summary.frozen_at).toBeNull();
    expect(calls[0]).toEqual({ command: "create_session", args: { request: REQUEST } });
    await flush();
    expect(sessions.list.map((s) => s.name)).toEqual(["Kids autumn check", "Release v3 vs v2"]);
  });

  it("surfaces a create error with its code", async () => {
    reviewBackend();
    const sessions = new SessionsState();
    const detail = await sessions.create({ ...REQUEST, candidate_ids: ["ease"] });
    expect(detail).toBeNull();
    expect(sessions.createError?.code).toBe("invalid_input");
    sessions.clearCreateError();
    expect(sessions.createError).toBeNull();
  });

  it("surfaces a list error", async () => {
    reviewBackend({
      list_sessions: () => {
        throw { code: "internal", message: "database is locked" };
      },
    });
    const sessions = new SessionsState();
    await sessions.load();
    expect(sessions.status).toBe("error");
    expect(sessions.error?.message).toBe("database is locked");
  });
});

describe("SessionState", () => {
  it("loads a frozen session with its summary", async () => {
    const { calls } = reviewBackend();
    const session = new SessionState("s1");
    await session.load();
    expect(session.detail?.summary.name).toBe("Release v3 vs v2");
    expect(session.frozen).toBe(true);
    expect(session.summaryStatus).toBe("ready");
    expect(calls.map((c) => c.command)).toEqual(["get_session", "session_summary"]);
    expect(calls[1]?.args).toEqual({ sessionId: "s1" });
  });

  it("freezes with a busy state until the session reads as frozen", async () => {
    const answer = deferred<FreezeReport>();
    const { calls, fake } = reviewBackend({
      freeze_session: (args) => answer.promise.then(() => fake.handlers().freeze_session!(args)),
    });
    const sessions = new SessionsState();
    const detail = await sessions.create(REQUEST);
    const session = new SessionState(detail!.summary.id, detail);
    expect(session.frozen).toBe(false);
    const freezing = session.freeze();
    expect(session.freezing).toBe(true);
    expect(await session.freeze()).toBe(false); // one at a time
    answer.resolve({ snapshots: 0, failed: 0, seconds: 0 });
    expect(await freezing).toBe(true);
    expect(session.freezing).toBe(false);
    expect(session.frozen).toBe(true);
    expect(session.freezeReport).toEqual({ snapshots: 4, failed: 0, seconds: 0.42 });
    expect(calls.filter((c) => c.command === "freeze_session")[0]?.args).toEqual({
      sessionId: "s2",
      onProgress: expect.anything(), // the progress channel
    });
  });

  it("follows the freeze's progress while it runs, and forgets it once frozen", async () => {
    const gate = deferred<void>();
    const { fake } = reviewBackend();
    fake.freezeGate = gate.promise;
    const sessions = new SessionsState();
    const detail = await sessions.create(REQUEST);
    const session = new SessionState(detail!.summary.id, detail);
    expect(session.freezeProgress).toBeNull();
    const freezing = session.freeze();
    await flush();
    expect(session.freezeProgress).toEqual({ done: 1, total: 4, candidate: "EASE (λ 250)" });
    gate.resolve();
    await freezing;
    expect(fake.freezeProgress.map((p) => `${p.done}/${p.total} ${p.candidate}`)).toEqual([
      "1/4 EASE (λ 250)",
      "2/4 EASE (λ 250)",
      "3/4 Item-kNN",
      "4/4 Item-kNN",
    ]);
    expect(session.freezeProgress).toBeNull();
    expect(session.frozen).toBe(true);
  });

  it("never steps the progress back when messages arrive out of order", async () => {
    const answer = deferred<FreezeReport>();
    reviewBackend({
      freeze_session: ({ onProgress }) => {
        sendOnChannel(onProgress, { done: 2, total: 4, candidate: "Item-kNN" });
        sendOnChannel(onProgress, { done: 1, total: 4, candidate: "EASE (λ 250)" });
        return answer.promise;
      },
    });
    const session = new SessionState("s1", {
      ...SESSION,
      summary: { ...SESSION.summary, frozen_at: null },
    });
    const freezing = session.freeze();
    await flush();
    expect(session.freezeProgress).toEqual({ done: 2, total: 4, candidate: "Item-kNN" });
    answer.resolve({ snapshots: 4, failed: 0, seconds: 1 });
    await freezing;
  });

  it("surfaces a freeze error and stays unfrozen", async () => {
    reviewBackend({
      freeze_session: () => {
        throw { code: "internal", message: "candidate timed out" };
      },
    });
    const session = new SessionState("s1", {
      ...SESSION,
      summary: { ...SESSION.summary, frozen_at: null },
    });
    expect(await session.freeze()).toBe(false);
    expect(session.freezing).toBe(false);
    expect(session.freezeError?.code).toBe("internal");
    expect(session.frozen).toBe(false);
  });

  it("surfaces a missing session", async () => {
    reviewBackend();
    const session = new SessionState("nope");
    await session.load();
    expect(session.status).toBe("error");
    expect(session.error?.code).toBe("not_found");
  });
});
