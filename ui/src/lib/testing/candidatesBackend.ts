/**
 * A fake of the candidate commands for tests, with memory: the six built-in candidates plus
 * whatever is added, changed, archived and restored; connection tests answered by URL; and
 * candidates "files" held in a map (`export_candidates` writes there, `import_candidates`
 * reads). Checks and messages follow the Rust side (`screening_sources::config` and
 * `screening_app::candidates`), so the UI can be tested against the same refusals. Sits on top
 * of {@link fixtureBackend} with a {@link FakeReview}, so sessions see the same candidates.
 */
import type {
  AppError,
  CandidateConfig,
  CandidateDetail,
  CandidateImportReport,
  CandidateInfo,
  ConnectionTest,
} from "../ipc";
import type { CommandHandler, RecordedCall } from "../ipc/mock";
import { REVIEW_ITEMS, fixtureBackend } from "./fixtures";
import { FakeReview } from "./reviewBackend";

/** The built-in candidates every store has, as the backend seeds them. */
export const BUILTIN_DETAILS: CandidateDetail[] = [
  ["builtin-popularity", "Popularity", "popularity"],
  ["builtin-trending", "Trending (30 days)", "trending"],
  ["builtin-item-knn", "Item-kNN", "item-knn"],
  ["builtin-ease", "EASE", "ease"],
  ["builtin-content", "Content (TF-IDF)", "content"],
  ["builtin-random", "Random (control)", "random"],
].map(([id, name, model]) => ({
  id: id!,
  config: { kind: "builtin", name: name!, model: model! },
  archived: false,
  builtin: true,
}));

/** An HTTP candidate the fake starts with, besides the built-in ones. */
export const TWO_TOWER: CandidateDetail = {
  id: "c-two-tower",
  config: {
    kind: "http",
    name: "Two-tower v3",
    url: "http://127.0.0.1:8080/recommend",
    timeout_ms: 5000,
    headers: { Authorization: "Bearer ${TWO_TOWER_TOKEN}" },
  },
  archived: false,
  builtin: false,
};

/** A Personalize candidate (archived) with settings the form has no input for. */
export const PERSONALIZE: CandidateDetail = {
  id: "c-personalize",
  config: {
    kind: "personalize",
    name: "Personalize UP v2",
    region: "eu-west-1",
    campaign_arn: "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2",
    filter_values: { GENRE: '"drama"' },
    context: { DEVICE: "tv" },
    metadata_columns: { ITEMS: ["GENRES"] },
    persona: "replay",
    event_tracker_id: "tracker-1",
    timeout_ms: 3000,
  },
  archived: true,
  builtin: false,
};

/** A URL the fake cannot connect to. */
export const DEAD_URL = "http://127.0.0.1:9/recommend";

const MODEL_NAMES = ["popularity", "trending", "item-knn", "ease", "content", "random"];

function invalid(message: string): AppError {
  return { code: "invalid_input", message };
}

function carriesSecret(header: string): boolean {
  const h = header.toLowerCase();
  return (
    h === "authorization" ||
    h === "cookie" ||
    ["token", "key", "secret", "password", "auth"].some((w) => h.includes(w))
  );
}

function checkArn(arn: string, field: string): void {
  if (!(arn.startsWith("arn:aws") && arn.split(":").length >= 6)) {
    throw invalid(
      `field "${field}": "${arn}" is not an ARN (arn:aws:personalize:REGION:ACCOUNT:…)`,
    );
  }
}

function checkTimeout(ms: number): void {
  if (!(Number.isInteger(ms) && ms >= 1 && ms <= 120_000)) {
    throw invalid(`field "timeout_ms": between 1 and 120000, not ${ms}`);
  }
}

/** Throws the `invalid_input` the backend would for `c`, naming the field. */
export function checkConfig(c: CandidateConfig): void {
  if (!c.name.trim()) throw invalid('field "name": give the candidate a name');
  switch (c.kind) {
    case "builtin": {
      const name = c.model.split(":")[0]!.trim();
      if (!MODEL_NAMES.includes(name)) {
        throw invalid(
          `field "model": unknown model "${name}"; the built-in models are ${MODEL_NAMES.join(", ")}`,
        );
      }
      return;
    }
    case "http": {
      if (!c.url.includes("${")) {
        let url: URL;
        try {
          url = new URL(c.url);
        } catch {
          throw invalid('field "url": relative URL without a base');
        }
        if (url.protocol !== "http:" && url.protocol !== "https:") {
          throw invalid(`field "url": use http or https, not ${url.protocol.replace(":", "")}`);
        }
        if (url.password) {
          throw invalid(
            'field "url": holds a password in clear; send credentials in a header that references an environment variable',
          );
        }
      }
      checkTimeout(c.timeout_ms);
      for (const [header, value] of Object.entries(c.headers ?? {})) {
        if (carriesSecret(header) && !value.includes("${")) {
          throw invalid(
            `field "headers": ${header} holds a credential in clear; write it as a reference such as "Bearer \${MY_TOKEN}" and set MY_TOKEN in the environment`,
          );
        }
      }
      return;
    }
    case "personalize": {
      if (!c.region.trim()) throw invalid('field "region": name the AWS region, e.g. "eu-west-1"');
      const campaign = c.campaign_arn ?? null;
      const recommender = c.recommender_arn ?? null;
      if (campaign !== null && recommender === null) checkArn(campaign, "campaign_arn");
      else if (campaign === null && recommender !== null) checkArn(recommender, "recommender_arn");
      else throw invalid('give exactly one of "campaign_arn" and "recommender_arn"');
      if (c.filter_arn) checkArn(c.filter_arn, "filter_arn");
      if (c.persona === "replay" && !c.event_tracker_id?.trim()) {
        throw invalid(
          'field "event_tracker_id": persona = "replay" sends the history with PutEvents, which needs the event tracker\'s id',
        );
      }
      checkTimeout(c.timeout_ms);
    }
  }
}

export class FakeCandidates {
  readonly candidates: CandidateDetail[];
  /** Candidates files by path: `export_candidates` writes here, `import_candidates` reads. */
  readonly files = new Map<string, CandidateConfig[]>();
  #next = 1;

  constructor(extra: CandidateDetail[] = [TWO_TOWER, PERSONALIZE]) {
    this.candidates = structuredClone([...BUILTIN_DETAILS, ...extra]);
  }

  /** The candidates a new session can use, as `list_candidates` gives them. */
  inUse(): CandidateInfo[] {
    return this.candidates
      .filter((c) => !c.archived)
      .map((c) => ({ id: c.id, name: c.config.name, kind: c.config.kind }));
  }

  #find(id: unknown): CandidateDetail {
    const c = this.candidates.find((x) => x.id === id);
    if (!c) throw { code: "not_found", message: `no candidate with id "${String(id)}"` };
    return c;
  }

  #save(id: string | null, config: CandidateConfig): CandidateDetail {
    checkConfig(config);
    if (id !== null) {
      const existing = this.#find(id);
      if (existing.builtin) {
        throw invalid(
          `"${existing.config.name}" is one of the built-in candidates and cannot be changed; add a built-in candidate with other parameters instead`,
        );
      }
    }
    const name = config.name.trim().toLowerCase();
    const clash = this.candidates.find(
      (c) => !c.archived && c.id !== id && c.config.name.trim().toLowerCase() === name,
    );
    if (clash) throw invalid(`field "name": another candidate is called "${clash.config.name}"`);
    const detail: CandidateDetail = {
      id: id ?? `c-${this.#next++}`,
      config: structuredClone(config),
      archived: false,
      builtin: false,
    };
    const at = this.candidates.findIndex((c) => c.id === detail.id);
    if (at >= 0) this.candidates[at] = detail;
    else this.candidates.push(detail);
    return structuredClone(detail);
  }

  #test(config: CandidateConfig): ConnectionTest {
    checkConfig(config);
    const base = { persona: "Reality TV fan", warnings: [], titles: [], items: 0 };
    if (config.kind === "personalize") {
      return {
        ...base,
        ok: false,
        error: "Amazon Personalize candidates are not supported by this version yet",
        latency_ms: 0.02,
      };
    }
    if (config.kind === "http" && config.url === DEAD_URL) {
      return {
        ...base,
        ok: false,
        error: `cannot connect to ${config.url}: connection refused`,
        latency_ms: 1.4,
      };
    }
    const unknown = config.kind === "http" && config.url.includes("unknown");
    const titles = REVIEW_ITEMS.slice(0, 5).map((it) => it.title);
    if (unknown) titles[1] = "zz-404";
    return {
      ...base,
      ok: true,
      error: null,
      warnings: unknown ? ['1 item id(s) not in the catalog, shown as unknown: "zz-404"'] : [],
      titles,
      items: 10,
      latency_ms: 23.4,
    };
  }

  #import(path: string): CandidateImportReport {
    const file = this.files.get(path);
    if (!file) throw invalid(`cannot read ${path}: No such file or directory (os error 2)`);
    const report: CandidateImportReport = { added: [], updated: [], unchanged: [] };
    const changes: [string | null, CandidateConfig][] = [];
    file.forEach((config, i) => {
      try {
        checkConfig(config);
      } catch (e) {
        throw invalid(`${path}: candidate[${i}] ("${config.name}"): ${(e as AppError).message}`);
      }
      const name = config.name.trim().toLowerCase();
      const existing = this.candidates.find(
        (c) => !c.archived && c.config.name.trim().toLowerCase() === name,
      );
      if (!existing) {
        report.added.push(config.name);
        changes.push([null, config]);
      } else if (JSON.stringify(existing.config) === JSON.stringify(config)) {
        report.unchanged.push(config.name);
      } else if (existing.builtin) {
        throw invalid(
          `${path}: candidate[${i}] ("${config.name}"): a built-in candidate has this name and cannot be changed; rename it in the file`,
        );
      } else {
        report.updated.push(config.name);
        changes.push([existing.id, config]);
      }
    });
    for (const [id, config] of changes) this.#save(id, config);
    return report;
  }

  #export(path: string): number {
    if (path.endsWith("/")) throw invalid(`cannot write ${path}: Is a directory (os error 21)`);
    const inUse = this.candidates.filter((c) => !c.archived);
    this.files.set(
      path,
      inUse.map((c) => structuredClone(c.config)),
    );
    return inUse.length;
  }

  /** The command handlers, to install with `mockBackend`. */
  handlers(): Record<string, CommandHandler> {
    return {
      list_candidates: () => this.inUse(),
      candidate_details: ({ archived }) =>
        structuredClone(this.candidates.filter((c) => archived || !c.archived)),
      save_candidate: ({ id, config }) =>
        this.#save((id as string | null) ?? null, config as CandidateConfig),
      archive_candidate: ({ id, archived }) => {
        this.#find(id).archived = Boolean(archived);
        return null;
      },
      test_candidate: ({ config }) => this.#test(config as CandidateConfig),
      import_candidates: ({ path }) => this.#import(String(path)),
      export_candidates: ({ path }) => this.#export(String(path)),
    };
  }
}

/**
 * Installs the fixture backend with a {@link FakeReview} whose sessions use the candidates of a
 * {@link FakeCandidates}; `overrides` replace single commands.
 */
export function candidatesBackend(
  overrides: Record<string, CommandHandler> = {},
  fake: FakeCandidates = new FakeCandidates(),
): { calls: RecordedCall[]; fake: FakeCandidates; review: FakeReview } {
  const review = new FakeReview(undefined, () => fake.inUse());
  const calls = fixtureBackend({ ...review.handlers(), ...fake.handlers(), ...overrides });
  return { calls, fake, review };
}
