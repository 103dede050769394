//! The review use cases over the local store: sessions, freezing, boards, judgements, summary.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use screening_core::{ContentType, Item};
use screening_recommenders::metrics::ItemPopularity;
use screening_recommenders::{Model, ModelSpec, Silent, TrainData, TrainInput};
use screening_store::setup::{CandidateRecord, CatalogRecord, NewSession};
use screening_store::{Judgement, JudgementKind, NewJudgement, NewSnapshot, SessionRecord, Store};
use serde_json::json;

use super::board::{Current, blind_order, content_mix, label};
use super::types::*;
use crate::{AppError, Library, ModelCache};

/// The catalog id of the embedded demo catalog in the store.
pub const DEMO_CATALOG: &str = "demo";

/// Criteria rated when a session names none.
pub const DEFAULT_CRITERIA: [&str; 5] =
    ["relevance", "diversity", "freshness", "editorial quality", "overall"];

/// The built-in candidates every store has: (id, name, model spec).
pub const BUILTIN_CANDIDATES: [(&str, &str, &str); 6] = [
    ("builtin-popularity", "Popularity", "popularity"),
    ("builtin-trending", "Trending (30 days)", "trending"),
    ("builtin-item-knn", "Item-kNN", "item-knn"),
    ("builtin-ease", "EASE", "ease"),
    ("builtin-content", "Content (TF-IDF)", "content"),
    ("builtin-random", "Random (control)", "random"),
];

/// Review sessions of one reviewer on one device.
pub struct Reviews {
    store: Store,
    reviewer: String,
    popularity: ItemPopularity,
    models: Models,
}

/// The catalog and the built-in models over it; cheap to clone into a freeze task.
#[derive(Clone)]
struct Models {
    library: Arc<Library>,
    train: Arc<TrainData>,
    cache: ModelCache,
    memo: Arc<Mutex<HashMap<String, Arc<Model>>>>,
}

impl Models {
    /// The trained model of a built-in candidate (from memory, else the disk cache, else trained
    /// now), or why there is none.
    fn get(&self, c: &CandidateRecord) -> Result<Arc<Model>, String> {
        if c.kind != "builtin" {
            return Err(format!("{} candidates are not supported yet", c.kind));
        }
        let spec_text =
            c.config["spec"].as_str().ok_or("the candidate's config has no model spec")?;
        let spec: ModelSpec =
            spec_text.parse().map_err(|e: screening_recommenders::SpecError| e.to_string())?;
        let key = spec.to_string();
        if let Some(m) = self.memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(m);
        }
        // Trained without holding the lock, so other candidates train at the same time.
        let input = TrainInput { catalog: &self.library.dataset().items, data: &self.train };
        let model = Arc::new(self.cache.get(&spec, &input, &Silent).model);
        if let Ok(mut memo) = self.memo.lock() {
            memo.insert(key, Arc::clone(&model));
        }
        Ok(model)
    }
}

impl Reviews {
    /// Opens the review desk: registers the demo catalog and the built-in candidates.
    pub async fn open(
        store: Store,
        library: Arc<Library>,
        cache: ModelCache,
        reviewer: String,
    ) -> Result<Reviews, AppError> {
        let info = library.info();
        store
            .save_catalog(&CatalogRecord {
                id: DEMO_CATALOG.into(),
                name: "Demo catalog".into(),
                format: "demo".into(),
                source_path: None,
                digest: String::new(),
                items: info.items as i64,
                users: info.users as i64,
                interactions: info.interactions as i64,
            })
            .await?;
        for (id, name, spec) in BUILTIN_CANDIDATES {
            let config = json!({ "spec": spec });
            let c = CandidateRecord {
                id: id.into(),
                name: name.into(),
                kind: "builtin".into(),
                config,
            };
            store.save_candidate(&c).await?;
        }
        let train = Arc::new(TrainData::from_dataset(library.dataset()));
        let popularity = ItemPopularity::new(train.item_counts(), train.n_users().max(1) as u32);
        let models = Models { library, train, cache, memo: Arc::default() };
        Ok(Reviews { store, reviewer, popularity, models })
    }

    /// Who judges on this device.
    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    pub async fn candidates(&self) -> Result<Vec<CandidateInfo>, AppError> {
        Ok(self.store.candidates().await?.iter().map(candidate_info).collect())
    }

    pub async fn sessions(&self) -> Result<Vec<SessionSummary>, AppError> {
        let mut out = Vec::new();
        for s in self.store.sessions().await? {
            out.push(self.summary_of(&s).await?);
        }
        Ok(out)
    }

    async fn summary_of(&self, s: &SessionRecord) -> Result<SessionSummary, AppError> {
        let done = self.done_personas(s).await?;
        Ok(summary(s, &done))
    }

    /// Every candidate, by id.
    async fn candidates_by_id(&self) -> Result<HashMap<String, CandidateRecord>, AppError> {
        Ok(self.store.candidates().await?.into_iter().map(|c| (c.id.clone(), c)).collect())
    }

    /// The personas of `s` this reviewer has given a preference for, in session order.
    async fn done_personas(&self, s: &SessionRecord) -> Result<Vec<String>, AppError> {
        let mine = self.my_events(&s.id, None).await?;
        Ok(s.persona_ids
            .iter()
            .filter(|p| {
                Current::replay(mine.iter().filter(|j| &j.judgement.persona_id == *p))
                    .preference
                    .is_some()
            })
            .cloned()
            .collect())
    }

    pub async fn create_session(&self, req: NewSessionRequest) -> Result<SessionDetail, AppError> {
        let name = req.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid_input("give the session a name"));
        }
        if !(1..=50).contains(&req.k) {
            return Err(AppError::invalid_input(format!(
                "k must be between 1 and 50, not {}",
                req.k
            )));
        }
        let unique: HashSet<&String> = req.candidate_ids.iter().collect();
        if unique.len() != req.candidate_ids.len() {
            return Err(AppError::invalid_input("a candidate is listed twice"));
        }
        if let Some(inc) = &req.incumbent_candidate_id
            && !req.candidate_ids.contains(inc)
        {
            return Err(AppError::invalid_input(
                "the incumbent must be one of the session's candidates",
            ));
        }
        for id in &req.persona_ids {
            let persona = self
                .models
                .library
                .persona_record(id)
                .ok_or_else(|| AppError::not_found(format!("no persona with id {id:?}")))?;
            self.store.save_persona(persona, DEMO_CATALOG).await?;
        }
        let criteria: Vec<String> = if req.criteria.iter().all(|c| c.trim().is_empty()) {
            DEFAULT_CRITERIA.iter().map(|c| (*c).to_owned()).collect()
        } else {
            req.criteria.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect()
        };
        let id = self
            .store
            .create_session(&NewSession {
                name: name.to_owned(),
                catalog_id: DEMO_CATALOG.into(),
                persona_ids: req.persona_ids,
                candidate_ids: req.candidate_ids,
                k: req.k,
                blind: req.blind,
                criteria,
                incumbent_candidate_id: req.incumbent_candidate_id,
            })
            .await?;
        self.session(&id).await
    }

    pub async fn session(&self, id: &str) -> Result<SessionDetail, AppError> {
        let s = self.store.session(id).await?;
        let all = self.candidates_by_id().await?;
        let candidates =
            s.candidate_ids.iter().filter_map(|c| all.get(c)).map(candidate_info).collect();
        let persona_names = s
            .persona_ids
            .iter()
            .map(|p| {
                self.models.library.persona_record(p).map_or_else(|| p.clone(), |r| r.name.clone())
            })
            .collect();
        // One read of this reviewer's judgements serves both the count and the list.
        let done = self.done_personas(&s).await?;
        Ok(SessionDetail {
            summary: summary(&s, &done),
            persona_ids: s.persona_ids.clone(),
            persona_names,
            done_persona_ids: done,
            candidates,
            criteria: s.criteria.clone(),
            incumbent_candidate_id: s.incumbent_candidate_id.clone(),
        })
    }

    /// Fetches every list of the session once (candidates in parallel) and stores them.
    pub async fn freeze(&self, session_id: &str) -> Result<FreezeReport, AppError> {
        let start = Instant::now();
        let s = self.store.session(session_id).await?;
        if s.frozen_at.is_some() {
            return Err(AppError::invalid_input("this session's lists are already frozen"));
        }
        let all = self.candidates_by_id().await?;
        let mut tasks = Vec::new();
        for cid in &s.candidate_ids {
            let candidate = all
                .get(cid)
                .cloned()
                .ok_or_else(|| AppError::not_found(format!("no candidate {cid:?}")))?;
            let models = self.models.clone();
            let personas = s.persona_ids.clone();
            let k = s.k as usize;
            // One blocking task per candidate: models train (or load) in parallel, then list.
            tasks.push(tokio::task::spawn_blocking(move || {
                let model = models.get(&candidate);
                personas
                    .iter()
                    .map(|p| list_for(&models.library, &candidate, &model, p, k))
                    .collect::<Vec<_>>()
            }));
        }
        let mut snapshots = Vec::new();
        for t in tasks {
            snapshots
                .extend(t.await.map_err(|e| AppError::internal(format!("freezing failed: {e}")))?);
        }
        let failed = snapshots.iter().filter(|s| s.error.is_some()).count() as u32;
        self.store.freeze(session_id, &snapshots).await?;
        Ok(FreezeReport {
            snapshots: snapshots.len() as u32,
            failed,
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    async fn my_events(
        &self,
        session_id: &str,
        persona_id: Option<&str>,
    ) -> Result<Vec<Judgement>, AppError> {
        Ok(self.store.judgements_by(session_id, Some(&self.reviewer), persona_id).await?)
    }

    async fn frozen_session(
        &self,
        session_id: &str,
        persona_id: &str,
    ) -> Result<SessionRecord, AppError> {
        let s = self.store.session(session_id).await?;
        if !s.persona_ids.iter().any(|p| p == persona_id) {
            return Err(AppError::not_found(format!(
                "persona {persona_id:?} is not part of this session"
            )));
        }
        if s.frozen_at.is_none() {
            return Err(AppError::invalid_input("freeze the session's lists before judging"));
        }
        Ok(s)
    }

    /// The side-by-side view of one persona for this reviewer.
    pub async fn board(&self, session_id: &str, persona_id: &str) -> Result<Board, AppError> {
        let s = self.frozen_session(session_id, persona_id).await?;
        let snapshots = self.store.snapshots(session_id, persona_id).await?;
        let current = Current::replay(&self.my_events(session_id, Some(persona_id)).await?);
        let revealed = !s.blind || current.revealed;
        let all = self.candidates_by_id().await?;
        let persona = self.models.library.persona(persona_id)?;
        let seen: HashSet<&str> =
            persona.persona.history.iter().map(|h| h.item_id.as_str()).collect();
        let lists: Vec<Vec<ListedItem>> =
            snapshots.iter().map(|snap| listed(&snap.snapshot.items)).collect();
        let order = if s.blind {
            blind_order(snapshots.len(), session_id, &self.reviewer, persona_id)
        } else {
            (0..snapshots.len()).collect()
        };
        let mut columns = Vec::new();
        for (position, &i) in order.iter().enumerate() {
            let snap = &snapshots[i];
            let candidate = all.get(&snap.snapshot.candidate_id).map(candidate_info);
            let items: Vec<BoardItem> = lists[i]
                .iter()
                .enumerate()
                .map(|(rank, x)| {
                    let in_other_lists = lists
                        .iter()
                        .enumerate()
                        .filter(|(j, l)| *j != i && l.iter().any(|y| y.item_id == x.item_id))
                        .count();
                    BoardItem {
                        item: self.item(&x.item_id),
                        rank: rank as u32 + 1,
                        score: x.score,
                        // A reason can give the model away ("Random pick", "Trending: …"), so
                        // it is shown only once the names are.
                        reason: if revealed { x.reason.clone() } else { None },
                        already_seen: seen.contains(x.item_id.as_str()),
                        in_other_lists: in_other_lists as u32,
                        flags: current
                            .flags
                            .iter()
                            .filter(|((sid, item, _), (on, _))| {
                                *on && sid == &snap.id && item == &x.item_id
                            })
                            .map(|((_, _, f), _)| *f)
                            .collect(),
                    }
                })
                .collect();
            let n = items.len().max(1) as f64;
            let indicators = Indicators {
                content_mix: content_mix(items.iter().map(|b| b.item.content_type.as_str())),
                mean_popularity: items
                    .iter()
                    .filter_map(|b| self.models.library.dataset().item_idx(&b.item.id))
                    .map(|idx| self.popularity.percentile(idx))
                    .sum::<f64>()
                    / n,
                seen_share: items.iter().filter(|b| b.already_seen).count() as f64 / n,
                overlap: items.iter().filter(|b| b.in_other_lists > 0).count() as f64 / n,
            };
            let mut ratings: Vec<CriterionScore> =
                s.criteria
                    .iter()
                    .filter_map(|c| {
                        current.ratings.get(&(snap.id.clone(), c.clone())).map(|(score, _)| {
                            CriterionScore { criterion: c.clone(), score: *score }
                        })
                    })
                    .collect();
            ratings.sort_by_key(|r| s.criteria.iter().position(|c| *c == r.criterion));
            columns.push(Column {
                label: if s.blind {
                    label(position)
                } else {
                    candidate.as_ref().map_or_else(|| label(position), |c| c.name.clone())
                },
                snapshot_id: snap.id.clone(),
                candidate: if revealed { candidate } else { None },
                items,
                error: snap.snapshot.error.clone(),
                latency_ms: if revealed { snap.snapshot.latency_ms } else { None },
                indicators,
                ratings,
            });
        }
        let position = s.persona_ids.iter().position(|p| p == persona_id).unwrap_or(0) as u32;
        Ok(Board {
            session_id: s.id.clone(),
            persona,
            position,
            persona_count: s.persona_ids.len() as u32,
            blind: s.blind,
            revealed,
            criteria: s.criteria.clone(),
            columns,
            preference: current.preference.map(|(p, _)| p),
            comment: current.comment.map(|(c, _)| c),
        })
    }

    fn item(&self, id: &str) -> Item {
        self.models
            .library
            .dataset()
            .item(id)
            .cloned()
            .unwrap_or_else(|| Item::new(id, id, ContentType::Other))
    }

    /// Records one judgement after checking it against the frozen session; an edit supersedes
    /// the reviewer's previous judgement of the same thing.
    pub async fn record(&self, req: RecordRequest) -> Result<Saved, AppError> {
        let s = self.frozen_session(&req.session_id, &req.persona_id).await?;
        let snapshots: HashSet<String> = self
            .store
            .snapshots(&req.session_id, &req.persona_id)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let current =
            Current::replay(&self.my_events(&req.session_id, Some(&req.persona_id)).await?);
        let known = |id: &String| {
            if snapshots.contains(id) {
                Ok(())
            } else {
                Err(AppError::invalid_input(format!(
                    "snapshot {id:?} is not one of this persona's lists"
                )))
            }
        };
        // After the reveal a rating is no longer blind: a blind session takes only comments then.
        if s.blind && current.revealed && !matches!(req.judgement, JudgementInput::Comment { .. }) {
            return Err(AppError::invalid_input(
                "the names of this persona's lists are revealed: its judgements are final (a comment can still be added)",
            ));
        }
        let (kind, snapshot_id, item_id, payload, supersedes) = match req.judgement {
            JudgementInput::Rating { snapshot_id, criterion, score } => {
                known(&snapshot_id)?;
                if !(1..=5).contains(&score) {
                    return Err(AppError::invalid_input(format!(
                        "a rating is 1 to 5, not {score}"
                    )));
                }
                if !s.criteria.contains(&criterion) {
                    return Err(AppError::invalid_input(format!(
                        "{criterion:?} is not a criterion of this session"
                    )));
                }
                let prev = current
                    .ratings
                    .get(&(snapshot_id.clone(), criterion.clone()))
                    .map(|(_, op)| op.clone());
                (
                    JudgementKind::Rating,
                    Some(snapshot_id),
                    None,
                    json!({ "criterion": criterion, "score": score }),
                    prev,
                )
            }
            JudgementInput::Preference { preference } => {
                let ranked: HashSet<&String> = preference.ranking.iter().collect();
                if ranked.len() != preference.ranking.len() {
                    return Err(AppError::invalid_input("a list appears twice in the preference"));
                }
                for id in &preference.ranking {
                    known(id)?;
                }
                // The UI always sends a full order; a tie or "all bad" may leave it empty.
                let complete = ranked.len() == snapshots.len();
                let verdict_only =
                    preference.ranking.is_empty() && (preference.tie || preference.all_bad);
                if !complete && !verdict_only {
                    return Err(AppError::invalid_input(
                        "a preference orders every list of the persona, best first (or is a tie, or says all are bad)",
                    ));
                }
                let prev = current.preference.map(|(_, op)| op);
                let payload = serde_json::to_value(&preference)
                    .map_err(|e| AppError::internal(e.to_string()))?;
                (JudgementKind::Preference, None, None, payload, prev)
            }
            JudgementInput::Flag { snapshot_id, item_id, flag, on } => {
                known(&snapshot_id)?;
                let prev = current
                    .flags
                    .get(&(snapshot_id.clone(), item_id.clone(), flag))
                    .map(|(_, op)| op.clone());
                (
                    JudgementKind::Flag,
                    Some(snapshot_id),
                    Some(item_id),
                    json!({ "flag": flag, "on": on }),
                    prev,
                )
            }
            JudgementInput::Comment { text } => {
                let prev = current.comment.map(|(_, op)| op);
                (JudgementKind::Comment, None, None, json!({ "text": text }), prev)
            }
        };
        let saved = self
            .store
            .record(NewJudgement {
                reviewer: self.reviewer.clone(),
                session_id: req.session_id,
                persona_id: req.persona_id,
                snapshot_id,
                item_id,
                kind,
                payload,
                supersedes,
            })
            .await?;
        Ok(Saved { op_id: saved.op_id, device_seq: saved.device_seq, saved_at: saved.created_at })
    }

    /// Shows the real names of a blind persona's lists, once this reviewer has given a
    /// preference; the reveal is recorded.
    pub async fn reveal(&self, session_id: &str, persona_id: &str) -> Result<Board, AppError> {
        let s = self.frozen_session(session_id, persona_id).await?;
        let current = Current::replay(&self.my_events(session_id, Some(persona_id)).await?);
        if s.blind && !current.revealed {
            if current.preference.is_none() {
                return Err(AppError::invalid_input(
                    "give a preference for this persona before revealing the names",
                ));
            }
            self.store
                .record(NewJudgement {
                    reviewer: self.reviewer.clone(),
                    session_id: session_id.into(),
                    persona_id: persona_id.into(),
                    snapshot_id: None,
                    item_id: None,
                    kind: JudgementKind::Reveal,
                    payload: json!({}),
                    supersedes: None,
                })
                .await?;
        }
        self.board(session_id, persona_id).await
    }

    /// Mean and count of this reviewer's current ratings per candidate and criterion, over the
    /// personas whose names are shown.
    pub async fn summary(&self, session_id: &str) -> Result<Vec<SummaryRow>, AppError> {
        let s = self.store.session(session_id).await?;
        let all = self.candidates_by_id().await?;
        let events = self.my_events(session_id, None).await?;
        let mut sums: HashMap<(String, String), (f64, u32)> = HashMap::new();
        for p in &s.persona_ids {
            let current = Current::replay(events.iter().filter(|j| &j.judgement.persona_id == p));
            if s.blind && !current.revealed {
                continue;
            }
            let by_snapshot: HashMap<String, String> = self
                .store
                .snapshots(session_id, p)
                .await?
                .into_iter()
                .map(|x| (x.id, x.snapshot.candidate_id))
                .collect();
            for ((snap, criterion), (score, _)) in &current.ratings {
                if let Some(cid) = by_snapshot.get(snap) {
                    let e = sums.entry((cid.clone(), criterion.clone())).or_insert((0.0, 0));
                    e.0 += f64::from(*score);
                    e.1 += 1;
                }
            }
        }
        let mut rows = Vec::new();
        for cid in &s.candidate_ids {
            for criterion in &s.criteria {
                if let (Some((sum, n)), Some(c)) =
                    (sums.get(&(cid.clone(), criterion.clone())), all.get(cid))
                {
                    rows.push(SummaryRow {
                        candidate: candidate_info(c),
                        criterion: criterion.clone(),
                        mean: sum / f64::from(*n),
                        count: *n,
                    });
                }
            }
        }
        Ok(rows)
    }
}

/// A session as listed, given the personas this reviewer has done.
fn summary(s: &SessionRecord, done: &[String]) -> SessionSummary {
    SessionSummary {
        id: s.id.clone(),
        name: s.name.clone(),
        k: s.k,
        blind: s.blind,
        persona_count: s.persona_ids.len() as u32,
        candidate_count: s.candidate_ids.len() as u32,
        frozen_at: s.frozen_at,
        created_at: s.created_at,
        personas_done: done.len() as u32,
    }
}

fn candidate_info(c: &CandidateRecord) -> CandidateInfo {
    CandidateInfo { id: c.id.clone(), name: c.name.clone(), kind: c.kind.clone() }
}

/// An item of a stored list.
#[derive(Debug, Clone, serde::Deserialize)]
struct ListedItem {
    item_id: String,
    score: Option<f32>,
    reason: Option<String>,
}

fn listed(items: &serde_json::Value) -> Vec<ListedItem> {
    serde_json::from_value(items.clone()).unwrap_or_default()
}

/// One candidate's list for one persona, as a snapshot (with the error when there is none).
fn list_for(
    library: &Library,
    candidate: &CandidateRecord,
    model: &Result<Arc<Model>, String>,
    persona_id: &str,
    k: usize,
) -> NewSnapshot {
    let persona = library.persona_record(persona_id);
    let history_ids: Vec<&str> =
        persona.map(|p| p.history.iter().map(|h| h.item_id.as_str()).collect()).unwrap_or_default();
    let request = json!({
        "candidate": { "id": candidate.id, "kind": candidate.kind, "config": candidate.config },
        "persona": { "id": persona_id, "name": persona.map(|p| p.name.clone()) },
        "history": history_ids,
        "k": k,
    });
    let start = Instant::now();
    let result = model.as_ref().map_err(Clone::clone).and_then(|m| {
        let history =
            crate::history_indices(library.dataset(), &history_ids).map_err(|e| e.message)?;
        Ok(crate::model_list(m, &library.dataset().items, &history, k))
    });
    let latency_ms = Some(start.elapsed().as_secs_f64() * 1000.0);
    match result {
        Ok(list) => {
            let items: Vec<_> = list
                .items
                .iter()
                .map(|i| json!({ "item_id": i.item_id, "score": i.score, "reason": i.reason }))
                .collect();
            NewSnapshot {
                candidate_id: candidate.id.clone(),
                persona_id: persona_id.into(),
                request,
                raw_response: None,
                items: serde_json::Value::from(items),
                latency_ms,
                error: None,
            }
        }
        Err(error) => NewSnapshot {
            candidate_id: candidate.id.clone(),
            persona_id: persona_id.into(),
            request,
            raw_response: None,
            items: json!([]),
            latency_ms,
            error: Some(error),
        },
    }
}
