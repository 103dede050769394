/**
 * How candidates read on screen: their kinds, the built-in models a spec may name, a one-line
 * summary of a config, and which field a backend refusal is about. Pure functions, no state.
 */
import type { CandidateConfig } from "../ipc";

export type CandidateKind = CandidateConfig["kind"];

/** The kinds, in the order the kind chooser offers them. */
export const KINDS: { kind: CandidateKind; label: string; badge: string; hint: string }[] = [
  {
    kind: "builtin",
    label: "Built-in model",
    badge: "Built-in",
    hint: "One of the models that ship with the app, trained on the active dataset",
  },
  {
    kind: "http",
    label: "HTTP endpoint",
    badge: "HTTP",
    hint: "An in-house model answering the HTTP contract v1",
  },
  {
    kind: "personalize",
    label: "Amazon Personalize",
    badge: "Personalize",
    hint: "A campaign or recommender, asked with the AWS credentials of this machine",
  },
];

/** "HTTP endpoint" for `http`; an unknown kind reads as itself. */
export function kindLabel(kind: string): string {
  return KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** The short badge word: "Built-in", "HTTP", "Personalize". */
export function kindBadge(kind: string): string {
  return KINDS.find((k) => k.kind === kind)?.badge ?? kind;
}

/** The built-in models and their parameters (as in the README), for hints and suggestions. */
export const MODELS: { name: string; params: string[] }[] = [
  { name: "popularity", params: [] },
  { name: "trending", params: ["window-days", "half-life-days"] },
  { name: "item-knn", params: ["neighbours", "shrink"] },
  { name: "ease", params: ["lambda", "min-count"] },
  { name: "content", params: [] },
  { name: "random", params: ["seed"] },
];

/** The timeout a new HTTP or Personalize candidate starts with (the backend's default). */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The longest timeout the backend accepts. */
export const MAX_TIMEOUT_MS = 120_000;

/**
 * One line saying what a candidate asks: the model spec, the URL, or the campaign or
 * recommender ARN (with its region).
 */
export function summarize(config: CandidateConfig): string {
  switch (config.kind) {
    case "builtin":
      return config.model;
    case "http":
      return config.url;
    case "personalize": {
      const arn = config.campaign_arn ?? config.recommender_arn ?? "no ARN";
      return `${arn} · ${config.region}`;
    }
  }
}

/**
 * The field a backend refusal names (`field "headers": …` → `headers`), to mark its input;
 * `null` when it names none.
 */
export function fieldOf(message: string): string | null {
  const named = /field "([a-z_]+)"/.exec(message);
  if (named) return named[1]!;
  if (message.includes('"campaign_arn" and "recommender_arn"')) return "arn";
  return null;
}

/**
 * A header whose name says it carries credentials (`Authorization`, `Cookie`, names with
 * `token`, `key`, `secret`, `password`, `auth`) but whose value is not a `${VAR}` reference:
 * the backend refuses it, so the form says so beside the row. (The backend's rule, copied.)
 */
export function secretInClear(name: string, value: string): boolean {
  const h = name.trim().toLowerCase();
  const secret =
    h === "authorization" ||
    h === "cookie" ||
    ["token", "key", "secret", "password", "auth"].some((w) => h.includes(w));
  return secret && value.trim() !== "" && !value.includes("${");
}
