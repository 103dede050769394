/**
 * The gate thresholds editor: the fields as typed, what is wrong with them before anything is
 * sent (numbers missing, counts that are not whole), and the thresholds they make. Ranges are
 * the backend's to check: it refuses a probability outside 0–1 or an α outside −1–1 with
 * `invalid_input`, which the editor shows as it words it.
 */
import { IpcError, setSessionGate, type GateThresholds, type SessionReport } from "../ipc";
import type { ItemFlag } from "../ipc";

/** The six flags, in the order the editor offers them as blockers. */
export const BLOCKER_FLAGS: readonly ItemFlag[] = [
  "inappropriate",
  "wrong_for_persona",
  "already_seen",
  "duplicate_franchise",
  "stale",
  "great_pick",
];

export type GateField =
  "min_win_probability" | "min_alpha" | "alpha_criterion" | "min_reviewers" | "min_judgements";
export type GateProblem = { field: GateField; message: string };

const isNumber = (x: number | null | undefined): x is number =>
  typeof x === "number" && Number.isFinite(x);

export class GateForm {
  readonly sessionId: string;

  /** Kept as typed (`null` while a number field is empty). */
  minWinProbability = $state<number | null>(0.5);
  minAlpha = $state<number | null>(0.667);
  alphaCriterion = $state("overall");
  blockerFlags = $state<string[]>([]);
  minReviewers = $state<number | null>(3);
  minJudgements = $state<number | null>(30);
  /** Set by a save attempt: from then on the problems are shown. */
  attempted = $state(false);

  #saving = $state(false);
  #error = $state.raw<IpcError | null>(null);
  #problems = $derived(this.#check());

  constructor(sessionId: string, thresholds: GateThresholds | null = null) {
    this.sessionId = sessionId;
    if (thresholds) this.fill(thresholds);
  }

  /** Saving (or resetting) runs. */
  get saving(): boolean {
    return this.#saving;
  }
  /** Why the last save or reset failed, in the backend's words. */
  get error(): IpcError | null {
    return this.#error;
  }
  get problems(): GateProblem[] {
    return this.#problems;
  }

  /** Sets every field from `t` and forgets problems and errors shown. */
  fill(t: GateThresholds): void {
    this.minWinProbability = t.min_win_probability;
    this.minAlpha = t.min_alpha;
    this.alphaCriterion = t.alpha_criterion;
    this.blockerFlags = [...t.blocker_flags];
    this.minReviewers = t.min_reviewers;
    this.minJudgements = t.min_judgements;
    this.attempted = false;
    this.#error = null;
  }

  toggleFlag(flag: string, on: boolean): void {
    const without = this.blockerFlags.filter((f) => f !== flag);
    if (!on) {
      this.blockerFlags = without;
      return;
    }
    const rank = (f: string) => {
      const i = (BLOCKER_FLAGS as readonly string[]).indexOf(f);
      return i < 0 ? BLOCKER_FLAGS.length : i;
    };
    this.blockerFlags = [...without, flag].sort((a, b) => rank(a) - rank(b));
  }

  /** The thresholds the fields make, or `null` while a field has a problem. */
  thresholds(): GateThresholds | null {
    if (this.#problems.length > 0) return null;
    return {
      min_win_probability: this.minWinProbability!,
      min_alpha: this.minAlpha!,
      alpha_criterion: this.alphaCriterion.trim(),
      blocker_flags: [...this.blockerFlags],
      min_reviewers: this.minReviewers!,
      min_judgements: this.minJudgements!,
    };
  }

  /**
   * Sends the thresholds; resolves to the report under them, or `null` (with `problems` or
   * `error`) when they were not saved.
   */
  save(): Promise<SessionReport | null> {
    this.attempted = true;
    const gate = this.thresholds();
    if (!gate) return Promise.resolve(null);
    return this.#send(gate);
  }

  /** Goes back to the default thresholds; resolves to the report under them, or `null`. */
  reset(): Promise<SessionReport | null> {
    return this.#send(null);
  }

  async #send(gate: GateThresholds | null): Promise<SessionReport | null> {
    if (this.#saving) return null;
    this.#saving = true;
    this.#error = null;
    try {
      const report = await setSessionGate({ session_id: this.sessionId, gate });
      this.fill(report.report.gate.thresholds);
      return report;
    } catch (e) {
      this.#error = IpcError.from(e, "set_session_gate");
      return null;
    } finally {
      this.#saving = false;
    }
  }

  #check(): GateProblem[] {
    const problems: GateProblem[] = [];
    if (!isNumber(this.minWinProbability)) {
      problems.push({
        field: "min_win_probability",
        message: "Give the lowest win probability, e.g. 0.5.",
      });
    }
    if (!isNumber(this.minAlpha)) {
      problems.push({ field: "min_alpha", message: "Give the lowest α, e.g. 0.667." });
    }
    if (!this.alphaCriterion.trim()) {
      problems.push({ field: "alpha_criterion", message: "Pick the criterion α is checked on." });
    }
    const whole = (x: number | null) => isNumber(x) && Number.isInteger(x) && x >= 0;
    if (!whole(this.minReviewers)) {
      problems.push({
        field: "min_reviewers",
        message: "The fewest reviewers must be a whole number, 0 or more.",
      });
    }
    if (!whole(this.minJudgements)) {
      problems.push({
        field: "min_judgements",
        message: "The fewest judgements must be a whole number, 0 or more.",
      });
    }
    return problems;
  }
}
