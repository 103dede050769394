import { afterEach, describe, expect, it } from "vitest";

import { INFO, ITEMS, PERSONAS, detailOf } from "../testing/fixtures";
import { IpcError, catalogInfo, getPersona, listPersonas, searchCatalog } from "./index";
import { clearBackend, mockBackend } from "./mock";

afterEach(clearBackend);

describe("ipc wrappers", () => {
  it("listPersonas calls list_personas without arguments", async () => {
    const calls = mockBackend({ list_personas: () => PERSONAS });
    await expect(listPersonas()).resolves.toEqual(PERSONAS);
    expect(calls).toEqual([{ command: "list_personas", args: {} }]);
  });

  it("getPersona sends the id", async () => {
    const calls = mockBackend({ get_persona: ({ id }) => detailOf(id as string) });
    const detail = await getPersona("reality-fan");
    expect(detail.persona.name).toBe("Reality TV fan");
    expect(calls).toEqual([{ command: "get_persona", args: { id: "reality-fan" } }]);
  });

  it("searchCatalog sends the query under `query`", async () => {
    const page = { items: ITEMS.slice(0, 2), total: 5, offset: 0 };
    const calls = mockBackend({ search_catalog: () => page });
    const query = { text: "love", content_type: "reality" as const, offset: 0, limit: 2 };
    await expect(searchCatalog(query)).resolves.toEqual(page);
    expect(calls).toEqual([{ command: "search_catalog", args: { query } }]);
  });

  it("catalogInfo calls catalog_info", async () => {
    const calls = mockBackend({ catalog_info: () => INFO });
    await expect(catalogInfo()).resolves.toEqual(INFO);
    expect(calls.map((c) => c.command)).toEqual(["catalog_info"]);
  });
});

describe("errors", () => {
  async function rejection(promise: Promise<unknown>): Promise<IpcError> {
    const reason: unknown = await promise.then(
      () => expect.unreachable("the call should fail"),
      (e: unknown) => e,
    );
    expect(reason).toBeInstanceOf(IpcError);
    return reason as IpcError;
  }

  it("maps an AppError to an IpcError with its code and message", async () => {
    mockBackend({
      get_persona: () => {
        throw { code: "not_found", message: "no persona nobody" };
      },
    });
    const err = await rejection(getPersona("nobody"));
    expect(err.code).toBe("not_found");
    expect(err.message).toBe("no persona nobody");
    expect(err.command).toBe("get_persona");
  });

  it("keeps invalid_input", async () => {
    mockBackend({
      search_catalog: () => Promise.reject({ code: "invalid_input", message: "limit must be…" }),
    });
    const err = await rejection(
      searchCatalog({ text: "", content_type: null, offset: 0, limit: 0 }),
    );
    expect(err.code).toBe("invalid_input");
  });

  it("classifies a plain string rejection as internal", async () => {
    mockBackend({}); // no handler: rejects with a string, as Tauri does for unknown commands
    const err = await rejection(listPersonas());
    expect(err.code).toBe("internal");
    expect(err.message).toContain("list_personas");
  });

  it("says so when there is no Tauri backend at all", async () => {
    clearBackend();
    delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
    const err = await rejection(listPersonas());
    expect(err.code).toBe("internal");
    expect(err.message).toMatch(/outside the Screening Room app/);
  });

  it("classifies an object with an unknown code as internal", async () => {
    mockBackend({
      catalog_info: () => {
        throw { code: "teapot", message: "short and stout" };
      },
    });
    const err = await rejection(catalogInfo());
    expect(err.code).toBe("internal");
  });
});
