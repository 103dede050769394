import { describe, expect, it } from "vitest";

import { NewSessionForm, parseCriteria } from "./newSession.svelte";

describe("parseCriteria", () => {
  it("splits on commas, trims, drops empties and repeats", () => {
    expect(parseCriteria(" relevance, Diversity ,, editorial   quality, diversity ")).toEqual([
      "relevance",
      "Diversity",
      "editorial quality",
    ]);
    expect(parseCriteria(" , ")).toEqual([]);
  });
});

describe("NewSessionForm", () => {
  it("starts with the defaults: every persona, k 10, blind, the five criteria", () => {
    const form = new NewSessionForm(["reality-fan", "new-viewer"]);
    expect(form.personaIds).toEqual(["reality-fan", "new-viewer"]);
    expect(form.k).toBe(10);
    expect(form.blind).toBe(true);
    expect(form.criteria).toEqual([
      "relevance",
      "diversity",
      "freshness",
      "editorial quality",
      "overall",
    ]);
    expect(form.attempted).toBe(false);
  });

  it("says what is missing, and submit gives nothing until it is fixed", () => {
    const form = new NewSessionForm([]);
    expect(form.problems.map((p) => p.field)).toEqual(["name", "personas", "candidates"]);
    expect(form.submit()).toBeNull();
    expect(form.attempted).toBe(true);
    form.name = "Release v3";
    form.togglePersona("reality-fan", true);
    form.toggleCandidate("ease", true);
    expect(form.problems).toEqual([
      { field: "candidates", message: "Pick 2 to 4 candidates to compare (1 picked)." },
    ]);
  });

  it("allows 2 to 4 candidates", () => {
    const form = new NewSessionForm(["p"]);
    form.name = "x";
    for (const id of ["a", "b", "c", "d", "e"]) form.toggleCandidate(id, true);
    expect(form.problems.map((p) => p.message)).toEqual([
      "Pick 2 to 4 candidates to compare (5 picked).",
    ]);
    form.toggleCandidate("e", false);
    expect(form.valid).toBe(true);
  });

  it("checks k and the criteria", () => {
    const form = new NewSessionForm(["p"]);
    form.name = "x";
    form.candidateIds = ["a", "b"];
    for (const k of [0, 51, 2.5, null]) {
      form.k = k;
      expect(form.problems.map((p) => p.field)).toEqual(["k"]);
    }
    form.k = 50;
    form.criteriaText = " ,";
    expect(form.problems.map((p) => p.field)).toEqual(["criteria"]);
  });

  it("keeps the list order of personas and candidates, whatever the ticking order", () => {
    const form = new NewSessionForm([]);
    const order = ["p1", "p2", "p3"];
    form.togglePersona("p3", true, order);
    form.togglePersona("p1", true, order);
    expect(form.personaIds).toEqual(["p1", "p3"]);
  });

  it("unticking the incumbent clears it", () => {
    const form = new NewSessionForm(["p"]);
    form.toggleCandidate("a", true);
    form.toggleCandidate("b", true);
    form.incumbentId = "b";
    form.toggleCandidate("b", false);
    expect(form.incumbentId).toBeNull();
  });

  it("keeps only the candidates still offered, and such an incumbent", () => {
    const form = new NewSessionForm(["p"]);
    for (const id of ["a", "b", "c"]) form.toggleCandidate(id, true);
    form.incumbentId = "b";
    form.keepCandidates(["a", "c", "d"]);
    expect(form.candidateIds).toEqual(["a", "c"]);
    expect(form.incumbentId).toBeNull();
    form.incumbentId = "c";
    form.keepCandidates(["c"]);
    expect(form.incumbentId).toBe("c");
  });

  it("submits the request", () => {
    const form = new NewSessionForm(["reality-fan"]);
    form.name = "  Release v3 vs v2 ";
    form.toggleCandidate("ease", true);
    form.toggleCandidate("popularity", true);
    form.incumbentId = "popularity";
    form.blind = false;
    form.k = 20;
    form.criteriaText = "relevance, overall";
    expect(form.submit()).toEqual({
      name: "Release v3 vs v2",
      persona_ids: ["reality-fan"],
      candidate_ids: ["ease", "popularity"],
      k: 20,
      blind: false,
      criteria: ["relevance", "overall"],
      incumbent_candidate_id: "popularity",
      challenger_candidate_id: null,
    });
  });

  it("the challenger: one of the others, cleared with its candidate or when made incumbent", () => {
    const form = new NewSessionForm(["p"]);
    for (const id of ["a", "b", "c"]) form.toggleCandidate(id, true);
    form.setIncumbent("a");
    expect(form.challengerChoices).toEqual(["b", "c"]);
    expect(form.impliedChallenger).toBeNull(); // three candidates: nobody by default
    form.challengerId = "b";
    form.setIncumbent("b");
    expect(form.challengerId).toBeNull();
    form.challengerId = "c";
    form.toggleCandidate("c", false);
    expect(form.challengerId).toBeNull();
    expect(form.impliedChallenger).toBe("a"); // two candidates and an incumbent: the other
    form.challengerId = "a";
    form.keepCandidates(["b"]);
    expect(form.challengerId).toBeNull();
  });

  it("says when the challenger is not a candidate or is the incumbent", () => {
    const form = new NewSessionForm(["p"]);
    form.name = "x";
    form.toggleCandidate("a", true);
    form.toggleCandidate("b", true);
    form.challengerId = "z";
    expect(form.problems).toEqual([
      { field: "challenger", message: "The challenger must be one of the candidates." },
    ]);
    form.incumbentId = "a";
    form.challengerId = "a";
    expect(form.problems.map((p) => p.message)).toEqual([
      "The challenger and the incumbent must differ.",
    ]);
    form.challengerId = "b";
    expect(form.submit()).toMatchObject({
      incumbent_candidate_id: "a",
      challenger_candidate_id: "b",
    });
  });
});
