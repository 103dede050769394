import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { UserQuery } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { FakeLibrary, libraryBackend } from "../testing/libraryBackend";
import { FromUserForm } from "./fromUser.svelte";

afterEach(clearBackend);

const queries = (calls: { command: string; args: Record<string, unknown> }[]) =>
  calls.filter((c) => c.command === "list_users").map((c) => c.args.query as UserQuery);

/** A fake whose active dataset is the MovieLens one (users "1", "2", "3"). */
function movieLens(): FakeLibrary {
  const fake = new FakeLibrary();
  fake.addMovieLens();
  fake.activeId = "ml";
  return fake;
}

describe("FromUserForm", () => {
  it("lists the most active users first, with their first and last event", async () => {
    const { calls } = libraryBackend({}, movieLens());
    const form = new FromUserForm({ limit: 20 });
    await form.search();
    expect(queries(calls)).toEqual([{ text: "", limit: 20 }]);
    expect(form.users).toEqual([
      { user_id: "1", events: 2, first_timestamp: 964981247, last_timestamp: 964982703 },
      { user_id: "2", events: 2, first_timestamp: 1445714994, last_timestamp: 1445715207 },
      { user_id: "3", events: 2, first_timestamp: 1500000000, last_timestamp: 1500000100 },
    ]);
  });

  describe("typing", () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("is debounced into one search with the trimmed text", async () => {
      const { calls } = libraryBackend({}, movieLens());
      const form = new FromUserForm({ debounceMs: 200 });
      form.setText("3");
      form.setText(" 2 ");
      await vi.advanceTimersByTimeAsync(199);
      expect(queries(calls)).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(form.status).toBe("ready"));
      expect(queries(calls).map((q) => q.text)).toEqual(["2"]);
      expect(form.users.map((u) => u.user_id)).toEqual(["2"]);
    });
  });

  it("drops the answer of a superseded search", async () => {
    const slow = deferred<unknown>();
    libraryBackend({
      list_users: ({ query }) =>
        (query as UserQuery).text === "old"
          ? slow.promise
          : [{ user_id: "new", events: 1, first_timestamp: 1, last_timestamp: 1 }],
    });
    const form = new FromUserForm();
    form.setText("old");
    const first = form.search();
    form.setText("new");
    await form.search();
    slow.resolve([{ user_id: "old", events: 9, first_timestamp: 1, last_timestamp: 1 }]);
    await first;
    expect(form.users.map((u) => u.user_id)).toEqual(["new"]);
    form.dispose();
  });

  it("creates nothing until a user is picked; then sends the id and the name (blank: none)", async () => {
    const { calls } = libraryBackend({}, movieLens());
    const form = new FromUserForm();
    expect(await form.create()).toBeNull();
    form.pick("1");
    form.name = "   ";
    const created = await form.create();
    expect(calls.find((c) => c.command === "persona_from_user")?.args).toEqual({
      request: { user_id: "1", name: null },
    });
    expect(created?.persona.name).toBe("User 1");
    expect(created?.history.map((h) => h.item.title)).toEqual([
      "Toy Story (1995)",
      "American President, The (1995)",
    ]);
  });

  it("shows why a user could not be made a persona", async () => {
    libraryBackend({}, movieLens());
    const form = new FromUserForm();
    form.pick("99");
    expect(await form.create()).toBeNull();
    expect(form.createError?.code).toBe("not_found");
    expect(form.createError?.message).toBe('the active dataset has no user "99"');
    expect(form.creating).toBe(false);
  });
});
