import { afterEach, describe, expect, it } from "vitest";

import { clearBackend } from "../ipc/mock";
import { DEFAULT_GATE } from "../testing/reportFake";
import { reviewBackend } from "../testing/reviewBackend";
import { GateForm } from "./gate.svelte";

afterEach(clearBackend);

describe("GateForm", () => {
  it("fills from thresholds and gives them back", () => {
    const form = new GateForm("s1", DEFAULT_GATE);
    expect(form.thresholds()).toEqual(DEFAULT_GATE);
    form.minReviewers = 1;
    form.alphaCriterion = " relevance ";
    expect(form.thresholds()).toMatchObject({ min_reviewers: 1, alpha_criterion: "relevance" });
  });

  it("keeps blocker flags in the editor's order", () => {
    const form = new GateForm("s1", DEFAULT_GATE);
    form.toggleFlag("stale", true);
    form.toggleFlag("wrong_for_persona", true);
    expect(form.blockerFlags).toEqual(["inappropriate", "wrong_for_persona", "stale"]);
    form.toggleFlag("inappropriate", false);
    expect(form.blockerFlags).toEqual(["wrong_for_persona", "stale"]);
  });

  it("says which fields are missing or not whole, and sends nothing then", async () => {
    const { calls } = reviewBackend();
    const form = new GateForm("s1", DEFAULT_GATE);
    form.minWinProbability = null;
    form.minJudgements = -1;
    form.minReviewers = 2.5;
    form.alphaCriterion = " ";
    expect(form.problems.map((p) => p.field)).toEqual([
      "min_win_probability",
      "alpha_criterion",
      "min_reviewers",
      "min_judgements",
    ]);
    await expect(form.save()).resolves.toBeNull();
    expect(form.attempted).toBe(true);
    expect(calls.map((c) => c.command)).not.toContain("set_session_gate");
  });

  it("saves, and refills from what the backend kept", async () => {
    const { calls, fake } = reviewBackend();
    const form = new GateForm("s1", DEFAULT_GATE);
    form.minReviewers = 1;
    const report = await form.save();
    expect(report?.report.gate.thresholds.min_reviewers).toBe(1);
    expect(fake.gates.get("s1")?.min_reviewers).toBe(1);
    expect(calls.at(-1)).toEqual({
      command: "set_session_gate",
      args: { request: { session_id: "s1", gate: { ...DEFAULT_GATE, min_reviewers: 1 } } },
    });
    expect(form.attempted).toBe(false);
    expect(form.saving).toBe(false);
  });

  it("keeps the backend's refusal, and resets to the defaults with null", async () => {
    const { calls } = reviewBackend();
    const form = new GateForm("s1", DEFAULT_GATE);
    form.minAlpha = 2;
    await expect(form.save()).resolves.toBeNull();
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toBe("the α threshold is between -1 and 1, not 2");
    expect(form.minAlpha).toBe(2);

    const report = await form.reset();
    expect(report?.report.gate.thresholds).toEqual(DEFAULT_GATE);
    expect(calls.at(-1)?.args).toEqual({ request: { session_id: "s1", gate: null } });
    expect(form.error).toBeNull();
    expect(form.minAlpha).toBe(0.667);
  });
});
