/**
 * Watch-history timestamps are Unix seconds; a `datetime-local` input shows and takes the
 * viewer's local wall-clock time as `"2024-03-03T09:05"`. These two functions convert between
 * them, in the local time zone (daylight saving included), to the minute.
 */

/** Earliest and latest values the backend accepts (1970 to 2100), for the input's min/max. */
export const MIN_INPUT = "1970-01-01T00:00";
export const MAX_INPUT = "2099-12-31T23:59";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Unix seconds → `"YYYY-MM-DDTHH:MM"` in local time (seconds are dropped). */
export function toLocalInput(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

/**
 * `"YYYY-MM-DDTHH:MM"` (optionally `:SS`) in local time → Unix seconds; `null` for an empty or
 * impossible value (`"2024-02-30T10:00"`). Daylight-saving changes resolve the way the
 * browser's `Date` does: a skipped time reads as an hour later, a repeated one as its first
 * occurrence.
 */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hours, minutes, seconds] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hours > 23 || minutes > 59 || seconds > 59) return null;
  const d = new Date(2000, 0, 1, hours, minutes, seconds);
  // setFullYear, not the constructor: the constructor reads years 0–99 as 1900–1999.
  d.setFullYear(year, month - 1, day);
  if (d.getMonth() !== month - 1 || d.getDate() !== day) return null;
  return Math.floor(d.getTime() / 1000);
}
