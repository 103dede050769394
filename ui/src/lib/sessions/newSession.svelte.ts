/**
 * The "New session" form: its fields, what is wrong with them (said in words the form shows),
 * and the request they make.
 */
import type { NewSessionRequest } from "../ipc";

export const DEFAULT_CRITERIA_TEXT = "relevance, diversity, freshness, editorial quality, overall";
export const MIN_CANDIDATES = 2;
export const MAX_CANDIDATES = 4;
export const MAX_K = 50;

/** `"relevance, Diversity ,, overall"` → `["relevance", "Diversity", "overall"]`, duplicates once. */
export function parseCriteria(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(",")) {
    const name = part.trim().replace(/\s+/g, " ");
    if (name && !out.some((c) => c.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}

export type FormField =
  "name" | "personas" | "candidates" | "k" | "criteria" | "incumbent" | "challenger";
export type FormProblem = { field: FormField; message: string };

export class NewSessionForm {
  name = $state("");
  personaIds = $state<string[]>([]);
  candidateIds = $state<string[]>([]);
  /** Kept as typed, so the field can be half-edited; checked by {@link problems}. */
  k = $state<number | null>(10);
  blind = $state(true);
  incumbentId = $state<string | null>(null);
  /** The candidate the release decision is about (`null`: none, or the other of two). */
  challengerId = $state<string | null>(null);
  criteriaText = $state(DEFAULT_CRITERIA_TEXT);
  /** Set by a submit attempt: from then on the problems are shown. */
  attempted = $state(false);

  #criteria = $derived(parseCriteria(this.criteriaText));
  #problems = $derived(this.#check());

  /** Starts with every persona in `personaIds` ticked (most sessions review them all). */
  constructor(personaIds: readonly string[] = []) {
    this.personaIds = [...personaIds];
  }

  get criteria(): string[] {
    return this.#criteria;
  }
  /** What must change before the session can be created, in form order. */
  get problems(): FormProblem[] {
    return this.#problems;
  }
  get valid(): boolean {
    return this.#problems.length === 0;
  }

  /** Ticks or unticks a persona; `order` (all ids as listed) keeps the session in list order. */
  togglePersona(id: string, on: boolean, order: readonly string[] = []): void {
    this.personaIds = toggle(this.personaIds, id, on, order);
  }

  toggleCandidate(id: string, on: boolean, order: readonly string[] = []): void {
    this.candidateIds = toggle(this.candidateIds, id, on, order);
    if (!on && this.incumbentId === id) this.incumbentId = null;
    if (!on && this.challengerId === id) this.challengerId = null;
  }

  /** Sets the incumbent; a challenger that was that candidate is cleared (they must differ). */
  setIncumbent(id: string | null): void {
    this.incumbentId = id;
    if (id !== null && this.challengerId === id) this.challengerId = null;
  }

  /**
   * The candidates the challenger can be: the ticked ones except the incumbent, in the order
   * `candidateIds` keeps.
   */
  get challengerChoices(): string[] {
    return this.candidateIds.filter((id) => id !== this.incumbentId);
  }

  /**
   * Who the backend takes as the challenger when none is chosen: with two candidates and an
   * incumbent, the other one; otherwise nobody.
   */
  get impliedChallenger(): string | null {
    if (this.challengerId !== null || this.incumbentId === null) return null;
    if (this.candidateIds.length !== 2) return null;
    return this.candidateIds.find((id) => id !== this.incumbentId) ?? null;
  }

  /**
   * Unticks the candidates no longer offered (archived meanwhile), and such an incumbent or
   * challenger.
   */
  keepCandidates(offered: readonly string[]): void {
    this.candidateIds = this.candidateIds.filter((id) => offered.includes(id));
    if (this.incumbentId !== null && !offered.includes(this.incumbentId)) this.incumbentId = null;
    if (this.challengerId !== null && !offered.includes(this.challengerId)) {
      this.challengerId = null;
    }
  }

  /** The request to send, or `null` (and the problems shown) when the form is not valid. */
  submit(): NewSessionRequest | null {
    this.attempted = true;
    if (!this.valid) return null;
    return {
      name: this.name.trim(),
      persona_ids: [...this.personaIds],
      candidate_ids: [...this.candidateIds],
      k: this.k!,
      blind: this.blind,
      criteria: [...this.#criteria],
      incumbent_candidate_id: this.incumbentId,
      challenger_candidate_id: this.challengerId,
    };
  }

  #check(): FormProblem[] {
    const problems: FormProblem[] = [];
    if (!this.name.trim()) problems.push({ field: "name", message: "Give the session a name." });
    if (this.personaIds.length === 0) {
      problems.push({ field: "personas", message: "Pick at least one persona." });
    }
    const n = this.candidateIds.length;
    if (n < MIN_CANDIDATES || n > MAX_CANDIDATES) {
      problems.push({
        field: "candidates",
        message: `Pick ${MIN_CANDIDATES} to ${MAX_CANDIDATES} candidates to compare (${n} picked).`,
      });
    }
    const k = this.k;
    if (k === null || !Number.isInteger(k) || k < 1 || k > MAX_K) {
      problems.push({
        field: "k",
        message: `List length must be a whole number from 1 to ${MAX_K}.`,
      });
    }
    if (this.#criteria.length === 0) {
      problems.push({ field: "criteria", message: "Name at least one criterion to rate." });
    }
    if (this.incumbentId !== null && !this.candidateIds.includes(this.incumbentId)) {
      problems.push({
        field: "incumbent",
        message: "The incumbent must be one of the candidates.",
      });
    }
    if (this.challengerId !== null) {
      if (!this.candidateIds.includes(this.challengerId)) {
        problems.push({
          field: "challenger",
          message: "The challenger must be one of the candidates.",
        });
      } else if (this.challengerId === this.incumbentId) {
        problems.push({
          field: "challenger",
          message: "The challenger and the incumbent must differ.",
        });
      }
    }
    return problems;
  }
}

function toggle(list: readonly string[], id: string, on: boolean, order: readonly string[]) {
  const without = list.filter((x) => x !== id);
  if (!on) return without;
  const rank = (x: string) => {
    const i = order.indexOf(x);
    return i < 0 ? order.length : i;
  };
  return [...without, id].sort((a, b) => rank(a) - rank(b));
}
