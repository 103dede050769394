/**
 * A fake report server and the app's sync commands over it, for tests: not configured until
 * Settings saves a token it knows (or a test calls {@link FakeSync.configure}); judgements of
 * published sessions wait as "pending" until a sync sends them, those of other sessions stay
 * "local only"; `offline` makes the server unreachable and `refuse` makes it refuse pushes. The
 * status follows the rules of `screening_app::sync` (an offline or refused sync sticks until the
 * next sync that gets through). Other reviewers' sessions are published on it with
 * {@link FakeSync.publishedBy}; `team_sessions` lists them with this device's published ones, and
 * `join_session` brings one onto the device (through {@link SyncSessions.join}).
 */
import type {
  AppError,
  DecisionRecord,
  JoinResult,
  PublishResult,
  Report,
  SessionDetail,
  SyncSettings,
  SyncSettingsRequest,
  SyncState,
  SyncStatus,
  TeamReportView,
  TeamSession,
} from "../ipc";
import type { CommandHandler } from "../ipc/mock";

/** The address the tests set up. */
export const SERVER_URL = "http://reports.test:8080";
/** The token the fake server knows (made by `screening server add-user`). */
export const TOKEN = "sr_9f2c6d0e7b1a4c3d";
/** The user the token belongs to: the owner of the sessions published from this device. */
export const USER = "ana";

/** What the fake needs to know of the review sessions (the review fake answers it). */
export interface SyncSessions {
  /** Whether session `id` is frozen; `undefined` when there is no such session. */
  frozen(id: string): boolean | undefined;
  /** How many lists the session froze (personas × candidates). */
  lists(id: string): number;
  /** The session's report over every judgement recorded. */
  report(id: string): Report;
  /** The session as this device has it; `undefined` when it is not on this device. */
  detail(id: string): SessionDetail | undefined;
  /** Session `id` (on this device) was published at `at` (Unix ms). */
  markPublished(id: string, at: number): void;
  /** A session joined from the server is now on this device. */
  join(detail: SessionDetail): void;
}

/** A session another reviewer published on the server. */
export type RemoteSession = {
  /** The session as it comes onto a device that joins it (its summary's publishing fields aside). */
  detail: SessionDetail;
  owner: string;
  /** Unix ms. */
  publishedAt: number;
  /** Judgement events the other reviewers sent for it. */
  events: number;
  /** When set, joining is refused with this message (`invalid_input`), as for a dataset that is not on this device. */
  refusal: string | null;
};

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
  /** Sessions other reviewers published, by id. */
  readonly remote = new Map<string, RemoteSession>();
  lastSyncedAt: number | null = null;
  /** When set, the time (Unix ms) every team report says it was fetched at; otherwise now. */
  fetchedAt: number | null = null;
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

  /**
   * Another reviewer (`owner`) published `detail` on the server: `team_sessions` lists it and
   * `join_session` brings it onto this device.
   */
  publishedBy(
    owner: string,
    detail: SessionDetail,
    fields: Partial<Omit<RemoteSession, "detail" | "owner">> = {},
  ): RemoteSession {
    const remote: RemoteSession = {
      detail: structuredClone(detail),
      owner,
      publishedAt: Date.UTC(2026, 10, 29, 9, 30),
      events: 0,
      refusal: null,
      ...fields,
    };
    this.remote.set(detail.summary.id, remote);
    return remote;
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
    return {
      server_url: this.url,
      has_token: this.token !== null,
      token_place: this.token !== null ? "file" : null,
    };
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
    this.#sessions!.markPublished(id, Date.now());
    const waiting = this.pending;
    const status = this.syncNow();
    const sent = waiting - this.pending;
    return { session_id: id, lists: this.#sessions!.lists(id), sent, status };
  }

  /** The server's sessions, newest first: this device's published ones and the others'. */
  #teamSessions(): TeamSession[] {
    this.#client();
    const listed: TeamSession[] = [];
    const listing = (detail: SessionDetail, owner: string, publishedAt: number, events: number) =>
      listed.push({
        on_device: this.#sessions?.detail(detail.summary.id) !== undefined,
        id: detail.summary.id,
        name: detail.summary.name,
        owner,
        published_at: publishedAt,
        personas: detail.personas.length,
        candidates: detail.candidates.map((c) => c.name),
        events: events + (this.sent.get(detail.summary.id) ?? 0),
        decisions: this.decisions.get(detail.summary.id) ?? [],
      });
    for (const id of this.published) {
      const detail = this.#sessions?.detail(id);
      if (detail && !this.remote.has(id)) {
        listing(detail, USER, detail.summary.published_at ?? 0, 0);
      }
    }
    for (const r of this.remote.values()) listing(r.detail, r.owner, r.publishedAt, r.events);
    return listed.sort((a, b) => b.published_at - a.published_at);
  }

  /** Brings another reviewer's session onto this device, published; again: nothing changes. */
  #join(id: string): JoinResult {
    this.#client();
    const remote = this.remote.get(id);
    if (!remote) {
      throw { code: "not_found", message: `no published session "${id}"` } satisfies AppError;
    }
    if (remote.refusal !== null) throw invalid(remote.refusal);
    const { detail } = remote;
    const lists = detail.personas.length * detail.candidates.length;
    if (this.#sessions?.detail(id) !== undefined) {
      return { session_id: id, lists, personas_added: 0, already_here: true };
    }
    this.#sessions?.join({
      ...structuredClone(detail),
      summary: { ...detail.summary, published_at: Date.now(), published_by: remote.owner },
    });
    this.published.add(id);
    return { session_id: id, lists, personas_added: 0, already_here: false };
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
    return {
      fetched_at: this.fetchedAt ?? Date.now(),
      digest: this.digest(id),
      report,
      decisions: this.decisions.get(id) ?? [],
    };
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
      team_sessions: () => this.#teamSessions(),
      join_session: ({ sessionId }) => this.#join(String(sessionId)),
    };
  }
}
