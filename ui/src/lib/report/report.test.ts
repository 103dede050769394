import { afterEach, describe, expect, it } from "vitest";

import type { SessionDetail } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { SESSION } from "../testing/fixtures";
import { REPORT } from "../testing/reportFake";
import { reviewBackend } from "../testing/reviewBackend";
import { EXPORT_FORMATS, describeSaved } from "./exports.svelte";
import { ReportState } from "./report.svelte";

afterEach(clearBackend);

const OPEN: SessionDetail = { ...SESSION, summary: { ...SESSION.summary, blind: false } };

describe("ReportState", () => {
  it("loads the report; the gate form starts on its thresholds", async () => {
    const { calls } = reviewBackend({}, [OPEN]);
    const state = new ReportState("s1", "Release v3 vs v2");
    const loading = state.load();
    expect(state.status).toBe("loading");
    await loading;
    expect(state.status).toBe("ready");
    expect(state.data?.report.gate).toEqual(REPORT.gate);
    expect(state.needsNotice).toBe(false);
    expect(state.gate.thresholds()).toEqual(REPORT.gate.thresholds);
    expect(calls.at(-1)).toEqual({ command: "session_report", args: { sessionId: "s1" } });
  });

  it("a blind session asks first until this reviewer has judged every persona", async () => {
    const { fake } = reviewBackend();
    const state = new ReportState("s1", "Release v3 vs v2");
    await state.load();
    expect(state.needsNotice).toBe(true);
    state.showAnyway();
    expect(state.needsNotice).toBe(false);

    for (const persona of ["reality-fan", "new-viewer"]) {
      fake.handlers().record_judgement!({
        request: {
          session_id: "s1",
          persona_id: persona,
          judgement: {
            kind: "preference",
            preference: {
              ranking: SESSION.candidates.map((c) => `${persona}:${c.id}`),
              tie: true,
              all_bad: false,
            },
          },
        },
      });
    }
    const again = new ReportState("s1", "Release v3 vs v2");
    await again.load();
    expect(again.data?.reviewer_done).toBe(true);
    expect(again.needsNotice).toBe(false);
  });

  it("keeps the error when the report cannot be made", async () => {
    reviewBackend({}, [OPEN]);
    const state = new ReportState("nope", "x");
    await state.load();
    expect(state.status).toBe("error");
    expect(state.error?.code).toBe("not_found");
  });

  it("saving thresholds updates the report and closes the editor; a refusal keeps it open", async () => {
    reviewBackend({}, [OPEN]);
    const state = new ReportState("s1", "Release v3 vs v2");
    await state.load();
    state.editGate();
    expect(state.editing).toBe(true);
    state.gate.minWinProbability = 7;
    expect(await state.saveGate()).toBe(false);
    expect(state.editing).toBe(true);
    expect(state.gate.error?.message).toMatch(/between 0 and 1, not 7/);

    state.gate.minWinProbability = 0.4;
    expect(await state.saveGate()).toBe(true);
    expect(state.editing).toBe(false);
    expect(state.data?.report.gate.passed).toBe(true);

    state.editGate();
    expect(await state.resetGate()).toBe(true);
    expect(state.editing).toBe(true);
    expect(state.data?.report.gate.passed).toBe(false);
    expect(state.gate.minWinProbability).toBe(0.5);
  });

  it("exports: one form per format, named after the session, saying the bytes written", async () => {
    const { fake } = reviewBackend({}, [OPEN]);
    const state = new ReportState("s1", "Release: v3/v2");
    expect(EXPORT_FORMATS.map((f) => state.exports.fileName(f.format))).toEqual([
      "Release- v3-v2.html",
      "Release- v3-v2.md",
      "Release- v3-v2.csv",
      "Release- v3-v2.json",
      "Release- v3-v2.jsonl",
      "Release- v3-v2.csv",
      "Release- v3-v2.jsonl",
    ]);
    const form = state.exports.show("battles");
    expect(state.exports.open).toBe(form);
    expect(state.exports.form("battles")).toBe(form);
    expect(state.exports.form("html")).not.toBe(form);
    form.path = "/tmp/b.jsonl";
    expect(await form.run()).toBe(true);
    const bytes = new TextEncoder().encode(fake.files.get("/tmp/b.jsonl")!).length;
    expect(form.written).toEqual({ count: bytes, path: "/tmp/b.jsonl" });
    expect(describeSaved({ count: 12_345, path: "/tmp/r.html" })).toBe(
      "Saved 12.3 kB to /tmp/r.html",
    );
    state.exports.close();
    expect(state.exports.open).toBeNull();
  });
});

describe("the fake's report over recorded judgements", () => {
  it("counts ratings, preferences and flags as the backend would", async () => {
    const { fake } = reviewBackend({}, [
      {
        ...OPEN,
        summary: { ...OPEN.summary, id: "s9" },
        candidates: OPEN.candidates.slice(0, 2),
        incumbent_candidate_id: "popularity",
        challenger_candidate_id: null,
      },
    ]);
    const record = fake.handlers().record_judgement!;
    const rate = (persona: string, candidate: string, criterion: string, score: number) =>
      record({
        request: {
          session_id: "s9",
          persona_id: persona,
          judgement: { kind: "rating", snapshot_id: `${persona}:${candidate}`, criterion, score },
        },
      });
    rate("reality-fan", "ease", "overall", 5);
    rate("new-viewer", "ease", "overall", 3);
    rate("reality-fan", "popularity", "overall", 2);
    for (const persona of ["reality-fan", "new-viewer"]) {
      record({
        request: {
          session_id: "s9",
          persona_id: persona,
          judgement: {
            kind: "preference",
            preference: {
              ranking: [`${persona}:ease`, `${persona}:popularity`],
              tie: false,
              all_bad: false,
            },
          },
        },
      });
    }
    record({
      request: {
        session_id: "s9",
        persona_id: "reality-fan",
        judgement: {
          kind: "flag",
          snapshot_id: "reality-fan:ease",
          item_id: "r01",
          flag: "inappropriate",
          on: true,
        },
      },
    });
    const { report } = fake.report("s9");
    expect(report.challenger).toBe("EASE (λ 250)"); // the other of two
    expect(report.criteria.overall!.candidates["EASE (λ 250)"]).toMatchObject({ mean: 4, n: 2 });
    expect(report.criteria.overall!.alpha).toBeNull();
    expect(report.preferences.matrix["EASE (λ 250)"]!["Popularity"]).toEqual({
      wins: 2,
      ties: 0,
      losses: 0,
    });
    // The second persona saw the lists reversed: EASE won on the right there.
    expect(report.position_bias).toMatchObject({ left_wins: 1, decided: 2, left_share: 0.5 });
    expect(report.flags).toEqual([
      {
        item_id: "r01",
        title: "Love Villa",
        candidate: "EASE (λ 250)",
        counts: { inappropriate: 1 },
        problems: 1,
      },
    ]);
    expect(report.judgements).toBe(6);
    const checks = Object.fromEntries(report.gate.checks.map((c) => [c.name, c]));
    expect(checks.blocker_flags).toMatchObject({ value: 1, passed: false });
    expect(checks.reviewers).toMatchObject({ value: 1, threshold: 3, passed: false });
    expect(checks.win_probability!.value).toBeGreaterThan(0.5);
  });
});

describe("ReportState: this device or the team", () => {
  it("loads the team's report when Team is first shown, and keeps it", async () => {
    const { calls, sync } = reviewBackend({}, [OPEN]);
    sync.configure();
    sync.published.add("s1");
    const state = new ReportState("s1", "Release v3 vs v2");
    await state.load();
    expect(state.scope).toBe("device");
    state.editGate();

    const showing = state.setScope("team");
    expect(state.scope).toBe("team");
    expect(state.editing).toBe(false);
    expect(state.busy).toBe(true);
    await showing;
    expect(state.teamStatus).toBe("ready");
    expect(state.team?.digest).toBe(sync.digest("s1"));
    expect(state.team?.report.reviewers).toBe(REPORT.reviewers);

    await state.setScope("device");
    await state.setScope("team");
    expect(calls.filter((c) => c.command === "team_report")).toHaveLength(1);
    await state.refresh();
    expect(calls.filter((c) => c.command === "team_report")).toHaveLength(2);
    await state.setScope("device");
    await state.refresh();
    expect(calls.filter((c) => c.command === "session_report")).toHaveLength(2);
  });

  it("a failed team report is tried again when Team is shown again", async () => {
    const { calls, sync } = reviewBackend({}, [OPEN]);
    sync.configure();
    const state = new ReportState("s1", "Release v3 vs v2");
    await state.setScope("team");
    expect(state.teamError?.code).toBe("not_found");
    expect(state.teamStatus).toBe("error");
    sync.published.add("s1");
    await state.setScope("device");
    await state.setScope("team");
    expect(state.teamError).toBeNull();
    expect(state.team).not.toBeNull();
    expect(calls.filter((c) => c.command === "team_report")).toHaveLength(2);
  });
});
