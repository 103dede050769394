/**
 * One session's report, as the report view shows it: the report itself, whether the blind
 * notice still stands before it, the gate thresholds editor, and the exports. "Team" switches to
 * the report server's version (every reviewer's judgements that reached it, with the decisions
 * recorded on it), loaded when first shown.
 */
import {
  IpcError,
  sessionReport,
  teamReport,
  type SessionReport,
  type TeamReportView,
} from "../ipc";
import type { LoadStatus } from "../personas/personas.svelte";
import { SessionExports } from "./exports.svelte";
import { GateForm } from "./gate.svelte";

/** Whose judgements the report adds up: this device's, or the team's on the report server. */
export type ReportScope = "device" | "team";

export class ReportState {
  readonly sessionId: string;
  readonly gate: GateForm;
  readonly exports: SessionExports;

  #data = $state.raw<SessionReport | null>(null);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  #acknowledged = $state(false);
  #editing = $state(false);

  #scope = $state<ReportScope>("device");
  #team = $state.raw<TeamReportView | null>(null);
  #teamStatus = $state<LoadStatus>("idle");
  #teamError = $state.raw<IpcError | null>(null);

  /** `sessionName` names the export files until the report says otherwise. */
  constructor(sessionId: string, sessionName: string) {
    this.sessionId = sessionId;
    this.gate = new GateForm(sessionId);
    this.exports = new SessionExports(sessionId, sessionName);
  }

  get data(): SessionReport | null {
    return this.#data;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }

  /**
   * The report names the candidates, and this reviewer has personas left to judge in a blind
   * session: it asks before showing them (until {@link showAnyway}).
   */
  get needsNotice(): boolean {
    const r = this.#data;
    return r !== null && r.blind && !r.reviewer_done && !this.#acknowledged;
  }

  /** The thresholds editor is open. */
  get editing(): boolean {
    return this.#editing;
  }

  /** Which report shows. */
  get scope(): ReportScope {
    return this.#scope;
  }
  /** The team's report, once loaded. */
  get team(): TeamReportView | null {
    return this.#team;
  }
  get teamStatus(): LoadStatus {
    return this.#teamStatus;
  }
  /** Why the team's report could not be loaded (`unavailable`: offline; `not_found`: not published). */
  get teamError(): IpcError | null {
    return this.#teamError;
  }

  /** Shows this device's or the team's report; the team's loads the first time. */
  async setScope(scope: ReportScope): Promise<void> {
    this.#scope = scope;
    if (scope === "team") {
      this.#editing = false;
      if (this.#teamStatus === "idle" || this.#teamStatus === "error") await this.loadTeam();
    }
  }

  /** Loads (or reloads) the team's report from the server. */
  async loadTeam(): Promise<void> {
    this.#teamStatus = "loading";
    this.#teamError = null;
    try {
      this.#team = await teamReport(this.sessionId);
      this.#teamStatus = "ready";
    } catch (e) {
      this.#teamError = IpcError.from(e, "team_report");
      this.#teamStatus = "error";
    }
  }

  /** Reloads the report shown. */
  refresh(): Promise<void> {
    return this.#scope === "team" ? this.loadTeam() : this.load();
  }

  /** The report shown is loading. */
  get busy(): boolean {
    return (this.#scope === "team" ? this.#teamStatus : this.#status) === "loading";
  }

  showAnyway(): void {
    this.#acknowledged = true;
  }

  /** Loads (or reloads) the report. */
  async load(): Promise<void> {
    this.#status = "loading";
    this.#error = null;
    try {
      this.#apply(await sessionReport(this.sessionId));
      this.#status = "ready";
    } catch (e) {
      this.#error = IpcError.from(e, "session_report");
      this.#status = "error";
    }
  }

  /** Opens the thresholds editor on the thresholds in effect. */
  editGate(): void {
    if (this.#data) this.gate.fill(this.#data.report.gate.thresholds);
    this.#editing = true;
  }

  closeGate(): void {
    this.#editing = false;
  }

  /** Saves the editor's thresholds; on success the report follows and the editor closes. */
  async saveGate(): Promise<boolean> {
    const report = await this.gate.save();
    if (!report) return false;
    this.#apply(report);
    this.#editing = false;
    return true;
  }

  /** Goes back to the default thresholds; the editor stays open showing them. */
  async resetGate(): Promise<boolean> {
    const report = await this.gate.reset();
    if (!report) return false;
    this.#apply(report);
    return true;
  }

  #apply(report: SessionReport): void {
    this.#data = report;
    if (!this.#editing) this.gate.fill(report.report.gate.thresholds);
  }
}
