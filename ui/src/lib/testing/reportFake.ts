/**
 * The report side of the fake review backend: a fixed, realistic report for the fixture
 * session, a small stand-in for `build_report` (means, preferences, strengths, position bias,
 * flags) over judgements the fake recorded, and the release gate with the backend's checks,
 * defaults and refusals (`screening_core::report` and `screening_app::review`), so thresholds
 * set in a test change the gate the way they do in the app.
 */
import type {
  AppError,
  CriterionReport,
  FlagRow,
  Gate,
  GateCheck,
  GateThresholds,
  MeanCi,
  Report,
  Strength,
  WinTieLoss,
} from "../ipc";

/** The backend's default thresholds (`GateThresholds::default`). */
export const DEFAULT_GATE: GateThresholds = {
  min_win_probability: 0.5,
  min_alpha: 0.667,
  alpha_criterion: "overall",
  blocker_flags: ["inappropriate"],
  min_reviewers: 3,
  min_judgements: 30,
};

/** Below this α a criterion has low agreement. */
export const LOW_AGREEMENT = 0.667;

function invalid(message: string): AppError {
  return { code: "invalid_input", message };
}

/** Throws the `invalid_input` the backend answers `set_session_gate` with for bad thresholds. */
export function checkGate(g: GateThresholds): void {
  if (!(g.min_win_probability >= 0 && g.min_win_probability <= 1)) {
    throw invalid(`the win probability threshold is between 0 and 1, not ${g.min_win_probability}`);
  }
  if (!(g.min_alpha >= -1 && g.min_alpha <= 1)) {
    throw invalid(`the α threshold is between -1 and 1, not ${g.min_alpha}`);
  }
  if (!g.alpha_criterion.trim()) {
    throw invalid("name the criterion whose agreement the gate checks");
  }
  for (const n of [g.min_reviewers, g.min_judgements]) {
    // What serde answers for a negative or fractional u32 (Tauri passes it on as a string).
    if (!Number.isInteger(n) || n < 0) {
      throw `invalid args \`request\` for command \`set_session_gate\`: invalid value: ${n}, expected u32`;
    }
  }
}

function check(
  name: string,
  label: string,
  value: number | null,
  threshold: number,
  op: ">" | ">=" | "<=",
  note: string | null,
): GateCheck {
  const passed =
    value !== null &&
    (op === ">" ? value > threshold : op === ">=" ? value >= threshold : value <= threshold);
  return { name, label, value, threshold, op, passed, note };
}

/** The gate of `report` under thresholds `t`, checked as the backend does. */
export function evaluateGate(report: Omit<Report, "gate">, t: GateThresholds): Gate {
  const cvi = report.preferences.challenger_vs_incumbent;
  const lower = cvi?.ci?.[0] ?? null;
  const criterion = report.criteria[t.alpha_criterion];
  const alpha = criterion?.alpha ?? null;
  const blockers =
    report.challenger === null
      ? null
      : report.flags
          .filter((row) => row.candidate === report.challenger)
          .reduce(
            (sum, row) => sum + t.blocker_flags.reduce((s, flag) => s + (row.counts[flag] ?? 0), 0),
            0,
          );
  const checks = [
    check(
      "win_probability",
      "P(challenger beats incumbent), lower 95% bound",
      lower,
      t.min_win_probability,
      ">",
      report.incumbent === null
        ? "the session names no incumbent"
        : report.challenger === null
          ? "the session names no challenger"
          : cvi === null
            ? "no preference compares the challenger with the incumbent"
            : lower === null
              ? "no bootstrap rounds"
              : null,
    ),
    check(
      "agreement",
      `Krippendorff's α on "${t.alpha_criterion}"`,
      alpha,
      t.min_alpha,
      ">=",
      criterion === undefined
        ? `no ratings on "${t.alpha_criterion}"`
        : alpha === null
          ? "undefined: too few lists rated by two reviewers, or every rating equal"
          : null,
    ),
    check(
      "blocker_flags",
      t.blocker_flags.length === 0
        ? "Blocker flags on the challenger's lists (none chosen)"
        : `Blocker flags (${t.blocker_flags.join(", ")}) on the challenger's lists`,
      blockers,
      0,
      "<=",
      report.challenger === null ? "the session names no challenger" : null,
    ),
    check("reviewers", "Reviewers", report.reviewers, t.min_reviewers, ">=", null),
    check("judgements", "Judgements", report.judgements, t.min_judgements, ">=", null),
  ];
  return { passed: checks.every((c) => c.passed), checks, thresholds: structuredClone(t) };
}

const mean = (m: number, n: number, lo: number, hi: number): MeanCi => ({
  mean: m,
  n,
  ci: [lo, hi],
});
const wtl = (wins: number, ties: number, losses: number): WinTieLoss => ({ wins, ties, losses });

const EASE = "EASE (λ 250)";
const POPULARITY = "Popularity";
const RANDOM = "Random (control)";

function criterion(alpha: number | null, candidates: Record<string, MeanCi>): CriterionReport {
  return {
    alpha,
    metric: "ordinal",
    pairable: alpha === null ? 0 : 18,
    low_agreement: alpha !== null && alpha < LOW_AGREEMENT,
    candidates,
  };
}

const REPORT_BODY: Omit<Report, "gate"> = {
  candidates: [EASE, POPULARITY, RANDOM],
  incumbent: POPULARITY,
  challenger: EASE,
  reviewers: 3,
  personas: 2,
  judgements: 64,
  rounds: 1000,
  seed: 20261130,
  criteria: {
    relevance: criterion(0.74, {
      [EASE]: mean(4.17, 6, 3.67, 4.6),
      [POPULARITY]: mean(3.5, 6, 2.93, 4.05),
      [RANDOM]: mean(2.17, 6, 1.6, 2.75),
    }),
    diversity: criterion(0.52, {
      [EASE]: mean(3.33, 6, 2.8, 3.9),
      [POPULARITY]: mean(2.83, 6, 2.2, 3.5),
      [RANDOM]: mean(3.67, 6, 3.1, 4.2),
    }),
    freshness: criterion(null, {
      [EASE]: mean(3.0, 3, 3.0, 3.0),
      [POPULARITY]: mean(3.0, 3, 3.0, 3.0),
    }),
    "editorial quality": criterion(0.69, {
      [EASE]: mean(3.83, 6, 3.3, 4.33),
      [POPULARITY]: mean(3.17, 6, 2.6, 3.75),
      [RANDOM]: mean(2.0, 6, 1.5, 2.6),
    }),
    overall: criterion(0.81, {
      [EASE]: mean(4.0, 6, 3.5, 4.5),
      [POPULARITY]: mean(3.33, 6, 2.8, 3.9),
      [RANDOM]: mean(1.83, 6, 1.33, 2.4),
    }),
  },
  preferences: {
    count: 6,
    pairs: 18,
    all_bad: 0,
    matrix: {
      [EASE]: { [POPULARITY]: wtl(4, 0, 2), [RANDOM]: wtl(6, 0, 0) },
      [POPULARITY]: { [EASE]: wtl(2, 0, 4), [RANDOM]: wtl(5, 1, 0) },
      [RANDOM]: { [EASE]: wtl(0, 0, 6), [POPULARITY]: wtl(0, 1, 5) },
    },
    bradley_terry: {
      [EASE]: { strength: 0.94, ci: [0.41, 1.62] },
      [POPULARITY]: { strength: 0.31, ci: [-0.22, 0.86] },
      [RANDOM]: { strength: -1.25, ci: [-2.1, -0.7] },
    },
    regularized: false,
    challenger_vs_incumbent: {
      challenger: EASE,
      incumbent: POPULARITY,
      p: 0.65,
      ci: [0.45, 0.82],
    },
  },
  position_bias: { left_share: 0.56, p_value: 0.8036, left_wins: 9, decided: 16 },
  flags: [
    {
      item_id: "r11",
      title: "Rocket Pals",
      candidate: RANDOM,
      counts: { inappropriate: 2, wrong_for_persona: 1 },
      problems: 3,
    },
    {
      item_id: "r07",
      title: "Evening Report",
      candidate: POPULARITY,
      counts: { stale: 1 },
      problems: 1,
    },
    {
      item_id: "r05",
      title: "Date Night Live",
      candidate: EASE,
      counts: { great_pick: 3 },
      problems: 0,
    },
  ],
};

/**
 * The report of the fixture session (`SESSION`, "s1": EASE challenging Popularity, with a
 * random control), as if three reviewers had judged both personas: every check passes but the
 * win probability's (its lower bound is 0.45, the default threshold 0.5).
 */
export const REPORT: Report = { ...REPORT_BODY, gate: evaluateGate(REPORT_BODY, DEFAULT_GATE) };

// ---------------------------------------------------------------------------------------------
// A small `build_report` over the fake's judgements (one reviewer: α is always undefined).

export type RatingInput = { persona: string; candidate: string; criterion: string; value: number };
/** A preference: the lists as shown (left to right) and the tiers, best first. */
export type PreferenceInput = {
  persona: string;
  shown: string[];
  tiers: string[][];
  allBad: boolean;
};
export type FlagInput = { item_id: string; title: string | null; candidate: string; flag: string };

export type ReportInput = {
  candidates: string[];
  criteria: string[];
  incumbent: string | null;
  challenger: string | null;
  ratings: RatingInput[];
  preferences: PreferenceInput[];
  flags: FlagInput[];
  judgements: number;
  personas: number;
  reviewers: number;
};

const round = (x: number) => Math.round(x * 1000) / 1000;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Two-sided exact binomial test of `k` successes in `n` against ½. */
export function binomialTwoSided(k: number, n: number): number {
  const pmf: number[] = [];
  let c = 1;
  for (let i = 0; i <= n; i++) {
    pmf.push(c / 2 ** n);
    c = (c * (n - i)) / (i + 1);
  }
  const observed = pmf[k]!;
  return Math.min(
    1,
    pmf.filter((p) => p <= observed * (1 + 1e-9)).reduce((a, b) => a + b, 0),
  );
}

/** A plausible report over `input`: real means, counts and records; rough intervals. */
export function buildReport(input: ReportInput, thresholds: GateThresholds): Report {
  const names = [...input.candidates];
  const criteria: Record<string, CriterionReport> = {};
  for (const crit of input.criteria) {
    const per: Record<string, MeanCi> = {};
    for (const cand of names) {
      const values = input.ratings
        .filter((r) => r.criterion === crit && r.candidate === cand)
        .map((r) => r.value);
      if (values.length === 0) continue;
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      const half = values.length > 1 ? 1 / Math.sqrt(values.length) : 0;
      per[cand] = mean(
        round(m),
        values.length,
        round(clamp(m - half, 1, 5)),
        round(clamp(m + half, 1, 5)),
      );
    }
    criteria[crit] = criterion(null, per);
  }

  const records = new Map<string, WinTieLoss>();
  const rec = (a: string, b: string) => {
    const key = `${a}\0${b}`;
    let r = records.get(key);
    if (!r) records.set(key, (r = wtl(0, 0, 0)));
    return r;
  };
  let pairs = 0;
  let leftWins = 0;
  let decided = 0;
  for (const p of input.preferences) {
    const tierOf = (c: string) => p.tiers.findIndex((t) => t.includes(c));
    for (let i = 0; i < p.shown.length; i++) {
      for (let j = i + 1; j < p.shown.length; j++) {
        const [left, right] = [p.shown[i]!, p.shown[j]!];
        const [tl, tr] = [tierOf(left), tierOf(right)];
        pairs++;
        if (tl === tr) {
          rec(left, right).ties++;
          rec(right, left).ties++;
        } else {
          const [winner, loser] = tl < tr ? [left, right] : [right, left];
          rec(winner, loser).wins++;
          rec(loser, winner).losses++;
          decided++;
          if (winner === left) leftWins++;
        }
      }
    }
  }
  const compared = names.filter((a) => names.some((b) => records.has(`${a}\0${b}`)));
  const matrix: Record<string, Record<string, WinTieLoss>> = {};
  const raw: Record<string, number> = {};
  for (const a of compared) {
    const row: Record<string, WinTieLoss> = {};
    let score = 0.5;
    let against = 0.5;
    for (const b of compared) {
      if (a === b) continue;
      const r = rec(a, b);
      row[b] = { ...r };
      score += r.wins + r.ties / 2;
      against += r.losses + r.ties / 2;
    }
    matrix[a] = row;
    raw[a] = Math.log(score / against);
  }
  const centre = compared.reduce((s, a) => s + raw[a]!, 0) / Math.max(compared.length, 1);
  const width = 1.5 / Math.sqrt(input.preferences.length + 1);
  const bradley_terry: Record<string, Strength> = {};
  for (const a of compared) {
    const s = raw[a]! - centre;
    bradley_terry[a] = { strength: round(s), ci: [round(s - width), round(s + width)] };
  }
  const { challenger, incumbent } = input;
  const bc = challenger === null ? undefined : bradley_terry[challenger];
  const bi = incumbent === null ? undefined : bradley_terry[incumbent];
  const challenger_vs_incumbent =
    challenger !== null && incumbent !== null && bc && bi
      ? {
          challenger,
          incumbent,
          p: round(sigmoid(bc.strength - bi.strength)),
          ci: [
            round(sigmoid(bc.strength - bi.strength - 2 * width)),
            round(sigmoid(bc.strength - bi.strength + 2 * width)),
          ] as [number, number],
        }
      : null;

  const flagRows = new Map<string, FlagRow>();
  for (const f of input.flags) {
    const key = `${f.item_id}\0${f.candidate}`;
    let row = flagRows.get(key);
    if (!row) {
      row = { item_id: f.item_id, title: f.title, candidate: f.candidate, counts: {}, problems: 0 };
      flagRows.set(key, row);
    }
    row.counts[f.flag] = (row.counts[f.flag] ?? 0) + 1;
    if (f.flag !== "great_pick") row.problems++;
  }
  const flags = [...flagRows.values()]
    .map((row) => ({
      ...row,
      counts: Object.fromEntries(
        Object.entries(row.counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      ),
    }))
    .sort(
      (a, b) =>
        b.problems - a.problems ||
        (b.counts.great_pick ?? 0) - (a.counts.great_pick ?? 0) ||
        a.item_id.localeCompare(b.item_id) ||
        a.candidate.localeCompare(b.candidate),
    );

  const body: Omit<Report, "gate"> = {
    candidates: names,
    incumbent,
    challenger,
    reviewers: input.reviewers,
    personas: input.personas,
    judgements: input.judgements,
    rounds: 1000,
    seed: 20261130,
    criteria,
    preferences: {
      count: input.preferences.length,
      pairs,
      all_bad: input.preferences.filter((p) => p.allBad).length,
      matrix,
      bradley_terry,
      regularized: false,
      challenger_vs_incumbent,
    },
    position_bias: {
      left_share: decided > 0 ? leftWins / decided : null,
      p_value: decided > 0 ? binomialTwoSided(leftWins, decided) : null,
      left_wins: leftWins,
      decided,
    },
    flags,
  };
  return { ...body, gate: evaluateGate(body, thresholds) };
}

/** What the fake writes for an export: the report as JSON, or a stub of the format. */
export function renderExport(format: string, name: string, report: Report): string {
  switch (format) {
    case "html":
      return `<!DOCTYPE html>\n<html><head><title>${name}</title></head><body><svg></svg></body></html>\n`;
    case "markdown":
      return `# ${name}\n\nGate: ${report.gate.passed ? "PASSED" : "FAILED"}\n`;
    default:
      return `${JSON.stringify(report, null, 2)}\n`;
  }
}
