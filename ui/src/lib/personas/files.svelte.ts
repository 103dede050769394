/**
 * Persona files: exporting the active dataset's personas to a JSON file, and importing one
 * (all or nothing). Each form keeps its path as typed, so a path can be pasted as well as
 * picked with the system's dialog.
 */
import { IpcError, exportPersonas, importPersonas, type PersonaImportReport } from "../ipc";

/** The file name the save dialog suggests. */
export const DEFAULT_EXPORT_NAME = "personas.json";

export class PersonaExport {
  path = $state("");
  /** Export only the selected persona (when there is one) instead of all. */
  onlySelected = $state(false);

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

  /** Writes the personas `ids` (all when `null`); `false` (and `error`) when it failed. */
  async run(ids: string[] | null): Promise<boolean> {
    const path = this.path.trim();
    if (this.#running || path === "") return false;
    this.#running = true;
    this.#written = null;
    this.#error = null;
    try {
      const count = await exportPersonas(path, ids);
      this.#written = { count, path };
      return true;
    } catch (e) {
      this.#error = IpcError.from(e, "export_personas");
      return false;
    } finally {
      this.#running = false;
    }
  }
}

export class PersonaImport {
  path = $state("");

  #running = $state(false);
  #report = $state.raw<PersonaImportReport | null>(null);
  #error = $state.raw<IpcError | null>(null);

  get running(): boolean {
    return this.#running;
  }
  get report(): PersonaImportReport | null {
    return this.#report;
  }
  /** Why the file was refused: the message names the file, persona and field. */
  get error(): IpcError | null {
    return this.#error;
  }

  /** Imports the file; resolves to what it did, or `null` (and `error`). */
  async run(): Promise<PersonaImportReport | null> {
    const path = this.path.trim();
    if (this.#running || path === "") return null;
    this.#running = true;
    this.#report = null;
    this.#error = null;
    try {
      this.#report = await importPersonas(path);
      return this.#report;
    } catch (e) {
      this.#error = IpcError.from(e, "import_personas");
      return null;
    } finally {
      this.#running = false;
    }
  }
}

/** "Added 2 (A, B) · updated 1 (C) · 1 unchanged (D)" — what an import did, in one line. */
export function describeImport(report: PersonaImportReport): string {
  const part = (verb: string, names: string[]) =>
    `${verb} ${names.length}${names.length > 0 ? ` (${names.join(", ")})` : ""}`;
  return [
    part("Added", report.added),
    part("updated", report.updated),
    part("unchanged", report.unchanged),
  ].join(" · ");
}
