/**
 * Candidates files: exporting the candidates in use to a TOML file (`[[candidate]]` tables,
 * secrets as `${VAR}` references), and importing one (all or nothing). Each form keeps its path
 * as typed, so a path can be pasted as well as picked with the system's dialog.
 */
import { IpcError, exportCandidates, importCandidates, type CandidateImportReport } from "../ipc";

/** The file name the save dialog suggests. */
export const DEFAULT_EXPORT_NAME = "candidates.toml";

export class CandidateExport {
  path = $state("");

  #running = $state(false);
  #written = $state.raw<{ count: number; path: string } | null>(null);
  #error = $state.raw<IpcError | null>(null);

  get running(): boolean {
    return this.#running;
  }
  /** What the last export wrote. */
  get written(): { count: number; path: string } | null {
    return this.#written;
  }
  get error(): IpcError | null {
    return this.#error;
  }

  /** Writes the file; `false` (and `error`) when it failed. */
  async run(): Promise<boolean> {
    const path = this.path.trim();
    if (this.#running || path === "") return false;
    this.#running = true;
    this.#written = null;
    this.#error = null;
    try {
      const count = await exportCandidates(path);
      this.#written = { count, path };
      return true;
    } catch (e) {
      this.#error = IpcError.from(e, "export_candidates");
      return false;
    } finally {
      this.#running = false;
    }
  }
}

export class CandidateImport {
  path = $state("");

  #running = $state(false);
  #report = $state.raw<CandidateImportReport | null>(null);
  #error = $state.raw<IpcError | null>(null);

  get running(): boolean {
    return this.#running;
  }
  get report(): CandidateImportReport | null {
    return this.#report;
  }
  /** Why the file was refused: the message names the line, or the candidate and field. */
  get error(): IpcError | null {
    return this.#error;
  }

  /** Imports the file; resolves to what it did, or `null` (and `error`). */
  async run(): Promise<CandidateImportReport | null> {
    const path = this.path.trim();
    if (this.#running || path === "") return null;
    this.#running = true;
    this.#report = null;
    this.#error = null;
    try {
      this.#report = await importCandidates(path);
      return this.#report;
    } catch (e) {
      this.#error = IpcError.from(e, "import_candidates");
      return null;
    } finally {
      this.#running = false;
    }
  }
}
