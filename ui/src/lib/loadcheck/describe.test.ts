import { describe, expect, it } from "vitest";

import type { LoadCheck, LoadResult } from "../ipc";
import { gateCheck } from "../testing/loadFake";
import {
  elapsedText,
  errorKinds,
  errorRate,
  gateRule,
  p99Text,
  planText,
  rate,
  verdictNote,
  verdictSentence,
} from "./describe";

function result(fields: Partial<LoadResult> = {}): LoadResult {
  return {
    target_rps: 20,
    scheduled_rps: 20,
    achieved_rps: 19.9,
    requests: 597,
    errors: {},
    latency_ms: { p50: 8.2, p90: 14.5, p95: 18.1, p99: 35.4, max: 52.9 },
    duration_s: 30,
    stopped: false,
    timeline: [],
    ...fields,
  };
}

/** A check judged as the backend's gate judges it. */
function judged(
  r: LoadResult,
  max_p99_ms = 500,
): Pick<LoadCheck, "result" | "max_p99_ms" | "passed"> {
  return { result: r, max_p99_ms, passed: gateCheck(r, max_p99_ms).passed };
}

describe("load check words", () => {
  it("rates, errors by kind, the p99 and the gate's rule", () => {
    expect(rate(20)).toBe("20 req/s");
    expect(rate(9.84)).toBe("9.8 req/s");
    expect(errorKinds({})).toBe("none");
    expect(errorKinds({ http_503: 1, timeout: 3, connect: 0 })).toBe("timeout 3 · http_503 1");
    expect(errorRate(result({ requests: 200, errors: { timeout: 3 } }))).toBe(0.015);
    expect(p99Text(result())).toBe("35 ms");
    expect(p99Text(result({ requests: 4, errors: { connect: 4 } }))).toBe("–");
    expect(gateRule(20, 500)).toBe("≥ 95% of 20 req/s, ≤ 1% errors, p99 ≤ 500 ms");
    expect(elapsedText({ elapsed_s: 12.02, length_s: 30 })).toBe("12 s of 30 s");
  });

  it("the plan in one line, with the ramp when there is one", () => {
    const plan = {
      rate: 20,
      duration_s: 30,
      ramp_from: 0,
      ramp_s: 0,
      concurrency: 16,
      timeout_ms: 5000,
    };
    expect(planText(plan)).toBe("20 req/s for 30 s · 16 in flight · timeout 5.0 s");
    expect(planText({ ...plan, ramp_s: 5 })).toBe(
      "ramp 0 → 20 req/s over 5 s, then 20 req/s for 30 s · 16 in flight · timeout 5.0 s",
    );
  });

  it("why a check failed, in the gate's order; what a passed one held", () => {
    expect(verdictNote(judged(result()))).toBeNull();
    expect(verdictSentence(judged(result()))).toBe("Held 20 req/s with p99 35 ms.");
    expect(verdictNote(judged(result({ requests: 5, errors: { connect: 5 } })))).toBe(
      "no request was answered",
    );
    expect(verdictNote(judged(result({ achieved_rps: 15.2 })))).toBe("achieved 15.2 of 20 req/s");
    expect(verdictNote(judged(result({ requests: 100, errors: { http_503: 2 } })))).toBe(
      "2% of the requests failed",
    );
    expect(verdictSentence(judged(result({ stopped: true })))).toBe(
      "The run was stopped before its end.",
    );
    expect(verdictNote(judged(result(), 20))).toBe("p99 35 ms is above 20 ms");
  });
});
