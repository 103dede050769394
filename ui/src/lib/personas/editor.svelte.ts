/**
 * The persona editor: a new persona or a copy of an existing one being changed — name,
 * description, tags and the watch history — and saving it. The backend checks everything again
 * (name, items, timestamps) and its message is shown as it is.
 *
 * The history is shown newest first, as everywhere in the Library; it is sent oldest first, as
 * stored. Titles are added from an inline catalog search, watched "now" until the user changes
 * the time.
 */
import { CatalogState } from "../catalog/catalog.svelte";
import { IpcError, savePersona, type Item, type Persona, type PersonaDetail } from "../ipc";
import { fromLocalInput } from "./time";

/** One entry of the history being edited. */
export type EditorRow = {
  /** Stable while editing (item ids repeat in a history). */
  key: number;
  item: Item;
  /** Unix seconds. */
  timestamp: number;
  event_type: string;
  /** The date-time field holds something that is not a time; `timestamp` is the last good one. */
  badTime: boolean;
};

/** `"reality, Evenings ,, reality"` → `["reality", "Evenings"]`. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(",")) {
    const tag = part.trim().replace(/\s+/g, " ");
    if (tag && !out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}

export class PersonaEditor {
  /** The persona's id; `""` for a new one (the backend makes the id). */
  readonly id: string;
  /** The name it had when the editor opened (`""` for a new persona), for the heading. */
  readonly originalName: string;
  /** The titles search of "Add titles". */
  readonly search = new CatalogState({ pageSize: 20 });

  name = $state("");
  description = $state("");
  tagsText = $state("");

  #rows = $state.raw<EditorRow[]>([]);
  #nextKey = 0;
  #externalUserIds: Persona["external_user_ids"];
  #saving = $state(false);
  #error = $state.raw<IpcError | null>(null);

  #sorted = $derived([...this.#rows].sort((a, b) => b.timestamp - a.timestamp || b.key - a.key));
  #problems = $derived.by(() =>
    this.#sorted
      .map((row, i) =>
        row.badTime ? `Entry ${i + 1} (${row.item.title}): enter a date and time.` : null,
      )
      .filter((p): p is string => p !== null),
  );

  /** A new persona when `detail` is `null`; otherwise an edit of `detail`. */
  constructor(detail: PersonaDetail | null = null) {
    this.id = detail?.persona.id ?? "";
    this.originalName = detail?.persona.name ?? "";
    this.#externalUserIds = { ...(detail?.persona.external_user_ids ?? {}) };
    if (detail) {
      this.name = detail.persona.name;
      this.description = detail.persona.description;
      this.tagsText = detail.persona.tags.join(", ");
      // Oldest first, so keys (and ties) follow the stored order.
      this.#rows = [...detail.history]
        .reverse()
        .map((h) => this.#row(h.item, h.timestamp, h.event_type));
    }
  }

  /** Editing an existing persona (not creating one). */
  get editing(): boolean {
    return this.id !== "";
  }
  /** The history, newest first. */
  get rows(): readonly EditorRow[] {
    return this.#sorted;
  }
  get tags(): string[] {
    return parseTags(this.tagsText);
  }
  /** What must be fixed before saving (the backend checks the rest). */
  get problems(): readonly string[] {
    return this.#problems;
  }
  get saving(): boolean {
    return this.#saving;
  }
  /** Why the last save failed, in the backend's words (it names the field or entry). */
  get error(): IpcError | null {
    return this.#error;
  }

  /** Adds `item`, watched at `now` (Unix milliseconds, e.g. `Date.now()`). */
  add(item: Item, now: number = Date.now()): void {
    this.#rows = [...this.#rows, this.#row(item, Math.floor(now / 1000), "watch")];
  }

  remove(key: number): void {
    this.#rows = this.#rows.filter((r) => r.key !== key);
  }

  /** Sets an entry's time from a `datetime-local` value (local time). */
  setTime(key: number, localValue: string): void {
    const timestamp = fromLocalInput(localValue);
    this.#update(key, (r) =>
      timestamp === null ? { ...r, badTime: true } : { ...r, timestamp, badTime: false },
    );
  }

  setEventType(key: number, eventType: string): void {
    this.#update(key, (r) => ({ ...r, event_type: eventType }));
  }

  /** The persona to send: trimmed text, tags parsed, the history oldest first. */
  persona(): Persona {
    return {
      id: this.id,
      name: this.name.trim(),
      description: this.description.trim(),
      tags: this.tags,
      history: [...this.#sorted].reverse().map((r) => ({
        item_id: r.item.id,
        timestamp: r.timestamp,
        event_type: r.event_type.trim() || "watch",
      })),
      external_user_ids: { ...this.#externalUserIds },
    };
  }

  /** Saves; resolves to the saved persona, or `null` (and `error`) when it was refused. */
  async save(): Promise<PersonaDetail | null> {
    if (this.#saving || this.#problems.length > 0) return null;
    this.#saving = true;
    this.#error = null;
    try {
      return await savePersona(this.persona());
    } catch (e) {
      this.#error = IpcError.from(e, "save_persona");
      return null;
    } finally {
      this.#saving = false;
    }
  }

  /** Stops the titles search (when the editor closes). */
  dispose(): void {
    this.search.dispose();
  }

  #row(item: Item, timestamp: number, event_type: string): EditorRow {
    return { key: this.#nextKey++, item, timestamp, event_type, badTime: false };
  }

  #update(key: number, change: (row: EditorRow) => EditorRow): void {
    this.#rows = this.#rows.map((r) => (r.key === key ? change(r) : r));
  }
}
