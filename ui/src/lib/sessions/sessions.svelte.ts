/**
 * The review home: the sessions on this device, the candidates a new session can compare, and
 * creating a session.
 */
import {
  IpcError,
  createSession,
  listCandidates,
  listSessions,
  type CandidateInfo,
  type NewSessionRequest,
  type SessionDetail,
  type SessionSummary,
} from "../ipc";
import type { LoadStatus } from "../personas/personas.svelte";

export class SessionsState {
  #list = $state.raw<SessionSummary[]>([]);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);

  #candidates = $state.raw<CandidateInfo[]>([]);
  #candidatesStatus = $state<LoadStatus>("idle");
  #candidatesError = $state.raw<IpcError | null>(null);

  #creating = $state(false);
  #createError = $state.raw<IpcError | null>(null);
  /** Increases with each list load; an older answer is dropped. */
  #load = 0;
  /** The same for candidate loads. */
  #candidatesLoad = 0;

  get list(): readonly SessionSummary[] {
    return this.#list;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  get candidates(): readonly CandidateInfo[] {
    return this.#candidates;
  }
  get candidatesStatus(): LoadStatus {
    return this.#candidatesStatus;
  }
  get candidatesError(): IpcError | null {
    return this.#candidatesError;
  }
  /** A session is being created. */
  get creating(): boolean {
    return this.#creating;
  }
  get createError(): IpcError | null {
    return this.#createError;
  }

  /** Loads (or reloads) the sessions; the list on screen stays until the new one arrives. */
  async load(): Promise<void> {
    const load = ++this.#load;
    this.#status = "loading";
    this.#error = null;
    try {
      const list = await listSessions();
      if (load !== this.#load) return;
      this.#list = list;
      this.#status = "ready";
    } catch (e) {
      if (load !== this.#load) return;
      this.#error = IpcError.from(e, "list_sessions");
      this.#status = "error";
    }
  }

  /**
   * Loads the candidates once (again after a failure); with `force`, again in any case (they
   * changed on the Candidates screen). The list on screen stays until the new one arrives.
   */
  async loadCandidates({ force = false } = {}): Promise<void> {
    const status = this.#candidatesStatus;
    if (!force && (status === "ready" || status === "loading")) return;
    const load = ++this.#candidatesLoad;
    this.#candidatesStatus = "loading";
    this.#candidatesError = null;
    try {
      const candidates = await listCandidates();
      if (load !== this.#candidatesLoad) return;
      this.#candidates = candidates;
      this.#candidatesStatus = "ready";
    } catch (e) {
      if (load !== this.#candidatesLoad) return;
      this.#candidatesError = IpcError.from(e, "list_candidates");
      this.#candidatesStatus = "error";
    }
  }

  /** Creates a session; resolves to it (and reloads the list), or to `null` with `createError`. */
  async create(request: NewSessionRequest): Promise<SessionDetail | null> {
    if (this.#creating) return null;
    this.#creating = true;
    this.#createError = null;
    try {
      const detail = await createSession(request);
      void this.load();
      return detail;
    } catch (e) {
      this.#createError = IpcError.from(e, "create_session");
      return null;
    } finally {
      this.#creating = false;
    }
  }

  /** Forgets a create error (e.g. when the form changes). */
  clearCreateError(): void {
    this.#createError = null;
  }
}
