import { describe, expect, it } from "vitest";

import type { HistoryItem, Item } from "../ipc";
import { ITEMS, T0, item } from "../testing/fixtures";
import { distinctTitles, groupHistory, playsLabel } from "./history";

const DAY = 86400;
const [A, B, C] = [ITEMS[0]!, ITEMS[1]!, ITEMS[2]!];

/** A newest-first history from `[item, timestamp]` pairs. */
function history(...plays: [Item, number][]): HistoryItem[] {
  return plays.map(([it, timestamp]) => ({ item: it, timestamp, event_type: "watch" }));
}

describe("groupHistory", () => {
  it("returns nothing for an empty history", () => {
    expect(groupHistory([])).toEqual([]);
  });

  it("keeps one group per entry when nothing repeats", () => {
    const groups = groupHistory(history([C, T0 + 2 * DAY], [B, T0 + DAY], [A, T0]));
    expect(groups).toEqual([
      { item: C, plays: 1, first: T0 + 2 * DAY, last: T0 + 2 * DAY },
      { item: B, plays: 1, first: T0 + DAY, last: T0 + DAY },
      { item: A, plays: 1, first: T0, last: T0 },
    ]);
  });

  it("merges a run of three plays of the same item", () => {
    const groups = groupHistory(
      history([B, T0 + 4 * DAY], [A, T0 + 3 * DAY], [A, T0 + DAY], [A, T0], [C, T0 - DAY]),
    );
    expect(groups).toEqual([
      { item: B, plays: 1, first: T0 + 4 * DAY, last: T0 + 4 * DAY },
      { item: A, plays: 3, first: T0, last: T0 + 3 * DAY },
      { item: C, plays: 1, first: T0 - DAY, last: T0 - DAY },
    ]);
  });

  it("keeps repeats separated by another item apart", () => {
    const groups = groupHistory(history([A, T0 + 3 * DAY], [B, T0 + 2 * DAY], [A, T0 + DAY]));
    expect(groups.map((g) => [g.item.id, g.plays])).toEqual([
      [A.id, 1],
      [B.id, 1],
      [A.id, 1],
    ]);
  });

  it("does not modify its input", () => {
    const input = history([A, T0 + DAY], [A, T0]);
    const copy = structuredClone(input);
    groupHistory(input);
    expect(input).toEqual(copy);
  });
});

describe("distinctTitles", () => {
  it("counts different item ids", () => {
    expect(distinctTitles([])).toBe(0);
    expect(distinctTitles(history([A, 3], [B, 2], [A, 1]))).toBe(2);
  });
});

describe("playsLabel", () => {
  const group = (it: Item, plays: number) => ({ item: it, plays, first: T0, last: T0 });

  it("says nothing for a single play", () => {
    expect(playsLabel(group(A, 1))).toBeNull();
  });

  it("counts episodes of episodic content and plays of films", () => {
    expect(playsLabel(group(item("s", "Show", "reality"), 3))).toBe("3 episodes");
    expect(playsLabel(group(item("k", "Cartoon", "kids"), 2))).toBe("2 episodes");
    expect(playsLabel(group(item("f", "Film", "film"), 2))).toBe("2 plays");
  });
});
