import { afterEach, describe, expect, it } from "vitest";

import { clearBackend, mockBackend } from "../ipc/mock";
import { INFO } from "../testing/fixtures";
import { CatalogInfoState } from "./info.svelte";

afterEach(clearBackend);

describe("CatalogInfoState", () => {
  it("loads the counts", async () => {
    mockBackend({ catalog_info: () => INFO });
    const state = new CatalogInfoState();
    expect(state.info).toBeNull();
    await state.load();
    expect(state.info?.items).toBe(1512);
    expect(state.error).toBeNull();
  });

  it("keeps the error", async () => {
    mockBackend({
      catalog_info: () => {
        throw { code: "internal", message: "no dataset" };
      },
    });
    const state = new CatalogInfoState();
    await state.load();
    expect(state.info).toBeNull();
    expect(state.error?.code).toBe("internal");
  });
});
