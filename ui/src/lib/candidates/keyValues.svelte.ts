/**
 * Name/value rows being edited (an HTTP candidate's headers, a Personalize filter's values):
 * rows can be added and removed, and read back as a record. Rows left wholly empty are ignored.
 */

/** One row; `key` is stable while editing (names can repeat while typing). */
export type KeyValueRow = { key: number; name: string; value: string };

export class KeyValueRows {
  /** Deep state, so a row's inputs can bind to `row.name` and `row.value`. */
  #rows = $state<KeyValueRow[]>([]);
  #next = 0;

  #record = $derived.by(() => {
    const out: Record<string, string> = {};
    for (const row of this.#rows) {
      const name = row.name.trim();
      if (name) out[name] = row.value;
    }
    return out;
  });

  #problems = $derived.by(() => {
    const problems: string[] = [];
    const seen: string[] = [];
    for (const row of this.#rows) {
      const name = row.name.trim();
      if (!name && row.value.trim()) {
        problems.push(`A value (“${row.value.trim()}”) has no name.`);
      } else if (name && seen.includes(name.toLowerCase())) {
        problems.push(`“${name}” is given twice.`);
      }
      if (name) seen.push(name.toLowerCase());
    }
    return problems;
  });

  /** Starts with the entries of `record`, in its order. */
  constructor(record: Record<string, string> | undefined = undefined) {
    for (const [name, value] of Object.entries(record ?? {})) this.add(name, value);
  }

  get rows(): KeyValueRow[] {
    return this.#rows;
  }

  /** The named rows as a record (names trimmed, values as typed). */
  get record(): Record<string, string> {
    return this.#record;
  }

  /** Rows that cannot be sent: a value without a name, a name given twice. */
  get problems(): readonly string[] {
    return this.#problems;
  }

  /** Adds a row; returns its key. */
  add(name = "", value = ""): number {
    const key = this.#next++;
    this.#rows.push({ key, name, value });
    return key;
  }

  remove(key: number): void {
    this.#rows = this.#rows.filter((r) => r.key !== key);
  }
}
