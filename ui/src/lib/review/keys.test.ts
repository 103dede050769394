import { describe, expect, it } from "vitest";

import { SHORTCUTS, actionForKey, isActivation, isTypingTarget, releasePointerFocus } from "./keys";

describe("actionForKey", () => {
  it("maps 1–5 to ratings", () => {
    for (const score of [1, 2, 3, 4, 5] as const) {
      expect(actionForKey({ key: String(score) })).toEqual({ type: "rate", score });
    }
    expect(actionForKey({ key: "0" })).toBeNull();
    expect(actionForKey({ key: "6" })).toBeNull();
  });

  it("maps brackets to columns and up/down to criteria", () => {
    expect(actionForKey({ key: "[" })).toEqual({ type: "column", delta: -1 });
    expect(actionForKey({ key: "]" })).toEqual({ type: "column", delta: 1 });
    expect(actionForKey({ key: "ArrowUp" })).toEqual({ type: "criterion", delta: -1 });
    expect(actionForKey({ key: "ArrowDown" })).toEqual({ type: "criterion", delta: 1 });
  });

  it("maps a–d to columns of the preference, in either case", () => {
    expect(actionForKey({ key: "a" })).toEqual({ type: "prefer", column: 0 });
    expect(actionForKey({ key: "b" })).toEqual({ type: "prefer", column: 1 });
    expect(actionForKey({ key: "C" })).toEqual({ type: "prefer", column: 2 });
    expect(actionForKey({ key: "d" })).toEqual({ type: "prefer", column: 3 });
    expect(actionForKey({ key: "e" })).toBeNull();
  });

  it("maps the preference, reveal, persona, help and close keys", () => {
    expect(actionForKey({ key: "t" })).toEqual({ type: "tie" });
    expect(actionForKey({ key: "x" })).toEqual({ type: "all-bad" });
    expect(actionForKey({ key: "Backspace" })).toEqual({ type: "clear-preference" });
    expect(actionForKey({ key: "Enter" })).toEqual({ type: "reveal" });
    expect(actionForKey({ key: "ArrowLeft" })).toEqual({ type: "persona", delta: -1 });
    expect(actionForKey({ key: "ArrowRight" })).toEqual({ type: "persona", delta: 1 });
    expect(actionForKey({ key: "?" })).toEqual({ type: "help" });
    expect(actionForKey({ key: "Escape" })).toEqual({ type: "close" });
  });

  it("leaves shortcuts with Ctrl, ⌘ or Alt to the system", () => {
    expect(actionForKey({ key: "a", ctrlKey: true })).toBeNull();
    expect(actionForKey({ key: "Enter", ctrlKey: true })).toBeNull();
    expect(actionForKey({ key: "1", metaKey: true })).toBeNull();
    expect(actionForKey({ key: "ArrowLeft", altKey: true })).toBeNull();
  });

  it("ignores keys it does not know", () => {
    for (const key of ["Tab", "Shift", "q", " ", "F5", "Dead", "ArrowLeftX"]) {
      expect(actionForKey({ key })).toBeNull();
    }
  });

  it("the help lists every mapped key", () => {
    const listed = SHORTCUTS.flatMap((g) => g.shortcuts.flatMap((s) => s.keys));
    for (const key of ["1", "5", "[", "]", "↑", "↓", "a", "d", "t", "x", "Backspace", "Enter"]) {
      expect(listed).toContain(key);
    }
    for (const key of ["←", "→", "?", "Esc"]) expect(listed).toContain(key);
  });
});

describe("isTypingTarget", () => {
  it("is true in text fields, text areas, selects and editable regions", () => {
    const input = document.createElement("input");
    const search = Object.assign(document.createElement("input"), { type: "search" });
    const number = Object.assign(document.createElement("input"), { type: "number" });
    const editable = document.createElement("div");
    editable.contentEditable = "true";
    // jsdom does not compute isContentEditable; a browser does.
    Object.defineProperty(editable, "isContentEditable", { value: true });
    for (const el of [
      input,
      search,
      number,
      document.createElement("textarea"),
      document.createElement("select"),
      editable,
    ]) {
      expect(isTypingTarget(el)).toBe(true);
    }
  });

  it("is false on buttons, checkboxes, the page and nothing", () => {
    const checkbox = Object.assign(document.createElement("input"), { type: "checkbox" });
    expect(isTypingTarget(checkbox)).toBe(false);
    expect(isTypingTarget(document.createElement("button"))).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget(window)).toBe(false);
  });
});

describe("isActivation", () => {
  it("is Enter or Space on a button (or inside one)", () => {
    const button = document.createElement("button");
    const inner = document.createElement("span");
    button.append(inner);
    expect(isActivation({ key: "Enter" }, button)).toBe(true);
    expect(isActivation({ key: " " }, inner)).toBe(true);
    expect(isActivation({ key: "a" }, button)).toBe(false);
    expect(isActivation({ key: "Enter" }, document.body)).toBe(false);
  });
});

describe("releasePointerFocus", () => {
  it("blurs a control clicked with the pointer, not one activated from the keyboard", () => {
    const button = document.createElement("button");
    document.body.append(button);
    const click = (detail: number) => {
      button.focus();
      button.addEventListener("click", releasePointerFocus, { once: true });
      button.dispatchEvent(new MouseEvent("click", { detail }));
      return document.activeElement === button;
    };
    expect(click(0)).toBe(true);
    expect(click(1)).toBe(false);
    button.remove();
  });
});
