/**
 * The persona library of the active dataset: the list, which persona is selected and its loaded
 * detail (watch history resolved to catalog items), and changing it — create, edit, duplicate,
 * delete, make one from a real user, import and export a persona file. The form in use is the
 * open {@link PersonaPanel}; one at a time.
 *
 * Selecting quickly in a row is safe: only the answer for the latest selection is kept. A
 * persona a review session uses is locked (`sessions` non-empty): the backend refuses to edit
 * or delete it, and the UI says so before anyone tries.
 */
import {
  IpcError,
  deletePersona,
  duplicatePersona,
  getPersona,
  listPersonas,
  type PersonaDetail,
  type PersonaSummary,
} from "../ipc";
import { PersonaEditor } from "./editor.svelte";
import { PersonaExport, PersonaImport } from "./files.svelte";
import type { LoadStatus } from "../status";
import { FromUserForm } from "./fromUser.svelte";

export type { LoadStatus } from "../status";

/** The form open beside the list, if any. */
export type PersonaPanel =
  | { kind: "edit"; editor: PersonaEditor }
  | { kind: "from-user"; form: FromUserForm }
  | { kind: "import"; form: PersonaImport }
  | { kind: "export"; form: PersonaExport };

/** The session names that lock a persona (empty when it can change). */
export function lockedBy(persona: PersonaSummary | null | undefined): readonly string[] {
  return persona?.sessions ?? [];
}

/** Why a locked persona cannot be edited or deleted, for tooltips. */
export const LOCKED_HINT =
  "A review session uses this persona, so it cannot change. Duplicate it to make a changed copy.";

export class PersonasState {
  #list = $state.raw<PersonaSummary[]>([]);
  #listStatus = $state<LoadStatus>("idle");
  #listError = $state.raw<IpcError | null>(null);

  #selectedId = $state<string | null>(null);
  #detail = $state.raw<PersonaDetail | null>(null);
  #detailStatus = $state<LoadStatus>("idle");
  #detailError = $state.raw<IpcError | null>(null);
  /** Increases with each selection; an answer for an older one is dropped. */
  #selection = 0;
  /** Increases with each list load; an older answer is dropped. */
  #load = 0;

  #panel = $state.raw<PersonaPanel | null>(null);
  #busy = $state<"duplicate" | "delete" | null>(null);
  #actionError = $state.raw<IpcError | null>(null);

  #selected = $derived(this.#list.find((p) => p.id === this.#selectedId) ?? null);

  get list(): readonly PersonaSummary[] {
    return this.#list;
  }
  get listStatus(): LoadStatus {
    return this.#listStatus;
  }
  get listError(): IpcError | null {
    return this.#listError;
  }
  get selectedId(): string | null {
    return this.#selectedId;
  }
  /** The selected persona's summary, shown while its detail loads. */
  get selected(): PersonaSummary | null {
    return this.#selected;
  }
  /** The selected persona's detail, once loaded; never the detail of a previous selection. */
  get detail(): PersonaDetail | null {
    return this.#detail;
  }
  get detailStatus(): LoadStatus {
    return this.#detailStatus;
  }
  get detailError(): IpcError | null {
    return this.#detailError;
  }
  /** The open form (editor, from a real user, import, export), if any. */
  get panel(): PersonaPanel | null {
    return this.#panel;
  }
  /** A duplicate or delete is running. */
  get busy(): "duplicate" | "delete" | null {
    return this.#busy;
  }
  /** Why the last duplicate or delete failed. */
  get actionError(): IpcError | null {
    return this.#actionError;
  }

  /**
   * Loads (or reloads) the list. The selection stays when the persona is still listed, and is
   * cleared when it is not (deleted, or of another dataset).
   */
  async load(): Promise<void> {
    const load = ++this.#load;
    this.#listStatus = "loading";
    this.#listError = null;
    try {
      const list = await listPersonas();
      if (load !== this.#load) return;
      this.#list = list;
      this.#listStatus = "ready";
      if (this.#selectedId !== null && !list.some((p) => p.id === this.#selectedId)) {
        this.deselect();
      }
    } catch (e) {
      if (load !== this.#load) return;
      this.#listError = IpcError.from(e, "list_personas");
      this.#listStatus = "error";
    }
  }

  /**
   * After the active dataset changed: closes any form (it was about the other dataset's
   * personas), reloads the list, and reloads the selected persona's detail if it is still there.
   */
  async reload(): Promise<void> {
    this.closePanel();
    this.#actionError = null;
    await this.load();
    if (this.#selectedId !== null) await this.select(this.#selectedId);
  }

  /** Selects a persona and loads its detail. Selecting the selected one again reloads it. */
  async select(id: string): Promise<void> {
    const selection = ++this.#selection;
    this.#selectedId = id;
    this.#detail = null;
    this.#detailError = null;
    this.#detailStatus = "loading";
    this.#actionError = null;
    try {
      const detail = await getPersona(id);
      if (selection !== this.#selection) return;
      this.#detail = detail;
      this.#detailStatus = "ready";
    } catch (e) {
      if (selection !== this.#selection) return;
      this.#detailError = IpcError.from(e, "get_persona");
      this.#detailStatus = "error";
    }
  }

  /** Clears the selection. */
  deselect(): void {
    this.#selection++;
    this.#selectedId = null;
    this.#detail = null;
    this.#detailError = null;
    this.#detailStatus = "idle";
  }

  // --- Forms -----------------------------------------------------------------------------------

  /** Opens the editor on a new, empty persona. */
  newPersona(): PersonaEditor {
    return this.#openEditor(new PersonaEditor());
  }

  /** Opens the editor on the selected persona (loaded, and not locked). */
  editSelected(): PersonaEditor | null {
    const detail = this.#detail;
    if (!detail || lockedBy(this.#selected).length > 0) return null;
    return this.#openEditor(new PersonaEditor(detail));
  }

  /** Opens "From a real user" and lists the most active users. */
  fromUser(): FromUserForm {
    const form = new FromUserForm();
    this.#open({ kind: "from-user", form });
    void form.search();
    return form;
  }

  /** Opens the persona-file import form. */
  importFile(): PersonaImport {
    const form = new PersonaImport();
    this.#open({ kind: "import", form });
    return form;
  }

  /** Opens the persona-file export form. */
  exportFile(): PersonaExport {
    const form = new PersonaExport();
    this.#open({ kind: "export", form });
    return form;
  }

  /** Closes the open form, dropping what was typed. */
  closePanel(): void {
    const panel = this.#panel;
    if (panel?.kind === "edit") panel.editor.dispose();
    if (panel?.kind === "from-user") panel.form.dispose();
    this.#panel = null;
  }

  // --- Changes ---------------------------------------------------------------------------------

  /** Saves the open editor; on success closes it and shows the saved persona. */
  async saveEditor(): Promise<boolean> {
    const panel = this.#panel;
    if (panel?.kind !== "edit") return false;
    const saved = await panel.editor.save();
    if (!saved) return false;
    if (this.#panel === panel) this.closePanel();
    await this.#show(saved);
    return true;
  }

  /** Creates the persona of the open "From a real user" form and shows it. */
  async createFromUser(): Promise<boolean> {
    const panel = this.#panel;
    if (panel?.kind !== "from-user") return false;
    const created = await panel.form.create();
    if (!created) return false;
    if (this.#panel === panel) this.closePanel();
    await this.#show(created);
    return true;
  }

  /** Imports the open import form's file; the form stays open with the report. */
  async runImport(): Promise<boolean> {
    const panel = this.#panel;
    if (panel?.kind !== "import") return false;
    const report = await panel.form.run();
    if (!report) return false;
    await this.load();
    if (this.#selectedId !== null) await this.select(this.#selectedId);
    return true;
  }

  /** Exports with the open export form: all personas, or only the selected one. */
  async runExport(): Promise<boolean> {
    const panel = this.#panel;
    if (panel?.kind !== "export") return false;
    const only = panel.form.onlySelected && this.#selectedId !== null;
    return panel.form.run(only ? [this.#selectedId!] : null);
  }

  /** Duplicates persona `id` ("<name> (copy)") and selects the copy. */
  async duplicate(id: string): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = "duplicate";
    this.#actionError = null;
    try {
      const copy = await duplicatePersona(id);
      await this.#show(copy);
      return true;
    } catch (e) {
      this.#actionError = IpcError.from(e, "duplicate_persona");
      return false;
    } finally {
      this.#busy = null;
    }
  }

  /** Deletes persona `id` (the caller has confirmed) and clears the selection. */
  async remove(id: string): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = "delete";
    this.#actionError = null;
    try {
      await deletePersona(id);
      if (this.#selectedId === id) this.deselect();
      await this.load();
      return true;
    } catch (e) {
      this.#actionError = IpcError.from(e, "delete_persona");
      return false;
    } finally {
      this.#busy = null;
    }
  }

  #open(panel: PersonaPanel): void {
    this.closePanel();
    this.#actionError = null;
    this.#panel = panel;
  }

  #openEditor(editor: PersonaEditor): PersonaEditor {
    this.#open({ kind: "edit", editor });
    void editor.search.search();
    return editor;
  }

  /** Reloads the list and selects `detail`'s persona, showing `detail` without fetching it. */
  async #show(detail: PersonaDetail): Promise<void> {
    this.#selection++;
    this.#selectedId = detail.persona.id;
    this.#detail = detail;
    this.#detailError = null;
    this.#detailStatus = "ready";
    await this.load();
  }
}
