//! Building the report from judgement events.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::events::{self, Atoms, EventKind, JudgementEvent, NONE, Outcome, resolve};
use super::stats::{self, Metric};
use super::{
    CriterionReport, DEFAULT_ROUNDS, FlagRow, GREAT_PICK, Gate, GateCheck, GateThresholds,
    LOW_AGREEMENT, MeanCi, Ordered, PositionBias, Preferences, Record, Report, Strength,
    WinProbability,
};

/// What the report is computed with.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    pub seed: u64,
    /// Bootstrap rounds (0 leaves every interval out).
    pub rounds: u32,
    /// Candidates in display order; any other candidate in the events follows, in order of
    /// appearance.
    pub candidates: Vec<String>,
    /// Criteria in display order; others follow as they appear.
    pub criteria: Vec<String>,
    pub incumbent: Option<String>,
    /// When `None` and there are exactly two candidates, the one that is not the incumbent.
    pub challenger: Option<String>,
    pub metric: Metric,
    pub gate: GateThresholds,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            seed: 0,
            rounds: DEFAULT_ROUNDS,
            candidates: Vec::new(),
            criteria: Vec::new(),
            incumbent: None,
            challenger: None,
            metric: Metric::Ordinal,
            gate: GateThresholds::default(),
        }
    }
}

/// Names to dense indices, in first-seen order; found by name or, fast, by atom.
#[derive(Default)]
struct Index<'a> {
    names: Vec<&'a str>,
    of: FxHashMap<&'a str, usize>,
    by_atom: Vec<usize>,
}

impl<'a> Index<'a> {
    fn add(&mut self, name: &'a str) -> usize {
        *self.of.entry(name).or_insert_with(|| {
            self.names.push(name);
            self.names.len() - 1
        })
    }

    /// Adds the name behind `atom`; later [`Index::at`] finds it without hashing.
    fn add_atom(&mut self, atom: u32, atoms: &Atoms<'a>) -> usize {
        let a = atom as usize;
        if let Some(&i) = self.by_atom.get(a).filter(|&&i| i != usize::MAX) {
            return i;
        }
        let i = self.add(atoms.names[a]);
        if self.by_atom.len() <= a {
            self.by_atom.resize(a + 1, usize::MAX);
        }
        self.by_atom[a] = i;
        i
    }

    fn at(&self, atom: u32) -> Option<usize> {
        self.by_atom.get(atom as usize).copied().filter(|&i| i != usize::MAX)
    }
    fn get(&self, name: &str) -> Option<usize> {
        self.of.get(name).copied()
    }
    fn len(&self) -> usize {
        self.names.len()
    }
}

/// One rating: persona, reviewer, (criterion × candidate) group, value.
struct Rating {
    persona: usize,
    reviewer: usize,
    group: usize,
    value: f64,
}

/// One pair of a preference: persona, reviewer, the two candidates and a's score (1, ½ or 0).
struct PairScore {
    persona: usize,
    reviewer: usize,
    a: usize,
    b: usize,
    score: f64,
}

/// What one bootstrap round yields.
struct Round {
    means: Vec<f64>,
    strengths: Vec<f64>,
    win_probability: f64,
}

/// What the bootstrap draws from.
struct Resampling {
    seed: u64,
    rounds: u32,
    personas: usize,
    reviewers: usize,
}

/// Ratings laid out for the bootstrap: per group, rows of one persona, each a run of
/// (reviewer, value), so a round streams them in order.
struct RatingCells {
    groups: Vec<Vec<Row>>,
    entries: Vec<(u32, f64)>,
}

struct Row {
    persona: usize,
    start: usize,
    end: usize,
}

impl RatingCells {
    fn new(ratings: &[Rating], groups: usize) -> RatingCells {
        let mut order: Vec<&Rating> = ratings.iter().collect();
        order.sort_unstable_by_key(|r| (r.group, r.persona, r.reviewer));
        let mut cells = RatingCells {
            groups: (0..groups).map(|_| Vec::new()).collect(),
            entries: Vec::with_capacity(order.len()),
        };
        for r in order {
            let rows = &mut cells.groups[r.group];
            let at = cells.entries.len();
            match rows.last_mut() {
                Some(row) if row.persona == r.persona => row.end = at + 1,
                _ => rows.push(Row { persona: r.persona, start: at, end: at + 1 }),
            }
            cells.entries.push((r.reviewer as u32, r.value));
        }
        cells
    }
}

/// A round's Bradley–Terry strengths and win probability from its persona and reviewer weights.
type RoundPreferences<'a> = dyn Fn(&[f64], &[f64]) -> (Vec<f64>, f64) + Sync + 'a;

/// Rounds computed together: every pass over the ratings serves this many rounds, which keeps
/// the bootstrap bound by arithmetic rather than by memory.
const BLOCK: usize = 8;

/// The bootstrap: each round draws personas and reviewers (the clusters) with replacement and
/// weighs every judgement by how often its persona and its reviewer were drawn. Rounds run in
/// blocks of [`BLOCK`], blocks in parallel; `preferences` turns a round's weights into its
/// Bradley–Terry strengths and win probability.
fn bootstrap(
    draw: &Resampling,
    cells: &RatingCells,
    preferences: &RoundPreferences<'_>,
) -> Vec<Round> {
    let blocks = (draw.rounds as usize).div_ceil(BLOCK);
    let per_block: Vec<Vec<Round>> = (0..blocks)
        .into_par_iter()
        .map(|block| {
            let first = block * BLOCK;
            let size = BLOCK.min(draw.rounds as usize - first);
            let (mut wp, mut wr) = (Vec::new(), Vec::new());
            let mut wp_block = vec![[0.0f64; BLOCK]; draw.personas];
            let mut wr_block = vec![[0.0f64; BLOCK]; draw.reviewers];
            let mut out = Vec::with_capacity(size);
            for b in 0..size {
                let round = (first + b) as u64;
                stats::resample_counts(draw.personas, draw.seed, round, 0, &mut wp);
                stats::resample_counts(draw.reviewers, draw.seed, round, 1, &mut wr);
                for (w, x) in wp_block.iter_mut().zip(&wp) {
                    w[b] = *x;
                }
                for (w, x) in wr_block.iter_mut().zip(&wr) {
                    w[b] = *x;
                }
                let (strengths, win_probability) = preferences(&wp, &wr);
                out.push(Round {
                    means: Vec::with_capacity(cells.groups.len()),
                    strengths,
                    win_probability,
                });
            }
            for rows in &cells.groups {
                let (mut num, mut den) = ([0.0f64; BLOCK], [0.0f64; BLOCK]);
                for row in rows {
                    let (mut rn, mut rd) = ([0.0f64; BLOCK], [0.0f64; BLOCK]);
                    for &(r, v) in &cells.entries[row.start..row.end] {
                        let w = &wr_block[r as usize];
                        for b in 0..BLOCK {
                            rn[b] += w[b] * v;
                            rd[b] += w[b];
                        }
                    }
                    let w = &wp_block[row.persona];
                    for b in 0..BLOCK {
                        num[b] += w[b] * rn[b];
                        den[b] += w[b] * rd[b];
                    }
                }
                for (b, round) in out.iter_mut().enumerate() {
                    round.means.push(num[b] / den[b]);
                }
            }
            out
        })
        .collect();
    per_block.into_iter().flatten().collect()
}

/// Computes the report over `events` (checked with [`events::validate`]).
///
/// The same judgements give the same report, bit for bit, in whatever order they come (the
/// server's arrival order, one device's, an export's): once the judgements that count are
/// resolved — where order only decides between repeats nothing supersedes, the later one
/// winning — they are taken in op id order, so personas, reviewers and sums are always met in
/// the same sequence.
pub fn build_report(events: &[JudgementEvent], options: &ReportOptions) -> Report {
    let mut atoms = Atoms::default();
    let mut resolved = resolve(events, &mut atoms);
    resolved.sort_unstable_by(|a, b| a.event.op_id.cmp(&b.event.op_id));
    let live: Vec<&JudgementEvent> = resolved.iter().map(|x| x.event).collect();
    let mut personas = Index::default();
    let mut reviewers = Index::default();
    let mut candidates = Index::default();
    let mut criteria = Index::default();
    for c in &options.candidates {
        candidates.add(c);
    }
    for c in &options.criteria {
        criteria.add(c);
    }
    for x in &resolved {
        personas.add_atom(x.persona, &atoms);
        reviewers.add_atom(x.reviewer, &atoms);
        if x.candidate != NONE {
            candidates.add_atom(x.candidate, &atoms);
        }
        for c in x.event.shown.iter().flatten() {
            candidates.add(c);
        }
        if x.event.kind == EventKind::Rating && x.criterion != NONE {
            criteria.add_atom(x.criterion, &atoms);
        }
    }
    let nc = candidates.len();
    let incumbent = options.incumbent.clone().filter(|c| candidates.get(c).is_some());
    let challenger = options.challenger.clone().or_else(|| match (&incumbent, nc) {
        (Some(inc), 2) => candidates.names.iter().find(|c| **c != inc).map(|c| (*c).to_owned()),
        _ => None,
    });

    // Ratings, flattened to groups criterion × candidate.
    let ratings: Vec<Rating> = resolved
        .iter()
        .filter(|x| x.event.kind == EventKind::Rating)
        .filter_map(|x| {
            let cand = candidates.at(x.candidate)?;
            let crit = criteria.at(x.criterion)?;
            Some(Rating {
                persona: personas.at(x.persona)?,
                reviewer: reviewers.at(x.reviewer)?,
                group: crit * nc + cand,
                value: x.event.value? as f64,
            })
        })
        .collect();
    let groups = criteria.len() * nc;
    let mut sums = vec![(0.0f64, 0u32); groups];
    for r in &ratings {
        sums[r.group].0 += r.value;
        sums[r.group].1 += 1;
    }

    // Preferences, expanded into pairs.
    let mut pairs = Vec::new();
    let mut matrix = vec![Record::default(); nc * nc];
    let (mut prefs, mut all_bad, mut left_wins, mut decided) = (0u32, 0u32, 0u32, 0u32);
    for e in live.iter().filter(|e| e.kind == EventKind::Preference) {
        prefs += 1;
        all_bad += u32::from(e.all_bad);
        let (Some(p), Some(r)) = (personas.get(&e.persona_id), reviewers.get(&e.reviewer)) else {
            continue;
        };
        for pair in events::pairs(e) {
            let (Some(a), Some(b)) = (candidates.get(pair.left), candidates.get(pair.right)) else {
                continue;
            };
            let score = match pair.outcome {
                Outcome::LeftWins => {
                    matrix[a * nc + b].wins += 1;
                    matrix[b * nc + a].losses += 1;
                    left_wins += 1;
                    decided += 1;
                    1.0
                }
                Outcome::RightWins => {
                    matrix[a * nc + b].losses += 1;
                    matrix[b * nc + a].wins += 1;
                    decided += 1;
                    0.0
                }
                Outcome::Tie => {
                    matrix[a * nc + b].ties += 1;
                    matrix[b * nc + a].ties += 1;
                    0.5
                }
            };
            pairs.push(PairScore { persona: p, reviewer: r, a, b, score });
        }
    }
    let fit = |weights: Option<(&[f64], &[f64])>, start: Option<&[Option<f64>]>| {
        let mut w = vec![0.0f64; nc * nc];
        for x in &pairs {
            let k = weights.map_or(1.0, |(wp, wr)| wp[x.persona] * wr[x.reviewer]);
            w[x.a * nc + x.b] += k * x.score;
            w[x.b * nc + x.a] += k * (1.0 - x.score);
        }
        stats::bradley_terry_from(nc, &w, start)
    };
    let bt = fit(None, None);
    let ci_pair = match (&challenger, &incumbent) {
        (Some(c), Some(i)) => candidates.get(c).zip(candidates.get(i)),
        _ => None,
    };

    let full = &bt;
    let cells = RatingCells::new(&ratings, groups);
    let rounds = bootstrap(
        &Resampling {
            seed: options.seed,
            rounds: options.rounds,
            personas: personas.len(),
            reviewers: reviewers.len(),
        },
        &cells,
        &|wp: &[f64], wr: &[f64]| {
            if pairs.is_empty() {
                return (Vec::new(), f64::NAN);
            }
            let bt = fit(Some((wp, wr)), Some(&full.strength));
            let p = ci_pair.and_then(|(c, i)| bt.win_probability(c, i)).unwrap_or(f64::NAN);
            (bt.strength.iter().map(|s| s.unwrap_or(f64::NAN)).collect(), p)
        },
    );
    let interval = |pick: &dyn Fn(&Round) -> f64| {
        let mut values: Vec<f64> = rounds.iter().map(pick).collect();
        stats::interval95(&mut values)
    };

    let mut criteria_out = Vec::new();
    for (ci, &crit) in criteria.names.iter().enumerate() {
        let mut per_candidate = Vec::new();
        for (k, &cand) in candidates.names.iter().enumerate() {
            let g = ci * nc + k;
            let (sum, n) = sums[g];
            if n > 0 {
                let ci = interval(&|r: &Round| r.means[g]);
                per_candidate.push((cand.to_owned(), MeanCi { mean: sum / f64::from(n), n, ci }));
            }
        }
        // α: a unit is one list (persona × candidate), its values the reviewers' ratings: one
        // row of a group of this criterion.
        let units: Vec<Vec<u8>> = (ci * nc..(ci + 1) * nc)
            .flat_map(|g| &cells.groups[g])
            .map(|row| cells.entries[row.start..row.end].iter().map(|&(_, v)| v as u8).collect())
            .collect();
        let alpha = stats::krippendorff_alpha(&units, options.metric);
        criteria_out.push((
            crit.to_owned(),
            CriterionReport {
                alpha: alpha.alpha,
                metric: options.metric,
                pairable: alpha.pairable as u32,
                low_agreement: alpha.alpha.is_some_and(|a| a < LOW_AGREEMENT),
                candidates: Ordered(per_candidate),
            },
        ));
    }

    let compared: Vec<usize> = (0..nc).filter(|&i| bt.strength[i].is_some()).collect();
    let matrix_out = Ordered(
        compared
            .iter()
            .map(|&a| {
                let row = compared
                    .iter()
                    .filter(|&&b| b != a)
                    .map(|&b| (candidates.names[b].to_owned(), matrix[a * nc + b]))
                    .collect();
                (candidates.names[a].to_owned(), Ordered(row))
            })
            .collect(),
    );
    let strengths = Ordered(
        compared
            .iter()
            .filter_map(|&i| {
                let strength = bt.strength[i]?;
                let ci = interval(&|r: &Round| r.strengths.get(i).copied().unwrap_or(f64::NAN));
                Some((candidates.names[i].to_owned(), Strength { strength, ci }))
            })
            .collect(),
    );
    let challenger_vs_incumbent = ci_pair.and_then(|(c, i)| {
        Some(WinProbability {
            challenger: candidates.names[c].to_owned(),
            incumbent: candidates.names[i].to_owned(),
            p: bt.win_probability(c, i)?,
            ci: interval(&|r: &Round| r.win_probability),
        })
    });
    let position_bias = PositionBias {
        left_share: (decided > 0).then(|| f64::from(left_wins) / f64::from(decided)),
        p_value: (decided > 0)
            .then(|| stats::binomial_two_sided(u64::from(left_wins), u64::from(decided))),
        left_wins,
        decided,
    };
    let flags = flag_rows(&live);
    let mut report = Report {
        candidates: candidates.names.iter().map(|c| (*c).to_owned()).collect(),
        incumbent,
        challenger,
        reviewers: reviewers.len() as u32,
        personas: personas.len() as u32,
        judgements: live.len() as u32,
        rounds: options.rounds,
        seed: options.seed,
        criteria: Ordered(criteria_out),
        preferences: Preferences {
            count: prefs,
            pairs: pairs.len() as u32,
            all_bad,
            matrix: matrix_out,
            bradley_terry: strengths,
            regularized: bt.regularized,
            challenger_vs_incumbent,
        },
        position_bias,
        flags,
        gate: Gate { passed: false, checks: Vec::new(), thresholds: options.gate.clone() },
    };
    report.gate = gate(&report, &live, &options.gate);
    report
}

/// Flags per item and candidate, most problems first, then most great picks.
fn flag_rows(live: &[&JudgementEvent]) -> Vec<FlagRow> {
    let mut by: FxHashMap<(&str, &str), FxHashMap<&str, u32>> = FxHashMap::default();
    for e in live.iter().filter(|e| e.kind == EventKind::Flag) {
        if let (Some(item), Some(cand), Some(flag)) = (&e.item_id, &e.candidate, &e.flag) {
            *by.entry((item, cand)).or_default().entry(flag).or_default() += 1;
        }
    }
    let mut rows: Vec<FlagRow> = by
        .into_iter()
        .map(|((item, cand), counts)| {
            let mut counts: Vec<(String, u32)> =
                counts.into_iter().map(|(f, n)| (f.to_owned(), n)).collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let problems = counts.iter().filter(|(f, _)| f != GREAT_PICK).map(|(_, n)| n).sum();
            FlagRow {
                item_id: item.to_owned(),
                title: None,
                candidate: cand.to_owned(),
                counts: Ordered(counts),
                problems,
            }
        })
        .collect();
    let great = |r: &FlagRow| r.counts.get(GREAT_PICK).copied().unwrap_or(0);
    rows.sort_by(|a, b| {
        b.problems
            .cmp(&a.problems)
            .then_with(|| great(b).cmp(&great(a)))
            .then_with(|| a.item_id.cmp(&b.item_id))
            .then_with(|| a.candidate.cmp(&b.candidate))
    });
    rows
}

fn gate(report: &Report, live: &[&JudgementEvent], t: &GateThresholds) -> Gate {
    let mut checks = Vec::new();
    let cvi = &report.preferences.challenger_vs_incumbent;
    let lower = cvi.as_ref().and_then(|w| w.ci).map(|ci| ci[0]);
    checks.push(check(
        "win_probability",
        "P(challenger beats incumbent), lower 95% bound",
        lower,
        t.min_win_probability,
        ">",
        match (&report.challenger, &report.incumbent, cvi) {
            (_, None, _) => Some("the session names no incumbent".into()),
            (None, _, _) => Some("the session names no challenger".into()),
            (_, _, None) => Some("no preference compares the challenger with the incumbent".into()),
            _ if lower.is_none() => Some("no bootstrap rounds".into()),
            _ => None,
        },
    ));
    let alpha = report.criteria.get(&t.alpha_criterion).and_then(|c| c.alpha);
    checks.push(check(
        "agreement",
        &format!("Krippendorff's α on \"{}\"", t.alpha_criterion),
        alpha,
        t.min_alpha,
        ">=",
        match report.criteria.get(&t.alpha_criterion) {
            None => Some(format!("no ratings on \"{}\"", t.alpha_criterion)),
            Some(_) if alpha.is_none() => Some(
                "undefined: too few lists rated by two reviewers, or every rating equal".into(),
            ),
            _ => None,
        },
    ));
    let blockers = report.challenger.as_ref().map(|c| {
        live.iter()
            .filter(|e| e.kind == EventKind::Flag && e.candidate.as_ref() == Some(c))
            .filter(|e| e.flag.as_ref().is_some_and(|f| t.blocker_flags.contains(f)))
            .count() as f64
    });
    checks.push(check(
        "blocker_flags",
        &if t.blocker_flags.is_empty() {
            "Blocker flags on the challenger's lists (none chosen)".to_owned()
        } else {
            format!("Blocker flags ({}) on the challenger's lists", t.blocker_flags.join(", "))
        },
        blockers,
        0.0,
        "<=",
        report.challenger.is_none().then(|| "the session names no challenger".into()),
    ));
    checks.push(check(
        "reviewers",
        "Reviewers",
        Some(f64::from(report.reviewers)),
        f64::from(t.min_reviewers),
        ">=",
        None,
    ));
    checks.push(check(
        "judgements",
        "Judgements",
        Some(f64::from(report.judgements)),
        f64::from(t.min_judgements),
        ">=",
        None,
    ));
    Gate { passed: checks.iter().all(|c| c.passed), checks, thresholds: t.clone() }
}

fn check(
    name: &str,
    label: &str,
    value: Option<f64>,
    threshold: f64,
    op: &str,
    note: Option<String>,
) -> GateCheck {
    let passed = value.is_some_and(|v| match op {
        ">" => v > threshold,
        ">=" => v >= threshold,
        _ => v <= threshold,
    });
    GateCheck {
        name: name.into(),
        label: label.into(),
        value,
        threshold,
        op: op.into(),
        passed,
        note,
    }
}
