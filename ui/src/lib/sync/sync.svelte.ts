/**
 * The header's sync indicator: how syncing with the report server stands, polled every few
 * seconds while the app runs (the app syncs by itself every 15 s; judging adds pending ones),
 * and "Sync now". Kept by the app shell; Settings and publishing hand it the status they got.
 */
import { IpcError, syncNow, syncStatus, type SyncState as State, type SyncStatus } from "../ipc";

/** How often the status is asked for, in ms. */
export const POLL_MS = 5000;

/** The indicator's word for each state (`Pending` gets its count). */
export function statusLabel(status: SyncStatus | null): string {
  if (!status) return "Sync";
  switch (status.state) {
    case "off":
      return "Sync off";
    case "synced":
      return "Synced";
    case "pending":
      return `Pending ${status.pending}`;
    case "offline":
      return "Offline";
    case "error":
      return "Sync error";
  }
}

/** One sentence on what the state means, for the details and the tooltip. */
export function statusSentence(status: SyncStatus): string {
  const waiting = status.pending === 1 ? "1 judgement waits" : `${status.pending} judgements wait`;
  switch (status.state) {
    case "off":
      return "No report server set up: judgements stay on this device.";
    case "synced":
      return "Everything of the published sessions is on the report server.";
    case "pending":
      return `${waiting} to be sent to the report server.`;
    case "offline":
      return status.pending > 0
        ? `The report server cannot be reached; ${waiting}, saved on this device.`
        : "The report server cannot be reached.";
    case "error":
      return "The report server refused the last sync; the judgements wait on this device.";
  }
}

export class SyncMonitor {
  #status = $state.raw<SyncStatus | null>(null);
  #error = $state.raw<IpcError | null>(null);
  #syncing = $state(false);
  #timer: ReturnType<typeof setInterval> | null = null;
  #polling = false;
  /** Bumped by every status applied, so an older answer never overwrites a newer one. */
  #generation = 0;

  /** The last status known (`null` before the first answer). */
  get status(): SyncStatus | null {
    return this.#status;
  }
  /** Why the last status check or "Sync now" failed (the command itself, not the server). */
  get error(): IpcError | null {
    return this.#error;
  }
  /** "Sync now" runs. */
  get syncing(): boolean {
    return this.#syncing;
  }
  get state(): State | "unknown" {
    return this.#status?.state ?? "unknown";
  }
  get label(): string {
    return this.#status ? statusLabel(this.#status) : this.#error ? "Sync status unknown" : "Sync";
  }
  /** A report server is set up. */
  get configured(): boolean {
    return this.#status !== null && this.#status.state !== "off";
  }

  /** Shows `status` (from Settings, publishing or a sync) at once. */
  apply(status: SyncStatus): void {
    this.#generation++;
    this.#status = status;
    this.#error = null;
  }

  /** Asks for the status (once; polls that would overlap are skipped). */
  async refresh(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    const generation = this.#generation;
    try {
      const status = await syncStatus();
      if (generation === this.#generation) this.apply(status);
    } catch (e) {
      if (generation === this.#generation) this.#error = IpcError.from(e, "sync_status");
    } finally {
      this.#polling = false;
    }
  }

  /** Sends what waits now; resolves to the new status (`null` when the command failed). */
  async syncNow(): Promise<SyncStatus | null> {
    if (this.#syncing) return null;
    this.#syncing = true;
    this.#error = null;
    try {
      const status = await syncNow();
      this.apply(status);
      return status;
    } catch (e) {
      this.#error = IpcError.from(e, "sync_now");
      return null;
    } finally {
      this.#syncing = false;
    }
  }

  /** Asks for the status now, then every `every` ms until {@link stop}. */
  start(every = POLL_MS): void {
    this.stop();
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), every);
  }

  /** Stops polling (when the app shell goes away). */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Whether it polls. */
  get running(): boolean {
    return this.#timer !== null;
  }
}
