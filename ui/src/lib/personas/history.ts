/**
 * A persona's watch history as an editorialist reads it: the backend sends one entry per play
 * (so a binge is the same show several times in a row); here consecutive plays of the same item
 * become one group.
 */
import { count } from "../format";
import type { HistoryItem, Item } from "../ipc";

/** One or more consecutive plays of the same item. */
export type HistoryGroup = {
  item: Item;
  /** How many entries were merged (at least 1). */
  plays: number;
  /** Timestamp of the oldest play in the run (epoch seconds). */
  first: number;
  /** Timestamp of the newest play in the run (epoch seconds). */
  last: number;
};

/**
 * Merges consecutive entries of the same item id into one group, keeping the order (newest
 * first, like the input). Repeats with another item in between stay separate groups.
 */
export function groupHistory(history: HistoryItem[]): HistoryGroup[] {
  const groups: HistoryGroup[] = [];
  for (const entry of history) {
    const prev = groups.at(-1);
    if (prev && prev.item.id === entry.item.id) {
      prev.plays += 1;
      prev.first = Math.min(prev.first, entry.timestamp);
      prev.last = Math.max(prev.last, entry.timestamp);
    } else {
      groups.push({ item: entry.item, plays: 1, first: entry.timestamp, last: entry.timestamp });
    }
  }
  return groups;
}

/** How many different items the history holds. */
export function distinctTitles(history: HistoryItem[]): number {
  return new Set(history.map((h) => h.item.id)).size;
}

/**
 * The play count of a group as shown next to its title: `"3 episodes"` for episodic content,
 * `"2 plays"` for films (and "other"); `null` for a single play, which needs no label.
 */
export function playsLabel(group: HistoryGroup): string | null {
  if (group.plays <= 1) return null;
  const type = group.item.content_type;
  return type === "film" || type === "other"
    ? count(group.plays, "play")
    : count(group.plays, "episode");
}
