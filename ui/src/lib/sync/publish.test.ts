import { afterEach, describe, expect, it } from "vitest";

import type { PublishResult, SessionDetail, SyncStatus } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { SESSION } from "../testing/fixtures";
import { reviewBackend } from "../testing/reviewBackend";
import { SERVER_URL } from "../testing/syncFake";
import { Publications, publishSentence } from "./publish.svelte";

afterEach(clearBackend);

const status = (fields: Partial<SyncStatus>): SyncStatus => ({
  state: "synced",
  pending: 0,
  local_only: 0,
  last_synced_at: 1,
  message: null,
  server_url: SERVER_URL,
  ...fields,
});

const UNFROZEN: SessionDetail = {
  ...SESSION,
  summary: { ...SESSION.summary, id: "s2", frozen_at: null },
};

describe("publishSentence", () => {
  const pub = (sent: number, fields: Partial<SyncStatus> = {}): PublishResult => ({
    session_id: "s1",
    lists: 24,
    sent,
    status: status(fields),
  });

  it("says how many lists went up and how many judgements were sent", () => {
    expect(publishSentence(pub(5))).toBe("Published 24 lists; 5 judgements sent");
    expect(publishSentence(pub(1))).toBe("Published 24 lists; 1 judgement sent");
    expect(publishSentence(pub(0))).toBe("Published 24 lists; 0 judgements sent");
  });

  it("says when the judgements could not follow", () => {
    expect(publishSentence(pub(0, { state: "offline", pending: 3 }))).toBe(
      "Published 24 lists; 3 judgements wait to be sent (the server cannot be reached)",
    );
    expect(publishSentence(pub(0, { state: "error", pending: 1 }))).toBe(
      "Published 24 lists; 1 judgement waits to be sent (the server refused)",
    );
  });
});

describe("Publications", () => {
  it("publishes a frozen session: its judgements are sent, the header hears the status", async () => {
    const { sync, calls } = reviewBackend();
    sync.configure();
    sync.recorded("s1");
    sync.recorded("s1");
    sync.recorded("s1");
    const heard: SyncStatus[] = [];
    const pubs = new Publications((s) => heard.push(s));
    expect(pubs.get("s1")).toBeNull();

    const publishing = pubs.publish("s1");
    expect(pubs.publishing("s1")).toBe(true);
    await expect(publishing).resolves.toBe(true);
    expect(pubs.publishing("s1")).toBe(false);

    const done = pubs.get("s1")!;
    expect(done.lists).toBe(6);
    expect(done.sent).toBe(3);
    expect(publishSentence(done)).toBe("Published 6 lists; 3 judgements sent");
    expect(heard).toEqual([done.status]);
    expect(heard[0]).toMatchObject({ state: "synced", pending: 0, local_only: 0 });
    expect(sync.published.has("s1")).toBe(true);
    expect(calls.filter((c) => c.command === "publish_session")).toEqual([
      { command: "publish_session", args: { sessionId: "s1" } },
    ]);
  });

  it("fails while the server cannot be reached; nothing counts as published", async () => {
    const { sync } = reviewBackend();
    sync.configure();
    sync.recorded("s1");
    sync.offline = true;
    const pubs = new Publications();
    await expect(pubs.publish("s1")).resolves.toBe(false);
    expect(pubs.error("s1")?.code).toBe("unavailable");
    expect(pubs.get("s1")).toBeNull();
    expect(sync.published.size).toBe(0);

    sync.offline = false;
    await expect(pubs.publish("s1")).resolves.toBe(true);
    expect(pubs.error("s1")).toBeNull();
    expect(pubs.get("s1")?.sent).toBe(1);
  });

  it("refuses without a server, and a session not frozen", async () => {
    const { sync } = reviewBackend({}, [SESSION, UNFROZEN]);
    const pubs = new Publications();
    await expect(pubs.publish("s1")).resolves.toBe(false);
    expect(pubs.error("s1")?.message).toBe("set up the report server in Settings first");
    expect(pubs.get("s1")).toBeNull();

    sync.configure();
    await pubs.publish("s2");
    expect(pubs.error("s2")?.message).toBe("freeze the session's lists before publishing it");
    await pubs.publish("s1");
    expect(pubs.error("s1")).toBeNull();
    expect(pubs.get("s1")).not.toBeNull();
  });

  it("does not publish twice at once", async () => {
    const gate = deferred<unknown>();
    const { calls, sync } = reviewBackend({ publish_session: () => gate.promise });
    sync.configure();
    const pubs = new Publications();
    const first = pubs.publish("s1");
    await expect(pubs.publish("s1")).resolves.toBe(false);
    gate.resolve({ session_id: "s1", lists: 6, sent: 0, status: sync.status() });
    await first;
    expect(calls.filter((c) => c.command === "publish_session")).toHaveLength(1);
  });
});
