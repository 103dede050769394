import { describe, expect, it } from "vitest";

import { BOARD } from "../testing/fixtures";
import { applyJudgement, judgementTarget } from "./judgements";

describe("judgementTarget", () => {
  it("names what a judgement is about, so a newer one on the same thing supersedes it", () => {
    const rating = (criterion: string, score: number) =>
      judgementTarget({ kind: "rating", snapshot_id: "snap-a", criterion, score });
    expect(rating("overall", 2)).toBe(rating("overall", 5));
    expect(rating("overall", 2)).not.toBe(rating("diversity", 2));
    const flag = (flag: "stale" | "great_pick", on: boolean) =>
      judgementTarget({ kind: "flag", snapshot_id: "snap-a", item_id: "r01", flag, on });
    expect(flag("stale", true)).toBe(flag("stale", false));
    expect(flag("stale", true)).not.toBe(flag("great_pick", true));
    expect(judgementTarget({ kind: "comment", text: "x" })).toBe("comment");
    expect(
      judgementTarget({
        kind: "preference",
        preference: { ranking: [], tie: true, all_bad: false },
      }),
    ).toBe("preference");
  });
});

describe("applyJudgement", () => {
  it("sets and replaces a rating on one column only", () => {
    let board = applyJudgement(BOARD, {
      kind: "rating",
      snapshot_id: "snap-b",
      criterion: "overall",
      score: 2,
    });
    board = applyJudgement(board, {
      kind: "rating",
      snapshot_id: "snap-b",
      criterion: "overall",
      score: 4,
    });
    expect(board.columns[1]!.ratings).toEqual([{ criterion: "overall", score: 4 }]);
    expect(board.columns[0]!.ratings).toEqual([]);
    expect(BOARD.columns[1]!.ratings).toEqual([]);
  });

  it("turns flags on and off", () => {
    const on = applyJudgement(BOARD, {
      kind: "flag",
      snapshot_id: "snap-a",
      item_id: "r05",
      flag: "great_pick",
      on: true,
    });
    expect(on.columns[0]!.items.find((i) => i.item.id === "r05")!.flags).toEqual(["great_pick"]);
    const off = applyJudgement(on, {
      kind: "flag",
      snapshot_id: "snap-a",
      item_id: "r05",
      flag: "great_pick",
      on: false,
    });
    expect(off.columns[0]!.items.find((i) => i.item.id === "r05")!.flags).toEqual([]);
  });

  it("sets the preference and the comment", () => {
    const preference = { ranking: ["snap-c", "snap-a", "snap-b"], tie: false, all_bad: false };
    expect(applyJudgement(BOARD, { kind: "preference", preference }).preference).toEqual(
      preference,
    );
    expect(applyJudgement(BOARD, { kind: "comment", text: "Too much reality." }).comment).toBe(
      "Too much reality.",
    );
  });
});
