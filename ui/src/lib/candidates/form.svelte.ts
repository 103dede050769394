/**
 * The candidate form: a new candidate (any kind) or an existing one being changed, its config
 * as the backend takes it, saving it, and testing the connection with what is typed so far.
 *
 * The backend checks every setting (URL, ARNs, secrets in clear, a name another candidate has)
 * and its message is shown as it is; the form only catches what cannot be sent at all (a timeout
 * that is not a number, a header value without a name). A field the message names is marked.
 *
 * Settings the form has no input for (a Personalize candidate's `context` and
 * `metadata_columns`, set in a candidates file) are kept as they were.
 */
import {
  IpcError,
  saveCandidate,
  testCandidate,
  type CandidateConfig,
  type CandidateDetail,
  type ConnectionTest,
  type PersonaMapping,
} from "../ipc";
import { DEFAULT_TIMEOUT_MS, fieldOf, type CandidateKind } from "./describe";
import { KeyValueRows } from "./keyValues.svelte";

type PersonalizeConfig = Extract<CandidateConfig, { kind: "personalize" }>;

/** Which ARN a Personalize candidate asks: a custom campaign or a domain recommender. */
export type ArnKind = "campaign" | "recommender";

/**
 * The same config without unset options and empty maps, as the backend stores and returns it
 * (it reads a missing field as unset).
 */
function tidy<T extends Record<string, unknown>>(config: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const emptyMap =
      typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
    if (v !== undefined && v !== null && !emptyMap) out[k] = v;
  }
  return out as T;
}

/** `""` → `null`, otherwise trimmed. */
function optional(text: string): string | null {
  const t = text.trim();
  return t === "" ? null : t;
}

export class CandidateForm {
  kind = $state<CandidateKind>("http");
  name = $state("");
  // builtin
  model = $state("");
  // http and personalize; `null` while the number field is empty.
  timeoutMs = $state<number | null>(DEFAULT_TIMEOUT_MS);
  // http
  url = $state("");
  readonly headers: KeyValueRows;
  // personalize
  region = $state("");
  arnKind = $state<ArnKind>("campaign");
  arn = $state("");
  filterArn = $state("");
  readonly filterValues: KeyValueRows;
  persona = $state<PersonaMapping>("replay");
  eventTrackerId = $state("");

  #id = $state<string | null>(null);
  #savedName = $state("");
  /** The config as last saved (or as opened), to tell whether anything changed. */
  #savedJson = $state<string | null>(null);
  /** This form saved the candidate (not merely opened a saved one). */
  #didSave = $state(false);
  #kept: Pick<PersonalizeConfig, "context" | "metadata_columns">;

  #saving = $state(false);
  #error = $state.raw<IpcError | null>(null);
  /** The config the save refusal is about; a changed form no longer shows it. */
  #refusedJson = $state<string | null>(null);
  #testing = $state(false);
  #test = $state.raw<ConnectionTest | null>(null);
  #testError = $state.raw<IpcError | null>(null);
  /** The config the shown test result (or error) is for. */
  #testedJson = $state<string | null>(null);

  #config = $derived.by((): CandidateConfig => {
    const name = this.name.trim();
    const timeout_ms = this.timeoutMs ?? Number.NaN;
    switch (this.kind) {
      case "builtin":
        return { kind: "builtin", name, model: this.model.trim() };
      case "http":
        return tidy({
          kind: "http",
          name,
          url: this.url.trim(),
          timeout_ms,
          headers: this.headers.record,
        });
      case "personalize": {
        const arn = this.arn.trim();
        return tidy({
          kind: "personalize",
          name,
          region: this.region.trim(),
          campaign_arn: this.arnKind === "campaign" ? arn : null,
          recommender_arn: this.arnKind === "recommender" ? arn : null,
          filter_arn: optional(this.filterArn),
          filter_values: this.filterValues.record,
          context: this.#kept.context,
          metadata_columns: this.#kept.metadata_columns,
          persona: this.persona,
          event_tracker_id: optional(this.eventTrackerId),
          timeout_ms,
        });
      }
    }
  });
  #json = $derived(JSON.stringify(this.#config));

  #problems = $derived.by(() => {
    const problems: string[] = [];
    if (this.kind !== "builtin") {
      const t = this.timeoutMs;
      if (t === null || !Number.isInteger(t)) {
        problems.push("Timeout: enter a whole number of milliseconds.");
      }
    }
    if (this.kind === "http") problems.push(...this.headers.problems.map((p) => `Headers: ${p}`));
    if (this.kind === "personalize") {
      problems.push(...this.filterValues.problems.map((p) => `Filter values: ${p}`));
    }
    return problems;
  });

  /**
   * A form for a new candidate when `detail` is `null`; otherwise for changing `detail`, or,
   * with `copy`, for a new candidate starting from its settings (named "… (copy)").
   */
  constructor(detail: CandidateDetail | null = null, { copy = false } = {}) {
    const config = detail?.config;
    this.#kept =
      config?.kind === "personalize"
        ? { context: config.context, metadata_columns: config.metadata_columns }
        : {};
    this.headers = new KeyValueRows(config?.kind === "http" ? config.headers : undefined);
    this.filterValues = new KeyValueRows(
      config?.kind === "personalize" ? config.filter_values : undefined,
    );
    if (!config) return;
    this.kind = config.kind;
    this.name = copy ? `${config.name} (copy)` : config.name;
    switch (config.kind) {
      case "builtin":
        this.model = config.model;
        break;
      case "http":
        this.url = config.url;
        this.timeoutMs = config.timeout_ms;
        break;
      case "personalize":
        this.region = config.region;
        this.arnKind = config.recommender_arn ? "recommender" : "campaign";
        this.arn = config.recommender_arn ?? config.campaign_arn ?? "";
        this.filterArn = config.filter_arn ?? "";
        this.persona = config.persona;
        this.eventTrackerId = config.event_tracker_id ?? "";
        this.timeoutMs = config.timeout_ms;
        break;
    }
    if (!copy) {
      this.#id = detail.id;
      this.#savedName = config.name;
      this.#savedJson = this.#json;
    }
  }

  /** The candidate's id once it exists; `null` for one not saved yet. */
  get id(): string | null {
    return this.#id;
  }
  /** Changing a saved candidate (not adding one). */
  get editing(): boolean {
    return this.#id !== null;
  }
  /** The name it was saved under, for the heading. */
  get savedName(): string {
    return this.#savedName;
  }
  /** The config as the backend takes it. */
  get config(): CandidateConfig {
    return this.#config;
  }
  /** Something differs from what was saved (always, for a new candidate). */
  get dirty(): boolean {
    return this.#json !== this.#savedJson;
  }
  /** Just saved from this form, and nothing changed since. */
  get saved(): boolean {
    return this.#didSave && !this.dirty;
  }
  /** What must be fixed before the config can be sent (the backend checks the rest). */
  get problems(): readonly string[] {
    return this.#problems;
  }
  get saving(): boolean {
    return this.#saving;
  }
  /**
   * Why the last save was refused (the message names the field), while the settings are still
   * the ones refused.
   */
  get error(): IpcError | null {
    return this.#refusedJson === this.#json ? this.#error : null;
  }
  /** The field the save or test refusal names (`url`, `headers`, `arn`…), to mark it. */
  get invalidField(): string | null {
    const e = this.error ?? (this.testStale ? null : this.#testError);
    return e?.code === "invalid_input" ? fieldOf(e.message) : null;
  }
  get testing(): boolean {
    return this.#testing;
  }
  /** What the last connection test gave. */
  get test(): ConnectionTest | null {
    return this.#test;
  }
  /** Why the last test could not run (settings that do not check out, no dataset…). */
  get testError(): IpcError | null {
    return this.#testError;
  }
  /** The settings changed since the test shown was run. */
  get testStale(): boolean {
    return this.#testedJson !== null && this.#testedJson !== this.#json;
  }

  /** Starts over as a new candidate of `kind` (a new candidate only); the name stays. */
  setKind(kind: CandidateKind): void {
    if (this.editing || kind === this.kind) return;
    this.kind = kind;
    this.#error = null;
    this.#test = null;
    this.#testError = null;
    this.#testedJson = null;
  }

  /** Saves; resolves to the saved candidate, or `null` (and `error`). */
  async save(): Promise<CandidateDetail | null> {
    if (this.#saving || !this.dirty || this.#problems.length > 0) return null;
    this.#saving = true;
    this.#error = null;
    const json = this.#json;
    try {
      const saved = await saveCandidate(this.#id, this.#config);
      this.#id = saved.id;
      this.#savedName = saved.config.name;
      this.#savedJson = json;
      this.#didSave = true;
      return saved;
    } catch (e) {
      this.#error = IpcError.from(e, "save_candidate");
      this.#refusedJson = json;
      return null;
    } finally {
      this.#saving = false;
    }
  }

  /** Asks the candidate, as typed, for one list; the result (or why not) replaces the last. */
  async runTest(): Promise<ConnectionTest | null> {
    if (this.#testing || this.#problems.length > 0) return null;
    this.#testing = true;
    this.#testError = null;
    const json = this.#json;
    try {
      this.#test = await testCandidate(this.#config);
      return this.#test;
    } catch (e) {
      this.#test = null;
      this.#testError = IpcError.from(e, "test_candidate");
      return null;
    } finally {
      this.#testedJson = json;
      this.#testing = false;
    }
  }
}
