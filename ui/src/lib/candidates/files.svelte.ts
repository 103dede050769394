/**
 * Candidates files: exporting the candidates in use to a TOML file (`[[candidate]]` tables,
 * secrets as `${VAR}` references), and importing one (all or nothing).
 */
import { FileExport, FileImport } from "../files/transfer.svelte";
import { exportCandidates, importCandidates, type CandidateImportReport } from "../ipc";

/** The file name the save dialog suggests. */
export const DEFAULT_EXPORT_NAME = "candidates.toml";

export class CandidateExport extends FileExport {
  constructor() {
    super("export_candidates", exportCandidates);
  }
}

/** A refused file's message names the line, or the candidate and field. */
export class CandidateImport extends FileImport<CandidateImportReport> {
  constructor() {
    super("import_candidates", importCandidates);
  }
}
