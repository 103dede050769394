import { afterEach, describe, expect, it, vi } from "vitest";

import type { SyncStatus } from "../ipc";
import { clearBackend, mockBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { FakeSync, SERVER_URL } from "../testing/syncFake";
import { SyncMonitor, statusLabel, statusSentence } from "./sync.svelte";

afterEach(() => {
  clearBackend();
  vi.useRealTimers();
});

const status = (fields: Partial<SyncStatus>): SyncStatus => ({
  state: "synced",
  pending: 0,
  local_only: 0,
  last_synced_at: null,
  message: null,
  server_url: SERVER_URL,
  ...fields,
});

/** A fake server with session `s1` published and `n` judgements of it waiting. */
function waiting(n: number): FakeSync {
  const sync = new FakeSync().configure();
  sync.published.add("s1");
  for (let i = 0; i < n; i++) sync.recorded("s1");
  return sync;
}

describe("statusLabel", () => {
  it("says each state in a word or two", () => {
    expect(statusLabel(null)).toBe("Sync");
    expect(statusLabel(status({ state: "off", server_url: null }))).toBe("Sync off");
    expect(statusLabel(status({ state: "synced" }))).toBe("Synced");
    expect(statusLabel(status({ state: "pending", pending: 3 }))).toBe("Pending 3");
    expect(statusLabel(status({ state: "offline", pending: 2 }))).toBe("Offline");
    expect(statusLabel(status({ state: "error", message: "413: too large" }))).toBe("Sync error");
  });

  it("explains each state in a sentence", () => {
    expect(statusSentence(status({ state: "pending", pending: 1 }))).toBe(
      "1 judgement waits to be sent to the report server.",
    );
    expect(statusSentence(status({ state: "offline", pending: 2 }))).toBe(
      "The report server cannot be reached; 2 judgements wait, saved on this device.",
    );
    expect(statusSentence(status({ state: "off" }))).toContain("stay on this device");
  });
});

describe("the fake server", () => {
  it("keeps judgements of unpublished sessions local, and sends the rest on a sync", () => {
    const sync = new FakeSync().configure();
    sync.recorded("s1");
    sync.recorded("s2");
    sync.published.add("s2");
    expect(sync.status()).toMatchObject({ state: "pending", pending: 1, local_only: 1 });
    expect(sync.syncNow()).toMatchObject({ state: "synced", pending: 0, local_only: 1 });
    expect(sync.sent.get("s2")).toBe(1);
  });

  it("stays offline until a sync gets through", () => {
    const sync = waiting(2);
    sync.offline = true;
    expect(sync.syncNow()).toMatchObject({ state: "offline", pending: 2 });
    sync.recorded("s1");
    expect(sync.status()).toMatchObject({ state: "offline", pending: 3 });
    sync.offline = false;
    expect(sync.syncNow()).toMatchObject({ state: "synced", pending: 0, message: null });
  });
});

describe("SyncMonitor", () => {
  it("shows the status it is asked for", async () => {
    const sync = waiting(2);
    mockBackend(sync.handlers());
    const monitor = new SyncMonitor();
    expect(monitor.label).toBe("Sync");
    expect(monitor.state).toBe("unknown");
    await monitor.refresh();
    expect(monitor.label).toBe("Pending 2");
    expect(monitor.configured).toBe(true);
  });

  it("is off, and not configured, without a server", async () => {
    mockBackend(new FakeSync().handlers());
    const monitor = new SyncMonitor();
    await monitor.refresh();
    expect(monitor.label).toBe("Sync off");
    expect(monitor.configured).toBe(false);
  });

  it("polls every few seconds until stopped", async () => {
    vi.useFakeTimers();
    const sync = waiting(1);
    const calls = mockBackend(sync.handlers());
    const monitor = new SyncMonitor();
    monitor.start(5000);
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.label).toBe("Pending 1");
    expect(calls.filter((c) => c.command === "sync_status")).toHaveLength(1);

    // The background sync sends it meanwhile; the next poll shows it.
    sync.syncNow();
    await vi.advanceTimersByTimeAsync(4999);
    expect(monitor.label).toBe("Pending 1");
    await vi.advanceTimersByTimeAsync(1);
    expect(monitor.label).toBe("Synced");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.filter((c) => c.command === "sync_status")).toHaveLength(4);

    monitor.stop();
    expect(monitor.running).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls.filter((c) => c.command === "sync_status")).toHaveLength(4);
  });

  it("skips a poll while the last one is still out", async () => {
    vi.useFakeTimers();
    const gate = deferred<SyncStatus>();
    const calls = mockBackend({ sync_status: () => gate.promise });
    const monitor = new SyncMonitor();
    monitor.start(1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(1);
    gate.resolve(status({ state: "synced" }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(monitor.label).toBe("Synced");
    monitor.stop();
  });

  it("Sync now sends what waits; offline, it says so and keeps the count", async () => {
    const sync = waiting(2);
    mockBackend(sync.handlers());
    const monitor = new SyncMonitor();
    sync.offline = true;
    const offline = await monitor.syncNow();
    expect(offline).toMatchObject({ state: "offline", pending: 2 });
    expect(monitor.label).toBe("Offline");
    expect(monitor.status?.message).toContain(`cannot reach ${SERVER_URL}`);

    sync.offline = false;
    await monitor.syncNow();
    expect(monitor.label).toBe("Synced");
    expect(monitor.status?.last_synced_at).toEqual(expect.any(Number));
  });

  it("a refused sync is an error with the server's reason", async () => {
    const sync = waiting(1);
    sync.refuse = "413: the batch is too large";
    mockBackend(sync.handlers());
    const monitor = new SyncMonitor();
    await monitor.syncNow();
    expect(monitor.label).toBe("Sync error");
    expect(monitor.status?.message).toBe("413: the batch is too large");
  });

  it("a poll answered after a newer status does not overwrite it", async () => {
    const gate = deferred<SyncStatus>();
    mockBackend({ sync_status: () => gate.promise });
    const monitor = new SyncMonitor();
    const polling = monitor.refresh();
    monitor.apply(status({ state: "synced" }));
    gate.resolve(status({ state: "pending", pending: 4 }));
    await polling;
    expect(monitor.label).toBe("Synced");
  });

  it("a failing status check keeps the last status and tells why", async () => {
    let fail = false;
    const sync = waiting(0);
    mockBackend({
      ...sync.handlers(),
      sync_status: () => {
        if (fail) throw { code: "internal", message: "database is locked" };
        return sync.status();
      },
    });
    const monitor = new SyncMonitor();
    await monitor.refresh();
    fail = true;
    await monitor.refresh();
    expect(monitor.label).toBe("Synced");
    expect(monitor.error?.message).toBe("database is locked");

    const fresh = new SyncMonitor();
    await fresh.refresh();
    expect(fresh.label).toBe("Sync status unknown");
  });
});
