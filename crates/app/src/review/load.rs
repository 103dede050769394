//! Load checks of a session's candidates (`screening-load`): run one with live progress and a
//! cancel, keep the result with the session, and hold the challenger's latest one in the
//! release gate.

use std::sync::Arc;

use screening_core::report::{GateCheck, Report};
use screening_load::{CandidateTarget, HttpTarget, LoadPlan, LoadProgress, LoadResult, Target};
use screening_sources::{CandidateConfig, RecommendRequest};
use screening_store::{LoadCheckRecord, SessionRecord};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use ts_rs::TS;

use super::desk::{Reviews, build_candidate};
use crate::AppError;
use crate::candidates::TEAM_KIND;

/// What the Load check panel starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadCheckRequest {
    pub session_id: String,
    pub candidate_id: String,
    /// Requests/s.
    pub rate: f64,
    pub duration_s: f64,
    /// A linear ramp from 0 to `rate` first, seconds (0: none).
    #[serde(default)]
    pub ramp_s: f64,
    pub concurrency: u32,
    /// The p99 the gate holds the candidate to, ms.
    pub max_p99_ms: f64,
    /// Loading an Amazon Personalize campaign costs money: it runs only when confirmed.
    #[serde(default)]
    pub confirm_cost: bool,
}

/// A load check kept with its session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadCheck {
    pub id: String,
    pub session_id: String,
    pub candidate_id: String,
    /// The candidate's real name.
    pub candidate: String,
    #[ts(type = "number")]
    pub created_at: i64,
    pub plan: LoadPlan,
    pub max_p99_ms: f64,
    pub result: LoadResult,
    /// How the gate reads it.
    pub passed: bool,
}

impl Reviews {
    /// Runs a load check of one of the session's candidates, telling `progress` every second,
    /// and keeps the result (a cancelled run keeps what it measured). One run at a time.
    pub async fn run_load_check(
        &self,
        req: LoadCheckRequest,
        progress: impl Fn(&LoadProgress) + Send + Sync + 'static,
    ) -> Result<LoadCheck, AppError> {
        let session = self.store.session(&req.session_id).await?;
        if !session.candidate_ids.contains(&req.candidate_id) {
            return Err(AppError::not_found("the candidate is not one of this session's"));
        }
        if req.max_p99_ms.is_nan() || req.max_p99_ms <= 0.0 {
            return Err(AppError::invalid_input("max p99: more than 0 ms"));
        }
        let record = self
            .store
            .candidates()
            .await?
            .into_iter()
            .find(|c| c.id == req.candidate_id)
            .ok_or_else(|| AppError::not_found("no such candidate"))?;
        let config = crate::candidates::config_of(&record);
        let plan = LoadPlan {
            rate: req.rate,
            duration_s: req.duration_s,
            ramp_from: 0.0,
            ramp_s: req.ramp_s,
            concurrency: req.concurrency,
            timeout_ms: match &config {
                Ok(CandidateConfig::Http { timeout_ms, .. }) => *timeout_ms,
                _ => screening_sources::DEFAULT_TIMEOUT_MS,
            },
        };
        plan.check().map_err(|e| AppError::invalid_input(e.to_string()))?;
        let requests = self.requests(&session, &req.candidate_id).await?;
        let target: Arc<dyn Target> = match config {
            _ if record.kind == TEAM_KIND => {
                return Err(AppError::invalid_input(
                    "this candidate came with a joined team session as a name only: load-check it where the session was made",
                ));
            }
            Ok(CandidateConfig::Http { url, headers, .. }) => Arc::new(
                HttpTarget::new(
                    &url,
                    &headers,
                    &requests,
                    std::time::Duration::from_millis(plan.timeout_ms),
                    plan.concurrency as usize,
                )
                .map_err(|e| AppError::invalid_input(e.to_string()))?,
            ),
            Ok(CandidateConfig::Personalize { .. }) if !req.confirm_cost => {
                return Err(AppError::invalid_input(format!(
                    "{} Confirm to go ahead.",
                    screening_load::PERSONALIZE_WARNING
                )));
            }
            Ok(_) => {
                let data = self.catalog_data(&session.catalog_id).await?;
                let candidate = build_candidate(
                    self.models.clone(),
                    data,
                    record.clone(),
                    session.catalog_id.clone(),
                )
                .await?;
                Arc::new(
                    CandidateTarget::new(candidate, requests)
                        .map_err(|e| AppError::invalid_input(e.to_string()))?,
                )
            }
            Err(e) => return Err(AppError::internal(e)),
        };
        let (stop, cancel) = watch::channel(false);
        {
            let mut running = self.load_run.lock().map_err(|_| AppError::internal("lock"))?;
            if running.as_ref().is_some_and(|s| !s.is_closed()) {
                return Err(AppError::invalid_input("a load check is running already"));
            }
            *running = Some(stop);
        }
        let result = screening_load::run(target, &plan, Arc::new(progress), cancel).await;
        if let Ok(mut running) = self.load_run.lock() {
            *running = None;
        }
        let result = result.map_err(|e| AppError::invalid_input(e.to_string()))?;
        let json = |e: serde_json::Error| AppError::internal(e.to_string());
        let saved = self
            .store
            .save_load_check(
                &session.id,
                &record.id,
                &serde_json::to_value(&plan).map_err(json)?,
                req.max_p99_ms,
                &serde_json::to_value(&result).map_err(json)?,
            )
            .await?;
        load_check(saved, &record.name)
    }

    /// Stops the running load check (it then keeps what it measured); nothing runs: no-op.
    pub fn cancel_load_check(&self) {
        if let Ok(running) = self.load_run.lock()
            && let Some(stop) = running.as_ref()
        {
            let _ = stop.send(true);
        }
    }

    /// The session's load checks, oldest first.
    pub async fn load_checks(&self, session_id: &str) -> Result<Vec<LoadCheck>, AppError> {
        let names: std::collections::HashMap<String, String> =
            self.store.candidates().await?.into_iter().map(|c| (c.id, c.name)).collect();
        self.store
            .load_checks(session_id)
            .await?
            .into_iter()
            .map(|r| {
                let name = names.get(&r.candidate_id).cloned().unwrap_or_default();
                load_check(r, &name)
            })
            .collect()
    }

    /// The gate's load row: the challenger's latest load check, when it has one.
    pub(super) async fn load_gate(
        &self,
        session: &SessionRecord,
    ) -> Result<Option<GateCheck>, AppError> {
        let Some(challenger) = &session.challenger_candidate_id else { return Ok(None) };
        let checks = self.store.load_checks(&session.id).await?;
        let Some(check) = checks.into_iter().rfind(|c| &c.candidate_id == challenger) else {
            return Ok(None);
        };
        let result: LoadResult = serde_json::from_value(check.result)
            .map_err(|e| AppError::internal(format!("stored load result: {e}")))?;
        Ok(Some(screening_load::gate_check(&result, check.max_p99_ms)))
    }

    /// The requests of a load check: one per persona of the session, as the candidate gets them
    /// in a review.
    async fn requests(
        &self,
        session: &SessionRecord,
        candidate_id: &str,
    ) -> Result<Vec<RecommendRequest>, AppError> {
        let mut out = Vec::with_capacity(session.persona_ids.len());
        for p in &session.persona_ids {
            let persona = self.store.persona(p).await?.persona;
            out.push(RecommendRequest::for_persona(&persona, candidate_id, session.k));
        }
        Ok(out)
    }
}

/// `report` with the gate's load row, when there is one: the gate passes only if it does too.
pub(super) fn with_gate_row(mut report: Report, row: Option<GateCheck>) -> Report {
    if let Some(row) = row {
        report.gate.passed &= row.passed;
        report.gate.checks.push(row);
    }
    report
}

/// A stored load check as the app shows it.
fn load_check(r: LoadCheckRecord, candidate: &str) -> Result<LoadCheck, AppError> {
    let bad = |e: serde_json::Error| AppError::internal(format!("stored load check: {e}"));
    let result: LoadResult = serde_json::from_value(r.result).map_err(bad)?;
    let passed = screening_load::gate_check(&result, r.max_p99_ms).passed;
    Ok(LoadCheck {
        id: r.id,
        session_id: r.session_id,
        candidate_id: r.candidate_id,
        candidate: candidate.to_owned(),
        created_at: r.created_at,
        plan: serde_json::from_value(r.plan).map_err(bad)?,
        max_p99_ms: r.max_p99_ms,
        result,
        passed,
    })
}
