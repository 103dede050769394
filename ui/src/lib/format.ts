/**
 * How numbers, counts and dates look in the UI. One locale for all of them, so the screens (and
 * the tests) read the same on every machine.
 */
const LOCALE = "en-GB";

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric" });
const dayAndTime = new Intl.DateTimeFormat(LOCALE, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** `1512` → `"1,512"`. */
export function formatNumber(n: number): string {
  return integer.format(n);
}

/**
 * A duration in milliseconds, to about two significant digits: `0.109934` → `"0.11 ms"`,
 * `12.4` → `"12 ms"`, `1830` → `"1.8 s"`.
 */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toPrecision(2).replace(/\.?0+$/, "")} ms`;
}

/** `count(1512, "title")` → `"1,512 titles"`, `count(1, "title")` → `"1 title"`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}

/** Seconds since the Unix epoch → `"3 Mar 2024"` in the viewer's time zone. */
export function formatDate(epochSeconds: number): string {
  return day.format(new Date(epochSeconds * 1000));
}

/** Milliseconds since the Unix epoch → `"29 Nov 2026, 05:07"` in the viewer's time zone. */
export function formatDateTime(epochMs: number): string {
  return dayAndTime.format(new Date(epochMs));
}

/**
 * Two instants (epoch seconds, oldest first) → the days they span, sharing what they have in
 * common: `"6 – 9 Aug 2026"`, `"30 Jul – 2 Aug 2026"`; a single `"9 Aug 2026"` on the same day.
 * The spaces around the dash are thin spaces (U+2009), as the locale writes ranges.
 */
export function formatDateRange(firstEpochSeconds: number, lastEpochSeconds: number): string {
  const a = new Date(Math.min(firstEpochSeconds, lastEpochSeconds) * 1000);
  const b = new Date(Math.max(firstEpochSeconds, lastEpochSeconds) * 1000);
  return day.formatRange(a, b);
}

const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

/** A size in bytes, in the largest unit that keeps it at least 1: `"512 B"`, `"1.5 MB"`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? formatNumber(value) : decimal.format(value)} ${units[unit]}`;
}

/** A duration in seconds, to one decimal: `2.345` → `"2.3 s"`. */
export function formatSeconds(seconds: number): string {
  return `${decimal.format(seconds)} s`;
}
