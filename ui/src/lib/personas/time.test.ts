import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { fromLocalInput, toLocalInput } from "./time";

// A zone with daylight saving, so a conversion in UTC (or with a fixed offset) fails here.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "Europe/Brussels";
});
afterAll(() => {
  process.env.TZ = zone;
});

/** Unix seconds of an instant written in UTC. */
const utc = (iso: string) => Date.parse(`${iso}Z`) / 1000;

describe("toLocalInput", () => {
  it("shows the local wall-clock time, to the minute", () => {
    expect(toLocalInput(utc("2024-01-15T08:30:59"))).toBe("2024-01-15T09:30"); // UTC+1 in winter
    expect(toLocalInput(utc("2024-07-15T08:30:00"))).toBe("2024-07-15T10:30"); // UTC+2 in summer
  });

  it("crosses midnight into the local day", () => {
    expect(toLocalInput(utc("2023-12-31T23:30:00"))).toBe("2024-01-01T00:30");
  });

  it("pads early years and the epoch", () => {
    expect(toLocalInput(0)).toBe("1970-01-01T01:00");
  });
});

describe("fromLocalInput", () => {
  it("reads the local wall-clock time back as Unix seconds", () => {
    expect(fromLocalInput("2024-01-15T09:30")).toBe(utc("2024-01-15T08:30:00"));
    expect(fromLocalInput("2024-07-15T10:30")).toBe(utc("2024-07-15T08:30:00"));
    expect(fromLocalInput("2024-07-15T10:30:15")).toBe(utc("2024-07-15T08:30:15"));
  });

  it("round-trips with toLocalInput (minutes kept)", () => {
    for (const t of [utc("2024-03-31T00:59:00"), utc("2024-10-27T02:30:00"), 1_000_000_020]) {
      const shown = toLocalInput(t);
      expect(toLocalInput(fromLocalInput(shown)!)).toBe(shown);
      expect(fromLocalInput(shown)).toBe(t - (t % 60));
    }
  });

  it("resolves the daylight-saving changes as the browser does", () => {
    // 31 Mar 2024: 02:00 jumps to 03:00, so 02:30 does not exist; it reads as 03:30 CEST.
    expect(fromLocalInput("2024-03-31T02:30")).toBe(utc("2024-03-31T01:30:00"));
    // 27 Oct 2024: 02:00–03:00 happens twice; the first (summer time) is taken.
    expect(fromLocalInput("2024-10-27T02:30")).toBe(utc("2024-10-27T00:30:00"));
  });

  it("refuses empty, malformed and impossible values", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("2024-03-03")).toBeNull();
    expect(fromLocalInput("03/03/2024 10:00")).toBeNull();
    expect(fromLocalInput("2024-02-30T10:00")).toBeNull();
    expect(fromLocalInput("2023-02-29T10:00")).toBeNull();
    expect(fromLocalInput("2024-13-01T10:00")).toBeNull();
    expect(fromLocalInput("2024-01-01T24:00")).toBeNull();
  });

  it("takes years below 100 as written, not as 19xx", () => {
    expect(new Date(fromLocalInput("0050-06-01T12:00")! * 1000).getFullYear()).toBe(50);
  });
});
