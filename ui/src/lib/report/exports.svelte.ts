/**
 * A session's exports: one form per format (each keeps its own path and outcome), the one
 * shown, and the words for each format. A form is the shared `FileExport`, counting bytes.
 */
import { FileExport, type Written } from "../files/transfer.svelte";
import { formatBytes } from "../format";
import { exportSession, type ExportFormat } from "../ipc";
import { exportFileName } from "./describe";

export type FormatInfo = {
  format: ExportFormat;
  /** The button's words. */
  label: string;
  /** The usual extension, without the dot (as the backend's `ExportFormat::extension`). */
  extension: string;
  /** What the file holds, for the form's lead. */
  lead: string;
};

/** Every format, in the order the buttons show them (the ones for people first). */
export const EXPORT_FORMATS: readonly FormatInfo[] = [
  {
    format: "html",
    label: "HTML report",
    extension: "html",
    lead: "The whole report as one web page with its charts: opens offline in any browser, and can be mailed or archived as it is.",
  },
  {
    format: "markdown",
    label: "Markdown",
    extension: "md",
    lead: "The report as Markdown, to paste into a wiki page or a pull request.",
  },
  {
    format: "summary_csv",
    label: "Summary CSV",
    extension: "csv",
    lead: "The report's numbers as one table, for a spreadsheet.",
  },
  {
    format: "report_json",
    label: "Report JSON",
    extension: "json",
    lead: "The report as JSON, every number in it, for scripts and notebooks.",
  },
  {
    format: "judgements_jsonl",
    label: "Judgements (JSON Lines)",
    extension: "jsonl",
    lead: "Every judgement (ratings, preferences, flags, comments) with real candidate names, one JSON object per line.",
  },
  {
    format: "judgements_csv",
    label: "Judgements (CSV)",
    extension: "csv",
    lead: "Every judgement as a CSV table, safe to open in a spreadsheet.",
  },
  {
    format: "battles",
    label: "Battles (JSON Lines)",
    extension: "jsonl",
    lead: "The preferences as pairwise battles (which list won against which), one per line.",
  },
];

export function formatInfo(format: ExportFormat): FormatInfo {
  return EXPORT_FORMATS.find((f) => f.format === format)!;
}

/** "Saved 12.3 kB to /tmp/report.html". */
export function describeSaved(written: Written): string {
  return `Saved ${formatBytes(written.count)} to ${written.path}`;
}

/** One format's export of a session: `written.count` is the file's size in bytes. */
export class SessionExport extends FileExport {
  readonly info: FormatInfo;

  constructor(sessionId: string, info: FormatInfo) {
    super("export_session", async (path) => {
      const result = await exportSession({ session_id: sessionId, format: info.format, path });
      return result.bytes;
    });
    this.info = info;
  }
}

export class SessionExports {
  readonly sessionId: string;
  /** The session's name, which default file names are made of. */
  readonly sessionName: string;
  /** Made on first use; not state (a form's own fields are). */
  #forms: Partial<Record<ExportFormat, SessionExport>> = {};
  #open = $state.raw<SessionExport | null>(null);

  constructor(sessionId: string, sessionName: string) {
    this.sessionId = sessionId;
    this.sessionName = sessionName;
  }

  /** The form shown, if any. */
  get open(): SessionExport | null {
    return this.#open;
  }

  /** The form of `format` (made once: its path and outcome stay while the report is open). */
  form(format: ExportFormat): SessionExport {
    return (this.#forms[format] ??= new SessionExport(this.sessionId, formatInfo(format)));
  }

  /** Shows the form of `format`. */
  show(format: ExportFormat): SessionExport {
    const form = this.form(format);
    this.#open = form;
    return form;
  }

  close(): void {
    this.#open = null;
  }

  /** The name the save dialog suggests for `format`: `<session name>.<extension>`. */
  fileName(format: ExportFormat): string {
    return exportFileName(this.sessionName, formatInfo(format).extension);
  }
}
