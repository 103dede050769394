import { describe, expect, it } from "vitest";

import type { GateCheck, PositionBias, Report } from "../ipc";
import { REPORT } from "../testing/reportFake";
import {
  biased,
  challengerSentence,
  checkNumber,
  exportFileName,
  fixed,
  inSessionOrder,
  interval,
  pValue,
  positionSentence,
  record,
  requirement,
  roleOf,
  signed,
  signedInterval,
} from "./describe";

const check = (name: string, op: string, threshold: number): GateCheck => ({
  name,
  label: name,
  value: null,
  threshold,
  op,
  passed: false,
  note: null,
});

describe("numbers", () => {
  it("fixed decimals, intervals, signs and p-values", () => {
    expect(fixed(0.4499, 2)).toBe("0.45");
    expect(fixed(null, 2)).toBe("–");
    expect(fixed(Number.NaN, 2)).toBe("–");
    expect(interval([0.451, 0.8])).toBe("0.45–0.80");
    expect(interval(null)).toBe("–");
    expect(signed(0.42)).toBe("+0.42");
    expect(signed(-0.171)).toBe("−0.17");
    expect(signed(-0.001)).toBe("0.00");
    expect(signedInterval([-0.42, 0.17])).toBe("−0.42 to +0.17");
    expect(pValue(0.41234)).toBe("0.412");
    expect(pValue(0.0001)).toBe("< 0.001");
    expect(pValue(null)).toBe("–");
    expect(record({ wins: 4, ties: 0, losses: 2 })).toBe("4–0–2");
  });

  it("gate checks: counts whole, probabilities and α with three decimals, ops as symbols", () => {
    expect(checkNumber(check("reviewers", ">=", 3), 1)).toBe("1");
    expect(requirement(check("reviewers", ">=", 3))).toBe("≥ 3");
    expect(requirement(check("blocker_flags", "<=", 0))).toBe("≤ 0");
    expect(requirement(check("win_probability", ">", 0.5))).toBe("> 0.500");
    expect(checkNumber(check("agreement", ">=", 0.667), 0.81234)).toBe("0.812");
    expect(checkNumber(check("agreement", ">=", 0.667), null)).toBe("–");
  });

  it("the load check's p99 reads in milliseconds", () => {
    expect(checkNumber(check("load", "<=", 500), 35.412)).toBe("35 ms");
    expect(checkNumber(check("load", "<=", 500), null)).toBe("–");
    expect(requirement(check("load", "<=", 500))).toBe("≤ 500 ms");
  });
});

describe("sentences", () => {
  it("the challenger against the incumbent, or why there is no number", () => {
    expect(challengerSentence(REPORT)).toBe(
      "Challenger EASE (λ 250) beats incumbent Popularity with probability 0.65 (95% CI 0.45–0.82).",
    );
    const none: Report = {
      ...REPORT,
      preferences: { ...REPORT.preferences, challenger_vs_incumbent: null },
    };
    expect(challengerSentence(none)).toBe(
      "No preference compares challenger EASE (λ 250) with incumbent Popularity yet.",
    );
    expect(challengerSentence({ ...none, incumbent: null })).toMatch(/names no incumbent/);
    expect(challengerSentence({ ...none, challenger: null })).toMatch(/names no challenger/);
    expect(challengerSentence({ ...none, challenger: null, incumbent: null })).toMatch(
      /no incumbent and no challenger/,
    );
  });

  it("position bias, with a warning only when the test finds it", () => {
    const pb: PositionBias = { left_share: 0.9, p_value: 0.0005, left_wins: 18, decided: 20 };
    expect(positionSentence(pb)).toBe(
      "The list shown further left won 90% of 20 decided pairs (18 of them), p < 0.001: reviewers favour the left list.",
    );
    expect(biased(pb)).toBe(true);
    expect(positionSentence({ ...pb, left_share: 0.1, left_wins: 2 })).toMatch(
      /favour the right list\.$/,
    );
    expect(biased(REPORT.position_bias)).toBe(false);
    expect(positionSentence({ left_share: null, p_value: null, left_wins: 0, decided: 0 })).toBe(
      "No decided pairs yet (ties only, or no preferences).",
    );
  });

  it("roles and session order", () => {
    expect(roleOf(REPORT, "EASE (λ 250)")).toBe("challenger");
    expect(roleOf(REPORT, "Popularity")).toBe("incumbent");
    expect(roleOf(REPORT, "Random (control)")).toBeNull();
    expect(inSessionOrder(REPORT, ["Random (control)", "zz", "EASE (λ 250)"])).toEqual([
      "EASE (λ 250)",
      "Random (control)",
      "zz",
    ]);
  });
});

describe("exportFileName", () => {
  it("keeps the session's name, without what a path cannot hold", () => {
    expect(exportFileName("Release v3 vs v2", "html")).toBe("Release v3 vs v2.html");
    expect(exportFileName("A/B test: kids?  <final>", "md")).toBe("A-B test- kids- -final.md");
    expect(exportFileName("../../etc/passwd", "csv")).toBe("etc-passwd.csv");
    expect(exportFileName(" \u0000 ", "json")).toBe("session.json");
    expect(exportFileName("x".repeat(200), "jsonl")).toBe(`${"x".repeat(80)}.jsonl`);
  });
});
