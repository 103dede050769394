import { afterEach, describe, expect, it } from "vitest";

import { clearBackend } from "../ipc/mock";
import { libraryBackend } from "../testing/libraryBackend";
import { PersonaExport, PersonaImport } from "./files.svelte";

afterEach(clearBackend);

describe("PersonaExport", () => {
  it("does nothing without a path", async () => {
    const { calls } = libraryBackend();
    const form = new PersonaExport();
    form.path = "  ";
    expect(await form.run(null)).toBe(false);
    expect(calls.some((c) => c.command === "export_personas")).toBe(false);
  });

  it("keeps the backend's message when the file cannot be written", async () => {
    libraryBackend();
    const form = new PersonaExport();
    form.path = "/tmp/";
    expect(await form.run(null)).toBe(false);
    expect(form.error?.message).toBe("cannot write /tmp/: Is a directory (os error 21)");
    expect(form.written).toBeNull();
  });
});

describe("PersonaImport", () => {
  it("refuses a bad file with the message naming file, persona and field", async () => {
    const { fake } = libraryBackend();
    fake.files.set(
      "/tmp/bad.json",
      JSON.stringify({
        personas: [
          {
            id: "x",
            name: "X",
            description: "",
            tags: [],
            history: [{ item_id: "nope", timestamp: 1, event_type: "watch" }],
            external_user_ids: {},
          },
        ],
      }),
    );
    const form = new PersonaImport();
    form.path = "/tmp/bad.json";
    expect(await form.run()).toBeNull();
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toBe(
      '/tmp/bad.json: personas[0] ("x"): field "history", entry 1: item "nope" is not in the dataset',
    );
    expect(fake.personas.has("x")).toBe(false);
  });
});
