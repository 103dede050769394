import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";

import type { Saved } from "../lib/ipc";
import { clearBackend } from "../lib/ipc/mock";
import { BoardState } from "../lib/review/board.svelte";
import { deferred } from "../lib/testing/async";
import { all } from "../lib/testing/dom";
import {
  CANDIDATES,
  HTTP_CANDIDATES,
  LONG_HTTP_ERROR,
  SESSION,
  UNKNOWN_ID,
} from "../lib/testing/fixtures";
import { reviewBackend } from "../lib/testing/reviewBackend";
import BoardView from "./BoardView.svelte";

afterEach(clearBackend);

function column(label: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(
    `[data-testid="board-column"][data-label="${label}"]`,
  );
  if (!el) throw new Error(`no column ${label}`);
  return el;
}

function ratingButton(label: string, criterion: string, score: number): HTMLElement {
  const el = column(label).querySelector<HTMLElement>(
    `[data-testid="rating"][data-criterion="${criterion}"] [data-score="${score}"]`,
  );
  if (!el) throw new Error(`no rating button ${label}/${criterion}/${score}`);
  return el;
}

async function renderBoard(session = SESSION) {
  const board = new BoardState(session);
  render(BoardView, { board, onclose: () => {} });
  await board.open(0);
  await screen.findAllByTestId("board-column");
  return board;
}

const press = (key: string, target: Element = document.body) => fireEvent.keyDown(target, { key });

describe("BoardView", () => {
  it("shows three blind columns of ten items with indicators, ratings and marks", async () => {
    reviewBackend();
    await renderBoard();
    expect(all("board-column").map((c) => c.dataset.label)).toEqual(["A", "B", "C"]);
    expect(all("column-candidate")).toHaveLength(0);
    for (const c of all("board-column")) {
      expect(all("board-item", c)).toHaveLength(10);
      expect(all("column-indicators", c)).toHaveLength(1);
      expect(all("rating", c).map((r) => r.dataset.criterion)).toEqual([
        "relevance",
        "diversity",
        "freshness",
        "editorial quality",
        "overall",
      ]);
      expect(all("rating-button", c)).toHaveLength(25);
    }
    const seen = column("A").querySelector<HTMLElement>('[data-item-id="i1"]')!;
    expect(seen.dataset.seen).toBe("true");
    expect(within(seen).getByTestId("item-seen")).toBeTruthy();
    expect(within(seen).getByTestId("item-reason").textContent).toContain("Because you watched");
    const shared = column("A").querySelector<HTMLElement>('[data-item-id="r01"]')!;
    expect(within(shared).getByTestId("item-shared").textContent?.trim()).toBe("×2");
    expect(all("item-flag", shared).map((f) => f.dataset.flag)).toEqual([
      "great_pick",
      "wrong_for_persona",
      "already_seen",
      "inappropriate",
      "duplicate_franchise",
      "stale",
    ]);
    expect(screen.getByTestId("persona-position").textContent?.trim()).toBe("1 / 2");
    expect(screen.getByTestId("save-state").textContent).toContain("No changes yet");
    expect(screen.getByTestId("history-panel")).toBeTruthy();
    expect(all("history-entry")).toHaveLength(2);
  });

  it("keys rate the focused column; the score shows once saved, 'Saving…' until then", async () => {
    const answer = deferred<Saved>();
    const { fake } = reviewBackend({
      record_judgement: (args) =>
        answer.promise.then(() => fake.handlers().record_judgement!(args)),
    });
    await renderBoard();
    await press("]");
    await press("ArrowDown");
    expect(column("B").classList.contains("focused")).toBe(true);
    expect(
      column("B").querySelector('[data-criterion="diversity"]')!.classList.contains("focused"),
    ).toBe(true);
    await press("4");
    await waitFor(() => expect(screen.getByTestId("save-state").textContent).toContain("Saving…"));
    expect(screen.getByTestId("save-state").textContent).not.toContain("Saved");
    expect(ratingButton("B", "diversity", 4).getAttribute("aria-pressed")).toBe("false");
    answer.resolve({ op_id: "", device_seq: 0, saved_at: 0 });
    await waitFor(() => expect(screen.getByTestId("save-state").textContent).toContain("Saved"));
    expect(ratingButton("B", "diversity", 4).getAttribute("aria-pressed")).toBe("true");
    expect(fake.recorded.map((r) => r.judgement)).toEqual([
      { kind: "rating", snapshot_id: "reality-fan:popularity", criterion: "diversity", score: 4 },
    ]);
  });

  it("a failed save shows the error, never 'Saved', and Retry saves it", async () => {
    let fail = true;
    const { fake } = reviewBackend({
      record_judgement: (args) => {
        if (fail) throw { code: "internal", message: "disk I/O error" };
        return fake.handlers().record_judgement!(args);
      },
    });
    await renderBoard();
    await fireEvent.click(ratingButton("C", "overall", 2));
    const state = screen.getByTestId("save-state");
    await waitFor(() => expect(state.textContent).toContain("disk I/O error"));
    expect(state.textContent).toContain("internal");
    expect(state.textContent).not.toContain("Saved");
    expect(ratingButton("C", "overall", 2).getAttribute("aria-pressed")).toBe("false");
    expect(screen.getByTestId("board-close").hasAttribute("disabled")).toBe(true);
    fail = false;
    await fireEvent.click(screen.getByTestId("save-retry"));
    await waitFor(() => expect(state.textContent).toContain("Saved"));
    expect(ratingButton("C", "overall", 2).getAttribute("aria-pressed")).toBe("true");
  });

  it("keys typed in the comment box stay there; leaving it saves the comment", async () => {
    const { fake } = reviewBackend();
    await renderBoard();
    const box = screen.getByTestId("comment") as HTMLTextAreaElement;
    box.focus();
    await fireEvent.input(box, { target: { value: "3 reality shows in a row" } });
    await press("3", box);
    await press("a", box);
    expect(fake.recorded).toEqual([]);
    await fireEvent.blur(box);
    await waitFor(() => expect(fake.recorded).toHaveLength(1));
    expect(fake.recorded[0]?.judgement).toEqual({
      kind: "comment",
      text: "3 reality shows in a row",
    });
  });

  it("Ctrl+Enter saves the comment", async () => {
    const { fake } = reviewBackend();
    await renderBoard();
    const box = screen.getByTestId("comment");
    await fireEvent.input(box, { target: { value: "Good mix" } });
    await fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(fake.recorded).toHaveLength(1));
  });

  it("clicking lists builds the order, then Submit & reveal shows the names", async () => {
    const { calls } = reviewBackend();
    await renderBoard();
    const reveal = screen.getByTestId("reveal");
    expect(reveal.hasAttribute("disabled")).toBe(true);
    await fireEvent.click(screen.getByTestId("prefer-B"));
    expect(screen.getByTestId("preference-text").textContent).toBe("B > …");
    expect(screen.getByTestId("preference-clear")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("prefer-C"));
    await waitFor(() =>
      expect(screen.getByTestId("preference-text").textContent).toBe("B > C > A"),
    );
    expect(screen.getByTestId("progress").getAttribute("aria-valuenow")).toBe("1");
    await waitFor(() => expect(reveal.hasAttribute("disabled")).toBe(false));
    await press("Enter");
    await waitFor(() => expect(all("column-candidate")).toHaveLength(3));
    expect(all("column-candidate").map((c) => c.textContent)).toEqual(
      CANDIDATES.slice(0, 3).map((c) => c.name),
    );
    expect(screen.queryByTestId("reveal")).toBeNull();
    expect(calls.map((c) => c.command)).toContain("reveal_persona");
    // Judged blind: the lists are final once the names are shown.
    expect(ratingButton("A", "overall", 3).hasAttribute("disabled")).toBe(true);
  });

  it("letters, t and x set the preference from the keyboard; Backspace clears a draft", async () => {
    const { fake } = reviewBackend();
    await renderBoard();
    await press("c");
    expect(screen.getByTestId("preference-text").textContent).toBe("C > …");
    await press("Backspace");
    expect(screen.queryByTestId("preference-clear")).toBeNull();
    await press("t");
    await waitFor(() => expect(screen.getByTestId("preference-text").textContent).toBe("Tie"));
    await press("x");
    await waitFor(() => expect(screen.getByTestId("preference-text").textContent).toBe("All bad"));
    expect(fake.recorded.map((r) => r.judgement.kind)).toEqual(["preference", "preference"]);
  });

  it("flags toggle on an item", async () => {
    const { fake } = reviewBackend();
    await renderBoard();
    const tile = column("A").querySelector<HTMLElement>('[data-item-id="r05"]')!;
    const flag = tile.querySelector<HTMLElement>('[data-flag="wrong_for_persona"]')!;
    await fireEvent.click(flag);
    await waitFor(() => expect(flag.getAttribute("aria-pressed")).toBe("true"));
    expect(fake.recorded[0]?.judgement).toEqual({
      kind: "flag",
      snapshot_id: "reality-fan:ease",
      item_id: "r05",
      flag: "wrong_for_persona",
      on: true,
    });
  });

  it("? opens the help, Esc closes it", async () => {
    reviewBackend();
    await renderBoard();
    expect(screen.queryByTestId("help-overlay")).toBeNull();
    await press("?");
    const help = await screen.findByTestId("help-overlay");
    expect(help.textContent).toContain("Submit & reveal");
    await press("Escape");
    await waitFor(() => expect(screen.queryByTestId("help-overlay")).toBeNull());
    await fireEvent.click(screen.getByTestId("help-toggle"));
    expect(screen.getByTestId("help-overlay")).toBeTruthy();
  });

  it("the history panel folds away", async () => {
    reviewBackend();
    await renderBoard();
    await fireEvent.click(screen.getByTestId("history-toggle"));
    expect(screen.queryByTestId("history-panel")).toBeNull();
    expect(screen.getByTestId("history-toggle").getAttribute("aria-expanded")).toBe("false");
  });

  it("→ and the Next button move to the next persona", async () => {
    reviewBackend();
    await renderBoard();
    expect(screen.getByTestId("persona-prev").hasAttribute("disabled")).toBe(true);
    await press("ArrowRight");
    await waitFor(() =>
      expect(screen.getByTestId("persona-position").textContent?.trim()).toBe("2 / 2"),
    );
    expect(screen.getByTestId("board-persona").textContent).toBe("New viewer");
    expect(screen.getByTestId("persona-next").hasAttribute("disabled")).toBe(true);
    expect(all("board-column").map((c) => c.dataset.label)).toEqual(["A", "B", "C"]);
    await fireEvent.click(screen.getByTestId("persona-prev"));
    await waitFor(() =>
      expect(screen.getByTestId("persona-position").textContent?.trim()).toBe("1 / 2"),
    );
  });

  it("a candidate that failed shows its error instead of items", async () => {
    const session = {
      ...SESSION,
      candidates: [CANDIDATES[0]!, CANDIDATES[4]!],
      summary: { ...SESSION.summary, blind: false, candidate_count: 2 },
    };
    reviewBackend({}, [session]);
    await renderBoard(session);
    expect(all("board-column").map((c) => c.dataset.label)).toEqual([
      "EASE (λ 250)",
      "Partner API",
    ]);
    const failed = column("Partner API");
    expect(within(failed).getByTestId("column-error").textContent).toContain("connection refused");
    expect(all("board-item", failed)).toHaveLength(0);
    expect(screen.queryByTestId("reveal")).toBeNull();
    expect(screen.getByTestId("prefer-EASE (λ 250)")).toBeTruthy();
  });

  it("a long HTTP error reads as its status, with the body apart in a scroll box", async () => {
    const session = {
      ...SESSION,
      candidates: [CANDIDATES[0]!, HTTP_CANDIDATES[1]!],
      summary: { ...SESSION.summary, blind: false, candidate_count: 2 },
    };
    reviewBackend({}, [session]);
    await renderBoard(session);
    const error = within(column("Flaky API")).getByTestId("column-error");
    expect(within(error).getByTestId("column-error-message").textContent).toBe(
      "HTTP 503 Service Unavailable",
    );
    const body = within(error).getByTestId("column-error-body");
    expect(body.textContent).toBe(LONG_HTTP_ERROR.slice("HTTP 503 Service Unavailable: ".length));
    expect(error.getAttribute("title")).toBe(LONG_HTTP_ERROR);
  });

  it("warnings show as a count with the lines on hover and on click; other columns keep the line", async () => {
    const session = {
      ...SESSION,
      candidates: [CANDIDATES[0]!, HTTP_CANDIDATES[0]!],
      summary: { ...SESSION.summary, blind: false, candidate_count: 2 },
    };
    reviewBackend({}, [session]);
    await renderBoard(session);
    const warned = column("Two-tower v3");
    const warnings = within(warned).getByTestId("column-warnings") as HTMLDetailsElement;
    const toggle = within(warnings).getByTestId("column-warnings-toggle");
    expect(toggle.textContent).toContain("3 warnings");
    expect(toggle.textContent).toContain(`1 item id(s) not in the catalog, shown as unknown`);
    expect(toggle.getAttribute("title")?.split("\n")).toEqual([
      `1 item id(s) not in the catalog, shown as unknown: "${UNKNOWN_ID}"`,
      '2 repeated item id(s) removed: "r01", "r05"',
      "12 items returned for k = 10; the list is cut to 10",
    ]);
    expect(warnings.open).toBe(false);
    await fireEvent.click(toggle);
    expect(warnings.open).toBe(true);
    expect(all("column-warning", warned).map((w) => w.textContent)).toHaveLength(3);
    // EASE has none: no warnings, but the same space, so the scales line up.
    expect(within(column("EASE (λ 250)")).queryByTestId("column-warnings")).toBeNull();
    expect(column("EASE (λ 250)").querySelector(".warnings-space")).not.toBeNull();
  });

  it("an id the catalog lacks is an 'Unknown item' tile with the id", async () => {
    const session = {
      ...SESSION,
      candidates: [CANDIDATES[0]!, HTTP_CANDIDATES[0]!],
      summary: { ...SESSION.summary, blind: false, candidate_count: 2 },
    };
    reviewBackend({}, [session]);
    await renderBoard(session);
    const tile = column("Two-tower v3").querySelector<HTMLElement>(
      `[data-item-id="${UNKNOWN_ID}"]`,
    )!;
    expect(tile.dataset.known).toBe("false");
    expect(within(tile).getByTestId("item-unknown").textContent).toBe("Unknown item");
    expect(within(tile).getByTestId("item-unknown-id").textContent).toBe(UNKNOWN_ID);
    expect(within(tile).queryByRole("img")).toBeNull(); // no poster, no content type
    expect(tile.textContent).toContain("which the catalog does not have");
    const known = column("Two-tower v3").querySelector<HTMLElement>('[data-item-id="r01"]')!;
    expect(known.dataset.known).toBe("true");
    expect(within(known).queryByTestId("item-unknown")).toBeNull();
    expect(all("item-unknown", column("EASE (λ 250)"))).toHaveLength(0);
  });

  it("a promotion shows on its item once the names are shown, not while blind", async () => {
    const session = {
      ...SESSION,
      candidates: [CANDIDATES[0]!, HTTP_CANDIDATES[0]!],
      summary: { ...SESSION.summary, candidate_count: 2 },
    };
    reviewBackend({}, [session]);
    const board = await renderBoard(session);
    expect(all("item-promotion")).toHaveLength(0);
    await fireEvent.keyDown(document.body, { key: "a" });
    await waitFor(() => expect(screen.getByTestId("reveal").hasAttribute("disabled")).toBe(false));
    await board.reveal();
    await waitFor(() => expect(all("item-promotion")).toHaveLength(1));
    const promo = all("item-promotion")[0]!;
    expect(promo.textContent?.trim()).toBe("Summer dating push");
    expect(promo.closest<HTMLElement>('[data-testid="board-item"]')?.dataset.itemId).toBe("r05");
    const owner = promo.closest<HTMLElement>('[data-testid="board-column"]')!;
    expect(within(owner).getByTestId("column-candidate").textContent).toBe("Two-tower v3");
  });
});
