/**
 * The UI's only door to the Rust side: typed wrappers over Tauri's `invoke`, one per command.
 *
 * Nothing else in the UI imports `@tauri-apps/api` (ESLint enforces it), so every other module
 * can be tested with {@link mockBackend} instead of a running app. The types are generated from
 * Rust by ts-rs into `./bindings` and re-exported here; never edit them by hand.
 *
 * A failed command rejects with an {@link IpcError} whose `code` the UI switches on; the message
 * is for people and may change wording at any time.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";

import type { AppError } from "./bindings/AppError";
import type { Board } from "./bindings/Board";
import type { CandidateConfig } from "./bindings/CandidateConfig";
import type { CandidateDetail } from "./bindings/CandidateDetail";
import type { CandidateImportReport } from "./bindings/CandidateImportReport";
import type { CandidateInfo } from "./bindings/CandidateInfo";
import type { CatalogInfo } from "./bindings/CatalogInfo";
import type { CatalogPage } from "./bindings/CatalogPage";
import type { CatalogQuery } from "./bindings/CatalogQuery";
import type { ConnectionTest } from "./bindings/ConnectionTest";
import type { DatasetInfo } from "./bindings/DatasetInfo";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { ExportResult } from "./bindings/ExportResult";
import type { FreezeProgress } from "./bindings/FreezeProgress";
import type { FreezeReport } from "./bindings/FreezeReport";
import type { FromUserRequest } from "./bindings/FromUserRequest";
import type { GateRequest } from "./bindings/GateRequest";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { JoinResult } from "./bindings/JoinResult";
import type { LoadCheck } from "./bindings/LoadCheck";
import type { LoadCheckRequest } from "./bindings/LoadCheckRequest";
import type { LoadProgress } from "./bindings/LoadProgress";
import type { NewSessionRequest } from "./bindings/NewSessionRequest";
import type { Persona } from "./bindings/Persona";
import type { PersonaDetail } from "./bindings/PersonaDetail";
import type { PersonaImportReport } from "./bindings/PersonaImportReport";
import type { PersonaSummary } from "./bindings/PersonaSummary";
import type { PublishResult } from "./bindings/PublishResult";
import type { RecordRequest } from "./bindings/RecordRequest";
import type { Saved } from "./bindings/Saved";
import type { SessionDetail } from "./bindings/SessionDetail";
import type { SessionReport } from "./bindings/SessionReport";
import type { SessionSummary } from "./bindings/SessionSummary";
import type { SummaryRow } from "./bindings/SummaryRow";
import type { SyncSettings } from "./bindings/SyncSettings";
import type { SyncSettingsRequest } from "./bindings/SyncSettingsRequest";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { TeamReportView } from "./bindings/TeamReportView";
import type { TeamSession } from "./bindings/TeamSession";
import type { UserQuery } from "./bindings/UserQuery";
import type { UserSummary } from "./bindings/UserSummary";

export type { AppError } from "./bindings/AppError";
export type { Board } from "./bindings/Board";
export type { BoardItem } from "./bindings/BoardItem";
export type { CandidateConfig } from "./bindings/CandidateConfig";
export type { CandidateDetail } from "./bindings/CandidateDetail";
export type { CandidateImportReport } from "./bindings/CandidateImportReport";
export type { CandidateInfo } from "./bindings/CandidateInfo";
export type { CatalogInfo } from "./bindings/CatalogInfo";
export type { CatalogPage } from "./bindings/CatalogPage";
export type { CatalogQuery } from "./bindings/CatalogQuery";
export type { Column } from "./bindings/Column";
export type { ConnectionTest } from "./bindings/ConnectionTest";
export type { ContentType } from "./bindings/ContentType";
export type { CriterionReport } from "./bindings/CriterionReport";
export type { CriterionScore } from "./bindings/CriterionScore";
export type { DatasetInfo } from "./bindings/DatasetInfo";
export type { DecisionRecord } from "./bindings/DecisionRecord";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { ExportRequest } from "./bindings/ExportRequest";
export type { ExportResult } from "./bindings/ExportResult";
export type { FlagRow } from "./bindings/FlagRow";
export type { FreezeProgress } from "./bindings/FreezeProgress";
export type { FreezeReport } from "./bindings/FreezeReport";
export type { FromUserRequest } from "./bindings/FromUserRequest";
export type { Gate } from "./bindings/Gate";
export type { GateCheck } from "./bindings/GateCheck";
export type { GateRequest } from "./bindings/GateRequest";
export type { GateThresholds } from "./bindings/GateThresholds";
export type { HistoryEntry } from "./bindings/HistoryEntry";
export type { HistoryItem } from "./bindings/HistoryItem";
export type { ImportProgress } from "./bindings/ImportProgress";
export type { ImportReport } from "./bindings/ImportReport";
export type { ImportRequest } from "./bindings/ImportRequest";
export type { ImportStage } from "./bindings/ImportStage";
export type { Indicators } from "./bindings/Indicators";
export type { Item } from "./bindings/Item";
export type { ItemFlag } from "./bindings/ItemFlag";
export type { JoinResult } from "./bindings/JoinResult";
export type { JudgementInput } from "./bindings/JudgementInput";
export type { Latency } from "./bindings/Latency";
export type { LoadCheck } from "./bindings/LoadCheck";
export type { LoadCheckRequest } from "./bindings/LoadCheckRequest";
export type { LoadPlan } from "./bindings/LoadPlan";
export type { LoadProgress } from "./bindings/LoadProgress";
export type { LoadResult } from "./bindings/LoadResult";
export type { MeanCi } from "./bindings/MeanCi";
export type { Metric } from "./bindings/Metric";
export type { MixEntry } from "./bindings/MixEntry";
export type { NewSessionRequest } from "./bindings/NewSessionRequest";
export type { Persona } from "./bindings/Persona";
export type { PersonaDetail } from "./bindings/PersonaDetail";
export type { PersonaImportReport } from "./bindings/PersonaImportReport";
export type { PersonaMapping } from "./bindings/PersonaMapping";
export type { PersonaRef } from "./bindings/PersonaRef";
export type { PersonaSummary } from "./bindings/PersonaSummary";
export type { PositionBias } from "./bindings/PositionBias";
export type { PublishResult } from "./bindings/PublishResult";
export type { Preference } from "./bindings/Preference";
export type { Preferences } from "./bindings/Preferences";
export type { Record as WinTieLoss } from "./bindings/Record";
export type { RecordRequest } from "./bindings/RecordRequest";
export type { Report } from "./bindings/Report";
export type { Saved } from "./bindings/Saved";
export type { SessionDetail } from "./bindings/SessionDetail";
export type { SessionReport } from "./bindings/SessionReport";
export type { SessionSummary } from "./bindings/SessionSummary";
export type { Strength } from "./bindings/Strength";
export type { SummaryRow } from "./bindings/SummaryRow";
export type { SyncSettings } from "./bindings/SyncSettings";
export type { SyncSettingsRequest } from "./bindings/SyncSettingsRequest";
export type { SyncState } from "./bindings/SyncState";
export type { SyncStatus } from "./bindings/SyncStatus";
export type { TeamReportView } from "./bindings/TeamReportView";
export type { TeamSession } from "./bindings/TeamSession";
export type { TokenPlace } from "./bindings/TokenPlace";
export type { UserQuery } from "./bindings/UserQuery";
export type { UserSummary } from "./bindings/UserSummary";
export type { Verdict } from "./bindings/Verdict";
export type { WinProbability } from "./bindings/WinProbability";

/** Every {@link ErrorCode}, so a rejection can be checked at run time. */
const ERROR_CODES: Record<ErrorCode, true> = {
  not_found: true,
  invalid_input: true,
  unavailable: true,
  internal: true,
};

/** A failed command: `code` says what kind of failure, `message` says it to a person. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  /** The command that failed, e.g. `get_persona`. */
  readonly command: string;

  constructor(code: ErrorCode, message: string, command: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
    this.command = command;
  }

  /**
   * Turns whatever a command rejected with into an `IpcError`. Commands reject with an
   * {@link AppError}; anything else (a string from Tauri itself, e.g. "command not found", or an
   * unknown code) is a bug somewhere and classified as `internal`.
   */
  static from(reason: unknown, command: string): IpcError {
    if (reason instanceof IpcError) return reason;
    if (isAppError(reason)) return new IpcError(reason.code, reason.message, command);
    const message =
      typeof reason === "string"
        ? reason
        : reason instanceof Error
          ? reason.message
          : `${command} failed: ${safeStringify(reason)}`;
    return new IpcError("internal", message, command);
  }
}

function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return (
    typeof code === "string" && Object.hasOwn(ERROR_CODES, code) && typeof message === "string"
  );
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  // In a plain browser (`npm run dev` opened outside the app) there is no backend at all.
  if (!("__TAURI_INTERNALS__" in window)) {
    throw new IpcError(
      "internal",
      "No backend: this page runs outside the Screening Room app (start it with `make dev`).",
      command,
    );
  }
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw IpcError.from(reason, command);
  }
}

/** The personas of the active dataset, by name, without their histories. */
export function listPersonas(): Promise<PersonaSummary[]> {
  return call("list_personas");
}

/** One persona with its watch history resolved to catalog items, newest first. */
export function getPersona(id: string): Promise<PersonaDetail> {
  return call("get_persona", { id });
}

/**
 * Creates (when `persona.id` is empty; the backend makes the id) or updates a persona of the
 * active dataset. The history goes oldest first, timestamps in Unix seconds. Rejects with
 * `invalid_input` naming the field or history entry that is wrong, or when a review session
 * uses the persona (it is locked: duplicate it instead).
 */
export function savePersona(persona: Persona): Promise<PersonaDetail> {
  return call("save_persona", { persona });
}

/** Copies a persona (locked ones too) as "<name> (copy)" on the same dataset. */
export function duplicatePersona(id: string): Promise<PersonaDetail> {
  return call("duplicate_persona", { id });
}

/** Deletes a persona; refused (`invalid_input`) while a review session uses it. */
export function deletePersona(id: string): Promise<void> {
  return call("delete_persona", { id });
}

/** Real users of the active dataset whose id contains `query.text`, most active first. */
export function listUsers(query: UserQuery): Promise<UserSummary[]> {
  return call("list_users", { query });
}

/** A new persona of the active dataset holding a real user's newest events (at most 200). */
export function personaFromUser(request: FromUserRequest): Promise<PersonaDetail> {
  return call("persona_from_user", { request });
}

/**
 * Writes the personas `ids` (all personas of the active dataset when `null`) to the JSON file
 * at `path`; resolves to how many were written.
 */
export function exportPersonas(path: string, ids: string[] | null): Promise<number> {
  return call("export_personas", { path, ids });
}

/**
 * Reads a persona file into the active dataset: new ids are added, known ones replaced. All or
 * nothing: a bad persona refuses the file with a message naming the file, persona and field.
 */
export function importPersonas(path: string): Promise<PersonaImportReport> {
  return call("import_personas", { path });
}

/** Every dataset (the demo first), with which one is active. */
export function listDatasets(): Promise<DatasetInfo[]> {
  return call("list_datasets");
}

/** Makes dataset `id` the active one: the Library shows it, new sessions use it. */
export function setActiveDataset(id: string): Promise<DatasetInfo> {
  return call("set_active_dataset", { id });
}

/**
 * Imports a dataset folder (or Personalize CSV), calling `onProgress` as it reads, copies and
 * saves. A file that does not load rejects with `invalid_input` naming file, line and column.
 */
export function importDataset(
  request: ImportRequest,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return call("import_dataset", { request, onProgress: channel });
}

/** One page of catalog items matching `query`. */
export function searchCatalog(query: CatalogQuery): Promise<CatalogPage> {
  return call("search_catalog", { query });
}

/** Counts of the loaded dataset: items, viewers, interactions, per content type… */
export function catalogInfo(): Promise<CatalogInfo> {
  return call("catalog_info");
}

/** The configured candidates (built-in models, endpoints…) a session can compare. */
export function listCandidates(): Promise<CandidateInfo[]> {
  return call("list_candidates");
}

/**
 * Every candidate with its settings, oldest first (the six built-in ones first); archived ones
 * only when `archived`.
 */
export function candidateDetails(archived: boolean): Promise<CandidateDetail[]> {
  return call("candidate_details", { archived });
}

/**
 * Adds a candidate (`id` `null`) or changes one. Rejects with `invalid_input` whose message
 * names the field (`field "url": …`, a header holding a credential in clear, a name another
 * candidate has), and for the built-in candidates, which cannot be changed.
 */
export function saveCandidate(
  id: string | null,
  config: CandidateConfig,
): Promise<CandidateDetail> {
  return call("save_candidate", { id, config });
}

/** Archives a candidate (hidden from new sessions, kept for old ones) or brings it back. */
export function archiveCandidate(id: string, archived: boolean): Promise<void> {
  return call("archive_candidate", { id, archived });
}

/**
 * Asks `config` for one list (k = 10) for the active dataset's first persona, storing nothing.
 * A candidate that answers badly resolves with `ok: false` and its error; only settings that do
 * not check out reject (`invalid_input`, naming the field).
 */
export function testCandidate(config: CandidateConfig): Promise<ConnectionTest> {
  return call("test_candidate", { config });
}

/**
 * Reads a TOML candidates file (`[[candidate]]` tables): new names are added, known ones take
 * the file's settings. All or nothing: a bad file rejects naming the line or candidate and field.
 */
export function importCandidates(path: string): Promise<CandidateImportReport> {
  return call("import_candidates", { path });
}

/**
 * Writes the candidates in use to a TOML candidates file at `path` (secrets stay `${VAR}`
 * references); resolves to how many were written.
 */
export function exportCandidates(path: string): Promise<number> {
  return call("export_candidates", { path });
}

/** The review sessions on this device, with this reviewer's progress. */
export function listSessions(): Promise<SessionSummary[]> {
  return call("list_sessions");
}

/** Creates a session (not frozen yet) and returns it. */
export function createSession(request: NewSessionRequest): Promise<SessionDetail> {
  return call("create_session", { request });
}

/** One session with its personas, candidates and criteria, in session order. */
export function getSession(sessionId: string): Promise<SessionDetail> {
  return call("get_session", { sessionId });
}

/**
 * Fetches every list of the session once and freezes them as snapshots; judging needs it.
 * Can take a while (every candidate × persona); `onProgress` hears after every list.
 */
export function freezeSession(
  sessionId: string,
  onProgress: (progress: FreezeProgress) => void = () => {},
): Promise<FreezeReport> {
  const channel = new Channel<FreezeProgress>();
  channel.onmessage = onProgress;
  return call("freeze_session", { sessionId, onProgress: channel });
}

/** The side-by-side board of one persona of a (frozen) session, with this reviewer's marks. */
export function getBoard(sessionId: string, personaId: string): Promise<Board> {
  return call("get_board", { sessionId, personaId });
}

/**
 * Records one judgement (rating, preference, flag or comment). Resolves once it is on disk:
 * only then may the UI say "saved". An edit is a new record; the backend supersedes the old.
 */
export function recordJudgement(request: RecordRequest): Promise<Saved> {
  return call("record_judgement", { request });
}

/** Records that this reviewer revealed the names of a persona's lists; returns the board. */
export function revealPersona(sessionId: string, personaId: string): Promise<Board> {
  return call("reveal_persona", { sessionId, personaId });
}

/** This reviewer's mean score per candidate and criterion (revealed personas only). */
export function sessionSummary(sessionId: string): Promise<SummaryRow[]> {
  return call("session_summary", { sessionId });
}

/**
 * The session's report over every reviewer's judgements on this device: means with 95%
 * intervals, agreement, preferences and Bradley–Terry strengths, position bias, flags and the
 * release gate. It names the candidates, blind session or not (`reviewer_done` says whether this
 * reviewer has anything left to judge).
 */
export function sessionReport(sessionId: string): Promise<SessionReport> {
  return call("session_report", { sessionId });
}

/**
 * Writes one export of the session (the report as HTML, Markdown, JSON or CSV; the judgements
 * as JSON Lines or CSV; the battles) to `request.path`, replacing the file. Rejects with
 * `invalid_input` when the file cannot be written.
 */
export function exportSession(request: ExportRequest): Promise<ExportResult> {
  return call("export_session", { request });
}

/**
 * Sets the session's gate thresholds (`gate: null` resets them to the defaults) and resolves to
 * the report under them. Thresholds out of range reject with `invalid_input`.
 */
export function setSessionGate(request: GateRequest): Promise<SessionReport> {
  return call("set_session_gate", { request });
}

// ---------------------------------------------------------------------------------------------
// Load checks: will a session's candidate hold the traffic before a release? One runs at a time.

/**
 * Loads one of the session's candidates at `request.rate` requests/s (after a ramp, if any) for
 * `request.duration_s`, calling `onProgress` once a second, and resolves to the check as kept
 * with the session (`result.stopped` after {@link cancelLoadCheck}: what was measured until
 * then). Rejects with `invalid_input` naming the field (`rate: between 0 and 2000 requests/s,
 * not 0`), for an Amazon Personalize candidate without `confirm_cost` (the quota and billing
 * warning), for a joined team session's candidates, and while another check runs; `not_found`
 * for a candidate not in the session.
 */
export function runLoadCheck(
  request: LoadCheckRequest,
  onProgress: (progress: LoadProgress) => void = () => {},
): Promise<LoadCheck> {
  const channel = new Channel<LoadProgress>();
  channel.onmessage = onProgress;
  return call("run_load_check", { request, onProgress: channel });
}

/** Stops the running load check (nothing runs: no-op); {@link runLoadCheck} then resolves. */
export function cancelLoadCheck(): Promise<void> {
  return call("cancel_load_check");
}

/** The session's load checks, oldest first, each with how the release gate reads it. */
export function loadChecks(sessionId: string): Promise<LoadCheck[]> {
  return call("load_checks", { sessionId });
}

// ---------------------------------------------------------------------------------------------
// Sync with the team's report server. Judgements are saved on this device first, always; the app
// sends those of published sessions to the server (in the background every 15 s, and on
// `syncNow`), and the team's report is read from the server.

/** Where the report server is, and whether a token is saved (the token never comes back). */
export function syncSettings(): Promise<SyncSettings> {
  return call("sync_settings");
}

/**
 * Checks the server with the token (by listing its sessions), then saves both and resolves to
 * the sync status. An empty token keeps the saved one. Rejects with `invalid_input` for an
 * address that is not http(s) or a token the server refuses ("the server refused the token: …"),
 * and with `unavailable` when the server cannot be reached.
 */
export function configureSync(request: SyncSettingsRequest): Promise<SyncStatus> {
  return call("configure_sync", { request });
}

/** How syncing stands: off, synced, pending (with counts), offline or error (with why). */
export function syncStatus(): Promise<SyncStatus> {
  return call("sync_status");
}

/**
 * Sends the judgements waiting in the outbox now. Resolves to the status even when the server
 * cannot be reached (`offline`: they wait, safe, for the next try) or refuses them (`error`).
 */
export function syncNow(): Promise<SyncStatus> {
  return call("sync_now");
}

/**
 * Publishes a frozen session (its lists, so the team judges the same ones) on the report
 * server, then syncs. Publishing again is harmless. Rejects with `invalid_input` when the session
 * is not frozen or no server is set up, `unavailable` when the server cannot be reached.
 */
export function publishSession(sessionId: string): Promise<PublishResult> {
  return call("publish_session", { sessionId });
}

/**
 * The team's report of a published session, from the server: every reviewer's judgements that
 * reached it, its digest, and the approve/reject decisions recorded on it. Rejects with
 * `unavailable` when the server cannot be reached, `not_found` when the session is not published.
 */
export function teamReport(sessionId: string): Promise<TeamReportView> {
  return call("team_report", { sessionId });
}

/**
 * The sessions published on the report server (by anyone), newest first, each saying whether it
 * is on this device already (published from here, or joined). Rejects with `invalid_input` when
 * no server is set up ("set up the report server in Settings first"), `unavailable` when it
 * cannot be reached.
 */
export function teamSessions(): Promise<TeamSession[]> {
  return call("team_sessions");
}

/**
 * Joins a session someone published: its frozen lists, its personas (with their histories) and
 * its candidates (by name) come onto this device, published already, ready to judge. Joining
 * again is harmless (`already_here`). Rejects with `invalid_input` saying what to do (its dataset
 * is not on this device: import the same files; a persona of the same id has another history…),
 * `not_found` for a session the server does not have, `unavailable` when it cannot be reached.
 */
export function joinSession(sessionId: string): Promise<JoinResult> {
  return call("join_session", { sessionId });
}

// ---------------------------------------------------------------------------------------------
// The system's file dialogs. Each resolves to the chosen path, or `null` when the user cancels.
// Every path field also takes a typed path, so nothing depends on a dialog (e2e tests cannot
// drive native ones).

async function dialog(command: string, show: () => Promise<string | null>): Promise<string | null> {
  if (!("__TAURI_INTERNALS__" in window)) {
    throw new IpcError("internal", "No file dialogs outside the Screening Room app.", command);
  }
  try {
    return await show();
  } catch (reason) {
    throw IpcError.from(reason, command);
  }
}

/** Asks for a folder (a dataset to import). */
export function pickFolder(): Promise<string | null> {
  return dialog("dialog_open", () => openDialog({ directory: true, multiple: false }));
}

/** A kind of file the dialogs offer. */
type FileFilter = { name: string; extensions: string[] };

const PERSONA_FILES: FileFilter = { name: "Persona files", extensions: ["json"] };
const CANDIDATE_FILES: FileFilter = { name: "Candidates files", extensions: ["toml"] };

function pickFile(filter: FileFilter): Promise<string | null> {
  return dialog("dialog_open", () =>
    openDialog({ directory: false, multiple: false, filters: [filter] }),
  );
}

function pickTarget(defaultName: string, filter: FileFilter): Promise<string | null> {
  return dialog("dialog_save", () => saveDialog({ defaultPath: defaultName, filters: [filter] }));
}

/** Asks for an existing JSON file (a persona file to import). */
export function pickJsonFile(): Promise<string | null> {
  return pickFile(PERSONA_FILES);
}

/** Asks where to save a persona file, suggesting `defaultName`. */
export function pickSaveFile(defaultName: string): Promise<string | null> {
  return pickTarget(defaultName, PERSONA_FILES);
}

/** Asks for an existing TOML candidates file to import. */
export function pickTomlFile(): Promise<string | null> {
  return pickFile(CANDIDATE_FILES);
}

/** Asks where to save a candidates file, suggesting `defaultName`. */
export function pickSaveTomlFile(defaultName: string): Promise<string | null> {
  return pickTarget(defaultName, CANDIDATE_FILES);
}

/**
 * Asks where to save a session export, suggesting `defaultName`; `kind` names the files offered
 * ("HTML report") and `extension` their extension (no dot).
 */
export function pickExportFile(
  defaultName: string,
  kind: string,
  extension: string,
): Promise<string | null> {
  return pickTarget(defaultName, { name: kind, extensions: [extension] });
}
