import { describe, expect, it } from "vitest";

import { count, formatDate, formatNumber } from "./format";

describe("format", () => {
  it("groups thousands", () => {
    expect(formatNumber(230412)).toBe("230,412");
    expect(formatNumber(7)).toBe("7");
  });

  it("pluralises counts", () => {
    expect(count(1512, "title")).toBe("1,512 titles");
    expect(count(1, "title")).toBe("1 title");
    expect(count(0, "title")).toBe("0 titles");
    expect(count(2, "entry", "entries")).toBe("2 entries");
  });

  it("formats epoch seconds as a day", () => {
    // Noon UTC, so the day is the same in every time zone the tests may run in.
    expect(formatDate(Date.UTC(2024, 2, 3, 12) / 1000)).toBe("3 Mar 2024");
  });
});
