/**
 * What a judgement is about, so that a newer one on the same thing (a rating of the same list on
 * the same criterion, the persona's preference, one flag of one item, the comment) can be
 * recognised as superseding an older one, and so the board can be updated with what was saved.
 */
import type { Board, Column, JudgementInput } from "../ipc";

/** A key naming the thing a judgement is about, within one persona. */
export function judgementTarget(j: JudgementInput): string {
  switch (j.kind) {
    case "rating":
      return `rating\u0000${j.snapshot_id}\u0000${j.criterion}`;
    case "preference":
      return "preference";
    case "flag":
      return `flag\u0000${j.snapshot_id}\u0000${j.item_id}\u0000${j.flag}`;
    case "comment":
      return "comment";
  }
}

/** The board as it is once `j` is saved (a new object; the input is not changed). */
export function applyJudgement(board: Board, j: JudgementInput): Board {
  switch (j.kind) {
    case "rating":
      return updateColumn(board, j.snapshot_id, (c) => ({
        ...c,
        ratings: [
          ...c.ratings.filter((r) => r.criterion !== j.criterion),
          { criterion: j.criterion, score: j.score },
        ],
      }));
    case "preference":
      return { ...board, preference: j.preference };
    case "flag":
      return updateColumn(board, j.snapshot_id, (c) => ({
        ...c,
        items: c.items.map((it) => {
          if (it.item.id !== j.item_id) return it;
          const others = it.flags.filter((f) => f !== j.flag);
          return { ...it, flags: j.on ? [...others, j.flag] : others };
        }),
      }));
    case "comment":
      return { ...board, comment: j.text };
  }
}

/** The board with the column of `snapshotId` replaced by `update(column)` (the others kept). */
function updateColumn(board: Board, snapshotId: string, update: (c: Column) => Column): Board {
  return {
    ...board,
    columns: board.columns.map((c) => (c.snapshot_id === snapshotId ? update(c) : c)),
  };
}
