/**
 * The team's report in words: why it cannot be shown (in terms of what to do about it), its
 * digest in short, and the decisions recorded on it.
 */
import type { DecisionRecord, IpcError } from "../ipc";

/** What the team view says when the team's report cannot be loaded. */
export type TeamProblem = {
  title: string;
  hint: string;
  /** Show the backend's message too (it says more than the title). */
  detail: boolean;
};

/**
 * Why the team's report is not there, as the user can act on it: the server cannot be reached
 * (`unavailable`), the session is not published (`not_found`), no server is set up or it
 * refused (`invalid_input`); `null` for anything else (a bug: shown as an error with its code).
 */
export function teamProblem(error: IpcError): TeamProblem | null {
  switch (error.code) {
    case "unavailable":
      return {
        title: "The report server cannot be reached",
        hint: "This device's report still works; the team's shows again once the server answers.",
        detail: true,
      };
    case "not_found":
      return {
        title: "Publish the session to see the team's report",
        hint: "Publishing puts the session's lists on the report server, so the team judges the same ones and their judgements add up there. Use “Publish to team” on the session's page.",
        detail: false,
      };
    case "invalid_input":
      return /settings/i.test(error.message)
        ? {
            title: "Set up the report server to see the team's report",
            hint: "Open Settings (the gear at the top right) and enter the server's address and your token.",
            detail: false,
          }
        : { title: "The report server refused", hint: "", detail: true };
    default:
      return null;
  }
}

/** The first 12 hex digits of a digest, enough to tell two reports apart. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}

/** "Approved" or "Rejected". */
export function verdictLabel(d: DecisionRecord): string {
  return d.decision === "approve" ? "Approved" : "Rejected";
}

/** Newest first. */
export function newestFirst(decisions: readonly DecisionRecord[]): DecisionRecord[] {
  return [...decisions].sort((a, b) => b.created_at - a.created_at || b.id - a.id);
}
