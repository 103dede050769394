import { afterEach, describe, expect, it } from "vitest";

import type { Persona } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { ITEMS, T0, detailOf } from "../testing/fixtures";
import { libraryBackend } from "../testing/libraryBackend";
import { PersonaEditor, parseTags } from "./editor.svelte";
import { toLocalInput } from "./time";

afterEach(clearBackend);

const [LOVE, PLANET, NIGHT] = [ITEMS[0]!, ITEMS[1]!, ITEMS[2]!];

/** The persona sent by the last `save_persona` call. */
function sent(calls: { command: string; args: Record<string, unknown> }[]): Persona {
  return calls.filter((c) => c.command === "save_persona").at(-1)!.args.persona as Persona;
}

describe("parseTags", () => {
  it("splits on commas, trims, and keeps each tag once", () => {
    expect(parseTags(" reality, Evenings ,, reality ,evenings, late  night")).toEqual([
      "reality",
      "Evenings",
      "late night",
    ]);
    expect(parseTags("")).toEqual([]);
  });
});

describe("PersonaEditor", () => {
  it("starts empty for a new persona", () => {
    const editor = new PersonaEditor();
    expect(editor.editing).toBe(false);
    expect(editor.rows).toEqual([]);
    expect(editor.persona()).toEqual({
      id: "",
      name: "",
      description: "",
      tags: [],
      history: [],
      external_user_ids: {},
    });
  });

  it("edits a copy of a persona's detail, its history newest first", () => {
    const detail = detailOf("reality-fan")!;
    const editor = new PersonaEditor(detail);
    expect(editor.editing).toBe(true);
    expect(editor.name).toBe("Reality TV fan");
    expect(editor.tagsText).toBe("reality, evenings");
    expect(editor.rows.map((r) => [r.item.title, r.timestamp])).toEqual([
      ["The Long Night", T0 + 86400],
      ["Island of Love", T0],
    ]);
    // Unchanged, it sends back what it was given.
    expect(editor.persona()).toEqual(detail.persona);
  });

  it("adds titles watched now and removes them", () => {
    const editor = new PersonaEditor();
    const now = Date.UTC(2026, 10, 28, 20, 15, 42);
    editor.add(PLANET, now - 60_000);
    editor.add(NIGHT, now);
    expect(editor.rows.map((r) => [r.item.id, r.timestamp, r.event_type])).toEqual([
      [NIGHT.id, Math.floor(now / 1000), "watch"],
      [PLANET.id, Math.floor(now / 1000) - 60, "watch"],
    ]);
    editor.remove(editor.rows[0]!.key);
    expect(editor.rows.map((r) => r.item.id)).toEqual([PLANET.id]);
  });

  it("keeps the same title twice as two entries", () => {
    const editor = new PersonaEditor();
    editor.add(LOVE, 1_000_000);
    editor.add(LOVE, 2_000_000);
    expect(editor.rows).toHaveLength(2);
    editor.remove(editor.rows[1]!.key);
    expect(editor.rows.map((r) => r.timestamp)).toEqual([2000]);
  });

  it("a changed time (local) re-sorts the history and is sent in Unix seconds, oldest first", () => {
    const editor = new PersonaEditor(detailOf("reality-fan")!);
    const older = editor.rows.find((r) => r.item.id === LOVE.id)!;
    // Island of Love moves to two days after The Long Night, 21:45 local time.
    const local = toLocalInput(T0 + 3 * 86400).slice(0, 11) + "21:45";
    editor.setTime(older.key, local);
    const expected = new Date(`${local}:00`).getTime() / 1000;
    expect(editor.rows.map((r) => [r.item.title, r.timestamp])).toEqual([
      ["Island of Love", expected],
      ["The Long Night", T0 + 86400],
    ]);
    expect(editor.persona().history).toEqual([
      { item_id: NIGHT.id, timestamp: T0 + 86400, event_type: "watch" },
      { item_id: LOVE.id, timestamp: expected, event_type: "watch" },
    ]);
  });

  it("an unreadable time is a problem, keeps the last good time, and blocks saving", async () => {
    const { calls } = libraryBackend();
    const editor = new PersonaEditor(detailOf("reality-fan")!);
    const row = editor.rows[0]!;
    editor.setTime(row.key, "");
    expect(editor.rows[0]).toMatchObject({ key: row.key, timestamp: row.timestamp, badTime: true });
    expect(editor.problems).toEqual(["Entry 1 (The Long Night): enter a date and time."]);
    expect(await editor.save()).toBeNull();
    expect(calls.some((c) => c.command === "save_persona")).toBe(false);
    editor.setTime(row.key, toLocalInput(row.timestamp));
    expect(editor.problems).toEqual([]);
  });

  it("saves the trimmed fields, parsed tags and event types", async () => {
    const { calls } = libraryBackend();
    const editor = new PersonaEditor();
    editor.name = "  Late-night documentaries ";
    editor.description = " Watches after midnight. ";
    editor.tagsText = "documentary, night, Documentary";
    editor.add(PLANET, T0 * 1000);
    editor.add(NIGHT, (T0 + 3600) * 1000);
    editor.setEventType(editor.rows[0]!.key, " rewatch ");
    editor.setEventType(editor.rows[1]!.key, "  ");
    const saved = await editor.save();
    expect(sent(calls)).toEqual({
      id: "",
      name: "Late-night documentaries",
      description: "Watches after midnight.",
      tags: ["documentary", "night"],
      history: [
        { item_id: PLANET.id, timestamp: T0, event_type: "watch" },
        { item_id: NIGHT.id, timestamp: T0 + 3600, event_type: "rewatch" },
      ],
      external_user_ids: {},
    });
    expect(saved?.persona.id).toBe("late-night-documentaries");
    expect(editor.error).toBeNull();
  });

  it("keeps the id and the external user ids of an edited persona", async () => {
    const { calls } = libraryBackend();
    const detail = detailOf("reality-fan")!;
    detail.persona.external_user_ids = { "partner-api": "u-881" };
    const editor = new PersonaEditor(detail);
    editor.name = "Reality fan (evenings)";
    await editor.save();
    expect(sent(calls)).toMatchObject({
      id: "reality-fan",
      name: "Reality fan (evenings)",
      external_user_ids: { "partner-api": "u-881" },
    });
  });

  it("shows the backend's refusal as it is", async () => {
    libraryBackend();
    const editor = new PersonaEditor();
    editor.add(PLANET);
    expect(await editor.save()).toBeNull();
    expect(editor.error?.code).toBe("invalid_input");
    expect(editor.error?.message).toBe('field "name": give the persona a name');
  });

  it("is busy while saving and saves once at a time", async () => {
    const answer = deferred<unknown>();
    const { calls } = libraryBackend({ save_persona: () => answer.promise });
    const editor = new PersonaEditor(detailOf("new-viewer")!);
    const saving = editor.save();
    expect(editor.saving).toBe(true);
    expect(await editor.save()).toBeNull();
    answer.resolve(detailOf("new-viewer"));
    expect(await saving).toEqual(detailOf("new-viewer"));
    expect(editor.saving).toBe(false);
    expect(calls.filter((c) => c.command === "save_persona")).toHaveLength(1);
  });
});
