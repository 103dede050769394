/**
 * A fake report server and the app's sync commands over it, for tests: not configured until
 * Settings saves a token it knows (or a test calls {@link FakeSync.configure}); judgements of
 * published sessions wait as "pending" until a sync sends them, those of other sessions stay
 * "local only"; `offline` makes the server unreachable and `refuse` makes it refuse pushes. The
 * status follows the rules of `screening_app::sync` (an offline or refused sync sticks until the
 * next sync that gets through).
 */
import type {
  AppError,
  DecisionRecord,
  PublishResult,
  Report,
  SyncSettings,
  SyncSettingsRequest,
  SyncState,
  SyncStatus,
  TeamReportView,
} from "../ipc";
import type { CommandHandler } from "../ipc/mock";

/** The address the tests set up. */
export const SERVER_URL = "http://reports.test:8080";
/** The token the fake server knows (made by `screening server add-user`). */
export const TOKEN = "sr_9f2c6d0e7b1a4c3d";

/** What the fake needs to know of the review sessions (the review fake answers it). */
export interface SyncSessions {
  /** Whether session `id` is frozen; `undefined` when there is no such session. */
  frozen(id: string): boolean | undefined;
  /** How many lists the session froze (personas × candidates). */
  lists(id: string): number;
  /** The session's report over every judgement recorded. */
  report(id: string): Report;
}

function invalid(message: string): AppError {
  return { code: "invalid_input", message };
}

/** A decision as the server records it. */
export function decision(
  sessionId: string,
  fields: Partial<DecisionRecord> & Pick<DecisionRecord, "decision" | "author">,
): DecisionRecord {
  return {
    id: 1,
    session_id: sessionId,
    note: "",
    report_digest: "0".repeat(64),
    created_at: Date.UTC(2026, 11, 1, 14, 30),
    ...fields,
  };
}

export class FakeSync {
  /** The saved server address and token (`null` until Settings saved them). */
  url: string | null = null;
  token: string | null = null;
  /** Tokens the server accepts. */
  readonly tokens = new Set([TOKEN]);
  /** The server cannot be reached. */
  offline = false;
  /** When set, the server refuses pushes with this message. */
  refuse: string | null = null;
  /** Published sessions. */
  readonly published = new Set<string>();
  /** Judgements not on the server yet, by session. */
  readonly unsent = new Map<string, number>();
  /** Judgements the server holds, by session. */
  readonly sent = new Map<string, number>();
  /** Decisions recorded on the server, by session. */
  readonly decisions = new Map<string, DecisionRecord[]>();
  /** Team reports served instead of the session's own report, by session. */
  readonly teamReports = new Map<string, Report>();
  lastSyncedAt: number | null = null;
  #last: { state: SyncState; message: string | null } = { state: "off", message: null };
  #sessions: SyncSessions | null;

  constructor(sessions: SyncSessions | null = null) {
    this.#sessions = sessions;
  }

  /** Sets the server up, as Settings would (for tests that start configured). */
  configure(url = SERVER_URL, token = TOKEN): this {
    this.url = url;
    this.token = token;
    return this;
  }

  /** A judgement was recorded in session `id`: it waits in the outbox. */
  recorded(id: string): void {
    this.unsent.set(id, (this.unsent.get(id) ?? 0) + 1);
  }

  #count(published: boolean): number {
    let n = 0;
    for (const [id, count] of this.unsent) if (this.published.has(id) === published) n += count;
    return n;
  }

  get pending(): number {
    return this.#count(true);
  }

  get localOnly(): number {
    return this.#count(false);
  }

  #offlineMessage(): string {
    return `cannot reach ${this.url}: error sending request for url (${this.url}/v1/sessions): connection refused`;
  }

  status(): SyncStatus {
    const pending = this.pending;
    const { state: last, message } = this.#last;
    const state: SyncState =
      this.url === null
        ? "off"
        : last === "offline" || last === "error"
          ? last
          : pending > 0
            ? "pending"
            : "synced";
    return {
      state,
      pending,
      local_only: this.localOnly,
      last_synced_at: this.lastSyncedAt,
      message: state === "off" ? null : message,
      server_url: this.url,
    };
  }

  /** Sends every pending judgement (when the server can be reached and takes them). */
  syncNow(): SyncStatus {
    if (this.url === null || this.token === null) return this.status();
    if (this.pending > 0) {
      if (this.offline) {
        this.#last = { state: "offline", message: this.#offlineMessage() };
        return this.status();
      }
      if (this.refuse !== null) {
        this.#last = { state: "error", message: this.refuse };
        return this.status();
      }
      for (const id of this.published) {
        this.sent.set(id, (this.sent.get(id) ?? 0) + (this.unsent.get(id) ?? 0));
        this.unsent.delete(id);
      }
    }
    this.#last = { state: "synced", message: null };
    this.lastSyncedAt = Date.now();
    return this.status();
  }

  #settings(): SyncSettings {
    return { server_url: this.url, has_token: this.token !== null };
  }

  #configure(request: SyncSettingsRequest): SyncStatus {
    const url = request.server_url.trim().replace(/\/+$/, "");
    if (!/^https?:\/\//.test(url)) {
      throw invalid(
        `the server address starts with http:// or https://, not ${JSON.stringify(url)}`,
      );
    }
    const token = request.token.trim() || this.token;
    if (!token) throw invalid("paste the token the server's admin gave you");
    if (this.offline) {
      throw {
        code: "unavailable",
        message: `cannot reach ${url}: error sending request for url (${url}/v1/sessions): connection refused`,
      } satisfies AppError;
    }
    if (!this.tokens.has(token)) {
      throw invalid("the server refused the token: unknown or revoked token");
    }
    this.url = url;
    this.token = token;
    return this.status();
  }

  #client(): void {
    if (this.url === null || this.token === null) {
      throw invalid("set up the report server in Settings first");
    }
    if (this.offline) throw { code: "unavailable", message: this.#offlineMessage() };
  }

  #publish(id: string): PublishResult {
    this.#client();
    const frozen = this.#sessions?.frozen(id);
    if (frozen === undefined) throw { code: "not_found", message: `no session ${id}` };
    if (!frozen) throw invalid("freeze the session's lists before publishing it");
    this.published.add(id);
    return { session_id: id, lists: this.#sessions!.lists(id), status: this.syncNow() };
  }

  /** The team report's digest: changes whenever the server's judgements do. */
  digest(id: string): string {
    const seed = `${id}:${this.sent.get(id) ?? 0}`;
    let h = 0x811c9dc5;
    for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, "0").repeat(8);
  }

  #team(id: string): TeamReportView {
    this.#client();
    if (!this.published.has(id)) {
      throw { code: "not_found", message: `no session ${id} on the server` } satisfies AppError;
    }
    const report = this.teamReports.get(id) ?? this.#sessions?.report(id);
    if (!report) throw { code: "not_found", message: `no session ${id} on the server` };
    return { digest: this.digest(id), report, decisions: this.decisions.get(id) ?? [] };
  }

  /** The command handlers, to install with `mockBackend`. */
  handlers(): Record<string, CommandHandler> {
    return {
      sync_settings: () => this.#settings(),
      configure_sync: ({ request }) => this.#configure(request as SyncSettingsRequest),
      sync_status: () => this.status(),
      sync_now: () => this.syncNow(),
      publish_session: ({ sessionId }) => this.#publish(String(sessionId)),
      team_report: ({ sessionId }) => this.#team(String(sessionId)),
    };
  }
}
