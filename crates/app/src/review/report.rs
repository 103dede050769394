//! The report of a session: its judgements as export events (real candidate names, each
//! preference's columns in the order its reviewer saw them), the statistics over them, and the
//! exports.

use std::collections::HashMap;
use std::path::Path;

use screening_core::report::{
    EventKind, GateThresholds, JudgementEvent, Report, ReportOptions, build_report,
};
use screening_report::Meta;
use screening_store::{Judgement, JudgementKind, SessionRecord, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::board::blind_order;
use super::types::Preference;
use crate::AppError;

/// The seed of the report's bootstrap: the same judgements always give the same report.
pub const REPORT_SEED: u64 = screening_core::report::DEFAULT_SEED;

/// What can be exported from a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    /// The report as JSON.
    ReportJson,
    /// The report's numbers as one CSV table.
    SummaryCsv,
    /// The report as Markdown (pastes into a wiki).
    Markdown,
    /// The report as one self-contained HTML file with charts.
    Html,
    /// Every judgement event as JSON Lines.
    JudgementsJsonl,
    /// Every judgement event as CSV (formula-injection safe).
    JudgementsCsv,
    /// Preferences as pairwise battles, JSON Lines.
    Battles,
}

impl ExportFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::ReportJson => "json",
            ExportFormat::SummaryCsv | ExportFormat::JudgementsCsv => "csv",
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::JudgementsJsonl | ExportFormat::Battles => "jsonl",
        }
    }

    /// The export's text; `report` is called only by the formats that show the report (the raw
    /// formats need the events alone).
    pub fn render(
        self,
        report: impl FnOnce() -> Report,
        events: &[JudgementEvent],
        meta: &Meta,
    ) -> String {
        match self {
            ExportFormat::ReportJson => screening_report::json(&report()),
            ExportFormat::SummaryCsv => screening_report::summary_csv(&report()),
            ExportFormat::Markdown => screening_report::markdown(&report(), meta),
            ExportFormat::Html => screening_report::html(&report(), meta),
            ExportFormat::JudgementsJsonl => screening_core::report::events::to_jsonl(events),
            ExportFormat::JudgementsCsv => screening_report::judgements_csv(events),
            ExportFormat::Battles => screening_report::battles_jsonl(events),
        }
    }
}

/// A session's report as the report view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionReport {
    pub session_id: String,
    pub name: String,
    pub dataset: String,
    pub blind: bool,
    /// This reviewer has given a preference for every persona (in a blind session, the report's
    /// real names cannot unblind anything left to judge).
    pub reviewer_done: bool,
    #[ts(type = "number")]
    pub generated_at: i64,
    pub report: Report,
}

/// Writes one export of a session to a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub session_id: String,
    pub format: ExportFormat,
    pub path: String,
}

/// A written export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    pub format: ExportFormat,
    pub bytes: u32,
}

/// Sets a session's gate thresholds (`null` resets them to the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GateRequest {
    pub session_id: String,
    pub gate: Option<GateThresholds>,
}

/// A session with its judgements as export events.
#[derive(Debug, Clone)]
pub struct SessionEvents {
    pub session: SessionRecord,
    /// The dataset's name.
    pub dataset: String,
    /// Candidate id → the name exports use (real names; made unique with the id if two share
    /// one).
    pub names: HashMap<String, String>,
    /// Every judgement event except reveals, oldest first.
    pub events: Vec<JudgementEvent>,
}

/// What turning a session's judgements into export events takes: the session, the candidates'
/// export names, which candidate made each list, and each persona's lists in session order.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub session: SessionRecord,
    /// The dataset's name.
    pub dataset: String,
    /// Candidate id → the name exports use.
    pub names: HashMap<String, String>,
    /// Snapshot id → candidate id.
    by_snapshot: HashMap<String, String>,
    /// Persona id → the candidate ids of its lists, in session order.
    columns: HashMap<String, Vec<String>>,
}

impl SessionContext {
    /// Reads what session `session_id` needs (not its judgements).
    pub async fn load(store: &Store, session_id: &str) -> Result<SessionContext, AppError> {
        let session = store.session(session_id).await?;
        let dataset = store.catalog(&session.catalog_id).await?.record.name;
        let records: HashMap<String, String> =
            store.candidates().await?.into_iter().map(|c| (c.id, c.name)).collect();
        let names = unique_names(&session.candidate_ids, &records);
        let mut by_snapshot = HashMap::new();
        let mut columns: HashMap<String, Vec<String>> = HashMap::new();
        for s in store.snapshots(session_id, None).await? {
            columns
                .entry(s.snapshot.persona_id.clone())
                .or_default()
                .push(s.snapshot.candidate_id.clone());
            by_snapshot.insert(s.id, s.snapshot.candidate_id);
        }
        Ok(SessionContext { session, dataset, names, by_snapshot, columns })
    }

    fn name(&self, candidate: &str) -> String {
        self.names.get(candidate).cloned().unwrap_or_else(|| candidate.to_owned())
    }

    /// Judgement `j` of this session as an export event; `None` for a reveal.
    pub fn event(&self, j: &Judgement) -> Result<Option<JudgementEvent>, AppError> {
        let of_snapshot = |s: &str| self.by_snapshot.get(s).map(|c| self.name(c));
        let candidate = j.judgement.snapshot_id.as_deref().and_then(of_snapshot);
        let shown = || -> Vec<String> {
            let cols = self.columns.get(&j.judgement.persona_id).cloned().unwrap_or_default();
            let order: Vec<usize> = if self.session.blind {
                blind_order(
                    cols.len(),
                    &self.session.id,
                    &j.judgement.reviewer,
                    &j.judgement.persona_id,
                )
            } else {
                (0..cols.len()).collect()
            };
            order.into_iter().map(|i| self.name(&cols[i])).collect()
        };
        event_of(j, candidate, shown, of_snapshot)
    }
}

impl SessionEvents {
    /// Reads session `session_id` and its judgements from `store`.
    pub async fn load(store: &Store, session_id: &str) -> Result<SessionEvents, AppError> {
        let context = SessionContext::load(store, session_id).await?;
        let mut events = Vec::new();
        for j in store.judgements(session_id).await? {
            events.extend(context.event(&j)?);
        }
        let SessionContext { session, dataset, names, .. } = context;
        Ok(SessionEvents { session, dataset, names, events })
    }

    /// The report options the session sets: candidate and criterion order, incumbent,
    /// challenger, gate.
    pub fn options(&self, seed: u64) -> Result<ReportOptions, AppError> {
        let s = &self.session;
        let name = |id: &Option<String>| id.as_ref().and_then(|i| self.names.get(i)).cloned();
        let gate = match &s.gate {
            None => GateThresholds::default(),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
                AppError::internal(format!("the session's stored gate thresholds are invalid: {e}"))
            })?,
        };
        Ok(ReportOptions {
            seed,
            candidates: s.candidate_ids.iter().filter_map(|c| self.names.get(c)).cloned().collect(),
            criteria: s.criteria.clone(),
            incumbent: name(&s.incumbent_candidate_id),
            challenger: name(&s.challenger_candidate_id),
            gate,
            ..ReportOptions::default()
        })
    }

    /// The report with `seed`.
    pub fn report(&self, seed: u64) -> Result<Report, AppError> {
        Ok(build_report(&self.events, &self.options(seed)?))
    }
}

/// Candidate names for exports: real names, with the id added where two share a name.
fn unique_names(ids: &[String], records: &HashMap<String, String>) -> HashMap<String, String> {
    let base = |id: &String| records.get(id).cloned().unwrap_or_else(|| id.clone());
    ids.iter()
        .map(|id| {
            let shared = ids.iter().filter(|o| base(o) == base(id)).count() > 1;
            let name = if shared { format!("{} ({id})", base(id)) } else { base(id) };
            (id.clone(), name)
        })
        .collect()
}

/// A stored judgement as an export event; `None` for reveals (they record what a reviewer saw,
/// not what they judged).
fn event_of(
    j: &Judgement,
    candidate: Option<String>,
    shown: impl FnOnce() -> Vec<String>,
    name_of_snapshot: impl Fn(&str) -> Option<String>,
) -> Result<Option<JudgementEvent>, AppError> {
    let stored = &j.judgement;
    let kind = match stored.kind {
        JudgementKind::Rating => EventKind::Rating,
        JudgementKind::Preference => EventKind::Preference,
        JudgementKind::Flag => EventKind::Flag,
        JudgementKind::Comment => EventKind::Comment,
        JudgementKind::Reveal => return Ok(None),
    };
    let mut e = JudgementEvent::new(
        &j.op_id,
        &stored.session_id,
        &stored.persona_id,
        &stored.reviewer,
        kind,
        j.created_at,
    );
    e.snapshot_id = stored.snapshot_id.clone();
    e.supersedes = stored.supersedes.clone();
    let p = &stored.payload;
    match kind {
        EventKind::Rating => {
            e.candidate = candidate;
            e.criterion = p["criterion"].as_str().map(str::to_owned);
            e.value = p["score"].as_i64();
        }
        EventKind::Flag => {
            e.candidate = candidate;
            e.item_id = stored.item_id.clone();
            e.flag = p["flag"].as_str().map(str::to_owned);
            e.on = (p["on"].as_bool() == Some(false)).then_some(false);
        }
        EventKind::Comment => e.text = p["text"].as_str().map(str::to_owned),
        EventKind::Preference => {
            let pref: Preference = serde_json::from_value(p.clone()).map_err(|err| {
                AppError::internal(format!("stored preference {} is invalid: {err}", j.op_id))
            })?;
            let shown = shown();
            let ranked: Vec<String> =
                pref.ranking.iter().filter_map(|s| name_of_snapshot(s)).collect();
            // A tie (or a verdict without an order) is one tier of every list; otherwise each
            // list is its own tier, best first.
            e.ranking = Some(if pref.tie || ranked.len() < shown.len() {
                vec![shown.clone()]
            } else {
                ranked.into_iter().map(|c| vec![c]).collect()
            });
            e.shown = Some(shown);
            e.all_bad = pref.all_bad;
        }
    }
    Ok(Some(e))
}

/// Writes `text` to `path` whole: into a temporary file beside it (its folder made if missing),
/// then renamed over it.
pub fn write_file(path: &Path, text: &str) -> Result<(), AppError> {
    crate::models::write_atomically(path, text.as_bytes())
        .map_err(|e| AppError::invalid_input(format!("cannot write {}: {e}", path.display())))
}
