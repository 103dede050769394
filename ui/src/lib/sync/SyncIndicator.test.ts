import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";

import { clearBackend, mockBackend } from "../ipc/mock";
import { FakeSync, SERVER_URL } from "../testing/syncFake";
import { SyncMonitor } from "./sync.svelte";
import SyncIndicator from "./SyncIndicator.svelte";

afterEach(() => {
  clearBackend();
  vi.useRealTimers();
});

/** Renders the indicator over `sync` with fake timers, after its first answer. */
async function show(sync: FakeSync, onsettings?: () => void) {
  vi.useFakeTimers();
  const calls = mockBackend(sync.handlers());
  const monitor = new SyncMonitor();
  const view = render(SyncIndicator, { sync: monitor, poll: 5000, onsettings });
  await vi.advanceTimersByTimeAsync(0);
  const polls = () => calls.filter((c) => c.command === "sync_status").length;
  return { view, monitor, calls, polls };
}

const status = () => screen.getByTestId("sync-status");

function published(pending: number): FakeSync {
  const sync = new FakeSync().configure();
  sync.published.add("s1");
  for (let i = 0; i < pending; i++) sync.recorded("s1");
  return sync;
}

describe("SyncIndicator", () => {
  it("says Sync off without a server; Sync now waits for one", async () => {
    await show(new FakeSync());
    expect(status().textContent?.trim()).toBe("Sync off");
    expect(status().dataset.state).toBe("off");
    const now = screen.getByTestId<HTMLButtonElement>("sync-now");
    expect(now.disabled).toBe(true);
    expect(now.title).toBe("Set up the report server in Settings first");
  });

  it("follows the status every 5 s: pending, then synced once the background sync ran", async () => {
    const sync = published(2);
    const { polls } = await show(sync);
    expect(status().textContent?.trim()).toBe("Pending 2");
    expect(status().dataset.state).toBe("pending");
    expect(status().title).toBe("2 judgements wait to be sent to the report server.");

    sync.syncNow();
    await vi.advanceTimersByTimeAsync(4000);
    expect(status().textContent?.trim()).toBe("Pending 2");
    await vi.advanceTimersByTimeAsync(1000);
    expect(status().textContent?.trim()).toBe("Synced");
    expect(polls()).toBe(2);
  });

  it("stops asking once it is gone", async () => {
    const { view, polls, monitor } = await show(published(0));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(polls()).toBe(3);
    view.unmount();
    expect(monitor.running).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(polls()).toBe(3);
  });

  it("Sync now: offline with the count kept, then synced when the server is back", async () => {
    const sync = published(2);
    const { calls } = await show(sync);
    sync.offline = true;
    await fireEvent.click(screen.getByTestId("sync-now"));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.filter((c) => c.command === "sync_now")).toHaveLength(1);
    expect(status().textContent?.trim()).toBe("Offline");
    expect(status().dataset.state).toBe("offline");
    expect(status().title).toContain(
      "The report server cannot be reached; 2 judgements wait, saved on this device.",
    );
    expect(status().title).toContain(`cannot reach ${SERVER_URL}`);

    sync.offline = false;
    await fireEvent.click(screen.getByTestId("sync-now"));
    await vi.advanceTimersByTimeAsync(0);
    expect(status().textContent?.trim()).toBe("Synced");
  });

  it("a sync error shows its reason on hover and in the details", async () => {
    const sync = published(1);
    sync.refuse = "403: this user may not publish sessions";
    const settings = vi.fn();
    await show(sync, settings);
    await fireEvent.click(screen.getByTestId("sync-now"));
    await vi.advanceTimersByTimeAsync(0);
    expect(status().textContent?.trim()).toBe("Sync error");
    expect(status().title).toContain("403: this user may not publish sessions");

    expect(screen.queryByTestId("sync-details")).toBeNull();
    await fireEvent.click(status());
    expect(status().getAttribute("aria-expanded")).toBe("true");
    const details = screen.getByTestId("sync-details");
    expect(screen.getByTestId("sync-message").textContent).toBe(
      "403: this user may not publish sessions",
    );
    expect(details.textContent).toContain(SERVER_URL);
    expect(details.textContent).toContain("refused the last sync");

    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("sync-details")).toBeNull();

    await fireEvent.click(status());
    await fireEvent.click(screen.getByRole("button", { name: "Report server settings…" }));
    expect(settings).toHaveBeenCalledOnce();
    expect(screen.queryByTestId("sync-details")).toBeNull();
  });

  it("the details count what stays on this device", async () => {
    const sync = published(0);
    sync.recorded("s9");
    sync.recorded("s9");
    await show(sync);
    await fireEvent.click(status());
    expect(screen.getByTestId("sync-local-only").textContent?.trim()).toBe(
      "2 judgements of sessions not published",
    );
    expect(screen.getByTestId("sync-last").textContent?.trim()).toBe("not yet in this run");
    // A click elsewhere closes them.
    await fireEvent.click(document.body);
    expect(screen.queryByTestId("sync-details")).toBeNull();
  });
});
