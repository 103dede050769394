import { afterEach, describe, expect, it, vi } from "vitest";

import { clearBackend, mockBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { ITEMS, PERSONAS, detailOf, fixtureBackend } from "../testing/fixtures";
import { libraryBackend } from "../testing/libraryBackend";
import { PersonasState } from "./personas.svelte";

afterEach(clearBackend);

describe("PersonasState", () => {
  it("loads the list", async () => {
    fixtureBackend();
    const state = new PersonasState();
    expect(state.listStatus).toBe("idle");
    const loading = state.load();
    expect(state.listStatus).toBe("loading");
    await loading;
    expect(state.listStatus).toBe("ready");
    expect(state.list.map((p) => p.name)).toEqual(["Reality TV fan", "New viewer"]);
  });

  it("surfaces a list error with its code", async () => {
    mockBackend({
      list_personas: () => {
        throw { code: "internal", message: "database is locked" };
      },
    });
    const state = new PersonasState();
    await state.load();
    expect(state.listStatus).toBe("error");
    expect(state.listError?.code).toBe("internal");
    expect(state.listError?.message).toBe("database is locked");
    expect(state.list).toEqual([]);
  });

  it("selecting a persona loads its detail", async () => {
    const calls = fixtureBackend();
    const state = new PersonasState();
    await state.load();
    const selecting = state.select("reality-fan");
    expect(state.selected?.name).toBe("Reality TV fan");
    expect(state.detailStatus).toBe("loading");
    await selecting;
    expect(state.detailStatus).toBe("ready");
    expect(state.detail?.history.map((h) => h.item.title)).toEqual([
      "The Long Night",
      "Island of Love",
    ]);
    expect(calls.at(-1)).toEqual({ command: "get_persona", args: { id: "reality-fan" } });
  });

  it("surfaces a detail error and keeps the selection", async () => {
    fixtureBackend();
    const state = new PersonasState();
    await state.load();
    await state.select("nobody");
    expect(state.selectedId).toBe("nobody");
    expect(state.detailStatus).toBe("error");
    expect(state.detailError?.code).toBe("not_found");
    expect(state.detail).toBeNull();
  });

  it("keeps only the answer for the latest selection", async () => {
    const slow = deferred<unknown>();
    fixtureBackend({
      get_persona: ({ id }) => (id === "reality-fan" ? slow.promise : detailOf(id as string)),
    });
    const state = new PersonasState();
    await state.load();
    const first = state.select("reality-fan");
    await state.select("new-viewer");
    slow.resolve(detailOf("reality-fan"));
    await first;
    expect(state.selectedId).toBe("new-viewer");
    expect(state.detail?.persona.id).toBe("new-viewer");
  });

  it("deselect clears the detail", async () => {
    fixtureBackend();
    const state = new PersonasState();
    await state.load();
    await state.select(PERSONAS[0]!.id);
    state.deselect();
    expect(state.selected).toBeNull();
    expect(state.detail).toBeNull();
    expect(state.detailStatus).toBe("idle");
  });

  it("a reload keeps the selection when the persona is still listed, and drops it when not", async () => {
    const { fake } = libraryBackend();
    const state = new PersonasState();
    await state.load();
    await state.select("reality-fan");
    await state.load();
    expect(state.selectedId).toBe("reality-fan");
    fake.personas.delete("reality-fan");
    await state.load();
    expect(state.selectedId).toBeNull();
    expect(state.detail).toBeNull();
  });
});

describe("PersonasState: changing personas", () => {
  it("duplicates a persona and selects the copy", async () => {
    const { calls } = libraryBackend();
    const state = new PersonasState();
    await state.load();
    await state.select("reality-fan");
    expect(await state.duplicate("reality-fan")).toBe(true);
    expect(state.selectedId).toBe("reality-tv-fan-copy");
    expect(state.detail?.persona.name).toBe("Reality TV fan (copy)");
    expect(state.list.map((p) => p.name)).toContain("Reality TV fan (copy)");
    // The copy's detail came with the answer: no extra get_persona.
    expect(calls.filter((c) => c.command === "get_persona")).toHaveLength(1);
  });

  it("deletes a persona and clears the selection", async () => {
    libraryBackend();
    const state = new PersonasState();
    await state.load();
    await state.select("new-viewer");
    expect(await state.remove("new-viewer")).toBe(true);
    expect(state.selectedId).toBeNull();
    expect(state.list.map((p) => p.id)).toEqual(["reality-fan"]);
  });

  it("a locked persona cannot be opened in the editor, and deleting it is refused with the reason", async () => {
    const { fake } = libraryBackend();
    fake.lock("reality-fan", "Release v3 vs v2");
    const state = new PersonasState();
    await state.load();
    await state.select("reality-fan");
    expect(state.selected?.sessions).toEqual(["Release v3 vs v2"]);
    expect(state.editSelected()).toBeNull();
    expect(state.panel).toBeNull();
    expect(await state.remove("reality-fan")).toBe(false);
    expect(state.actionError?.message).toMatch(/review session "Release v3 vs v2" uses it/);
    expect(state.selectedId).toBe("reality-fan");
    // A duplicate of it is not locked.
    await state.duplicate("reality-fan");
    expect(state.selected?.sessions).toEqual([]);
    expect(state.editSelected()).not.toBeNull();
  });

  it("saving the editor closes it, reloads the list and selects the saved persona", async () => {
    const { calls } = libraryBackend();
    const state = new PersonasState();
    await state.load();
    await state.select("reality-fan");
    const editor = state.newPersona();
    expect(state.panel).toEqual({ kind: "edit", editor });
    editor.name = "Sunday films";
    editor.add(ITEMS[2]!);
    expect(await state.saveEditor()).toBe(true);
    expect(state.panel).toBeNull();
    expect(state.selectedId).toBe("sunday-films");
    expect(state.detail?.history.map((h) => h.item.title)).toEqual(["The Long Night"]);
    expect(state.list.find((p) => p.id === "sunday-films")?.history_len).toBe(1);
    expect(calls.map((c) => c.command).slice(-2)).toEqual(["save_persona", "list_personas"]);
  });

  it("a refused save keeps the editor open with the error", async () => {
    libraryBackend();
    const state = new PersonasState();
    await state.load();
    const editor = state.newPersona();
    expect(await state.saveEditor()).toBe(false);
    expect(state.panel?.kind).toBe("edit");
    expect(editor.error?.message).toBe('field "name": give the persona a name');
  });

  it("one form at a time: opening another closes the editor", async () => {
    libraryBackend();
    const state = new PersonasState();
    await state.load();
    state.newPersona();
    const form = state.exportFile();
    expect(state.panel).toEqual({ kind: "export", form });
    state.closePanel();
    expect(state.panel).toBeNull();
  });

  it("creates a persona from a real user and selects it", async () => {
    const { calls } = libraryBackend();
    const state = new PersonasState();
    await state.load();
    const form = state.fromUser();
    await vi.waitFor(() => expect(form.status).toBe("ready"));
    expect(form.users.map((u) => u.user_id)).toEqual(["u1", "u2"]);
    form.pick("u1");
    form.name = "Weekday binger";
    expect(await state.createFromUser()).toBe(true);
    expect(calls.find((c) => c.command === "persona_from_user")?.args).toEqual({
      request: { user_id: "u1", name: "Weekday binger" },
    });
    expect(state.panel).toBeNull();
    expect(state.selected?.name).toBe("Weekday binger");
    expect(state.detail?.history).toHaveLength(2);
  });

  it("exports all personas, or only the selected one", async () => {
    const { calls, fake } = libraryBackend();
    const state = new PersonasState();
    await state.load();
    await state.select("new-viewer");
    const form = state.exportFile();
    form.path = " /tmp/all.json ";
    expect(await state.runExport()).toBe(true);
    expect(form.written).toEqual({ count: 2, path: "/tmp/all.json" });
    form.onlySelected = true;
    form.path = "/tmp/one.json";
    await state.runExport();
    expect(form.written).toEqual({ count: 1, path: "/tmp/one.json" });
    expect(calls.filter((c) => c.command === "export_personas").map((c) => c.args)).toEqual([
      { path: "/tmp/all.json", ids: null },
      { path: "/tmp/one.json", ids: ["new-viewer"] },
    ]);
    expect(JSON.parse(fake.files.get("/tmp/one.json")!).personas[0].name).toBe("New viewer");
  });

  it("imports a persona file and reloads the list", async () => {
    const { fake } = libraryBackend();
    fake.files.set(
      "/tmp/in.json",
      JSON.stringify({
        personas: [
          { ...detailOf("new-viewer")!.persona },
          { ...detailOf("new-viewer")!.persona, id: "weekend", name: "Weekend viewer" },
        ],
      }),
    );
    const state = new PersonasState();
    await state.load();
    const form = state.importFile();
    form.path = "/tmp/in.json";
    expect(await state.runImport()).toBe(true);
    expect(form.report).toEqual({
      added: ["Weekend viewer"],
      updated: [],
      unchanged: ["New viewer"],
    });
    expect(state.list.map((p) => p.name)).toContain("Weekend viewer");
    expect(state.panel?.kind).toBe("import"); // stays open with the report
  });
});
