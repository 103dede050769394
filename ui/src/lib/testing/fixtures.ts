/**
 * Small, hand-made data for tests: a few catalog items and personas shaped like the real ones,
 * and a backend (over `mockBackend`) that serves them the way the Rust commands do.
 */
import type {
  AppError,
  CatalogInfo,
  CatalogQuery,
  ContentType,
  Item,
  PersonaDetail,
  PersonaSummary,
} from "../ipc";
import { mockBackend, type CommandHandler, type RecordedCall } from "../ipc/mock";

const POSTER = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

export function item(id: string, title: string, content_type: ContentType, year = 2020): Item {
  return {
    id,
    title,
    content_type,
    genres: content_type === "documentary" ? ["Nature", "Science"] : ["Drama"],
    year,
    age_rating: content_type === "kids" ? "0" : "12",
    description: `${title}, a ${content_type}.`,
    image_url: POSTER,
    metadata: {},
  };
}

export const ITEMS: Item[] = [
  item("i1", "Island of Love", "reality", 2021),
  item("i2", "Deep Blue Planet", "documentary", 2019),
  item("i3", "The Long Night", "film", 2018),
  item("i4", "Tiny Rockets", "kids", 2022),
  item("i5", "Match Day Live", "sport", 2023),
];

export const PERSONAS: PersonaSummary[] = [
  {
    id: "reality-fan",
    name: "Reality TV fan",
    description: "Binges dating shows and competitions.",
    tags: ["reality", "evenings"],
    history_len: 2,
  },
  {
    id: "new-viewer",
    name: "New viewer",
    description: "Just signed up; nothing watched yet.",
    tags: ["cold-start"],
    history_len: 0,
  },
];

/** Noon UTC on 3 March 2024 and a day later. */
export const T0 = Date.UTC(2024, 2, 3, 12) / 1000;

export function detailOf(id: string): PersonaDetail | undefined {
  const summary = PERSONAS.find((p) => p.id === id);
  if (!summary) return undefined;
  const watched = id === "reality-fan" ? [ITEMS[0]!, ITEMS[2]!] : [];
  return {
    persona: {
      id: summary.id,
      name: summary.name,
      description: summary.description,
      tags: summary.tags,
      // Oldest first, as stored.
      history: watched.map((it, i) => ({
        item_id: it.id,
        timestamp: T0 + i * 86400,
        event_type: "watch",
      })),
      external_user_ids: {},
    },
    // Newest first, as the backend sends it.
    history: watched
      .map((it, i) => ({ item: it, timestamp: T0 + i * 86400, event_type: "watch" }))
      .reverse(),
  };
}

export const INFO: CatalogInfo = {
  items: 1512,
  users: 10000,
  interactions: 230412,
  content_types: { reality: 1, documentary: 1, film: 1, kids: 1, sport: 1 },
  genres: { Drama: 3, Nature: 1, Science: 1 },
  event_types: { watch: 230412 },
  first_timestamp: T0,
  last_timestamp: T0 + 86400,
};

export function notFound(message: string): AppError {
  return { code: "not_found", message };
}

/** Filters {@link ITEMS} like `search_catalog` does (text in title or genres, content type). */
export function searchItems(query: CatalogQuery) {
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = ITEMS.filter(
    (it) =>
      (query.content_type === null || it.content_type === query.content_type) &&
      words.every((w) => `${it.title} ${it.genres.join(" ")}`.toLowerCase().includes(w)),
  );
  return {
    items: matches.slice(query.offset, query.offset + query.limit),
    total: matches.length,
    offset: query.offset,
  };
}

/** Installs a backend serving the fixtures; `overrides` replace single commands. */
export function fixtureBackend(overrides: Record<string, CommandHandler> = {}): RecordedCall[] {
  return mockBackend({
    list_personas: () => PERSONAS,
    get_persona: ({ id }) => {
      const detail = detailOf(id as string);
      if (!detail) throw notFound(`no persona ${String(id)}`);
      return detail;
    },
    search_catalog: ({ query }) => searchItems(query as CatalogQuery),
    catalog_info: () => INFO,
    ...overrides,
  });
}
