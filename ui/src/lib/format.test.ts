import { describe, expect, it } from "vitest";

import {
  count,
  formatBytes,
  formatDate,
  formatDateRange,
  formatMs,
  formatNumber,
  formatSeconds,
} from "./format";

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

  it("formats a range of days, sharing month and year", () => {
    const noon = (m: number, d: number, y = 2026) => Date.UTC(y, m, d, 12) / 1000;
    expect(formatDateRange(noon(7, 6), noon(7, 9))).toBe("6\u2009\u2013\u20099 Aug 2026");
    expect(formatDateRange(noon(6, 30), noon(7, 2))).toBe("30 Jul\u2009\u2013\u20092 Aug 2026");
    expect(formatDateRange(noon(7, 9), noon(7, 9) + 60)).toBe("9 Aug 2026");
  });
});

describe("formatMs", () => {
  it("keeps about two significant digits", () => {
    expect(formatMs(0.109934)).toBe("0.11 ms");
    expect(formatMs(2)).toBe("2 ms");
    expect(formatMs(12.4)).toBe("12 ms");
    expect(formatMs(1830)).toBe("1.8 s");
  });

  it("formats sizes in decimal units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("1 kB");
    expect(formatBytes(1_534_000)).toBe("1.5 MB");
    expect(formatBytes(2_000_000_000)).toBe("2 GB");
  });

  it("formats seconds to one decimal", () => {
    expect(formatSeconds(2.345)).toBe("2.3 s");
    expect(formatSeconds(0.04)).toBe("0 s");
  });
});
