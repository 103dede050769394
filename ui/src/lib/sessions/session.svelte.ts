/**
 * One open session: its detail, freezing its lists (once, before judging), and this reviewer's
 * summary (mean score per candidate and criterion).
 */
import {
  IpcError,
  freezeSession,
  getSession,
  sessionSummary,
  type FreezeProgress,
  type FreezeReport,
  type SessionDetail,
  type SummaryRow,
} from "../ipc";
import type { LoadStatus } from "../personas/personas.svelte";

export class SessionState {
  readonly id: string;

  #detail = $state.raw<SessionDetail | null>(null);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);

  #freezing = $state(false);
  #freezeProgress = $state.raw<FreezeProgress | null>(null);
  #freezeReport = $state.raw<FreezeReport | null>(null);
  #freezeError = $state.raw<IpcError | null>(null);

  #summary = $state.raw<SummaryRow[]>([]);
  #summaryStatus = $state<LoadStatus>("idle");
  #summaryError = $state.raw<IpcError | null>(null);

  #frozen = $derived(this.#detail !== null && this.#detail.summary.frozen_at !== null);

  /** `detail`, when known already (e.g. just created), is shown without loading it again. */
  constructor(id: string, detail: SessionDetail | null = null) {
    this.id = id;
    if (detail) {
      this.#detail = detail;
      this.#status = "ready";
    }
  }

  get detail(): SessionDetail | null {
    return this.#detail;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  /** The lists are frozen: judging can start. */
  get frozen(): boolean {
    return this.#frozen;
  }
  /** Freezing runs (it fetches every list once: a second or two). */
  get freezing(): boolean {
    return this.#freezing;
  }
  /** How far the running freeze is (the latest message), while it runs. */
  get freezeProgress(): FreezeProgress | null {
    return this.#freezeProgress;
  }
  get freezeReport(): FreezeReport | null {
    return this.#freezeReport;
  }
  get freezeError(): IpcError | null {
    return this.#freezeError;
  }
  get summary(): readonly SummaryRow[] {
    return this.#summary;
  }
  get summaryStatus(): LoadStatus {
    return this.#summaryStatus;
  }
  get summaryError(): IpcError | null {
    return this.#summaryError;
  }

  /** Loads (or reloads) the detail and, for a frozen session, the summary. */
  async load(): Promise<void> {
    this.#status = "loading";
    this.#error = null;
    try {
      this.#detail = await getSession(this.id);
      this.#status = "ready";
    } catch (e) {
      this.#error = IpcError.from(e, "get_session");
      this.#status = "error";
      return;
    }
    if (this.#frozen) await this.loadSummary();
  }

  /**
   * Freezes the lists, following the progress, then reloads the detail (now frozen). Does
   * nothing while it runs.
   */
  async freeze(): Promise<boolean> {
    if (this.#freezing) return false;
    this.#freezing = true;
    this.#freezeProgress = null;
    this.#freezeError = null;
    try {
      this.#freezeReport = await freezeSession(this.id, (p) => {
        // Messages can arrive out of order from parallel fetches: never step back.
        if (this.#freezing && p.done >= (this.#freezeProgress?.done ?? 0)) {
          this.#freezeProgress = p;
        }
      });
    } catch (e) {
      this.#freezeError = IpcError.from(e, "freeze_session");
      this.#freezing = false;
      this.#freezeProgress = null;
      return false;
    }
    // Busy until the detail says "frozen", so the button never flickers back in between.
    await this.load();
    this.#freezing = false;
    this.#freezeProgress = null;
    return true;
  }

  async loadSummary(): Promise<void> {
    this.#summaryStatus = "loading";
    this.#summaryError = null;
    try {
      this.#summary = await sessionSummary(this.id);
      this.#summaryStatus = "ready";
    } catch (e) {
      this.#summaryError = IpcError.from(e, "session_summary");
      this.#summaryStatus = "error";
    }
  }
}
