/**
 * A fake of the dataset and persona commands for tests, with memory: datasets can be imported
 * (with progress on the channel) and made active; personas are kept per dataset, saved,
 * duplicated, deleted (not while a session uses them), made from a real user, exported to and
 * imported from "files" held in a map. Checks and messages follow the Rust side, so the UI can
 * be tested against the same refusals. Sits on top of {@link fixtureBackend}.
 */
import type {
  AppError,
  CatalogInfo,
  CatalogQuery,
  DatasetInfo,
  FromUserRequest,
  ImportProgress,
  ImportReport,
  ImportRequest,
  Item,
  Persona,
  PersonaDetail,
  PersonaImportReport,
  PersonaSummary,
  UserQuery,
  UserSummary,
} from "../ipc";
import { sendOnChannel, type CommandHandler, type RecordedCall } from "../ipc/mock";
import { ITEMS, T0, detailOf, fixtureBackend, item, PERSONAS } from "./fixtures";

/** An event of a fake dataset. */
type Event = { user: string; item: string; timestamp: number; event_type: string };

type FakeDataset = { info: Omit<DatasetInfo, "active">; items: Item[]; events: Event[] };

type StoredPersona = { persona: Persona; dataset: string; sessions: string[] };

/** The path the fake imports as {@link ML_ITEMS}; any other path "does not exist". */
export const ML_PATH = "/data/ml-small";
/** A path whose ratings file is broken. */
export const BAD_PATH = "/data/broken";
export const BAD_MESSAGE =
  '/data/broken/ratings.csv: line 3, column 2: movieId "x" is not a number';

export const ML_ITEMS: Item[] = [
  item("1", "Toy Story (1995)", "film", 1995),
  item("2", "American President, The (1995)", "film", 1995),
  item("3", "Misérables, Les (1995)", "film", 1995),
  item("4", "Cosmos", "documentary", 1980),
  item("5", "From Dusk Till Dawn 2", "film", 1999),
];

const ML_EVENTS: Event[] = [
  { user: "1", item: "1", timestamp: 964982703, event_type: "rating" },
  { user: "1", item: "2", timestamp: 964981247, event_type: "rating" },
  { user: "2", item: "1", timestamp: 1445714994, event_type: "rating" },
  { user: "2", item: "3", timestamp: 1445715207, event_type: "rating" },
  { user: "3", item: "4", timestamp: 1500000000, event_type: "rating" },
  { user: "3", item: "5", timestamp: 1500000100, event_type: "rating" },
];

/** The demo dataset of the fake: {@link ITEMS}, three users. */
const DEMO_EVENTS: Event[] = [
  { user: "u1", item: "i1", timestamp: T0, event_type: "watch" },
  { user: "u1", item: "i3", timestamp: T0 + 86400, event_type: "watch" },
  { user: "u2", item: "i2", timestamp: T0 + 3600, event_type: "watch" },
];

const MAX_TIMESTAMP = 4_102_444_800;

function invalid(message: string): AppError {
  return { code: "invalid_input", message };
}
function notFound(message: string): AppError {
  return { code: "not_found", message };
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s || "persona";
}

export class FakeLibrary {
  readonly datasets: FakeDataset[] = [
    {
      info: {
        id: "demo",
        name: "Demo catalog",
        format: "demo",
        source_path: null,
        items: ITEMS.length,
        users: 2,
        interactions: DEMO_EVENTS.length,
        imported_at: Date.UTC(2026, 10, 1),
      },
      items: ITEMS,
      events: DEMO_EVENTS,
    },
  ];
  activeId = "demo";
  readonly personas = new Map<string, StoredPersona>();
  /** Persona files by path, as JSON text: `export_personas` writes here, `import_personas` reads. */
  readonly files = new Map<string, string>();
  /** When set, an import waits for it after its first progress message. */
  importGate: Promise<void> | null = null;
  /** Every progress message sent, in order. */
  readonly progress: ImportProgress[] = [];

  constructor() {
    for (const p of PERSONAS) {
      this.personas.set(p.id, {
        persona: detailOf(p.id)!.persona,
        dataset: "demo",
        sessions: [],
      });
    }
  }

  /** Marks persona `id` as used by the session `sessionName` (locks it). */
  lock(id: string, sessionName: string): void {
    this.personas.get(id)!.sessions.push(sessionName);
  }

  /** Adds the MovieLens dataset as imported, without making it active. */
  addMovieLens(): DatasetInfo {
    const info = {
      id: "ml",
      name: "ml-small",
      format: "movielens",
      source_path: ML_PATH,
      items: ML_ITEMS.length,
      users: 3,
      interactions: ML_EVENTS.length,
      imported_at: Date.UTC(2026, 10, 28, 9),
    };
    this.datasets.push({ info, items: ML_ITEMS, events: ML_EVENTS });
    return { ...info, active: false };
  }

  #dataset(id = this.activeId): FakeDataset {
    const d = this.datasets.find((x) => x.info.id === id);
    if (!d) throw notFound(`no dataset ${id}`);
    return d;
  }

  #infoOf(d: FakeDataset): DatasetInfo {
    return { ...d.info, active: d.info.id === this.activeId };
  }

  #stored(id: unknown): StoredPersona {
    const p = this.personas.get(String(id));
    if (!p) throw notFound(`no persona with id ${JSON.stringify(id)}`);
    return p;
  }

  #resolve(p: Persona, dataset: string): PersonaDetail {
    const items = this.#dataset(dataset).items;
    return structuredClone({
      persona: p,
      history: [...p.history].reverse().map((h) => ({
        item: items.find((it) => it.id === h.item_id)!,
        timestamp: h.timestamp,
        event_type: h.event_type,
      })),
    });
  }

  #summary(p: StoredPersona): PersonaSummary {
    return {
      id: p.persona.id,
      name: p.persona.name,
      description: p.persona.description,
      tags: p.persona.tags,
      history_len: p.persona.history.length,
      sessions: [...p.sessions],
    };
  }

  #newId(name: string): string {
    const base = slug(name);
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (!this.personas.has(id)) return id;
    }
  }

  /** `p` checked against the active dataset and tidied, as the backend does. */
  #checked(input: Persona): Persona {
    const p = structuredClone(input);
    p.name = p.name.trim();
    if (!p.name) throw invalid('field "name": give the persona a name');
    const items = this.#dataset().items;
    p.history.forEach((h, i) => {
      if (!items.some((it) => it.id === h.item_id)) {
        throw invalid(`field "history", entry ${i + 1}: item "${h.item_id}" is not in the dataset`);
      }
      if (!Number.isInteger(h.timestamp) || h.timestamp < 0 || h.timestamp > MAX_TIMESTAMP) {
        throw invalid(
          `field "history", entry ${i + 1}: timestamp ${h.timestamp} is not between 1970 and 2100 (seconds since 1970)`,
        );
      }
    });
    p.history.sort((a, b) => a.timestamp - b.timestamp);
    return p;
  }

  #unlocked(p: StoredPersona, change: string): void {
    const session = p.sessions[0];
    if (session !== undefined) {
      throw invalid(
        `persona "${p.persona.name}" cannot be ${change}: the review session "${session}" uses it, and a session's lists come from the history it was created with. Duplicate it to make a changed copy.`,
      );
    }
  }

  #save(input: Persona): PersonaDetail {
    const p = this.#checked(input);
    if (p.id === "") {
      p.id = this.#newId(p.name);
    } else {
      this.#unlocked(this.#stored(p.id), "edited");
    }
    this.personas.set(p.id, { persona: p, dataset: this.activeId, sessions: [] });
    return this.#resolve(p, this.activeId);
  }

  #catalogInfo(): CatalogInfo {
    const d = this.#dataset();
    const types: Record<string, number> = {};
    for (const it of d.items) types[it.content_type] = (types[it.content_type] ?? 0) + 1;
    return {
      items: d.info.items,
      users: d.info.users,
      interactions: d.info.interactions,
      content_types: types,
      genres: {},
      event_types: {},
      first_timestamp: null,
      last_timestamp: null,
    };
  }

  #search(q: CatalogQuery) {
    const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = this.#dataset().items.filter(
      (it) =>
        (q.content_type === null || it.content_type === q.content_type) &&
        words.every((w) => it.title.toLowerCase().includes(w)),
    );
    return {
      items: matches.slice(q.offset, q.offset + q.limit),
      total: matches.length,
      offset: q.offset,
    };
  }

  #users(q: UserQuery): UserSummary[] {
    const stats = new Map<string, UserSummary>();
    for (const e of this.#dataset().events) {
      const s = stats.get(e.user) ?? {
        user_id: e.user,
        events: 0,
        first_timestamp: e.timestamp,
        last_timestamp: e.timestamp,
      };
      s.events += 1;
      s.first_timestamp = Math.min(s.first_timestamp, e.timestamp);
      s.last_timestamp = Math.max(s.last_timestamp, e.timestamp);
      stats.set(e.user, s);
    }
    const text = q.text.trim().toLowerCase();
    return [...stats.values()]
      .filter((u) => u.user_id.toLowerCase().includes(text))
      .sort((a, b) => b.events - a.events || a.user_id.localeCompare(b.user_id))
      .slice(0, q.limit);
  }

  #fromUser(r: FromUserRequest): PersonaDetail {
    const d = this.#dataset();
    const events = d.events
      .filter((e) => e.user === r.user_id)
      .sort((a, b) => a.timestamp - b.timestamp);
    if (events.length === 0) throw notFound(`the active dataset has no user "${r.user_id}"`);
    return this.#save({
      id: "",
      name: r.name?.trim() || `User ${r.user_id}`,
      description: `User ${r.user_id} of ${d.info.name}: all ${events.length} events.`,
      tags: ["real user"],
      history: events.map((e) => ({
        item_id: e.item,
        timestamp: e.timestamp,
        event_type: e.event_type,
      })),
      external_user_ids: {},
    });
  }

  async #import(request: ImportRequest, channel: unknown): Promise<ImportReport> {
    const send = (p: ImportProgress) => {
      this.progress.push(p);
      sendOnChannel(channel, p);
    };
    const path = request.path.trim();
    if (!path) throw invalid("choose a dataset folder or file to import");
    if (path === BAD_PATH) {
      send({ stage: "reading", file: "ratings.csv", done: 0, total: 144 });
      throw invalid(BAD_MESSAGE);
    }
    if (path !== ML_PATH) throw invalid(`there is no file or folder at ${path}`);
    if (this.datasets.some((d) => d.info.source_path === ML_PATH)) {
      throw invalid('these files are already imported as the dataset "ml-small"');
    }
    send({ stage: "reading", file: "movies.csv", done: 277, total: 277 });
    send({ stage: "reading", file: "ratings.csv", done: 72, total: 144 });
    if (this.importGate) await this.importGate;
    send({ stage: "reading", file: "ratings.csv", done: 144, total: 144 });
    send({ stage: "copying", file: null, done: 628, total: 628 });
    send({ stage: "saving", file: null, done: 1, total: 1 });
    const info = this.addMovieLens();
    const name = request.name?.trim();
    if (name) this.datasets.at(-1)!.info.name = name;
    if (request.activate) this.activeId = info.id;
    return {
      dataset: this.#infoOf(this.datasets.at(-1)!),
      warnings: request.strict ? [] : ["1 tag row names an unknown movie (dropped)"],
      seconds: 0.42,
    };
  }

  #export(path: string, ids: string[] | null): number {
    const mine = [...this.personas.values()].filter((p) => p.dataset === this.activeId);
    const chosen = ids === null ? mine : mine.filter((p) => ids.includes(p.persona.id));
    if (path.endsWith("/")) throw invalid(`cannot write ${path}: Is a directory (os error 21)`);
    this.files.set(
      path,
      JSON.stringify({
        format: "screening-room/personas",
        version: 1,
        personas: chosen.map((p) => p.persona),
      }),
    );
    return chosen.length;
  }

  #importFile(path: string): PersonaImportReport {
    const text = this.files.get(path);
    if (text === undefined) {
      throw invalid(`cannot read ${path}: No such file or directory (os error 2)`);
    }
    const file = JSON.parse(text) as { personas: Persona[] };
    const report: PersonaImportReport = { added: [], updated: [], unchanged: [] };
    const changed: Persona[] = [];
    file.personas.forEach((p, i) => {
      let clean: Persona;
      try {
        clean = this.#checked(p);
      } catch (e) {
        throw invalid(`${path}: personas[${i}] ("${p.id}"): ${(e as AppError).message}`);
      }
      const old = this.personas.get(clean.id);
      if (!old) {
        report.added.push(clean.name);
        changed.push(clean);
      } else if (JSON.stringify(old.persona) === JSON.stringify(clean)) {
        report.unchanged.push(clean.name);
      } else {
        report.updated.push(clean.name);
        changed.push(clean);
      }
    });
    for (const p of changed) {
      this.personas.set(p.id, { persona: p, dataset: this.activeId, sessions: [] });
    }
    return report;
  }

  /** The command handlers, to install with `mockBackend`. */
  handlers(): Record<string, CommandHandler> {
    return {
      list_datasets: () => this.datasets.map((d) => this.#infoOf(d)),
      set_active_dataset: ({ id }) => {
        const d = this.#dataset(String(id));
        this.activeId = d.info.id;
        return this.#infoOf(d);
      },
      import_dataset: ({ request, onProgress }) =>
        this.#import(request as ImportRequest, onProgress),
      catalog_info: () => this.#catalogInfo(),
      search_catalog: ({ query }) => this.#search(query as CatalogQuery),
      list_personas: () =>
        [...this.personas.values()]
          .filter((p) => p.dataset === this.activeId)
          .sort((a, b) => a.persona.name.localeCompare(b.persona.name))
          .map((p) => this.#summary(p)),
      get_persona: ({ id }) => {
        const p = this.#stored(id);
        return this.#resolve(p.persona, p.dataset);
      },
      save_persona: ({ persona }) => this.#save(persona as Persona),
      duplicate_persona: ({ id }) => {
        const p = this.#stored(id);
        const copy = structuredClone(p.persona);
        copy.name = `${copy.name} (copy)`;
        copy.id = this.#newId(copy.name);
        this.personas.set(copy.id, { persona: copy, dataset: p.dataset, sessions: [] });
        return this.#resolve(copy, p.dataset);
      },
      delete_persona: ({ id }) => {
        this.#unlocked(this.#stored(id), "deleted");
        this.personas.delete(String(id));
        return null;
      },
      list_users: ({ query }) => this.#users(query as UserQuery),
      persona_from_user: ({ request }) => this.#fromUser(request as FromUserRequest),
      export_personas: ({ path, ids }) => this.#export(String(path), ids as string[] | null),
      import_personas: ({ path }) => this.#importFile(String(path)),
    };
  }
}

/**
 * Installs the fixture backend with a {@link FakeLibrary} answering the dataset, catalog and
 * persona commands; `overrides` replace single commands.
 */
export function libraryBackend(
  overrides: Record<string, CommandHandler> = {},
  fake: FakeLibrary = new FakeLibrary(),
): { calls: RecordedCall[]; fake: FakeLibrary } {
  const calls = fixtureBackend({ ...fake.handlers(), ...overrides });
  return { calls, fake };
}
