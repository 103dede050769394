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
import { invoke } from "@tauri-apps/api/core";

import type { AppError } from "./bindings/AppError";
import type { Board } from "./bindings/Board";
import type { CandidateInfo } from "./bindings/CandidateInfo";
import type { CatalogInfo } from "./bindings/CatalogInfo";
import type { CatalogPage } from "./bindings/CatalogPage";
import type { CatalogQuery } from "./bindings/CatalogQuery";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { FreezeReport } from "./bindings/FreezeReport";
import type { NewSessionRequest } from "./bindings/NewSessionRequest";
import type { PersonaDetail } from "./bindings/PersonaDetail";
import type { PersonaSummary } from "./bindings/PersonaSummary";
import type { RecordRequest } from "./bindings/RecordRequest";
import type { Saved } from "./bindings/Saved";
import type { SessionDetail } from "./bindings/SessionDetail";
import type { SessionSummary } from "./bindings/SessionSummary";
import type { SummaryRow } from "./bindings/SummaryRow";

export type { AppError } from "./bindings/AppError";
export type { Board } from "./bindings/Board";
export type { BoardItem } from "./bindings/BoardItem";
export type { CandidateInfo } from "./bindings/CandidateInfo";
export type { CatalogInfo } from "./bindings/CatalogInfo";
export type { CatalogPage } from "./bindings/CatalogPage";
export type { CatalogQuery } from "./bindings/CatalogQuery";
export type { Column } from "./bindings/Column";
export type { ContentType } from "./bindings/ContentType";
export type { CriterionScore } from "./bindings/CriterionScore";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { FreezeReport } from "./bindings/FreezeReport";
export type { HistoryEntry } from "./bindings/HistoryEntry";
export type { HistoryItem } from "./bindings/HistoryItem";
export type { Indicators } from "./bindings/Indicators";
export type { Item } from "./bindings/Item";
export type { ItemFlag } from "./bindings/ItemFlag";
export type { JudgementInput } from "./bindings/JudgementInput";
export type { MixEntry } from "./bindings/MixEntry";
export type { NewSessionRequest } from "./bindings/NewSessionRequest";
export type { Persona } from "./bindings/Persona";
export type { PersonaDetail } from "./bindings/PersonaDetail";
export type { PersonaSummary } from "./bindings/PersonaSummary";
export type { Preference } from "./bindings/Preference";
export type { RecordRequest } from "./bindings/RecordRequest";
export type { Saved } from "./bindings/Saved";
export type { SessionDetail } from "./bindings/SessionDetail";
export type { SessionSummary } from "./bindings/SessionSummary";
export type { SummaryRow } from "./bindings/SummaryRow";

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

/** The built-in and saved personas, without their histories. */
export function listPersonas(): Promise<PersonaSummary[]> {
  return call("list_personas");
}

/** One persona with its watch history resolved to catalog items, newest first. */
export function getPersona(id: string): Promise<PersonaDetail> {
  return call("get_persona", { id });
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
 * Can take a second or two (every candidate × persona).
 */
export function freezeSession(sessionId: string): Promise<FreezeReport> {
  return call("freeze_session", { sessionId });
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
