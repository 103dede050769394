import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { clearBackend, mockBackend } from "../ipc/mock";
import { ITEMS, fixtureBackend, searchItems } from "../testing/fixtures";
import type { CatalogQuery } from "../ipc";
import { CatalogState } from "./catalog.svelte";

afterEach(clearBackend);

function queries(calls: { command: string; args: Record<string, unknown> }[]): CatalogQuery[] {
  return calls
    .filter((c) => c.command === "search_catalog")
    .map((c) => c.args.query as CatalogQuery);
}

describe("CatalogState", () => {
  it("searches everything first and reports the total", async () => {
    const calls = fixtureBackend();
    const catalog = new CatalogState({ pageSize: 2 });
    await catalog.search();
    expect(queries(calls)).toEqual([{ text: "", content_type: null, offset: 0, limit: 2 }]);
    expect(catalog.status).toBe("ready");
    expect(catalog.items.map((i) => i.id)).toEqual(["i1", "i2"]);
    expect(catalog.total).toBe(ITEMS.length);
    expect(catalog.hasMore).toBe(true);
  });

  it("load more appends the next page until all are loaded", async () => {
    const calls = fixtureBackend();
    const catalog = new CatalogState({ pageSize: 2 });
    await catalog.search();
    await catalog.loadMore();
    await catalog.loadMore();
    expect(catalog.items.map((i) => i.id)).toEqual(["i1", "i2", "i3", "i4", "i5"]);
    expect(catalog.hasMore).toBe(false);
    await catalog.loadMore(); // nothing left: no call
    expect(queries(calls).map((q) => q.offset)).toEqual([0, 2, 4]);
  });

  it("the content-type filter searches at once, from the first page", async () => {
    const calls = fixtureBackend();
    const catalog = new CatalogState({ pageSize: 2 });
    await catalog.search();
    await catalog.loadMore();
    await catalog.setContentType("documentary");
    expect(queries(calls).at(-1)).toEqual({
      text: "",
      content_type: "documentary",
      offset: 0,
      limit: 2,
    });
    expect(catalog.items.map((i) => i.title)).toEqual(["Deep Blue Planet"]);
    expect(catalog.total).toBe(1);
    expect(catalog.hasMore).toBe(false);
  });

  describe("typing", () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("is debounced into one search with the trimmed text", async () => {
      const calls = fixtureBackend();
      const catalog = new CatalogState({ debounceMs: 200 });
      catalog.setText("l");
      catalog.setText("lo");
      catalog.setText(" love ");
      expect(catalog.text).toBe(" love ");
      await vi.advanceTimersByTimeAsync(199);
      expect(queries(calls)).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(catalog.status).toBe("ready"));
      expect(queries(calls).map((q) => q.text)).toEqual(["love"]);
      expect(catalog.items.map((i) => i.title)).toEqual(["Island of Love"]);
    });
  });

  it("drops the answer of a superseded search", async () => {
    let answerFirst!: () => void;
    mockBackend({
      search_catalog: ({ query }) => {
        const q = query as CatalogQuery;
        if (q.text === "old") {
          return new Promise((resolve) => {
            answerFirst = () => resolve(searchItems({ ...q, text: "" }));
          });
        }
        return searchItems(q);
      },
    });
    const catalog = new CatalogState();
    catalog.setText("old");
    const first = catalog.search();
    catalog.setText("planet");
    await catalog.search();
    answerFirst();
    await first;
    expect(catalog.items.map((i) => i.title)).toEqual(["Deep Blue Planet"]);
    expect(catalog.total).toBe(1);
  });

  it("surfaces a search error with its code and clears stale results", async () => {
    let fail = false;
    fixtureBackend({
      search_catalog: ({ query }) => {
        if (fail) throw { code: "invalid_input", message: "limit must be between 1 and 200" };
        return searchItems(query as CatalogQuery);
      },
    });
    const catalog = new CatalogState();
    await catalog.search();
    expect(catalog.items).toHaveLength(ITEMS.length);
    fail = true;
    await catalog.setContentType("film");
    expect(catalog.status).toBe("error");
    expect(catalog.error?.code).toBe("invalid_input");
    expect(catalog.items).toEqual([]);
    fail = false;
    await catalog.search();
    expect(catalog.status).toBe("ready");
    expect(catalog.error).toBeNull();
  });

  it("keeps loaded items when loading more fails", async () => {
    let fail = false;
    fixtureBackend({
      search_catalog: ({ query }) => {
        if (fail) throw { code: "internal", message: "disk I/O error" };
        return searchItems(query as CatalogQuery);
      },
    });
    const catalog = new CatalogState({ pageSize: 2 });
    await catalog.search();
    fail = true;
    await catalog.loadMore();
    expect(catalog.error?.code).toBe("internal");
    expect(catalog.items).toHaveLength(2);
  });
});
