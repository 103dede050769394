//! What the review screens send and receive (exported to TypeScript by ts-rs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use screening_core::Item;

use crate::PersonaDetail;

/// A configured source of lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CandidateInfo {
    pub id: String,
    /// Display name, e.g. "EASE (λ 250)".
    pub name: String,
    /// `builtin`, `http` or `personalize`.
    pub kind: String,
}

/// A review session as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionSummary {
    pub id: String,
    pub name: String,
    pub k: u32,
    pub blind: bool,
    pub persona_count: u32,
    pub candidate_count: u32,
    /// Unix ms when the lists were frozen; `null` until then (judging needs frozen lists).
    #[ts(type = "number | null")]
    pub frozen_at: Option<i64>,
    #[ts(type = "number")]
    pub created_at: i64,
    /// Personas this reviewer has given a preference for (counts as "done").
    pub personas_done: u32,
    /// The name of the dataset its built-in candidates train on.
    pub dataset: String,
    /// When it was published on the report server (from here, or joined); `null` while it is
    /// on this device only.
    #[ts(type = "number | null")]
    pub published_at: Option<i64>,
    /// Who published it, for a session joined from the report server; `null` for this
    /// device's own sessions.
    pub published_by: Option<String>,
}

/// What "New session" sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewSessionRequest {
    pub name: String,
    pub persona_ids: Vec<String>,
    /// 2 to 4 candidates.
    pub candidate_ids: Vec<String>,
    /// List length, 1..=50 (default 10).
    pub k: u32,
    pub blind: bool,
    /// Criteria rated 1–5; empty means the defaults (relevance, diversity, freshness,
    /// editorial quality, overall).
    pub criteria: Vec<String>,
    pub incumbent_candidate_id: Option<String>,
    /// The candidate the release decision is about; with two candidates and an incumbent, the
    /// other one when left out.
    #[serde(default)]
    pub challenger_candidate_id: Option<String>,
}

/// A session with its personas and candidates, in session order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionDetail {
    pub summary: SessionSummary,
    pub personas: Vec<PersonaRef>,
    /// Personas this reviewer has given a preference for, in session order ("Continue judging"
    /// opens the first one not in here).
    pub done_persona_ids: Vec<String>,
    /// Real names; the board hides them in blind mode until the reveal.
    pub candidates: Vec<CandidateInfo>,
    pub criteria: Vec<String>,
    pub incumbent_candidate_id: Option<String>,
    pub challenger_candidate_id: Option<String>,
}

/// A persona as a session names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonaRef {
    pub id: String,
    pub name: String,
}

/// How far freezing is: `done` of `total` lists fetched; `candidate` finished the last one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FreezeProgress {
    pub done: u32,
    pub total: u32,
    pub candidate: String,
}

/// The outcome of freezing a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FreezeReport {
    pub snapshots: u32,
    /// Snapshots whose candidate failed (the error is shown in its column).
    pub failed: u32,
    pub seconds: f64,
}

/// Editorial flags on one item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemFlag {
    WrongForPersona,
    AlreadySeen,
    Inappropriate,
    DuplicateFranchise,
    Stale,
    GreatPick,
}

/// One item of a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardItem {
    pub item: Item,
    /// 1-based.
    pub rank: u32,
    pub score: Option<f32>,
    /// The model's reason, when it gave one (shown once the names are).
    pub reason: Option<String>,
    /// The promotion that placed it (Amazon Personalize's `promotionName`), once revealed.
    pub promotion: Option<String>,
    /// False when the catalog has no such item: the candidate returned an unknown id (the tile
    /// then shows the id as its title).
    pub known: bool,
    /// The persona's history has it.
    pub already_seen: bool,
    /// How many other columns of this persona also list it.
    pub in_other_lists: u32,
    /// This reviewer's current flags on it.
    pub flags: Vec<ItemFlag>,
}

/// A share of a column by content type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MixEntry {
    pub name: String,
    pub count: u32,
}

/// Indicators shown above a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Indicators {
    /// Items per content type, most first.
    pub content_mix: Vec<MixEntry>,
    /// Mean popularity percentile of the items (0 = niche, 1 = the most watched).
    pub mean_popularity: f64,
    /// Share of the items the persona already watched.
    pub seen_share: f64,
    /// Share of the items that appear in at least one other column.
    pub overlap: f64,
}

/// One candidate's frozen list for the persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Column {
    /// "A", "B", "C", "D" in blind mode (shuffled per reviewer and persona), else the name.
    pub label: String,
    pub snapshot_id: String,
    /// The real candidate; `null` while blind and not revealed.
    pub candidate: Option<CandidateInfo>,
    pub items: Vec<BoardItem>,
    /// Why the candidate gave no list, when it failed.
    pub error: Option<String>,
    /// What was off in its answer (unknown ids, repeats, more than k), one line each.
    pub warnings: Vec<String>,
    pub latency_ms: Option<f64>,
    pub indicators: Indicators,
    /// This reviewer's current 1–5 score per criterion (criteria without a score are absent).
    pub ratings: Vec<CriterionScore>,
}

/// A score on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriterionScore {
    pub criterion: String,
    pub score: u8,
}

/// A preference between the persona's lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Preference {
    /// Snapshot ids, best first (for two lists: the preferred one first).
    pub ranking: Vec<String>,
    /// The lists are equally good (ranking order then carries no meaning).
    pub tie: bool,
    /// Every list is bad.
    pub all_bad: bool,
}

/// Everything the side-by-side view shows for one persona of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Board {
    pub session_id: String,
    pub persona: PersonaDetail,
    /// 0-based position of the persona in the session, and how many there are.
    pub position: u32,
    pub persona_count: u32,
    pub blind: bool,
    /// Real names are shown (not blind, or this reviewer revealed this persona).
    pub revealed: bool,
    pub criteria: Vec<String>,
    pub columns: Vec<Column>,
    pub preference: Option<Preference>,
    pub comment: Option<String>,
}

/// A judgement from the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum JudgementInput {
    Rating { snapshot_id: String, criterion: String, score: u8 },
    Preference { preference: Preference },
    Flag { snapshot_id: String, item_id: String, flag: ItemFlag, on: bool },
    Comment { text: String },
}

/// Records one judgement for a persona of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordRequest {
    pub session_id: String,
    pub persona_id: String,
    pub judgement: JudgementInput,
}

/// A judgement on disk: the UI may say "saved".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Saved {
    pub op_id: String,
    #[ts(type = "number")]
    pub device_seq: i64,
    #[ts(type = "number")]
    pub saved_at: i64,
}

/// This reviewer's mean score per candidate and criterion, over the personas whose names are
/// shown (not blind, or revealed), so the summary never unblinds a persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SummaryRow {
    pub candidate: CandidateInfo,
    pub criterion: String,
    pub mean: f64,
    pub count: u32,
}
