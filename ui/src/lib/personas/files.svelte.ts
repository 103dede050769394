/**
 * Persona files: exporting the active dataset's personas to a JSON file, and importing one
 * (all or nothing).
 */
import { FileExport, FileImport } from "../files/transfer.svelte";
import { exportPersonas, importPersonas, type PersonaImportReport } from "../ipc";

/** The file name the save dialog suggests. */
export const DEFAULT_EXPORT_NAME = "personas.json";

/** `run(ids)` writes the personas `ids` (all when `null`). */
export class PersonaExport extends FileExport<[ids: string[] | null]> {
  /** Export only the selected persona (when there is one) instead of all. */
  onlySelected = $state(false);

  constructor() {
    super("export_personas", exportPersonas);
  }
}

/** A refused file's message names the file, persona and field. */
export class PersonaImport extends FileImport<PersonaImportReport> {
  constructor() {
    super("import_personas", importPersonas);
  }
}
