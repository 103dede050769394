//! The report over a session's judgements: means with cluster-bootstrap confidence intervals,
//! preferences and Bradley–Terry strengths, agreement (Krippendorff's α), position bias, flags and
//! the release gate. Pure and deterministic: the same events and seed give the same report.

mod build;
pub mod events;
mod ordered;
pub mod stats;
pub mod synthetic;

pub use build::{ReportOptions, build_report};
pub use events::{EventError, EventKind, JudgementEvent, Outcome, Pair};
pub use ordered::Ordered;
pub use stats::Metric;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The seed of the bootstrap unless one is given: the app, the CLI and the server use it, so the
/// same judgements give the same report everywhere.
pub const DEFAULT_SEED: u64 = 20_261_130;

/// The default number of bootstrap rounds.
pub const DEFAULT_ROUNDS: u32 = 1000;
/// Below this α a criterion is flagged "low agreement" (Krippendorff's lowest bound for
/// tentative conclusions).
pub const LOW_AGREEMENT: f64 = 0.667;
/// The flag that marks an item the challenger must not recommend (by default).
pub const INAPPROPRIATE: &str = "inappropriate";
/// The positive flag (not counted against a list).
pub const GREAT_PICK: &str = "great_pick";

/// Everything a PM reads before deciding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Report {
    /// Candidates by real name, in session order.
    pub candidates: Vec<String>,
    pub incumbent: Option<String>,
    pub challenger: Option<String>,
    /// Reviewers with at least one judgement that counts.
    pub reviewers: u32,
    /// Personas with at least one judgement that counts.
    pub personas: u32,
    /// Judgements that count (superseded ones and withdrawn flags left out), by every kind.
    pub judgements: u32,
    /// Bootstrap rounds and seed: the same seed gives the same intervals.
    pub rounds: u32,
    #[ts(type = "number")]
    pub seed: u64,
    /// Per criterion, in session order.
    #[ts(as = "std::collections::HashMap<String, CriterionReport>")]
    pub criteria: Ordered<CriterionReport>,
    pub preferences: Preferences,
    pub position_bias: PositionBias,
    /// Flags per item and candidate, most-flagged first.
    pub flags: Vec<FlagRow>,
    pub gate: Gate,
}

/// Ratings on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriterionReport {
    /// Krippendorff's α between reviewers; `null` when undefined (fewer than two ratings of any
    /// list, or every rating the same).
    pub alpha: Option<f64>,
    pub metric: Metric,
    /// Ratings in lists that at least two reviewers rated (what α is computed from).
    pub pairable: u32,
    /// α below 0.667.
    pub low_agreement: bool,
    /// Per candidate (only those with ratings), in session order.
    #[ts(as = "std::collections::HashMap<String, MeanCi>")]
    pub candidates: Ordered<MeanCi>,
}

/// A mean with its 95% cluster-bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeanCi {
    pub mean: f64,
    pub n: u32,
    /// `null` when no round had ratings (cannot happen with n > 0).
    pub ci: Option<[f64; 2]>,
}

/// Wins, ties and losses of one candidate against another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Record {
    pub wins: u32,
    pub ties: u32,
    pub losses: u32,
}

/// Preferences between lists, expanded into pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Preferences {
    /// Preferences that count.
    pub count: u32,
    /// Pairs they expand into.
    pub pairs: u32,
    /// How often every reviewer found every list bad.
    pub all_bad: u32,
    /// `matrix[a][b]`: a's record against b.
    #[ts(as = "std::collections::HashMap<String, std::collections::HashMap<String, Record>>")]
    pub matrix: Ordered<Ordered<Record>>,
    /// Log-strengths (centred on 0): P(a beats b) = 1 / (1 + e^(b − a)).
    #[ts(as = "std::collections::HashMap<String, Strength>")]
    pub bradley_terry: Ordered<Strength>,
    /// See [`stats::BradleyTerry::regularized`].
    pub regularized: bool,
    /// `null` without an incumbent and a challenger that were both compared.
    pub challenger_vs_incumbent: Option<WinProbability>,
}

/// A Bradley–Terry strength with its 95% bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Strength {
    pub strength: f64,
    pub ci: Option<[f64; 2]>,
}

/// P(challenger beats incumbent) under Bradley–Terry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WinProbability {
    pub challenger: String,
    pub incumbent: String,
    pub p: f64,
    pub ci: Option<[f64; 2]>,
}

/// Whether reviewers favour the left-hand list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PositionBias {
    /// Share of decided pairs (not ties) won by the list shown further left; `null` without any.
    pub left_share: Option<f64>,
    /// Two-sided exact binomial test against ½.
    pub p_value: Option<f64>,
    pub left_wins: u32,
    pub decided: u32,
}

/// The flags on one item in one candidate's lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FlagRow {
    pub item_id: String,
    /// Filled in by callers that know the catalog.
    pub title: Option<String>,
    pub candidate: String,
    /// Per flag, most first.
    #[ts(as = "std::collections::HashMap<String, u32>")]
    pub counts: Ordered<u32>,
    /// Flags other than "great pick".
    pub problems: u32,
}

/// What the challenger must reach to ship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct GateThresholds {
    /// The lower 95% bound of P(challenger beats incumbent) must be above this.
    pub min_win_probability: f64,
    /// Krippendorff's α on `alpha_criterion` must be at least this.
    pub min_alpha: f64,
    pub alpha_criterion: String,
    /// Flags that block a release when any list of the challenger has them.
    pub blocker_flags: Vec<String>,
    pub min_reviewers: u32,
    pub min_judgements: u32,
}

impl Default for GateThresholds {
    fn default() -> Self {
        GateThresholds {
            min_win_probability: 0.5,
            min_alpha: LOW_AGREEMENT,
            alpha_criterion: "overall".into(),
            blocker_flags: vec![INAPPROPRIATE.into()],
            min_reviewers: 3,
            min_judgements: 30,
        }
    }
}

/// The release gate: passed when every check passed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Gate {
    pub passed: bool,
    pub checks: Vec<GateCheck>,
    pub thresholds: GateThresholds,
}

/// One check of the gate, with the number behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GateCheck {
    /// Stable id: `win_probability`, `agreement`, `blocker_flags`, `reviewers`, `judgements`.
    pub name: String,
    /// What it checks, in words.
    pub label: String,
    /// `null` when it could not be computed (the check then fails and `note` says why).
    pub value: Option<f64>,
    pub threshold: f64,
    /// How `value` must compare with `threshold`: `>`, `>=` or `<=`.
    pub op: String,
    pub passed: bool,
    pub note: Option<String>,
}
