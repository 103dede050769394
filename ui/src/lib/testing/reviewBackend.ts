/**
 * A fake of the review commands for tests, with memory: sessions can be created and frozen,
 * judgements recorded (later ones supersede earlier ones), personas revealed, and the board and
 * summary reflect all of it, the way the Rust side does. Sits on top of {@link fixtureBackend}.
 */
import type {
  AppError,
  Board,
  CandidateInfo,
  ExportRequest,
  ExportResult,
  FreezeProgress,
  GateRequest,
  GateThresholds,
  JudgementInput,
  NewSessionRequest,
  Preference,
  RecordRequest,
  Report,
  SessionDetail,
  SessionReport,
  SummaryRow,
} from "../ipc";
import { sendOnChannel, type CommandHandler, type RecordedCall } from "../ipc/mock";
import {
  CANDIDATES,
  DEFAULT_CRITERIA,
  ITEMS,
  PERSONAS,
  REVIEW_ITEMS,
  SESSION,
  buildBoard,
  detailOf,
  fixtureBackend,
} from "./fixtures";
import {
  DEFAULT_GATE,
  REPORT,
  buildReport,
  checkGate,
  evaluateGate,
  renderExport,
  type FlagInput,
  type PreferenceInput,
  type RatingInput,
} from "./reportFake";
import { FakeLoad } from "./loadFake";
import { FakeSync } from "./syncFake";

type Marks = {
  /** `snapshot\0criterion` → score. */
  ratings: Map<string, number>;
  /** `snapshot\0item\0flag` of the flags that are on. */
  flags: Set<string>;
  preference: Preference | null;
  comment: string | null;
  revealed: boolean;
};

type FakeSession = { detail: SessionDetail; marks: Map<string, Marks> };

function invalid(message: string): AppError {
  return { code: "invalid_input", message };
}

function notFound(message: string): AppError {
  return { code: "not_found", message };
}

export class FakeReview {
  readonly sessions = new Map<string, FakeSession>();
  /** Every judgement recorded, in order. */
  readonly recorded: RecordRequest[] = [];
  /** Every freeze progress message sent, in order. */
  readonly freezeProgress: FreezeProgress[] = [];
  /** When set, freezing waits for it after its first progress message. */
  freezeGate: Promise<void> | null = null;
  /**
   * Reports by session id, served (under the session's gate) instead of one computed from the
   * recorded judgements; the fixture session starts with {@link REPORT}.
   */
  readonly reports = new Map<string, Report>();
  /** Gate thresholds by session id; a session without any uses {@link DEFAULT_GATE}. */
  readonly gates = new Map<string, GateThresholds>();
  /** Exported files by path: `export_session` writes here. */
  readonly files = new Map<string, string>();
  #seq = 0;
  #candidates: () => readonly CandidateInfo[];

  /**
   * Holds `sessions`; new sessions pick from `candidates` (by default {@link CANDIDATES}), which
   * `list_candidates` also answers.
   */
  constructor(
    sessions: SessionDetail[] = [SESSION],
    candidates: () => readonly CandidateInfo[] = () => CANDIDATES,
  ) {
    for (const detail of sessions) {
      this.sessions.set(detail.summary.id, { detail: structuredClone(detail), marks: new Map() });
      if (detail.summary.id === SESSION.summary.id) this.reports.set(detail.summary.id, REPORT);
    }
    this.#candidates = candidates;
  }

  #session(id: unknown): FakeSession {
    const s = this.sessions.get(String(id));
    if (!s) throw notFound(`no session ${String(id)}`);
    return s;
  }

  #marks(s: FakeSession, personaId: string): Marks {
    if (!s.detail.personas.some((p) => p.id === personaId)) {
      throw notFound(`persona ${personaId} is not in session ${s.detail.summary.id}`);
    }
    let m = s.marks.get(personaId);
    if (!m) {
      m = {
        ratings: new Map(),
        flags: new Set(),
        preference: null,
        comment: null,
        revealed: false,
      };
      s.marks.set(personaId, m);
    }
    return m;
  }

  #detail(s: FakeSession): SessionDetail {
    const done = s.detail.personas
      .map((p) => p.id)
      .filter((id) => (s.marks.get(id)?.preference ?? null) !== null);
    return structuredClone({
      ...s.detail,
      done_persona_ids: done,
      summary: { ...s.detail.summary, personas_done: done.length },
    });
  }

  /** Session `id` as `get_session` answers; `undefined` when there is none. */
  detail(id: string): SessionDetail | undefined {
    const s = this.sessions.get(id);
    return s ? this.#detail(s) : undefined;
  }

  /** Session `id` was published (the first time) at `at`. */
  markPublished(id: string, at: number): void {
    const summary = this.#session(id).detail.summary;
    summary.published_at ??= at;
  }

  /** A session joined from the report server (frozen and published already) is now here. */
  join(detail: SessionDetail): void {
    this.sessions.set(detail.summary.id, { detail: structuredClone(detail), marks: new Map() });
  }

  /** The board of one persona, with the marks recorded so far. */
  board(sessionId: string, personaId: string): Board {
    const s = this.#session(sessionId);
    const marks = this.#marks(s, personaId);
    const position = s.detail.personas.findIndex((p) => p.id === personaId);
    // Blind order differs per persona (stable on reopen), as the backend shuffles it.
    const candidates =
      position % 2 === 0 ? s.detail.candidates : [...s.detail.candidates].reverse();
    const board = buildBoard({
      session_id: sessionId,
      persona: detailOf(personaId)!,
      columns: candidates.map((candidate) => ({
        candidate,
        snapshot_id: `${personaId}:${candidate.id}`,
      })),
      blind: s.detail.summary.blind,
      revealed: !s.detail.summary.blind || marks.revealed,
      position,
      persona_count: s.detail.personas.length,
      criteria: s.detail.criteria,
      k: s.detail.summary.k,
    });
    return {
      ...board,
      preference: marks.preference,
      comment: marks.comment,
      columns: board.columns.map((c) => ({
        ...c,
        ratings: s.detail.criteria
          .filter((criterion) => marks.ratings.has(`${c.snapshot_id}\0${criterion}`))
          .map((criterion) => ({
            criterion,
            score: marks.ratings.get(`${c.snapshot_id}\0${criterion}`)!,
          })),
        items: c.items.map((it) => ({
          ...it,
          flags: (
            [
              "wrong_for_persona",
              "already_seen",
              "inappropriate",
              "duplicate_franchise",
              "stale",
              "great_pick",
            ] as const
          ).filter((f) => marks.flags.has(`${c.snapshot_id}\0${it.item.id}\0${f}`)),
        })),
      })),
    };
  }

  #record(request: RecordRequest) {
    const s = this.#session(request.session_id);
    if (s.detail.summary.frozen_at === null) throw invalid("freeze the session first");
    const marks = this.#marks(s, request.persona_id);
    const j: JudgementInput = request.judgement;
    const snapshots = s.detail.candidates.map((c) => `${request.persona_id}:${c.id}`);
    if ("snapshot_id" in j && !snapshots.includes(j.snapshot_id)) {
      throw notFound(`no snapshot ${j.snapshot_id}`);
    }
    switch (j.kind) {
      case "rating":
        if (!Number.isInteger(j.score) || j.score < 1 || j.score > 5) {
          throw invalid(`score must be 1 to 5, got ${j.score}`);
        }
        if (!s.detail.criteria.includes(j.criterion)) throw invalid(`no criterion ${j.criterion}`);
        marks.ratings.set(`${j.snapshot_id}\0${j.criterion}`, j.score);
        break;
      case "preference":
        if (
          j.preference.ranking.length !== snapshots.length ||
          !j.preference.ranking.every((id) => snapshots.includes(id))
        ) {
          throw invalid("a preference ranks every list of the persona once");
        }
        marks.preference = j.preference;
        break;
      case "flag": {
        const key = `${j.snapshot_id}\0${j.item_id}\0${j.flag}`;
        if (j.on) marks.flags.add(key);
        else marks.flags.delete(key);
        break;
      }
      case "comment":
        marks.comment = j.text;
        break;
    }
    this.recorded.push(structuredClone(request));
    const seq = ++this.#seq;
    return { op_id: `op-${seq}`, device_seq: seq, saved_at: Date.now() };
  }

  #create(request: NewSessionRequest): SessionDetail {
    if (!request.name.trim()) throw invalid("a session needs a name");
    if (request.candidate_ids.length < 2 || request.candidate_ids.length > 4) {
      throw invalid("a session compares 2 to 4 candidates");
    }
    const candidates = request.candidate_ids.map((id) => {
      const c = this.#candidates().find((x) => x.id === id);
      if (!c) throw notFound(`no candidate ${id}`);
      return c;
    });
    for (const [role, id] of [
      ["incumbent", request.incumbent_candidate_id],
      ["challenger", request.challenger_candidate_id],
    ] as const) {
      if (id !== null && !request.candidate_ids.includes(id)) {
        throw invalid(`the ${role} must be one of the session's candidates`);
      }
    }
    if (
      request.incumbent_candidate_id !== null &&
      request.incumbent_candidate_id === request.challenger_candidate_id
    ) {
      throw invalid("the challenger and the incumbent must differ");
    }
    const personas = request.persona_ids.map((id) => {
      const p = PERSONAS.find((x) => x.id === id);
      if (!p) throw notFound(`no persona ${id}`);
      return p;
    });
    const id = `s${this.sessions.size + 1}`;
    const detail: SessionDetail = {
      summary: {
        id,
        name: request.name.trim(),
        k: request.k,
        blind: request.blind,
        persona_count: personas.length,
        candidate_count: candidates.length,
        frozen_at: null,
        created_at: Date.now(),
        personas_done: 0,
        dataset: "Demo catalog",
        published_at: null,
        published_by: null,
      },
      personas: personas.map((p) => ({ id: p.id, name: p.name })),
      done_persona_ids: [],
      candidates,
      criteria: request.criteria.length > 0 ? request.criteria : DEFAULT_CRITERIA,
      incumbent_candidate_id: request.incumbent_candidate_id,
      challenger_candidate_id: request.challenger_candidate_id,
    };
    this.sessions.set(id, { detail, marks: new Map() });
    return this.#detail(this.sessions.get(id)!);
  }

  #summary(sessionId: unknown): SummaryRow[] {
    const s = this.#session(sessionId);
    const rows: SummaryRow[] = [];
    for (const candidate of s.detail.candidates) {
      for (const criterion of s.detail.criteria) {
        const scores: number[] = [];
        for (const [personaId, marks] of s.marks) {
          if (s.detail.summary.blind && !marks.revealed) continue;
          const score = marks.ratings.get(`${personaId}:${candidate.id}\0${criterion}`);
          if (score !== undefined) scores.push(score);
        }
        if (scores.length > 0) {
          const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
          rows.push({ candidate, criterion, mean, count: scores.length });
        }
      }
    }
    return rows;
  }

  /**
   * Freezes a session: one progress message per list (candidate by candidate, as the backend
   * finishes them), waiting for {@link freezeGate} after the first.
   */
  async #freeze(sessionId: unknown, channel: unknown) {
    const s = this.#session(sessionId);
    if (s.detail.summary.frozen_at !== null) throw invalid("the lists are already frozen");
    const { personas, candidates } = s.detail;
    const total = personas.length * candidates.length;
    let done = 0;
    for (const candidate of candidates) {
      for (let p = 0; p < personas.length; p++) {
        const progress = { done: ++done, total, candidate: candidate.name };
        this.freezeProgress.push(progress);
        if (channel !== undefined) sendOnChannel(channel, progress);
        if (done === 1 && this.freezeGate) await this.freezeGate;
      }
    }
    s.detail.summary.frozen_at = Date.now();
    const failed = personas.length * candidates.filter((c) => c.id === "partner-api").length;
    return { snapshots: total, failed, seconds: 0.42 };
  }

  /** The blind column order of persona `index` (as {@link board} shows it). */
  #shown(s: FakeSession, index: number): CandidateInfo[] {
    return index % 2 === 0 ? s.detail.candidates : [...s.detail.candidates].reverse();
  }

  /** The report over the judgements recorded so far (or the one set in {@link reports}). */
  #reportOf(s: FakeSession): Report {
    const id = s.detail.summary.id;
    const thresholds = this.gates.get(id) ?? DEFAULT_GATE;
    const fixed = this.reports.get(id);
    if (fixed) return { ...structuredClone(fixed), gate: evaluateGate(fixed, thresholds) };
    const { detail } = s;
    const nameOf = (candidateId: string) =>
      detail.candidates.find((c) => c.id === candidateId)?.name ?? candidateId;
    const snapshotCandidate = (snapshot: string) => nameOf(snapshot.split(":")[1] ?? snapshot);
    const titles = new Map([...ITEMS, ...REVIEW_ITEMS].map((it) => [it.id, it.title]));
    const ratings: RatingInput[] = [];
    const preferences: PreferenceInput[] = [];
    const flags: FlagInput[] = [];
    let judgements = 0;
    let personas = 0;
    detail.personas.forEach((p, index) => {
      const marks = s.marks.get(p.id);
      if (!marks) return;
      const count =
        marks.ratings.size +
        marks.flags.size +
        (marks.preference ? 1 : 0) +
        (marks.comment ? 1 : 0);
      if (count === 0) return;
      judgements += count;
      personas++;
      for (const [key, value] of marks.ratings) {
        const [snapshot, criterion] = key.split("\0") as [string, string];
        ratings.push({ persona: p.id, candidate: snapshotCandidate(snapshot), criterion, value });
      }
      for (const key of marks.flags) {
        const [snapshot, item, flag] = key.split("\0") as [string, string, string];
        const title = titles.get(item) ?? null;
        flags.push({ item_id: item, title, candidate: snapshotCandidate(snapshot), flag });
      }
      const pref = marks.preference;
      if (pref) {
        const shown = this.#shown(s, index).map((c) => c.name);
        const tiers =
          pref.tie || pref.ranking.length < shown.length
            ? [shown]
            : pref.ranking.map((snapshot) => [snapshotCandidate(snapshot)]);
        preferences.push({ persona: p.id, shown, tiers, allBad: pref.all_bad });
      }
    });
    const incumbent = detail.incumbent_candidate_id && nameOf(detail.incumbent_candidate_id);
    const other = detail.candidates.find((c) => c.id !== detail.incumbent_candidate_id);
    const challenger = detail.challenger_candidate_id
      ? nameOf(detail.challenger_candidate_id)
      : incumbent && detail.candidates.length === 2 && other
        ? other.name
        : null;
    return buildReport(
      {
        candidates: detail.candidates.map((c) => c.name),
        criteria: detail.criteria,
        incumbent: incumbent || null,
        challenger,
        ratings,
        preferences,
        flags,
        judgements,
        personas,
        reviewers: judgements > 0 ? 1 : 0,
      },
      thresholds,
    );
  }

  /** The session's report as `session_report` answers. */
  report(sessionId: string): SessionReport {
    const s = this.#session(sessionId);
    const detail = this.#detail(s);
    return {
      session_id: detail.summary.id,
      name: detail.summary.name,
      dataset: detail.summary.dataset,
      blind: detail.summary.blind,
      reviewer_done: detail.done_persona_ids.length === detail.personas.length,
      generated_at: Date.now(),
      report: this.#reportOf(s),
    };
  }

  #setGate(request: GateRequest): SessionReport {
    this.#session(request.session_id);
    if (request.gate === null) {
      this.gates.delete(request.session_id);
    } else {
      checkGate(request.gate);
      this.gates.set(request.session_id, structuredClone(request.gate));
    }
    return this.report(request.session_id);
  }

  #export(request: ExportRequest): ExportResult {
    const s = this.#session(request.session_id);
    const path = request.path.trim();
    if (!path) throw invalid("choose a file to export to");
    if (path.endsWith("/")) throw invalid(`cannot write ${path}: Is a directory (os error 21)`);
    const text = renderExport(request.format, s.detail.summary.name, this.#reportOf(s));
    this.files.set(path, text);
    return { path, format: request.format, bytes: new TextEncoder().encode(text).length };
  }

  /** The command handlers, to install with `mockBackend`. */
  handlers(): Record<string, CommandHandler> {
    return {
      list_candidates: () => this.#candidates(),
      list_sessions: () =>
        [...this.sessions.values()].map((s) => this.#detail(s).summary).reverse(),
      create_session: ({ request }) => this.#create(request as NewSessionRequest),
      get_session: ({ sessionId }) => this.#detail(this.#session(sessionId)),
      freeze_session: ({ sessionId, onProgress }) => this.#freeze(sessionId, onProgress),
      get_board: ({ sessionId, personaId }) => {
        const s = this.#session(sessionId);
        if (s.detail.summary.frozen_at === null) throw invalid("freeze the session first");
        return this.board(String(sessionId), String(personaId));
      },
      record_judgement: ({ request }) => this.#record(request as RecordRequest),
      reveal_persona: ({ sessionId, personaId }) => {
        const s = this.#session(sessionId);
        const marks = this.#marks(s, String(personaId));
        if (marks.preference === null) throw invalid("give a preference before revealing");
        marks.revealed = true;
        return this.board(String(sessionId), String(personaId));
      },
      session_summary: ({ sessionId }) => this.#summary(sessionId),
      session_report: ({ sessionId }) => this.report(String(sessionId)),
      set_session_gate: ({ request }) => this.#setGate(request as GateRequest),
      export_session: ({ request }) => this.#export(request as ExportRequest),
    };
  }
}

/**
 * Installs the fixture backend plus a {@link FakeReview} holding `sessions` (by default the
 * frozen blind {@link SESSION}), a {@link FakeSync} over it (not configured: call
 * `sync.configure()` for a report server), which hears of every judgement recorded, and a
 * {@link FakeLoad} for the sessions' load checks (the challenger's latest one a row of the
 * report's gate); `overrides` replace single commands.
 */
export function reviewBackend(
  overrides: Record<string, CommandHandler> = {},
  sessions?: SessionDetail[],
): { calls: RecordedCall[]; fake: FakeReview; sync: FakeSync; load: FakeLoad } {
  const fake = new FakeReview(sessions);
  const load = new FakeLoad((id) => fake.detail(id));
  const sync = new FakeSync({
    frozen: (id) => {
      const s = fake.sessions.get(id);
      return s ? s.detail.summary.frozen_at !== null : undefined;
    },
    lists: (id) => {
      const s = fake.sessions.get(id);
      return s ? s.detail.personas.length * s.detail.candidates.length : 0;
    },
    report: (id) => fake.report(id).report,
    detail: (id) => fake.detail(id),
    markPublished: (id, at) => fake.markPublished(id, at),
    join: (detail) => fake.join(detail),
  });
  const review = fake.handlers();
  const calls = fixtureBackend({
    ...sync.handlers(),
    ...review,
    ...load.handlers(),
    record_judgement: (args) => {
      const saved = review.record_judgement!(args);
      sync.recorded((args.request as RecordRequest).session_id);
      return saved;
    },
    session_report: (args) => load.withGateRow(review.session_report!(args) as SessionReport),
    set_session_gate: (args) => load.withGateRow(review.set_session_gate!(args) as SessionReport),
    ...overrides,
  });
  return { calls, fake, sync, load };
}
