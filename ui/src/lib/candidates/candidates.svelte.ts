/**
 * The Candidates screen: every candidate (archived ones on request), the one open beside the
 * list — a form to add or change one, a read-only view of a built-in one — and archiving,
 * restoring, importing and exporting candidates files.
 *
 * Whatever lists candidates elsewhere (the new-session form) is refreshed through `onChange`,
 * which the app shell wires up: after a save, an archive or restore, and an import.
 */
import {
  IpcError,
  archiveCandidate,
  candidateDetails,
  type CandidateDetail,
  type CandidateImportReport,
} from "../ipc";
import type { LoadStatus } from "../status";
import type { CandidateKind } from "./describe";
import { CandidateExport, CandidateImport } from "./files.svelte";
import { CandidateForm } from "./form.svelte";

/** What is open beside the list, if anything. */
export type CandidatePanel =
  | { kind: "edit"; form: CandidateForm }
  | { kind: "view"; candidate: CandidateDetail }
  | { kind: "import"; form: CandidateImport }
  | { kind: "export"; form: CandidateExport };

export type CandidatesOptions = {
  /** Refreshes what lists the candidates in use; awaited after every change. */
  onChange?: () => Promise<void> | void;
};

export class CandidatesState {
  #list = $state.raw<CandidateDetail[]>([]);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  #showArchived = $state(false);
  #panel = $state.raw<CandidatePanel | null>(null);
  /** The candidate being archived or restored. */
  #busy = $state<string | null>(null);
  #actionError = $state.raw<IpcError | null>(null);
  #onChange: () => Promise<void> | void;
  /** Increases with each list load; an older answer is dropped. */
  #load = 0;

  #openId = $derived.by(() => {
    const p = this.#panel;
    if (p?.kind === "edit") return p.form.id;
    if (p?.kind === "view") return p.candidate.id;
    return null;
  });

  constructor({ onChange = () => {} }: CandidatesOptions = {}) {
    this.#onChange = onChange;
  }

  /** The candidates shown: those in use, and the archived ones when `showArchived`. */
  get list(): readonly CandidateDetail[] {
    return this.#list;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  get showArchived(): boolean {
    return this.#showArchived;
  }
  get panel(): CandidatePanel | null {
    return this.#panel;
  }
  /** The id of the candidate open beside the list (being edited or viewed). */
  get openId(): string | null {
    return this.#openId;
  }
  /** The candidate being archived or restored. */
  get busy(): string | null {
    return this.#busy;
  }
  /** Why the last archive or restore failed. */
  get actionError(): IpcError | null {
    return this.#actionError;
  }

  /** Loads (or reloads) the list; the one on screen stays until the new one arrives. */
  async load(): Promise<void> {
    const load = ++this.#load;
    this.#status = "loading";
    this.#error = null;
    try {
      const list = await candidateDetails(this.#showArchived);
      if (load !== this.#load) return;
      this.#list = list;
      this.#status = "ready";
    } catch (e) {
      if (load !== this.#load) return;
      this.#error = IpcError.from(e, "candidate_details");
      this.#status = "error";
    }
  }

  /** Shows or hides the archived candidates. */
  setShowArchived(show: boolean): Promise<void> {
    this.#showArchived = show;
    return this.load();
  }

  // --- What is open ------------------------------------------------------------------------------

  /** Opens the form for a new candidate of `kind`. */
  add(kind: CandidateKind = "http"): CandidateForm {
    const form = new CandidateForm();
    form.setKind(kind);
    this.#open({ kind: "edit", form });
    return form;
  }

  /**
   * Opens candidate `id`: its form, or a read-only view when it is built in (fixed) or archived
   * (restored first, so an edit never brings it back unnoticed).
   */
  open(id: string): void {
    const candidate = this.#list.find((c) => c.id === id);
    if (!candidate || this.#openId === id) return;
    if (candidate.builtin || candidate.archived) this.#open({ kind: "view", candidate });
    else this.#open({ kind: "edit", form: new CandidateForm(candidate) });
  }

  /** Opens the form for a new candidate starting from `id`'s settings. */
  copy(id: string): CandidateForm | null {
    const candidate = this.#list.find((c) => c.id === id);
    if (!candidate) return null;
    const form = new CandidateForm(candidate, { copy: true });
    this.#open({ kind: "edit", form });
    return form;
  }

  /** Opens the candidates-file import form. */
  importFile(): CandidateImport {
    const form = new CandidateImport();
    this.#open({ kind: "import", form });
    return form;
  }

  /** Opens the candidates-file export form. */
  exportFile(): CandidateExport {
    const form = new CandidateExport();
    this.#open({ kind: "export", form });
    return form;
  }

  closePanel(): void {
    this.#panel = null;
  }

  // --- Changes ---------------------------------------------------------------------------------

  /** Saves the open form; it stays open on the saved candidate. `false` when refused. */
  async save(): Promise<boolean> {
    const panel = this.#panel;
    if (panel?.kind !== "edit") return false;
    const saved = await panel.form.save();
    if (!saved) return false;
    await this.#changed();
    return true;
  }

  /** Archives candidate `id` (or restores it); the list and the new-session form follow. */
  async archive(id: string, archived: boolean): Promise<boolean> {
    if (this.#busy !== null) return false;
    this.#busy = id;
    this.#actionError = null;
    try {
      await archiveCandidate(id, archived);
    } catch (e) {
      this.#actionError = IpcError.from(e, "archive_candidate");
      return false;
    } finally {
      this.#busy = null;
    }
    // A candidate that disappears from the list closes with it.
    if (archived && !this.#showArchived && this.#openId === id) this.closePanel();
    await this.#changed();
    // What is open about it follows: a restored candidate opens in its form, an archived one
    // (still listed) in the read-only view.
    if (this.#openId === id) {
      this.#panel = null;
      this.open(id);
    }
    return true;
  }

  /** Imports the open import form's file; the form stays open with the report. */
  async runImport(): Promise<CandidateImportReport | null> {
    const panel = this.#panel;
    if (panel?.kind !== "import") return null;
    const report = await panel.form.run();
    if (!report) return null;
    await this.#changed();
    return report;
  }

  /** Exports with the open export form. */
  async runExport(): Promise<boolean> {
    const panel = this.#panel;
    if (panel?.kind !== "export") return false;
    return panel.form.run();
  }

  #open(panel: CandidatePanel): void {
    this.#actionError = null;
    this.#panel = panel;
  }

  async #changed(): Promise<void> {
    await Promise.all([this.load(), this.#onChange()]);
  }
}
