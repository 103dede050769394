/**
 * The content types the catalog knows, in the order the UI lists them, with their labels.
 * Colours are the `--ct-<type>` custom properties of `app.css` (one set per theme).
 */
import type { ContentType } from "./ipc";

/** A `Record` so that a new `ContentType` in Rust fails `npm run check` until it has a label. */
const LABELS: Record<ContentType, string> = {
  series: "Series",
  film: "Film",
  reality: "Reality",
  documentary: "Documentary",
  news: "News",
  kids: "Kids",
  sport: "Sport",
  cooking: "Cooking",
  talk_show: "Talk show",
  other: "Other",
};

/** Every content type, in display order. */
export const CONTENT_TYPES = Object.keys(LABELS) as ContentType[];

/** `"talk_show"` → `"Talk show"`. */
export function contentTypeLabel(type: ContentType): string {
  return LABELS[type];
}

/** Whether a name sent as a plain string (e.g. a column's content mix) is a known content type. */
export function isContentType(name: string): name is ContentType {
  return Object.hasOwn(LABELS, name);
}

/** The label of a content type sent as a plain string; unknown names are shown as they are. */
export function contentTypeName(name: string): string {
  return isContentType(name) ? LABELS[name] : name;
}

/** The strong colour of a content type (bar segments), as a CSS value that follows the theme. */
export function contentTypeColor(name: string): string {
  return `var(--ct-${isContentType(name) ? name : "other"})`;
}
