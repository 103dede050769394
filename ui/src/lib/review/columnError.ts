/**
 * Why a candidate gave no list, split for reading: a headline, and what the server answered
 * (the start of an HTTP error's body) when there is any, shown apart in a small scroll box.
 */
export type ColumnError = { headline: string; body: string | null };

/**
 * `"HTTP 503 Service Unavailable: <html>…"` → `{ headline: "HTTP 503 Service Unavailable",
 * body: "<html>…" }`; any other message is all headline (its colons are part of URLs and
 * explanations, so it is never cut there).
 */
export function splitColumnError(message: string): ColumnError {
  const http = /^(HTTP \d{3}[^:\n]*): ([\s\S]*)$/.exec(message.trim());
  if (http && http[2]!.trim() !== "") return { headline: http[1]!, body: http[2]!.trim() };
  return { headline: message.trim(), body: null };
}
