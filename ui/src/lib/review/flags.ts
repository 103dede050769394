/** The item flags in the order the board shows them, with their words. */
import type { ItemFlag } from "../ipc";

/** A `Record`, so a new `ItemFlag` in Rust fails `npm run check` until it has words here. */
const FLAG_INFO: Record<ItemFlag, { label: string; positive: boolean }> = {
  great_pick: { label: "Great pick", positive: true },
  wrong_for_persona: { label: "Wrong for this persona", positive: false },
  already_seen: { label: "Already seen", positive: false },
  inappropriate: { label: "Inappropriate or age mismatch", positive: false },
  duplicate_franchise: { label: "Duplicate franchise", positive: false },
  stale: { label: "Stale", positive: false },
};

export const FLAGS = Object.keys(FLAG_INFO) as ItemFlag[];

export function flagLabel(flag: ItemFlag): string {
  return FLAG_INFO[flag].label;
}

/** Whether the flag praises the item (the others are problems). */
export function isPositive(flag: ItemFlag): boolean {
  return FLAG_INFO[flag].positive;
}
