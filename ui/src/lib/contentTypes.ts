/**
 * The content types the catalog knows, in the order the UI lists them, with their labels.
 * Badge colours live in `components/ContentTypeBadge.svelte`, keyed on the same values.
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
