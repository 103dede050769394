import { describe, expect, it } from "vitest";

import { addToDraft, allBad, describeDraft, describePreference, tie } from "./preference";

const label = (id: string) => ({ s1: "A", s2: "B", s3: "C", s4: "D" })[id] ?? null;

describe("preference builder", () => {
  it("with two lists, choosing one is the whole preference", () => {
    expect(addToDraft([], "s2", ["s1", "s2"])).toEqual({
      draft: [],
      complete: { ranking: ["s2", "s1"], tie: false, all_bad: false },
    });
  });

  it("with three lists, two picks make the order and the last list fills in", () => {
    const all = ["s1", "s2", "s3"];
    const first = addToDraft([], "s2", all);
    expect(first).toEqual({ draft: ["s2"], complete: null });
    const second = addToDraft(first.draft, "s1", all);
    expect(second).toEqual({
      draft: [],
      complete: { ranking: ["s2", "s1", "s3"], tie: false, all_bad: false },
    });
  });

  it("with four lists, three picks are needed", () => {
    const all = ["s1", "s2", "s3", "s4"];
    let step = addToDraft([], "s4", all);
    step = addToDraft(step.draft, "s2", all);
    expect(step).toEqual({ draft: ["s4", "s2"], complete: null });
    step = addToDraft(step.draft, "s1", all);
    expect(step.complete?.ranking).toEqual(["s4", "s2", "s1", "s3"]);
  });

  it("picking a list already in the order takes it out again", () => {
    const all = ["s1", "s2", "s3", "s4"];
    expect(addToDraft(["s3", "s1"], "s3", all)).toEqual({ draft: ["s1"], complete: null });
  });

  it("ignores ids that are not lists of the board", () => {
    expect(addToDraft(["s1"], "zz", ["s1", "s2", "s3"])).toEqual({ draft: ["s1"], complete: null });
  });

  it("tie and all bad rank every list in column order", () => {
    expect(tie(["s1", "s2", "s3"])).toEqual({
      ranking: ["s1", "s2", "s3"],
      tie: true,
      all_bad: false,
    });
    expect(allBad(["s1", "s2"])).toEqual({ ranking: ["s1", "s2"], tie: false, all_bad: true });
  });

  it("describes preferences and drafts with the column labels", () => {
    expect(
      describePreference({ ranking: ["s2", "s1", "s3"], tie: false, all_bad: false }, label),
    ).toBe("B > A > C");
    expect(describePreference(tie(["s1", "s2"]), label)).toBe("Tie");
    expect(describePreference(allBad(["s1", "s2"]), label)).toBe("All bad");
    expect(describeDraft(["s3"], label)).toBe("C > …");
    expect(describeDraft([], label)).toBe("");
  });
});
