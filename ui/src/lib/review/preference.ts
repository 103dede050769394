/**
 * The preference builder. With two lists, choosing one is the whole preference. With three or
 * four, the reviewer picks lists best first; the order is a draft (not saved) until it is
 * complete, and it completes itself when one list is left. Tie and "all bad" are complete at once.
 *
 * Pure functions over snapshot ids, so the rules are tested apart from the board.
 */
import type { Preference } from "../ipc";

/** The result of adding a list: the new draft and, when complete, the preference to save. */
export type DraftStep = { draft: string[]; complete: Preference | null };

/**
 * Adds `id` to the order being built over `all` (the columns' snapshot ids, in column order).
 * Picking a list already in the draft takes it (and nothing else) out again.
 */
export function addToDraft(
  draft: readonly string[],
  id: string,
  all: readonly string[],
): DraftStep {
  if (!all.includes(id)) return { draft: [...draft], complete: null };
  if (all.length <= 2) {
    const ranking = [id, ...all.filter((other) => other !== id)];
    return { draft: [], complete: { ranking, tie: false, all_bad: false } };
  }
  if (draft.includes(id)) return { draft: draft.filter((d) => d !== id), complete: null };
  const next = [...draft, id];
  if (next.length >= all.length - 1) {
    const ranking = [...next, ...all.filter((other) => !next.includes(other))];
    return { draft: [], complete: { ranking, tie: false, all_bad: false } };
  }
  return { draft: next, complete: null };
}

/** All lists are equally good. */
export function tie(all: readonly string[]): Preference {
  return { ranking: [...all], tie: true, all_bad: false };
}

/** Every list is bad. */
export function allBad(all: readonly string[]): Preference {
  return { ranking: [...all], tie: false, all_bad: true };
}

/** `"B > A > C"`, `"Tie"`, `"All bad"`; ids without a label are skipped. */
export function describePreference(pref: Preference, labelOf: (id: string) => string | null) {
  if (pref.all_bad) return "All bad";
  if (pref.tie) return "Tie";
  return labels(pref.ranking, labelOf).join(" > ");
}

/** `"B > A > …"` for a draft that still misses lists. */
export function describeDraft(draft: readonly string[], labelOf: (id: string) => string | null) {
  return draft.length === 0 ? "" : `${labels(draft, labelOf).join(" > ")} > …`;
}

function labels(ids: readonly string[], labelOf: (id: string) => string | null): string[] {
  return ids.map(labelOf).filter((l): l is string => l !== null);
}
