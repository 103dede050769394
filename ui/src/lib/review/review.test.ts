import { afterEach, describe, expect, it } from "vitest";

import { clearBackend } from "../ipc/mock";
import { TWO_TOWER, candidatesBackend } from "../testing/candidatesBackend";
import { SESSION } from "../testing/fixtures";
import { reviewBackend } from "../testing/reviewBackend";
import { ReviewState } from "./review.svelte";

afterEach(clearBackend);

describe("ReviewState", () => {
  it("after candidates change, the form offers the ones in use and forgets archived ticks", async () => {
    const { calls, fake } = candidatesBackend();
    const review = new ReviewState();
    await review.activate();
    const form = review.newSession(["reality-fan"]);
    form.toggleCandidate("builtin-ease", true);
    form.toggleCandidate(TWO_TOWER.id, true);
    form.incumbentId = TWO_TOWER.id;
    await review.activate(); // shown again: the candidates are not asked twice…
    expect(calls.filter((c) => c.command === "list_candidates")).toHaveLength(1);

    fake.candidates.find((c) => c.id === TWO_TOWER.id)!.archived = true;
    await review.candidatesChanged(); // …unless they changed
    expect(calls.filter((c) => c.command === "list_candidates")).toHaveLength(2);
    expect(review.sessions.candidates.map((c) => c.id)).not.toContain(TWO_TOWER.id);
    expect(form.candidateIds).toEqual(["builtin-ease"]);
    expect(form.incumbentId).toBeNull();
  });

  it("a late answer for older candidates never replaces a newer one", async () => {
    const { fake } = candidatesBackend();
    const review = new ReviewState();
    const first = review.sessions.loadCandidates();
    fake.candidates.find((c) => c.id === TWO_TOWER.id)!.archived = true;
    const second = review.sessions.loadCandidates({ force: true });
    await Promise.all([first, second]);
    expect(review.sessions.candidates.map((c) => c.id)).not.toContain(TWO_TOWER.id);
  });

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
