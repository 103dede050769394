/**
 * The report's numbers in words, as the report view shows them. Pure, so the wording is tested
 * on its own; it follows the Markdown and HTML exports (`screening_report`), so a PM reads the
 * same sentences in the app and in the file they mail.
 */
import { formatMs } from "../format";
import type { GateCheck, PositionBias, Report } from "../ipc";

/** A p-value below this reads as position bias. */
export const BIAS_P = 0.05;

/** `x` with exactly `decimals` decimals (`3.5` → `"3.50"`); `null` as an en dash. */
export function fixed(x: number | null | undefined, decimals: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(decimals);
}

/** `[0.45, 0.82]` → `"0.45–0.82"`, `null` → `"–"`. */
export function interval(ci: [number, number] | null, decimals = 2): string {
  return ci ? `${fixed(ci[0], decimals)}–${fixed(ci[1], decimals)}` : "–";
}

/** A strength with its sign: `+0.42`, `−0.17`, `0.00`. */
export function signed(x: number, decimals = 2): string {
  const s = Math.abs(x).toFixed(decimals);
  if (/^[0.]+$/.test(s)) return s;
  return x < 0 ? `−${s}` : `+${s}`;
}

/** An interval of signed numbers: `−0.42 to +0.17` (an en dash would read as a minus). */
export function signedInterval(ci: [number, number] | null, decimals = 2): string {
  return ci ? `${signed(ci[0], decimals)} to ${signed(ci[1], decimals)}` : "–";
}

/** A p-value for people: `0.412`, `< 0.001`, or `–`. */
export function pValue(p: number | null): string {
  if (p === null) return "–";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/** `>=` as `≥`, `<=` as `≤`. */
export function opSymbol(op: string): string {
  return op === ">=" ? "≥" : op === "<=" ? "≤" : op;
}

const COUNTS = new Set(["reviewers", "judgements", "blocker_flags"]);

/**
 * A gate check's number: counts whole, probabilities and α with three decimals, the load
 * check's p99 in milliseconds (`35 ms`; the exports write `35.412`).
 */
export function checkNumber(check: GateCheck, x: number | null): string {
  if (check.name === "load") return x === null || !Number.isFinite(x) ? "–" : formatMs(x);
  return fixed(x, COUNTS.has(check.name) ? 0 : 3);
}

/** What a check needs, e.g. `≥ 3`, `> 0.500`. */
export function requirement(check: GateCheck): string {
  return `${opSymbol(check.op)} ${checkNumber(check, check.threshold)}`;
}

/** `challenger`, `incumbent` or `null` for the others. */
export type Role = "challenger" | "incumbent" | null;

export function roleOf(report: Report, name: string): Role {
  if (report.challenger === name) return "challenger";
  if (report.incumbent === name) return "incumbent";
  return null;
}

/**
 * The challenger against the incumbent in one sentence: "Challenger EASE beats incumbent
 * Popularity with probability 0.65 (95% CI 0.45–0.82).", or why there is no such number.
 */
export function challengerSentence(report: Report): string {
  const w = report.preferences.challenger_vs_incumbent;
  if (w) {
    const ci = w.ci ? ` (95% CI ${interval(w.ci)})` : "";
    return `Challenger ${w.challenger} beats incumbent ${w.incumbent} with probability ${fixed(w.p, 2)}${ci}.`;
  }
  if (report.incumbent === null && report.challenger === null) {
    return "The session names no incumbent and no challenger, so there is no release decision to weigh.";
  }
  if (report.incumbent === null)
    return "The session names no incumbent to compare the challenger with.";
  if (report.challenger === null)
    return "The session names no challenger to compare with the incumbent.";
  return `No preference compares challenger ${report.challenger} with incumbent ${report.incumbent} yet.`;
}

/** What the position-bias test says. */
export function positionReading(pb: PositionBias): string {
  if (pb.left_share === null) return "not enough decided pairs";
  if (pb.p_value !== null && pb.p_value < BIAS_P) {
    return pb.left_share >= 0.5
      ? "reviewers favour the left list"
      : "reviewers favour the right list";
  }
  return "no sign of position bias";
}

/** Whether the test found a bias (the line is then shown as a warning). */
export function biased(pb: PositionBias): boolean {
  return pb.left_share !== null && pb.p_value !== null && pb.p_value < BIAS_P;
}

/** Position bias in one sentence. */
export function positionSentence(pb: PositionBias): string {
  if (pb.left_share === null) return "No decided pairs yet (ties only, or no preferences).";
  const p = pValue(pb.p_value);
  return `The list shown further left won ${Math.round(pb.left_share * 100)}% of ${pb.decided} decided pairs (${pb.left_wins} of them), p ${p.startsWith("<") ? p : `= ${p}`}: ${positionReading(pb)}.`;
}

/** `wins–ties–losses`. */
export function record(r: { wins: number; ties: number; losses: number }): string {
  return `${r.wins}–${r.ties}–${r.losses}`;
}

/**
 * `names` ordered as the report lists its candidates (session order), any others after them in
 * the order given. Maps keep session order already; this guards against keys that JavaScript
 * would reorder (names that look like integers).
 */
export function inSessionOrder(report: Report, names: Iterable<string>): string[] {
  const given = [...names];
  const rank = (n: string) => {
    const i = report.candidates.indexOf(n);
    return i < 0 ? report.candidates.length + given.indexOf(n) : i;
  };
  return given.sort((a, b) => rank(a) - rank(b));
}

/**
 * A file name for an export: the session's name without characters file systems refuse or
 * that would make a path (`/ \ : * ? " < > |`, control characters), spaces kept, at most 80
 * characters; "session" when nothing is left. `extension` is added with a dot.
 */
export function exportFileName(sessionName: string, extension: string): string {
  const base = sessionName
    // eslint-disable-next-line no-control-regex
    .replace(/[/\\:*?"<>|\u0000-\u001f\u007f]+/g, "-")
    .replace(/\s+/g, " ")
    .replace(/-{2,}/g, "-")
    .trim()
    .replace(/^[.\-\s]+|[.\-\s]+$/g, "")
    .slice(0, 80)
    .trim();
  return `${base || "session"}.${extension}`;
}
