/**
 * The board's keyboard map: which key does what. Pure (no DOM events, no state), so the map is
 * tested on its own and the help overlay lists exactly what the code does.
 */

/** What a key asks the board to do. */
export type KeyAction =
  | { type: "rate"; score: 1 | 2 | 3 | 4 | 5 }
  | { type: "column"; delta: -1 | 1 }
  | { type: "criterion"; delta: -1 | 1 }
  /** Add the column at `column` (0-based: `a` is the first) to the preference. */
  | { type: "prefer"; column: number }
  | { type: "tie" }
  | { type: "all-bad" }
  | { type: "clear-preference" }
  | { type: "reveal" }
  | { type: "persona"; delta: -1 | 1 }
  | { type: "help" }
  | { type: "close" };

/** The parts of a `KeyboardEvent` the map looks at. */
export type KeyInput = {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
};

const SCORES = { "1": 1, "2": 2, "3": 3, "4": 4, "5": 5 } as const;
const COLUMNS = ["a", "b", "c", "d"];

/**
 * The action for a key press, or `null` when the board does not use the key. Shortcuts with
 * Ctrl, ⌘ or Alt belong to the system and the text fields (Ctrl+Enter saves a comment), so
 * they never map; Shift does not matter (`A` is `a`, `?` is Shift+/).
 */
export function actionForKey(input: KeyInput): KeyAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  const key = input.key;
  if (Object.hasOwn(SCORES, key))
    return { type: "rate", score: SCORES[key as keyof typeof SCORES] };
  const letter = key.length === 1 ? key.toLowerCase() : key;
  const column = COLUMNS.indexOf(letter);
  if (column >= 0) return { type: "prefer", column };
  switch (letter) {
    case "[":
      return { type: "column", delta: -1 };
    case "]":
      return { type: "column", delta: 1 };
    case "ArrowUp":
      return { type: "criterion", delta: -1 };
    case "ArrowDown":
      return { type: "criterion", delta: 1 };
    case "ArrowLeft":
      return { type: "persona", delta: -1 };
    case "ArrowRight":
      return { type: "persona", delta: 1 };
    case "t":
      return { type: "tie" };
    case "x":
      return { type: "all-bad" };
    case "Backspace":
      return { type: "clear-preference" };
    case "Enter":
      return { type: "reveal" };
    case "?":
      return { type: "help" };
    case "Escape":
    case "Esc":
      return { type: "close" };
    default:
      return null;
  }
}

/**
 * Whether a key press at `target` belongs to the element rather than to the board: anything
 * typed into a text field, select or editable region. (Buttons keep Enter and Space too: see
 * {@link isActivation}.)
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    // Checkboxes, radios and buttons take no text; the board may use keys pressed on them.
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color"].includes(
      target.type,
    );
  }
  return false;
}

/** Enter or Space on a focused button or link activates it; the board must not act as well. */
export function isActivation(input: KeyInput, target: EventTarget | null): boolean {
  if (input.key !== "Enter" && input.key !== " ") return false;
  return target instanceof HTMLElement && target.closest("button, a[href], summary") !== null;
}

/** One row of the help overlay. */
export type Shortcut = { keys: string[]; what: string };

/** Every shortcut, grouped as the help overlay shows them. */
export const SHORTCUTS: { group: string; shortcuts: Shortcut[] }[] = [
  {
    group: "Rate",
    shortcuts: [
      { keys: ["1", "2", "3", "4", "5"], what: "Rate the focused column on the focused criterion" },
      { keys: ["[", "]"], what: "Focus the previous / next column" },
      { keys: ["↑", "↓"], what: "Focus the previous / next criterion" },
    ],
  },
  {
    group: "Prefer",
    shortcuts: [
      {
        keys: ["a", "b", "c", "d"],
        what: "Choose that column (2 lists) or add it to the best-to-worst order (3–4 lists)",
      },
      { keys: ["t"], what: "The lists are a tie" },
      { keys: ["x"], what: "All lists are bad" },
      { keys: ["Backspace"], what: "Clear the order being built" },
      { keys: ["Enter"], what: "Submit & reveal the names (blind sessions, once preferred)" },
    ],
  },
  {
    group: "Move",
    shortcuts: [
      { keys: ["←", "→"], what: "Previous / next persona" },
      { keys: ["?"], what: "Show or hide this help" },
      { keys: ["Esc"], what: "Close this help; leave the comment box" },
      { keys: ["Ctrl", "Enter"], what: "Save the comment (it also saves when you leave the box)" },
    ],
  },
];

/**
 * After a pointer click on a board control, gives the focus back to the page, so that the next
 * Enter means "submit & reveal" rather than clicking that control again. A click from the
 * keyboard (Enter or Space, `detail` 0) keeps the focus where the user put it.
 */
export function releasePointerFocus(e: MouseEvent): void {
  if (e.detail > 0 && e.currentTarget instanceof HTMLElement) e.currentTarget.blur();
}
