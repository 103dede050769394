/** `1` → `"1st"`, `2` → `"2nd"`, `3` → `"3rd"`, `4` → `"4th"` (places in a preference). */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}
