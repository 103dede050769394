/**
 * The persona picker: the list of personas, which one is selected, and its loaded detail
 * (watch history resolved to catalog items).
 *
 * Selecting quickly in a row is safe: only the answer for the latest selection is kept.
 */
import {
  IpcError,
  getPersona,
  listPersonas,
  type PersonaDetail,
  type PersonaSummary,
} from "../ipc";

export type LoadStatus = "idle" | "loading" | "ready" | "error";

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

  /** Loads (or reloads) the list of personas. */
  async load(): Promise<void> {
    this.#listStatus = "loading";
    this.#listError = null;
    try {
      this.#list = await listPersonas();
      this.#listStatus = "ready";
    } catch (e) {
      this.#listError = IpcError.from(e, "list_personas");
      this.#listStatus = "error";
    }
  }

  /** Selects a persona and loads its detail. Selecting the selected one again reloads it. */
  async select(id: string): Promise<void> {
    const selection = ++this.#selection;
    this.#selectedId = id;
    this.#detail = null;
    this.#detailError = null;
    this.#detailStatus = "loading";
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
}
