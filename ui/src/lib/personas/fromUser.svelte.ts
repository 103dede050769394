/**
 * "From a real user": search the active dataset's users (typing is debounced; the most active
 * come first), pick one, optionally name the persona, and create it from the user's newest
 * events.
 */
import { IpcError, listUsers, personaFromUser, type PersonaDetail, type UserSummary } from "../ipc";
import type { LoadStatus } from "../status";

export type FromUserOptions = {
  /** Users listed per search (the backend accepts 1..=200). */
  limit?: number;
  /** How long typing must pause before a search runs, in milliseconds. */
  debounceMs?: number;
};

export class FromUserForm {
  readonly limit: number;
  readonly debounceMs: number;

  /** The persona's name; `""` lets the backend call it "User <id>". */
  name = $state("");

  #text = $state("");
  #users = $state.raw<UserSummary[]>([]);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  #userId = $state<string | null>(null);
  #creating = $state(false);
  #createError = $state.raw<IpcError | null>(null);
  /** Increases with each search; answers for older ones are dropped. */
  #search = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor({ limit = 50, debounceMs = 250 }: FromUserOptions = {}) {
    this.limit = limit;
    this.debounceMs = debounceMs;
  }

  get text(): string {
    return this.#text;
  }
  get users(): readonly UserSummary[] {
    return this.#users;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  /** The picked user. */
  get userId(): string | null {
    return this.#userId;
  }
  get creating(): boolean {
    return this.#creating;
  }
  get createError(): IpcError | null {
    return this.#createError;
  }

  /** Sets the search text; the search runs once typing pauses for `debounceMs`. */
  setText(text: string): void {
    this.#text = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(), this.debounceMs);
  }

  /** Lists the users matching the current text (the most active first). */
  async search(): Promise<void> {
    clearTimeout(this.#timer);
    const search = ++this.#search;
    this.#status = "loading";
    this.#error = null;
    try {
      const users = await listUsers({ text: this.#text.trim(), limit: this.limit });
      if (search !== this.#search) return;
      this.#users = users;
      this.#status = "ready";
    } catch (e) {
      if (search !== this.#search) return;
      this.#users = [];
      this.#error = IpcError.from(e, "list_users");
      this.#status = "error";
    }
  }

  pick(userId: string): void {
    this.#userId = userId;
    this.#createError = null;
  }

  /** Creates the persona; resolves to it, or `null` (and `createError`) when it failed. */
  async create(): Promise<PersonaDetail | null> {
    const userId = this.#userId;
    if (userId === null || this.#creating) return null;
    this.#creating = true;
    this.#createError = null;
    try {
      const name = this.name.trim();
      return await personaFromUser({ user_id: userId, name: name === "" ? null : name });
    } catch (e) {
      this.#createError = IpcError.from(e, "persona_from_user");
      return null;
    } finally {
      this.#creating = false;
    }
  }

  /** Stops a pending debounced search. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#search++;
  }
}
