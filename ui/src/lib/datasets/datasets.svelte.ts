/**
 * The datasets of this device — the built-in demo and imported ones — and which one is active
 * (the Library shows it; new review sessions use it): listing them, switching, and importing
 * one with progress.
 *
 * Whatever depends on the active dataset (catalog counts and search, personas, the new-session
 * form) is reloaded through `onActiveChange`, which the app shell wires up: after a switch, and
 * after an import that made the new dataset active.
 */
import {
  IpcError,
  importDataset,
  listDatasets,
  setActiveDataset,
  type DatasetInfo,
  type ImportProgress,
  type ImportReport,
  type ImportStage,
} from "../ipc";
import type { LoadStatus } from "../status";

/** The formats the import form offers; `""` lets the backend detect it from the files. */
export type ImportFormat = "" | "personalize" | "movielens";

export const IMPORT_FORMATS: { value: ImportFormat; label: string }[] = [
  { value: "", label: "Detect from the files" },
  { value: "personalize", label: "Amazon Personalize CSV" },
  { value: "movielens", label: "MovieLens" },
];

/** How a dataset's `format` reads in the list. */
export function formatLabel(format: string): string {
  switch (format) {
    case "demo":
      return "Built in";
    case "personalize":
      return "Personalize CSV";
    case "movielens":
      return "MovieLens";
    default:
      return format;
  }
}

const STAGES: Record<ImportStage, { step: number; label: string }> = {
  reading: { step: 1, label: "Reading" },
  copying: { step: 2, label: "Keeping a copy" },
  saving: { step: 3, label: "Saving" },
};

/** The import form: what to import, and how the running (or last) import went. */
export class DatasetImport {
  path = $state("");
  format = $state<ImportFormat>("");
  name = $state("");
  strict = $state(false);
  activate = $state(true);

  #running = $state(false);
  #progress = $state.raw<ImportProgress | null>(null);
  #report = $state.raw<ImportReport | null>(null);
  #error = $state.raw<IpcError | null>(null);

  #percent = $derived.by(() => {
    const p = this.#progress;
    if (!p || p.total <= 0) return null;
    return Math.min(100, Math.max(0, Math.round((p.done / p.total) * 100)));
  });

  get running(): boolean {
    return this.#running;
  }
  /** The latest progress message of the running import. */
  get progress(): ImportProgress | null {
    return this.#progress;
  }
  /** How far the current stage is, 0–100; `null` before anything is known. */
  get percent(): number | null {
    return this.#percent;
  }
  /** "Step 1 of 3 · Reading", for the progress line. */
  get stageLabel(): string {
    const p = this.#progress;
    if (!p) return "Starting…";
    const stage = STAGES[p.stage];
    return `Step ${stage.step} of 3 · ${stage.label}`;
  }
  /** What the last import did. */
  get report(): ImportReport | null {
    return this.#report;
  }
  /** Why the last import failed; the message names file, line and column. */
  get error(): IpcError | null {
    return this.#error;
  }
  /** The form can start an import: a path, and nothing running. */
  get ready(): boolean {
    return !this.#running && this.path.trim() !== "";
  }

  /** Runs the import; resolves to its report, or `null` (and `error`) when it failed. */
  async run(): Promise<ImportReport | null> {
    if (!this.ready) return null;
    this.#running = true;
    this.#progress = null;
    this.#report = null;
    this.#error = null;
    try {
      const report = await importDataset(
        {
          path: this.path.trim(),
          format: this.format === "" ? null : this.format,
          name: this.name.trim() === "" ? null : this.name.trim(),
          strict: this.strict,
          activate: this.activate,
        },
        (p) => {
          if (this.#running) this.#progress = p;
        },
      );
      this.#report = report;
      this.name = "";
      return report;
    } catch (e) {
      this.#error = IpcError.from(e, "import_dataset");
      return null;
    } finally {
      this.#running = false;
      this.#progress = null;
    }
  }
}

export type DatasetsOptions = {
  /** Reloads what depends on the active dataset; awaited by `use` and `runImport`. */
  onActiveChange?: (active: DatasetInfo) => Promise<void> | void;
};

export class DatasetsState {
  readonly importer = new DatasetImport();

  #list = $state.raw<DatasetInfo[]>([]);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  #switching = $state<string | null>(null);
  #switchError = $state.raw<IpcError | null>(null);
  #onActiveChange: (active: DatasetInfo) => Promise<void> | void;
  /** Increases with each list load; an older answer is dropped. */
  #load = 0;

  #active = $derived(this.#list.find((d) => d.active) ?? null);

  constructor({ onActiveChange = () => {} }: DatasetsOptions = {}) {
    this.#onActiveChange = onActiveChange;
  }

  get list(): readonly DatasetInfo[] {
    return this.#list;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  /** The active dataset, once the list is loaded. */
  get active(): DatasetInfo | null {
    return this.#active;
  }
  /** The id of the dataset being made active. */
  get switching(): string | null {
    return this.#switching;
  }
  get switchError(): IpcError | null {
    return this.#switchError;
  }

  /** Loads (or reloads) the list; the one on screen stays until the new one arrives. */
  async load(): Promise<void> {
    const load = ++this.#load;
    this.#status = "loading";
    this.#error = null;
    try {
      const list = await listDatasets();
      if (load !== this.#load) return;
      this.#list = list;
      this.#status = "ready";
    } catch (e) {
      if (load !== this.#load) return;
      this.#error = IpcError.from(e, "list_datasets");
      this.#status = "error";
    }
  }

  /** Makes `id` the active dataset, then reloads its dependants. `false` when it failed. */
  async use(id: string): Promise<boolean> {
    if (this.#switching !== null || this.#active?.id === id) return false;
    this.#switching = id;
    this.#switchError = null;
    try {
      const active = await setActiveDataset(id);
      this.#list = this.#list.map((d) => ({ ...d, active: d.id === active.id }));
      await this.#onActiveChange(active);
      return true;
    } catch (e) {
      this.#switchError = IpcError.from(e, "set_active_dataset");
      return false;
    } finally {
      this.#switching = null;
    }
  }

  /**
   * Runs the import form, then reloads the list and, when the new dataset became active, its
   * dependants.
   */
  async runImport(): Promise<ImportReport | null> {
    const report = await this.importer.run();
    if (!report) return null;
    await this.load();
    if (report.dataset.active) await this.#onActiveChange(report.dataset);
    return report;
  }
}
