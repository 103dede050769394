/**
 * The load check of one session: the form (which candidate, the rate, how long, the ramp, how
 * many in flight, the p99 the gate holds it to, and for an Amazon Personalize candidate the
 * confirmation that it costs money), the run (its progress second by second, Stop), what it
 * measured, and the session's checks so far. Ranges are the backend's to check: it refuses a
 * bad value with `invalid_input` naming the field, which is shown as it words it; this only
 * catches what cannot be sent (an empty field, a fractional concurrency).
 */
import {
  IpcError,
  cancelLoadCheck,
  loadChecks,
  runLoadCheck,
  type CandidateInfo,
  type LoadCheck,
  type LoadCheckRequest,
  type LoadProgress,
  type SessionDetail,
} from "../ipc";
import type { LoadStatus } from "../personas/personas.svelte";

/** What the form starts with. */
export const LOAD_DEFAULTS = {
  rate: 20,
  durationS: 30,
  rampS: 0,
  concurrency: 16,
  maxP99Ms: 500,
} as const;

export type LoadField =
  "rate" | "duration_s" | "ramp_s" | "concurrency" | "max_p99_ms" | "confirm_cost";
export type LoadProblem = { field: LoadField; message: string };

const isNumber = (x: number | null | undefined): x is number =>
  typeof x === "number" && Number.isFinite(x);

export class LoadCheckState {
  readonly sessionId: string;
  readonly sessionName: string;
  /** The session's candidates, in session order, with their real names. */
  readonly candidates: readonly CandidateInfo[];
  readonly challengerId: string | null;
  /** How many personas the session has: each request asks for one persona's list. */
  readonly personaCount: number;

  /** Kept as typed (`null` while a number field is empty). */
  rate = $state<number | null>(LOAD_DEFAULTS.rate);
  durationS = $state<number | null>(LOAD_DEFAULTS.durationS);
  rampS = $state<number | null>(LOAD_DEFAULTS.rampS);
  concurrency = $state<number | null>(LOAD_DEFAULTS.concurrency);
  maxP99Ms = $state<number | null>(LOAD_DEFAULTS.maxP99Ms);
  /** "I understand this costs money", for an Amazon Personalize candidate. */
  confirmCost = $state(false);
  /** Set by a run attempt: from then on the problems are shown. */
  attempted = $state(false);

  #candidateId = $state("");
  #request = $state.raw<LoadCheckRequest | null>(null);
  #stopping = $state(false);
  #timeline = $state.raw<LoadProgress[]>([]);
  #result = $state.raw<LoadCheck | null>(null);
  #error = $state.raw<IpcError | null>(null);
  #stopError = $state.raw<IpcError | null>(null);

  #history = $state.raw<LoadCheck[]>([]);
  #historyStatus = $state<LoadStatus>("idle");
  #historyError = $state.raw<IpcError | null>(null);

  #candidate = $derived.by(() => this.candidates.find((c) => c.id === this.#candidateId) ?? null);
  #problems = $derived.by(() => this.#check());

  /** The challenger is picked first (else the first candidate). */
  constructor(detail: SessionDetail) {
    this.sessionId = detail.summary.id;
    this.sessionName = detail.summary.name;
    this.candidates = detail.candidates;
    this.challengerId = detail.challenger_candidate_id;
    this.personaCount = detail.personas.length;
    this.#candidateId = detail.challenger_candidate_id ?? detail.candidates[0]?.id ?? "";
  }

  /** The candidate to load; picking another one asks for the cost confirmation again. */
  get candidateId(): string {
    return this.#candidateId;
  }
  set candidateId(id: string) {
    if (id === this.#candidateId) return;
    this.#candidateId = id;
    this.confirmCost = false;
  }
  get candidate(): CandidateInfo | null {
    return this.#candidate;
  }
  /** Loading it costs money (an Amazon Personalize campaign): it needs the confirmation. */
  get costly(): boolean {
    return this.#candidate?.kind === "personalize";
  }
  /** It came with a joined team session as a name only: it cannot be loaded from here. */
  get nameOnly(): boolean {
    return this.#candidate?.kind === "team";
  }
  get problems(): readonly LoadProblem[] {
    return this.#problems;
  }

  /** A check runs (Stop ends it early). */
  get running(): boolean {
    return this.#request !== null;
  }
  /** What the running check was asked for. */
  get request(): LoadCheckRequest | null {
    return this.#request;
  }
  get stopping(): boolean {
    return this.#stopping;
  }
  /** The running check's seconds so far, oldest first. */
  get timeline(): readonly LoadProgress[] {
    return this.#timeline;
  }
  /** The latest second of the running check. */
  get progress(): LoadProgress | null {
    return this.#timeline.at(-1) ?? null;
  }
  /** The check this form ran last (stopped ones too), once it ended. */
  get result(): LoadCheck | null {
    return this.#result;
  }
  /** Why the last run was refused or failed, in the backend's words. */
  get error(): IpcError | null {
    return this.#error;
  }
  get stopError(): IpcError | null {
    return this.#stopError;
  }
  /** The session's load checks, oldest first. */
  get history(): readonly LoadCheck[] {
    return this.#history;
  }
  get historyStatus(): LoadStatus {
    return this.#historyStatus;
  }
  get historyError(): IpcError | null {
    return this.#historyError;
  }

  /** The run's length as asked (ramp and hold), seconds; 0 while a field is empty. */
  get plannedLength(): number {
    const r = this.#request;
    if (r) return r.ramp_s + r.duration_s;
    return isNumber(this.durationS) && isNumber(this.rampS) ? this.durationS + this.rampS : 0;
  }

  /** What the fields ask for, or `null` while one has a problem. */
  toRequest(): LoadCheckRequest | null {
    if (this.#problems.length > 0) return null;
    return {
      session_id: this.sessionId,
      candidate_id: this.#candidateId,
      rate: this.rate!,
      duration_s: this.durationS!,
      ramp_s: this.rampS!,
      concurrency: this.concurrency!,
      max_p99_ms: this.maxP99Ms!,
      confirm_cost: this.costly && this.confirmCost,
    };
  }

  /** Loads (or reloads) the session's load checks. */
  async loadHistory(): Promise<void> {
    this.#historyStatus = "loading";
    this.#historyError = null;
    try {
      this.#history = await loadChecks(this.sessionId);
      this.#historyStatus = "ready";
    } catch (e) {
      this.#historyError = IpcError.from(e, "load_checks");
      this.#historyStatus = "error";
    }
  }

  /**
   * Runs the check, following its progress; resolves to it (stopped ones too), kept as
   * `result` and added to the history, or to `null` (with `problems` or `error`) when it did not
   * run. Does nothing while one runs.
   */
  async run(): Promise<LoadCheck | null> {
    if (this.#request) return null;
    this.attempted = true;
    const request = this.toRequest();
    if (!request) return null;
    this.#request = request;
    this.#stopping = false;
    this.#timeline = [];
    this.#result = null;
    this.#error = null;
    this.#stopError = null;
    try {
      const check = await runLoadCheck(request, (p) => {
        if (this.#request === request) this.#timeline = [...this.#timeline, p];
      });
      this.#result = check;
      this.#history = [...this.#history.filter((c) => c.id !== check.id), check];
      return check;
    } catch (e) {
      this.#error = IpcError.from(e, "run_load_check");
      return null;
    } finally {
      this.#request = null;
      this.#stopping = false;
    }
  }

  /** Stops the running check: it ends with what it measured so far (`result.stopped`). */
  async stop(): Promise<void> {
    if (!this.#request || this.#stopping) return;
    this.#stopping = true;
    this.#stopError = null;
    try {
      await cancelLoadCheck();
    } catch (e) {
      this.#stopError = IpcError.from(e, "cancel_load_check");
      this.#stopping = false;
    }
  }

  #check(): LoadProblem[] {
    const problems: LoadProblem[] = [];
    if (!isNumber(this.rate)) {
      problems.push({ field: "rate", message: "Give the rate in requests per second, e.g. 20." });
    }
    if (!isNumber(this.durationS)) {
      problems.push({ field: "duration_s", message: "Give how long to hold the rate, e.g. 30 s." });
    }
    if (!isNumber(this.rampS)) {
      problems.push({ field: "ramp_s", message: "Give the ramp in seconds (0 for none)." });
    }
    if (
      !isNumber(this.concurrency) ||
      !Number.isInteger(this.concurrency) ||
      this.concurrency < 0
    ) {
      problems.push({
        field: "concurrency",
        message: "Give how many requests may be in flight as a whole number, e.g. 16.",
      });
    }
    if (!isNumber(this.maxP99Ms)) {
      problems.push({
        field: "max_p99_ms",
        message: "Give the p99 bound in milliseconds, e.g. 500.",
      });
    }
    if (this.costly && !this.confirmCost) {
      problems.push({
        field: "confirm_cost",
        message: "Tick “I understand this costs money” to load an Amazon Personalize campaign.",
      });
    }
    return problems;
  }
}
