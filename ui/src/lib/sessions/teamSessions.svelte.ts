/**
 * The "Team sessions" list: the sessions published on the report server (by anyone), and joining
 * one, which brings it onto this device to judge. Kept by the Review tab's state; the tab lists
 * it only while a report server is set up.
 */
import { SvelteMap } from "svelte/reactivity";

import { IpcError, joinSession, teamSessions, type JoinResult, type TeamSession } from "../ipc";
import type { LoadStatus } from "../status";

export class TeamSessionsState {
  #list = $state.raw<TeamSession[]>([]);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  /** The session being joined (one at a time: joining opens it). */
  #joining = $state<string | null>(null);
  readonly #joinErrors = new SvelteMap<string, IpcError>();
  /** Increases with each load; an older answer is dropped. */
  #load = 0;

  /** Newest first, as the server lists them. */
  get list(): readonly TeamSession[] {
    return this.#list;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  /** Why the list could not be loaded (`unavailable`: the server cannot be reached). */
  get error(): IpcError | null {
    return this.#error;
  }
  /** Some session is being joined. */
  get busy(): boolean {
    return this.#joining !== null;
  }
  joining(id: string): boolean {
    return this.#joining === id;
  }
  /** Why joining session `id` was refused (the backend says what to do). */
  joinError(id: string): IpcError | null {
    return this.#joinErrors.get(id) ?? null;
  }

  /**
   * Loads (or reloads) the list from the server; the list on screen stays until the new one
   * arrives, and goes when the server cannot be asked (its sessions may have changed).
   */
  async load(): Promise<void> {
    const load = ++this.#load;
    this.#status = "loading";
    this.#error = null;
    try {
      const list = await teamSessions();
      if (load !== this.#load) return;
      this.#list = list;
      this.#status = "ready";
    } catch (e) {
      if (load !== this.#load) return;
      this.#error = IpcError.from(e, "team_sessions");
      this.#list = [];
      this.#status = "error";
    }
  }

  /**
   * Joins session `id`: resolves to what joining did (the session is on this device now, and
   * listed so), or to `null` with {@link joinError}. Does nothing while another join runs.
   */
  async join(id: string): Promise<JoinResult | null> {
    if (this.#joining !== null) return null;
    this.#joining = id;
    this.#joinErrors.delete(id);
    try {
      const result = await joinSession(id);
      this.#list = this.#list.map((s) => (s.id === id ? { ...s, on_device: true } : s));
      return result;
    } catch (e) {
      this.#joinErrors.set(id, IpcError.from(e, "join_session"));
      return null;
    } finally {
      this.#joining = null;
    }
  }
}
