/**
 * The Review tab: the sessions, the team's sessions on the report server (and joining one),
 * which one is open (or the new-session form), the board while judging, and a session's report
 * or load check while shown. Kept by the app shell, so switching to the Library and back loses
 * nothing; a load check keeps running (and is found again) when its view is left.
 */
import { SvelteMap } from "svelte/reactivity";

import type { NewSessionRequest, SessionDetail, SyncStatus } from "../ipc";
import { LoadCheckState } from "../loadcheck/loadCheck.svelte";
import { ReportState } from "../report/report.svelte";
import { NewSessionForm } from "../sessions/newSession.svelte";
import { SessionState } from "../sessions/session.svelte";
import { SessionsState } from "../sessions/sessions.svelte";
import { TeamSessionsState } from "../sessions/teamSessions.svelte";
import { Publications } from "../sync/publish.svelte";
import { BoardState } from "./board.svelte";

export class ReviewState {
  readonly sessions = new SessionsState();
  /** The sessions on the report server (listed while one is set up), and joining them. */
  readonly team = new TeamSessionsState();
  /** Publishing sessions to the report server, and what each publish of this run did. */
  readonly publications: Publications;

  #session = $state.raw<SessionState | null>(null);
  #form = $state.raw<NewSessionForm | null>(null);
  #board = $state.raw<BoardState | null>(null);
  #report = $state.raw<ReportState | null>(null);
  #loadCheck = $state.raw<LoadCheckState | null>(null);
  /** Each session's load check form, by session id, kept while the app runs. */
  readonly #loadChecks = new SvelteMap<string, LoadCheckState>();

  /** `onSyncStatus` hears the sync status a publish ends with (for the header's indicator). */
  constructor(options: { onSyncStatus?: (status: SyncStatus) => void } = {}) {
    this.publications = new Publications(options.onSyncStatus);
  }

  /** The open session, if any. */
  get session(): SessionState | null {
    return this.#session;
  }
  /** The new-session form, while it is shown. */
  get form(): NewSessionForm | null {
    return this.#form;
  }
  /** The board, while judging. */
  get board(): BoardState | null {
    return this.#board;
  }
  /** The open session's report, while it is shown. */
  get report(): ReportState | null {
    return this.#report;
  }

  /** The open session's load check, while it is shown. */
  get loadCheck(): LoadCheckState | null {
    return this.#loadCheck;
  }

  /** Called whenever the tab is shown: refreshes the list, loads the candidates once. */
  activate(): Promise<void> {
    return Promise.all([this.sessions.load(), this.sessions.loadCandidates()]).then(() => {});
  }

  /** Opens a session; `detail`, when known, is shown at once. */
  openSession(id: string, detail: SessionDetail | null = null): Promise<void> {
    this.#form = null;
    const session = new SessionState(id, detail);
    this.#session = session;
    return detail ? session.loadSummary() : session.load();
  }

  /** Shows the new-session form (every persona in `personaIds` ticked), keeping one in progress. */
  newSession(personaIds: readonly string[]): NewSessionForm {
    this.#session = null;
    this.sessions.clearCreateError();
    this.#form ??= new NewSessionForm(personaIds);
    return this.#form;
  }

  cancelNewSession(): void {
    this.#form = null;
  }

  /**
   * After the active dataset changed: a new-session form in progress named the other dataset's
   * personas, so it closes; the list is refreshed (datasets are shown beside sessions).
   */
  datasetChanged(): Promise<void> {
    this.#form = null;
    return this.sessions.load();
  }

  /**
   * After candidates were added, changed or archived: the new-session form offers the ones in
   * use now, and forgets ticks of candidates that are gone.
   */
  async candidatesChanged(): Promise<void> {
    await this.sessions.loadCandidates({ force: true });
    if (this.sessions.candidatesStatus === "ready") {
      this.#form?.keepCandidates(this.sessions.candidates.map((c) => c.id));
    }
  }

  /** Creates the session and opens it; `false` (with `sessions.createError`) when it failed. */
  async create(request: NewSessionRequest): Promise<boolean> {
    const detail = await this.sessions.create(request);
    if (!detail) return false;
    this.#form = null;
    await this.openSession(detail.summary.id, detail);
    return true;
  }

  /** Freezes the open session's lists, then refreshes the list so it shows the session frozen. */
  async freeze(): Promise<boolean> {
    const session = this.#session;
    if (!session) return false;
    const ok = await session.freeze();
    if (ok) await this.sessions.load();
    return ok;
  }

  /** Opens the board at the first persona this reviewer has not finished (the first when all are). */
  continueJudging(): Promise<void> {
    const detail = this.#session?.detail;
    if (!detail) return Promise.resolve();
    const next = detail.personas.findIndex((p) => !detail.done_persona_ids.includes(p.id));
    return this.startJudging(Math.max(next, 0));
  }

  /** Opens the board of the open (frozen) session at persona `index`. */
  async startJudging(index = 0): Promise<void> {
    const detail = this.#session?.detail;
    if (!detail || detail.summary.frozen_at === null) return;
    const board = new BoardState(detail);
    this.#board = board;
    await board.open(index);
  }

  /**
   * Publishes the open (frozen) session to the report server, then reloads it and the list (they
   * say it is published now) and a team list already shown (it lists the session now).
   */
  async publish(): Promise<boolean> {
    const session = this.#session;
    if (!session?.frozen) return false;
    const ok = await this.publications.publish(session.id);
    if (!ok) return false;
    if (this.team.status !== "idle") void this.team.load();
    await Promise.all([session.load(), this.sessions.load()]);
    return true;
  }

  /**
   * Joins a session from the team's list, then refreshes the sessions and opens it, ready to
   * judge; `false` (with `team.joinError(id)`) when joining was refused.
   */
  async join(id: string): Promise<boolean> {
    const result = await this.team.join(id);
    if (!result) return false;
    await Promise.all([this.sessions.load(), this.openSession(result.session_id)]);
    return true;
  }

  /** Shows the open session's report (it takes the whole tab) and loads it. */
  async openReport(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    const report = new ReportState(session.id, session.detail?.summary.name ?? "session");
    this.#report = report;
    await report.load();
  }

  /** Back from the report to its session. */
  closeReport(): void {
    this.#report = null;
  }

  /**
   * Shows the open session's load check (it takes the whole tab): the same form, and the run
   * still going, as when it was left; loads the session's checks.
   */
  async openLoadCheck(): Promise<void> {
    const detail = this.#session?.detail;
    if (!detail) return;
    let check = this.#loadChecks.get(detail.summary.id);
    if (!check) {
      check = new LoadCheckState(detail);
      this.#loadChecks.set(detail.summary.id, check);
    }
    this.#loadCheck = check;
    if (!check.running) await check.loadHistory();
  }

  /** Back from the load check to its session (a running check goes on). */
  closeLoadCheck(): void {
    this.#loadCheck = null;
  }

  /**
   * Leaves the board (saving a comment being typed), then refreshes the session and list. Not
   * while judgements failed to save: they must be retried or dismissed first.
   */
  async closeBoard(): Promise<void> {
    const board = this.#board;
    if (!board || board.failures.length > 0) return;
    void board.saveComment();
    this.#board = null;
    await board.settled();
    await Promise.all([this.#session?.load(), this.sessions.load()]);
  }
}
