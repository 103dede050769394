import { afterEach, describe, expect, it } from "vitest";

import { clearBackend, mockBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { PERSONAS, detailOf, fixtureBackend } from "../testing/fixtures";
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
});
