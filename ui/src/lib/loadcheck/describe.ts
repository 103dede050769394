/**
 * A load check in words and figures, as the Load check view shows it. Pure, so the wording is
 * tested on its own. How a run passes is the backend's (`screening_load::gate_check`, which the
 * release gate uses); {@link verdictNote} only says why one did not, in the same words.
 */
import { formatMs, formatNumber } from "../format";
import type { LoadCheck, LoadPlan, LoadProgress, LoadResult } from "../ipc";

/** A run holds its rate when it achieved this share of the target… */
export const HELD_RATE_SHARE = 0.95;
/** …with at most this share of errors. */
export const HELD_MAX_ERRORS = 0.01;

const LOCALE = "en-GB";
const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 });

/** `20` → `"20 req/s"`, `19.96` → `"20 req/s"`, `9.84` → `"9.8 req/s"`. */
export function rate(rps: number): string {
  return `${oneDecimal.format(rps)} req/s`;
}

/** Seconds, to one decimal at most: `30` → `"30 s"`, `4.25` → `"4.3 s"`. */
export function seconds(s: number): string {
  return `${oneDecimal.format(s)} s`;
}

/** A share as a percentage: `0.015` → `"1.5%"`. */
export function share(x: number): string {
  return percent.format(x);
}

/** Failed requests, every kind. */
export function errorCount(result: Pick<LoadResult, "errors">): number {
  return Object.values(result.errors).reduce((sum, n) => sum + n, 0);
}

/** The share of the requests that failed (0 when none were made). */
export function errorRate(result: Pick<LoadResult, "errors" | "requests">): number {
  return result.requests === 0 ? 0 : errorCount(result) / result.requests;
}

/** Errors by kind, most first: `"timeout 3 · http_503 1"`; `"none"` without any. */
export function errorKinds(errors: Record<string, number>): string {
  const kinds = Object.entries(errors)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return kinds.length === 0 ? "none" : kinds.map(([k, n]) => `${k} ${formatNumber(n)}`).join(" · ");
}

/** Whether any request was answered (else the latency figures are all zero and mean nothing). */
export function answered(result: Pick<LoadResult, "errors" | "requests">): boolean {
  return result.requests > errorCount(result);
}

/** The run's p99 in words, or an en dash when no request was answered. */
export function p99Text(result: LoadResult): string {
  return answered(result) ? formatMs(result.latency_ms.p99) : "–";
}

/** What the gate asks of a run: `"≥ 95% of 20 req/s, ≤ 1% errors, p99 ≤ 500 ms"`. */
export function gateRule(targetRps: number, maxP99Ms: number): string {
  return `≥ ${share(HELD_RATE_SHARE)} of ${rate(targetRps)}, ≤ ${share(HELD_MAX_ERRORS)} errors, p99 ≤ ${formatMs(maxP99Ms)}`;
}

/**
 * Why a run did not pass, in the gate's words (`null` when it passed): nothing answered, the
 * rate not held, too many errors, stopped before its end, or a p99 above the bound.
 */
export function verdictNote(
  check: Pick<LoadCheck, "result" | "max_p99_ms" | "passed">,
): string | null {
  if (check.passed) return null;
  const r = check.result;
  if (!answered(r)) return "no request was answered";
  if (r.achieved_rps < HELD_RATE_SHARE * r.target_rps) {
    return `achieved ${oneDecimal.format(r.achieved_rps)} of ${rate(r.target_rps)}`;
  }
  if (errorRate(r) > HELD_MAX_ERRORS) return `${share(errorRate(r))} of the requests failed`;
  if (r.stopped) return "the run was stopped before its end";
  return `p99 ${formatMs(r.latency_ms.p99)} is above ${formatMs(check.max_p99_ms)}`;
}

/** The verdict in a sentence: why it failed, or what it held (`"Held 20 req/s with p99 35 ms."`). */
export function verdictSentence(
  check: Pick<LoadCheck, "result" | "max_p99_ms" | "passed">,
): string {
  const note = verdictNote(check);
  if (note) return `${note.charAt(0).toUpperCase()}${note.slice(1)}.`;
  return `Held ${rate(check.result.target_rps)} with p99 ${formatMs(check.result.latency_ms.p99)}.`;
}

/**
 * A plan in one line: `"20 req/s for 30 s · 16 in flight · timeout 5.0 s"`, with the ramp when
 * there is one (`"ramp 0 → 20 req/s over 5 s, then 20 req/s for 30 s · …"`).
 */
export function planText(plan: LoadPlan): string {
  const hold = `${rate(plan.rate)} for ${seconds(plan.duration_s)}`;
  const ramp =
    plan.ramp_s > 0
      ? `ramp ${oneDecimal.format(plan.ramp_from)} → ${rate(plan.rate)} over ${seconds(plan.ramp_s)}, then `
      : "";
  return `${ramp}${hold} · ${formatNumber(plan.concurrency)} in flight · timeout ${formatMs(plan.timeout_ms)}`;
}

/** `"12 s of 30 s"` (whole seconds while it runs). */
export function elapsedText(p: Pick<LoadProgress, "elapsed_s" | "length_s">): string {
  return `${Math.min(Math.round(p.elapsed_s), Math.round(p.length_s))} s of ${seconds(p.length_s)}`;
}

/** Whether a second of the timeline had answers (its latency is zero when none came). */
export function hadAnswers(p: LoadProgress): boolean {
  return p.latency_ms.max > 0;
}
