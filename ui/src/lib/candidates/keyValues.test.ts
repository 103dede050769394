import { describe, expect, it } from "vitest";

import { KeyValueRows } from "./keyValues.svelte";

describe("KeyValueRows", () => {
  it("starts from a record and reads back named rows, names trimmed", () => {
    const rows = new KeyValueRows({ Accept: "application/json" });
    const key = rows.add(" X-Team ", "editorial");
    rows.add(); // an empty row is ignored
    expect(rows.record).toEqual({ Accept: "application/json", "X-Team": "editorial" });
    rows.remove(key);
    expect(rows.record).toEqual({ Accept: "application/json" });
    expect(rows.rows).toHaveLength(2);
    expect(rows.problems).toEqual([]);
  });

  it("says what cannot be sent: a value without a name, a name given twice", () => {
    const rows = new KeyValueRows();
    rows.add("", "Bearer ${T}");
    rows.add("Accept", "a");
    rows.add("accept", "b");
    expect(rows.problems).toEqual([
      "A value (“Bearer ${T}”) has no name.",
      "“accept” is given twice.",
    ]);
    rows.rows[0]!.name = "Authorization";
    rows.rows[2]!.name = "X-Other";
    expect(rows.problems).toEqual([]);
  });
});
