import { afterEach, describe, expect, it } from "vitest";

import type { Board, RecordRequest, Saved } from "../ipc";
import { clearBackend, mockBackend, type RecordedCall } from "../ipc/mock";
import { deferred, flush } from "../testing/async";
import {
  BOARD,
  BOARD_COLUMNS,
  CANDIDATES,
  SESSION,
  buildBoard,
  detailOf,
} from "../testing/fixtures";
import { reviewBackend } from "../testing/reviewBackend";
import { BoardState } from "./board.svelte";
import { actionForKey } from "./keys";

afterEach(clearBackend);

function key(board: BoardState, k: string): boolean {
  const action = actionForKey({ key: k });
  return action !== null && board.dispatch(action);
}

function records(calls: RecordedCall[]): RecordRequest[] {
  return calls
    .filter((c) => c.command === "record_judgement")
    .map((c) => c.args.request as RecordRequest);
}

let seq = 0;
function saved(): Saved {
  seq += 1;
  return { op_id: `op-${seq}`, device_seq: seq, saved_at: 1_700_000_000_000 + seq };
}

/** A backend serving {@link BOARD}; `record` answers record_judgement (saved by default). */
function boardBackend(record: (request: RecordRequest) => unknown = () => saved()) {
  return mockBackend({
    get_board: () => BOARD,
    record_judgement: ({ request }) => record(request as RecordRequest),
    reveal_persona: () => ({
      ...BOARD,
      revealed: true,
      columns: BOARD.columns.map((c, i) => ({ ...c, candidate: BOARD_COLUMNS[i]!.candidate })),
    }),
  });
}

async function opened(): Promise<BoardState> {
  const board = new BoardState(SESSION);
  await board.open(0);
  return board;
}

describe("BoardState: loading", () => {
  it("opens the first persona's board", async () => {
    const calls = boardBackend();
    const board = new BoardState(SESSION);
    const opening = board.open(0);
    expect(board.status).toBe("loading");
    await opening;
    expect(board.status).toBe("ready");
    expect(board.board?.columns.map((c) => c.label)).toEqual(["A", "B", "C"]);
    expect(board.board?.columns.every((c) => c.items.length === 10)).toBe(true);
    expect(board.saveStatus).toBe("idle");
    expect(calls).toEqual([
      { command: "get_board", args: { sessionId: "s1", personaId: "reality-fan" } },
    ]);
  });

  it("surfaces a load error with its code", async () => {
    mockBackend({
      get_board: () => {
        throw { code: "invalid_input", message: "freeze the session first" };
      },
    });
    const board = await opened();
    expect(board.status).toBe("error");
    expect(board.error?.code).toBe("invalid_input");
  });

  it("moves between personas and stops at either end", async () => {
    const { calls } = reviewBackend();
    const board = await opened();
    expect(board.hasPrev).toBe(false);
    expect(key(board, "ArrowLeft")).toBe(false);
    expect(key(board, "ArrowRight")).toBe(true);
    await board.settled();
    await flush();
    expect(board.index).toBe(1);
    expect(board.board?.persona.persona.id).toBe("new-viewer");
    expect(board.hasNext).toBe(false);
    expect(key(board, "ArrowRight")).toBe(false);
    expect(calls.filter((c) => c.command === "get_board").map((c) => c.args.personaId)).toEqual([
      "reality-fan",
      "new-viewer",
    ]);
  });

  it("keeps only the board of the latest persona opened", async () => {
    const slow = deferred<Board>();
    mockBackend({
      get_board: ({ personaId }) =>
        personaId === "reality-fan"
          ? slow.promise
          : buildBoard({ columns: BOARD_COLUMNS, persona: detailOf("new-viewer")!, position: 1 }),
    });
    const board = new BoardState(SESSION);
    const first = board.open(0);
    await board.open(1);
    slow.resolve(BOARD);
    await first;
    expect(board.board?.persona.persona.id).toBe("new-viewer");
    expect(board.index).toBe(1);
  });
});

describe("BoardState: saving", () => {
  it("shows a rating only after record_judgement resolved", async () => {
    const answer = deferred<Saved>();
    const calls = boardBackend(() => answer.promise);
    const board = await opened();

    expect(key(board, "4")).toBe(true);
    await flush();
    expect(records(calls)).toEqual([
      {
        session_id: "s1",
        persona_id: "reality-fan",
        judgement: { kind: "rating", snapshot_id: "snap-a", criterion: "relevance", score: 4 },
      },
    ]);
    expect(board.saveStatus).toBe("saving");
    expect(board.scoreOf(board.board!.columns[0]!, "relevance")).toBeNull();
    expect(board.pendingScore("snap-a", "relevance")).toBe(4);

    answer.resolve(saved());
    await board.settled();
    expect(board.saveStatus).toBe("saved");
    expect(board.scoreOf(board.board!.columns[0]!, "relevance")).toBe(4);
    expect(board.pendingScore("snap-a", "relevance")).toBeNull();
  });

  it("a rejected judgement shows the error, never 'saved', and can be retried", async () => {
    let fail = true;
    const calls = boardBackend(() => {
      if (fail) throw { code: "internal", message: "disk I/O error" };
      return saved();
    });
    const board = await opened();
    board.rateColumn(1, "overall", 2);
    await board.settled();
    expect(board.saveStatus).toBe("error");
    expect(board.saveError?.code).toBe("internal");
    expect(board.saveError?.message).toBe("disk I/O error");
    expect(board.scoreOf(board.board!.columns[1]!, "overall")).toBeNull();

    // Another judgement saving fine does not hide that the first one is not on disk.
    fail = false;
    board.rateColumn(0, "overall", 5);
    await board.settled();
    expect(board.saveStatus).toBe("error");

    await board.retry();
    expect(board.saveStatus).toBe("saved");
    expect(board.scoreOf(board.board!.columns[1]!, "overall")).toBe(2);
    expect(records(calls).map((r) => r.judgement)).toEqual([
      { kind: "rating", snapshot_id: "snap-b", criterion: "overall", score: 2 },
      { kind: "rating", snapshot_id: "snap-a", criterion: "overall", score: 5 },
      { kind: "rating", snapshot_id: "snap-b", criterion: "overall", score: 2 },
    ]);
  });

  it("a newer judgement on the same thing supersedes a failed one", async () => {
    let fail = true;
    boardBackend(() => {
      if (fail) throw { code: "internal", message: "database is locked" };
      return saved();
    });
    const board = await opened();
    board.rateColumn(0, "diversity", 1);
    await board.settled();
    expect(board.saveStatus).toBe("error");
    fail = false;
    board.rateColumn(0, "diversity", 3);
    await board.settled();
    expect(board.saveStatus).toBe("saved");
    expect(board.failures).toEqual([]);
    expect(board.scoreOf(board.board!.columns[0]!, "diversity")).toBe(3);
  });

  it("dismissing failures leaves them unsaved", async () => {
    boardBackend(() => {
      throw { code: "internal", message: "nope" };
    });
    const board = await opened();
    board.rateColumn(0, "overall", 3);
    await board.settled();
    board.dismissFailures();
    expect(board.saveStatus).toBe("idle");
    expect(board.scoreOf(board.board!.columns[0]!, "overall")).toBeNull();
  });

  it("when answers cross, the later save (by device_seq) wins", async () => {
    const answers: ReturnType<typeof deferred<Saved>>[] = [];
    boardBackend(() => {
      const d = deferred<Saved>();
      answers.push(d);
      return d.promise;
    });
    const board = await opened();
    board.rateColumn(0, "overall", 2);
    board.rateColumn(0, "overall", 5);
    await flush();
    expect(board.pendingScore("snap-a", "overall")).toBe(5);
    answers[1]!.resolve({ op_id: "b", device_seq: 11, saved_at: 2 });
    answers[0]!.resolve({ op_id: "a", device_seq: 10, saved_at: 1 });
    await board.settled();
    expect(board.scoreOf(board.board!.columns[0]!, "overall")).toBe(5);
    expect(board.saveStatus).toBe("saved");
  });

  it("flags toggle on and off", async () => {
    const calls = boardBackend();
    const board = await opened();
    board.toggleFlag(2, "r14", "great_pick");
    await board.settled();
    expect(board.board!.columns[2]!.items.find((i) => i.item.id === "r14")!.flags).toEqual([
      "great_pick",
    ]);
    board.toggleFlag(2, "r14", "great_pick");
    await board.settled();
    expect(board.board!.columns[2]!.items.find((i) => i.item.id === "r14")!.flags).toEqual([]);
    expect(records(calls).map((r) => r.judgement)).toEqual([
      { kind: "flag", snapshot_id: "snap-c", item_id: "r14", flag: "great_pick", on: true },
      { kind: "flag", snapshot_id: "snap-c", item_id: "r14", flag: "great_pick", on: false },
    ]);
  });

  it("saves the comment only when it changed", async () => {
    const calls = boardBackend();
    const board = await opened();
    expect(await board.saveComment()).toBe(false);
    board.setComment("Too much reality for a first list.");
    expect(board.commentDirty).toBe(true);
    expect(await board.saveComment()).toBe(true);
    expect(board.commentDirty).toBe(false);
    expect(board.board?.comment).toBe("Too much reality for a first list.");
    expect(await board.saveComment()).toBe(false);
    expect(records(calls).map((r) => r.judgement)).toEqual([
      { kind: "comment", text: "Too much reality for a first list." },
    ]);
  });

  it("moving to another persona saves a comment still being typed", async () => {
    const { fake } = reviewBackend();
    const board = await opened();
    board.setComment("Needs more documentaries");
    board.go(1);
    await board.settled();
    await flush();
    expect(board.board?.persona.persona.id).toBe("new-viewer");
    expect(fake.recorded.map((r) => [r.persona_id, r.judgement])).toEqual([
      ["reality-fan", { kind: "comment", text: "Needs more documentaries" }],
    ]);
    expect(board.comment).toBe("");
  });
});

describe("BoardState: focus and keys", () => {
  it("[ ] move between columns and ↑ ↓ between criteria, within bounds", async () => {
    boardBackend();
    const board = await opened();
    expect([board.column, board.criterion]).toEqual([0, 0]);
    expect(key(board, "[")).toBe(false);
    expect(key(board, "]")).toBe(true);
    expect(key(board, "]")).toBe(true);
    expect(key(board, "]")).toBe(false);
    expect(board.column).toBe(2);
    expect(key(board, "ArrowUp")).toBe(false);
    for (let i = 0; i < 4; i++) key(board, "ArrowDown");
    expect(key(board, "ArrowDown")).toBe(false);
    expect(board.criterionName).toBe("overall");
  });

  it("a number rates the focused column on the focused criterion", async () => {
    const calls = boardBackend();
    const board = await opened();
    key(board, "]");
    key(board, "ArrowDown");
    key(board, "ArrowDown");
    key(board, "2");
    await board.settled();
    expect(records(calls)[0]?.judgement).toEqual({
      kind: "rating",
      snapshot_id: "snap-b",
      criterion: "freshness",
      score: 2,
    });
  });

  it("clicking a rating moves the focus there", async () => {
    boardBackend();
    const board = await opened();
    board.rateColumn(2, "editorial quality", 5);
    expect([board.column, board.criterionName]).toEqual([2, "editorial quality"]);
  });

  it("? opens the help, which takes no other key until Esc closes it", async () => {
    const calls = boardBackend();
    const board = await opened();
    expect(key(board, "Escape")).toBe(false);
    expect(key(board, "?")).toBe(true);
    expect(board.helpOpen).toBe(true);
    expect(key(board, "3")).toBe(false);
    expect(key(board, "Escape")).toBe(true);
    expect(board.helpOpen).toBe(false);
    expect(records(calls)).toEqual([]);
  });
});

describe("BoardState: preference", () => {
  it("letters build a best-to-worst order over three lists, saved once complete", async () => {
    const calls = boardBackend();
    const board = await opened();
    key(board, "b");
    expect(board.draftText).toBe("B > …");
    expect(board.draftRankOf("snap-b")).toBe(1);
    expect(records(calls)).toEqual([]);
    key(board, "c");
    expect(board.draft).toEqual([]);
    await board.settled();
    expect(records(calls).map((r) => r.judgement)).toEqual([
      {
        kind: "preference",
        preference: { ranking: ["snap-b", "snap-c", "snap-a"], tie: false, all_bad: false },
      },
    ]);
    expect(board.preferenceText).toBe("B > C > A");
    expect(board.rankOf("snap-a")).toBe(3);
  });

  it("Backspace clears the order being built", async () => {
    const calls = boardBackend();
    const board = await opened();
    key(board, "a");
    expect(key(board, "Backspace")).toBe(true);
    expect(board.draft).toEqual([]);
    expect(key(board, "Backspace")).toBe(false);
    expect(key(board, "d")).toBe(false); // there is no fourth list
    expect(records(calls)).toEqual([]);
  });

  it("t is a tie and x is all bad", async () => {
    const calls = boardBackend();
    const board = await opened();
    key(board, "a");
    key(board, "t");
    expect(board.draft).toEqual([]);
    await board.settled();
    expect(board.preferenceText).toBe("Tie");
    key(board, "x");
    await board.settled();
    expect(board.preferenceText).toBe("All bad");
    expect(records(calls).map((r) => r.judgement)).toEqual([
      {
        kind: "preference",
        preference: { ranking: ["snap-a", "snap-b", "snap-c"], tie: true, all_bad: false },
      },
      {
        kind: "preference",
        preference: { ranking: ["snap-a", "snap-b", "snap-c"], tie: false, all_bad: true },
      },
    ]);
  });

  it("with two lists one letter is the choice", async () => {
    const two = buildBoard({ columns: BOARD_COLUMNS.slice(0, 2) });
    const calls = mockBackend({
      get_board: () => two,
      record_judgement: () => saved(),
    });
    const board = await opened();
    key(board, "b");
    await board.settled();
    expect(records(calls)[0]?.judgement).toEqual({
      kind: "preference",
      preference: { ranking: ["snap-b", "snap-a"], tie: false, all_bad: false },
    });
    expect(board.preferenceText).toBe("B > A");
  });

  it("a preference counts the persona as done, once", async () => {
    reviewBackend();
    const board = await opened();
    expect(board.done).toBe(0);
    board.tie();
    await board.settled();
    expect(board.done).toBe(1);
    board.allBad();
    await board.settled();
    expect(board.done).toBe(1);
  });
});

describe("BoardState: reveal", () => {
  it("Enter reveals the names once a preference is saved, and the lists lock", async () => {
    const { calls } = reviewBackend();
    const board = await opened();
    expect(board.canReveal).toBe(false);
    expect(key(board, "Enter")).toBe(false);
    key(board, "a");
    key(board, "b");
    await board.settled();
    expect(board.canReveal).toBe(true);
    expect(key(board, "Enter")).toBe(true);
    await flush();
    await flush();
    expect(calls.at(-1)).toEqual({
      command: "reveal_persona",
      args: { sessionId: "s1", personaId: "reality-fan" },
    });
    expect(board.board?.revealed).toBe(true);
    expect(board.board?.columns.map((c) => c.candidate?.name)).toEqual(
      CANDIDATES.slice(0, 3).map((c) => c.name),
    );
    expect(board.board?.preference?.ranking).toEqual([
      "reality-fan:ease",
      "reality-fan:popularity",
      "reality-fan:random",
    ]);
    expect(board.locked).toBe(true);
    expect(board.canReveal).toBe(false);
    expect(key(board, "3")).toBe(false);
    expect(key(board, "t")).toBe(false);
  });

  it("waits for judgements being saved, so the revealed board holds them", async () => {
    const answer = deferred<Saved>();
    let first = true;
    const calls = mockBackend({
      get_board: () => ({ ...BOARD, preference: { ranking: [], tie: true, all_bad: false } }),
      record_judgement: () => {
        if (!first) return saved();
        first = false;
        return answer.promise;
      },
      reveal_persona: () => ({ ...BOARD, revealed: true }),
    });
    const board = await opened();
    board.rateColumn(0, "overall", 4);
    const revealing = board.reveal();
    await flush();
    expect(board.revealing).toBe(true);
    expect(calls.map((c) => c.command)).not.toContain("reveal_persona");
    answer.resolve(saved());
    expect(await revealing).toBe(true);
    expect(calls.map((c) => c.command).at(-1)).toBe("reveal_persona");
  });

  it("a failed reveal keeps the names hidden and says why", async () => {
    mockBackend({
      get_board: () => ({ ...BOARD, preference: { ranking: [], tie: true, all_bad: false } }),
      reveal_persona: () => {
        throw { code: "invalid_input", message: "give a preference before revealing" };
      },
    });
    const board = await opened();
    expect(await board.reveal()).toBe(false);
    expect(board.revealError?.code).toBe("invalid_input");
    expect(board.board?.revealed).toBe(false);
  });
});
