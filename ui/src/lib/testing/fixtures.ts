/**
 * Small, hand-made data for tests: a few catalog items and personas shaped like the real ones,
 * and a backend (over `mockBackend`) that serves them the way the Rust commands do.
 */
import type {
  AppError,
  Board,
  BoardItem,
  CandidateInfo,
  CatalogInfo,
  CatalogQuery,
  Column,
  ContentType,
  DatasetInfo,
  Item,
  PersonaDetail,
  PersonaSummary,
  SessionDetail,
} from "../ipc";
import { mockBackend, type CommandHandler, type RecordedCall } from "../ipc/mock";
import { FakeSync } from "./syncFake";

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
    sessions: [],
  },
  {
    id: "new-viewer",
    name: "New viewer",
    description: "Just signed up; nothing watched yet.",
    tags: ["cold-start"],
    history_len: 0,
    sessions: [],
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

/** The demo dataset, active, with the counts of {@link INFO}. */
export const DEMO_DATASET: DatasetInfo = {
  id: "demo",
  name: "Demo catalog",
  format: "demo",
  source_path: null,
  items: INFO.items,
  users: INFO.users,
  interactions: INFO.interactions,
  imported_at: Date.UTC(2026, 10, 1),
  active: true,
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

/**
 * Installs a backend serving the fixtures (sync off: no report server set up); `overrides`
 * replace single commands.
 */
export function fixtureBackend(overrides: Record<string, CommandHandler> = {}): RecordedCall[] {
  return mockBackend({
    ...new FakeSync().handlers(),
    list_personas: () => PERSONAS,
    get_persona: ({ id }) => {
      const detail = detailOf(id as string);
      if (!detail) throw notFound(`no persona ${String(id)}`);
      return detail;
    },
    search_catalog: ({ query }) => searchItems(query as CatalogQuery),
    catalog_info: () => INFO,
    list_datasets: () => [DEMO_DATASET],
    ...overrides,
  });
}

// ---------------------------------------------------------------------------------------------
// Review: candidates, sessions and a board.

export const CANDIDATES: CandidateInfo[] = [
  { id: "ease", name: "EASE (λ 250)", kind: "builtin" },
  { id: "popularity", name: "Popularity", kind: "builtin" },
  { id: "random", name: "Random (control)", kind: "builtin" },
  { id: "item-knn", name: "Item-kNN", kind: "builtin" },
  { id: "partner-api", name: "Partner API", kind: "http" },
];

export const DEFAULT_CRITERIA = [
  "relevance",
  "diversity",
  "freshness",
  "editorial quality",
  "overall",
];

/** Items the fixture lists recommend (besides {@link ITEMS}, which the personas watched). */
export const REVIEW_ITEMS: Item[] = [
  item("r01", "Love Villa", "reality", 2024),
  item("r02", "Bake Off Brussels", "cooking", 2023),
  item("r03", "Cold Case North", "series", 2022),
  item("r04", "Wild Alps", "documentary", 2021),
  item("r05", "Date Night Live", "reality", 2025),
  item("r06", "Harbour Lights", "series", 2019),
  item("r07", "Evening Report", "news", 2026),
  item("r08", "Fix My Flat", "reality", 2020),
  item("r09", "The Quiet Valley", "film", 2017),
  item("r10", "Late Talk", "talk_show", 2024),
  item("r11", "Rocket Pals", "kids", 2022),
  item("r12", "Derby Day", "sport", 2026),
  item("r13", "Castle Rebuild", "reality", 2023),
  item("r14", "Ocean Giants", "documentary", 2020),
];

const POOL = new Map([...ITEMS, ...REVIEW_ITEMS].map((it) => [it.id, it]));

/** HTTP candidates for boards: one answering with warnings, one failing with a long error. */
export const HTTP_CANDIDATES: CandidateInfo[] = [
  { id: "two-tower", name: "Two-tower v3", kind: "http" },
  { id: "flaky-api", name: "Flaky API", kind: "http" },
];

/** An id `two-tower` returns that the catalog does not have. */
export const UNKNOWN_ID = "zz-404";

/** Ten item ids per candidate, best first; `partner-api` and `flaky-api` fail. */
export const LISTS: Record<string, string[]> = {
  ease: ["r01", "r05", "r08", "r13", "i1", "r02", "r10", "r03", "r06", "r09"],
  popularity: ["r07", "r01", "r12", "r03", "r02", "r06", "r10", "r14", "r04", "r11"],
  random: ["r11", "r14", "r09", "r04", "r12", "r07", "r13", "r06", "r05", "i4"],
  "item-knn": ["r05", "r01", "r13", "r08", "r02", "r10", "r03", "i1", "r06", "r09"],
  "two-tower": ["r05", UNKNOWN_ID, "r01", "r13", "r08", "r02", "r10", "r03", "r06", "r09"],
};

/** What was off in a candidate's answer, as the backend words it. */
export const WARNINGS: Record<string, string[]> = {
  "two-tower": [
    `1 item id(s) not in the catalog, shown as unknown: "${UNKNOWN_ID}"`,
    '2 repeated item id(s) removed: "r01", "r05"',
    "12 items returned for k = 10; the list is cut to 10",
  ],
};

/** Promotions that placed items (shown once the names are). */
export const PROMOTIONS: Record<string, Record<string, string>> = {
  "two-tower": { r05: "Summer dating push" },
};

/** A long HTTP error: the status, then the start of an HTML body. */
export const LONG_HTTP_ERROR =
  "HTTP 503 Service Unavailable: <!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx/1.25.3</center><p>The upstream recommender at two-tower-v3.internal.example:8443 did not answer the health check; retry later or page the on-call ML engineer.</p></body></html>";

/** What the backend sends for an id the catalog lacks: titled by the id, of type "other". */
function unknownItem(id: string): Item {
  return {
    id,
    title: id,
    content_type: "other",
    genres: [],
    year: null,
    age_rating: null,
    description: "",
    image_url: null,
    metadata: {},
  };
}

/** Why a candidate gave no list. */
const ERRORS: Record<string, string> = {
  "partner-api": "connection refused: http://partner.example/recs",
  "flaky-api": LONG_HTTP_ERROR,
};

const REASONS: Record<string, (title: string) => string> = {
  ease: () => "Because you watched Island of Love and The Long Night",
  "item-knn": () => "Because you watched Island of Love",
  popularity: () => "Popular: watched by 1,711 viewers",
  random: () => "Random pick (control list)",
};

const LABELS = ["A", "B", "C", "D"];

export type ColumnSpec = { candidate: CandidateInfo; snapshot_id: string };

/**
 * A board shaped like the backend's: labels A–D when blind (names once revealed), items marked
 * as seen and as listed elsewhere, indicators computed from the items.
 */
export function buildBoard(options: {
  session_id?: string;
  persona?: PersonaDetail;
  columns: ColumnSpec[];
  blind?: boolean;
  revealed?: boolean;
  position?: number;
  persona_count?: number;
  criteria?: string[];
  k?: number;
}): Board {
  const persona = options.persona ?? detailOf("reality-fan")!;
  const blind = options.blind ?? true;
  const revealed = options.revealed ?? !blind;
  const k = options.k ?? 10;
  const seen = new Set(persona.history.map((h) => h.item.id));
  const lists = options.columns.map((c) => (LISTS[c.candidate.id] ?? []).slice(0, k));
  const columns: Column[] = options.columns.map((spec, i) => {
    const id = spec.candidate.id;
    const failed = id in ERRORS || !(id in LISTS);
    const ids = lists[i]!;
    const items: BoardItem[] = ids.map((itemId, r) => ({
      // The backend shows an unknown id as an item titled by the id, of type "other".
      item: POOL.get(itemId) ?? unknownItem(itemId),
      rank: r + 1,
      score: Math.round((1 - r / 20) * 1000) / 1000,
      reason: REASONS[id]?.(POOL.get(itemId)?.title ?? itemId) ?? null,
      promotion: revealed ? (PROMOTIONS[id]?.[itemId] ?? null) : null,
      known: POOL.has(itemId),
      already_seen: seen.has(itemId),
      in_other_lists: lists.filter((l, j) => j !== i && l.includes(itemId)).length,
      flags: [],
    }));
    const mix = new Map<string, number>();
    for (const it of items) mix.set(it.item.content_type, (mix.get(it.item.content_type) ?? 0) + 1);
    const n = Math.max(items.length, 1);
    return {
      label: blind ? LABELS[i]! : spec.candidate.name,
      snapshot_id: spec.snapshot_id,
      candidate: revealed ? spec.candidate : null,
      items,
      error: failed ? (ERRORS[id] ?? "connection refused: http://partner.example/recs") : null,
      warnings: failed ? [] : (WARNINGS[id] ?? []),
      latency_ms: failed ? null : 12 + i * 7,
      indicators: {
        content_mix: [...mix]
          .map(([name, count]) => ({ name, count }))
          .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
        mean_popularity: [0.62, 0.97, 0.48, 0.7][i] ?? 0.5,
        seen_share: items.filter((it) => it.already_seen).length / n,
        overlap: items.filter((it) => it.in_other_lists > 0).length / n,
      },
      ratings: [],
    };
  });
  return {
    session_id: options.session_id ?? "s1",
    persona,
    position: options.position ?? 0,
    persona_count: options.persona_count ?? 2,
    blind,
    revealed,
    criteria: options.criteria ?? DEFAULT_CRITERIA,
    columns,
    preference: null,
    comment: null,
  };
}

/** The columns of {@link BOARD}: EASE, popularity and random, as A, B, C. */
export const BOARD_COLUMNS: ColumnSpec[] = [
  { candidate: CANDIDATES[0]!, snapshot_id: "snap-a" },
  { candidate: CANDIDATES[1]!, snapshot_id: "snap-b" },
  { candidate: CANDIDATES[2]!, snapshot_id: "snap-c" },
];

/** A blind board: three columns of ten items for the reality fan, nothing judged yet. */
export const BOARD: Board = buildBoard({ columns: BOARD_COLUMNS });

/** The frozen, blind session {@link BOARD} belongs to. */
export const SESSION: SessionDetail = {
  summary: {
    id: "s1",
    name: "Release v3 vs v2",
    k: 10,
    blind: true,
    persona_count: 2,
    candidate_count: 3,
    frozen_at: Date.UTC(2026, 10, 28, 9),
    created_at: Date.UTC(2026, 10, 28, 8),
    personas_done: 0,
    dataset: "Demo catalog",
    published_at: null,
    published_by: null,
  },
  personas: [
    { id: "reality-fan", name: "Reality TV fan" },
    { id: "new-viewer", name: "New viewer" },
  ],
  done_persona_ids: [],
  candidates: [CANDIDATES[0]!, CANDIDATES[1]!, CANDIDATES[2]!],
  criteria: DEFAULT_CRITERIA,
  incumbent_candidate_id: "popularity",
  challenger_candidate_id: "ease",
};

/**
 * A frozen session another reviewer published on the report server (see
 * `FakeSync.publishedBy`): not blind, two candidates, the same two personas; not on this device
 * until joined.
 */
export const TEAM_SESSION: SessionDetail = {
  summary: {
    id: "t1",
    name: "Autumn picks",
    k: 10,
    blind: false,
    persona_count: 2,
    candidate_count: 2,
    frozen_at: Date.UTC(2026, 10, 29, 9),
    created_at: Date.UTC(2026, 10, 29, 8),
    personas_done: 0,
    dataset: "Demo catalog",
    published_at: null,
    published_by: null,
  },
  personas: SESSION.personas,
  done_persona_ids: [],
  candidates: [CANDIDATES[0]!, CANDIDATES[1]!],
  criteria: DEFAULT_CRITERIA,
  incumbent_candidate_id: "popularity",
  challenger_candidate_id: "ease",
};
