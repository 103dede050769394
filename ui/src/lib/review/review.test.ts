import { afterEach, describe, expect, it } from "vitest";

import { clearBackend } from "../ipc/mock";
import { SESSION } from "../testing/fixtures";
import { reviewBackend } from "../testing/reviewBackend";
import { ReviewState } from "./review.svelte";

afterEach(clearBackend);

describe("ReviewState", () => {
  it("refreshes the session list after freezing, so the list shows the session frozen", async () => {
    const unfrozen = { ...SESSION, summary: { ...SESSION.summary, frozen_at: null } };
    const { calls } = reviewBackend({}, [unfrozen]);
    const review = new ReviewState();
    await review.activate();
    expect(review.sessions.list[0]?.frozen_at).toBeNull();
    await review.openSession(unfrozen.summary.id);
    expect(await review.freeze()).toBe(true);
    expect(calls.map((c) => c.command)).toContain("freeze_session");
    expect(review.sessions.list[0]?.frozen_at).not.toBeNull();
  });

  it("continues judging at the first persona not done yet", async () => {
    reviewBackend({}, [{ ...SESSION, done_persona_ids: ["reality-fan"] }]);
    const review = new ReviewState();
    await review.activate();
    await review.openSession(SESSION.summary.id, { ...SESSION, done_persona_ids: ["reality-fan"] });
    await review.continueJudging();
    expect(review.board?.board?.persona.persona.id).toBe("new-viewer");
  });

  it("starts at the first persona when none or all are done", async () => {
    reviewBackend();
    const review = new ReviewState();
    await review.activate();
    await review.openSession(SESSION.summary.id, SESSION);
    await review.continueJudging();
    expect(review.board?.board?.persona.persona.id).toBe("reality-fan");
  });

  it("after a dataset switch the new-session form (with the other dataset's personas) closes", async () => {
    const { calls } = reviewBackend();
    const review = new ReviewState();
    await review.activate();
    review.newSession(["reality-fan", "new-viewer"]);
    expect(review.form).not.toBeNull();
    const loads = calls.filter((c) => c.command === "list_sessions").length;
    await review.datasetChanged();
    expect(review.form).toBeNull();
    expect(calls.filter((c) => c.command === "list_sessions")).toHaveLength(loads + 1);
  });
});
