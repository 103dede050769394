//! The review use cases over the local store: sessions, freezing, boards, judgements, summary.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use screening_core::report::{GateThresholds, Report, build_report};
use screening_core::{ContentType, Item, Persona};
use screening_recommenders::metrics::ItemPopularity;
use screening_recommenders::{Model, ModelSpec, Silent, TrainData, TrainInput};
use screening_report::Meta;
use screening_sources::{
    BuiltinCandidate, Candidate, CandidateConfig, Catalog, Fetched, HttpCandidate, HttpConfig,
    PersonalizeCandidate, PersonalizeSettings, RecommendRequest, Unavailable, fan_out,
};
use screening_store::setup::{CandidateRecord, NewSession};
use screening_store::{Judgement, JudgementKind, NewJudgement, NewSnapshot, SessionRecord, Store};
use serde_json::json;

use super::board::{Current, blind_order, content_mix, label};
use super::load::with_gate_row;
use super::report::{
    ExportRequest, ExportResult, GateRequest, REPORT_SEED, SessionEvents, SessionReport, write_file,
};
use super::types::*;
use crate::candidates::ConnectionTest;
use crate::catalogs::Catalogs;
use crate::{AppError, Library, ModelCache};

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
    pub(super) store: Store,
    reviewer: String,
    catalogs: Arc<Catalogs>,
    pub(super) models: Models,
    /// Stops the running load check.
    pub(super) load_run: Mutex<Option<tokio::sync::watch::Sender<bool>>>,
    /// Training data of each dataset a session used, built on first use.
    data: Mutex<HashMap<String, Arc<CatalogData>>>,
}

/// A dataset with what the built-in models and the indicators need of it.
pub(super) struct CatalogData {
    library: Arc<Library>,
    train: TrainData,
    popularity: ItemPopularity,
}

/// The built-in models, each trained once per dataset and parameters; cheap to clone into a
/// freeze task.
#[derive(Clone)]
pub(super) struct Models {
    cache: ModelCache,
    memo: Arc<Mutex<HashMap<ModelKey, Arc<Model>>>>,
}

/// A trained model's key: (dataset id, model spec).
type ModelKey = (String, String);

impl Models {
    /// The model of `spec` on dataset `catalog`: from memory, else the disk cache, else
    /// trained now.
    fn get(&self, catalog: &str, data: &CatalogData, spec: &ModelSpec) -> Arc<Model> {
        let key = (catalog.to_owned(), spec.to_string());
        if let Some(m) = self.memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return m;
        }
        // Trained without holding the lock, so other candidates train at the same time.
        let input = TrainInput { catalog: &data.library.dataset().items, data: &data.train };
        let model = Arc::new(self.cache.get(spec, &input, &Silent).model);
        if let Ok(mut memo) = self.memo.lock() {
            memo.insert(key, Arc::clone(&model));
        }
        model
    }
}

impl Reviews {
    /// Opens the review desk: registers the built-in candidates.
    pub async fn open(
        store: Store,
        catalogs: Arc<Catalogs>,
        cache: ModelCache,
        reviewer: String,
    ) -> Result<Reviews, AppError> {
        for (id, name, spec) in BUILTIN_CANDIDATES {
            let config = CandidateConfig::Builtin { name: name.into(), model: spec.into() };
            store.save_candidate(&crate::candidates::record_of(id, &config)).await?;
        }
        let models = Models { cache, memo: Arc::default() };
        Ok(Reviews {
            store,
            reviewer,
            catalogs,
            models,
            load_run: Mutex::default(),
            data: Mutex::default(),
        })
    }

    /// The dataset `id` with its training data (built on first use, off the async threads).
    pub(super) async fn catalog_data(&self, id: &str) -> Result<Arc<CatalogData>, AppError> {
        if let Some(d) = self.data.lock().ok().and_then(|m| m.get(id).cloned()) {
            return Ok(d);
        }
        let library = self.catalogs.library(id).await?;
        let data = tokio::task::spawn_blocking(move || {
            let train = TrainData::from_dataset(library.dataset());
            let popularity =
                ItemPopularity::new(train.item_counts(), train.n_users().max(1) as u32);
            CatalogData { library, train, popularity }
        })
        .await
        .map_err(|e| AppError::internal(format!("preparing the dataset failed: {e}")))?;
        let data = Arc::new(data);
        if let Ok(mut m) = self.data.lock() {
            m.insert(id.to_owned(), Arc::clone(&data));
        }
        Ok(data)
    }

    /// Who judges on this device.
    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    /// The candidates a new session can use (archived ones left out).
    pub async fn candidates(&self) -> Result<Vec<CandidateInfo>, AppError> {
        let all = self.store.candidates().await?;
        Ok(all.iter().filter(|c| c.archived_at.is_none()).map(candidate_info).collect())
    }

    /// Asks a candidate with `config` for one list — for the first persona of the active
    /// dataset, k = 10 — as a new session would, without storing anything.
    pub async fn test_candidate(
        &self,
        config: CandidateConfig,
    ) -> Result<ConnectionTest, AppError> {
        config.check().map_err(AppError::invalid_input)?;
        let catalog = self.catalogs.active_id().await?;
        let data = self.catalog_data(&catalog).await?;
        let persona =
            self.store.personas(Some(&catalog)).await?.into_iter().next().map(|p| p.persona);
        let record = crate::candidates::record_of("test", &config);
        let candidate =
            build_candidate(self.models.clone(), Arc::clone(&data), record, catalog).await?;
        let fallback = Persona {
            id: "empty".into(),
            name: "an empty history".into(),
            description: String::new(),
            tags: Vec::new(),
            history: Vec::new(),
            external_user_ids: Default::default(),
        };
        let persona = persona.unwrap_or(fallback);
        let request = RecommendRequest::for_persona(&persona, "test", 10);
        let f =
            screening_sources::fetch_one(candidate.as_ref(), &request, data.library.as_ref()).await;
        Ok(ConnectionTest {
            persona: persona.name,
            ok: f.error.is_none(),
            titles: f.items.iter().take(5).map(|i| item(&data.library, &i.item_id).title).collect(),
            items: f.items.len() as u32,
            error: f.error,
            warnings: f.warnings,
            latency_ms: f.latency_ms,
        })
    }

    pub async fn sessions(&self) -> Result<Vec<SessionSummary>, AppError> {
        let mut out = Vec::new();
        for s in self.store.sessions().await? {
            out.push(self.summary_of(&s, None).await?);
        }
        Ok(out)
    }

    /// `s` as listed; `done` are its personas this reviewer has done, when already read.
    async fn summary_of(
        &self,
        s: &SessionRecord,
        done: Option<&[String]>,
    ) -> Result<SessionSummary, AppError> {
        let done = match done {
            Some(d) => d.len(),
            None => self.done_personas(s).await?.len(),
        };
        let dataset = self.store.catalog(&s.catalog_id).await?.record.name;
        Ok(SessionSummary {
            id: s.id.clone(),
            name: s.name.clone(),
            k: s.k,
            blind: s.blind,
            persona_count: s.persona_ids.len() as u32,
            candidate_count: s.candidate_ids.len() as u32,
            frozen_at: s.frozen_at,
            created_at: s.created_at,
            personas_done: done as u32,
            dataset,
            published_at: s.published_at,
            published_by: s.published_by.clone(),
        })
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
        let all = self.candidates_by_id().await?;
        if let Some(c) =
            req.candidate_ids.iter().filter_map(|id| all.get(id)).find(|c| c.archived_at.is_some())
        {
            return Err(AppError::invalid_input(format!(
                "the candidate {:?} is archived; bring it back first",
                c.name
            )));
        }
        for (role, id) in [
            ("incumbent", &req.incumbent_candidate_id),
            ("challenger", &req.challenger_candidate_id),
        ] {
            if let Some(id) = id
                && !req.candidate_ids.contains(id)
            {
                return Err(AppError::invalid_input(format!(
                    "the {role} must be one of the session's candidates"
                )));
            }
        }
        if req.incumbent_candidate_id.is_some()
            && req.incumbent_candidate_id == req.challenger_candidate_id
        {
            return Err(AppError::invalid_input("the challenger and the incumbent must differ"));
        }
        let catalog_id = self.catalogs.active_id().await?;
        for id in &req.persona_ids {
            let persona = self.store.persona(id).await?;
            if persona.catalog_id != catalog_id {
                return Err(AppError::invalid_input(format!(
                    "persona {:?} belongs to another dataset than the active one",
                    persona.persona.name
                )));
            }
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
                catalog_id,
                persona_ids: req.persona_ids,
                candidate_ids: req.candidate_ids,
                k: req.k,
                blind: req.blind,
                criteria,
                incumbent_candidate_id: req.incumbent_candidate_id,
                challenger_candidate_id: req.challenger_candidate_id,
            })
            .await?;
        self.session(&id).await
    }

    pub async fn session(&self, id: &str) -> Result<SessionDetail, AppError> {
        let s = self.store.session(id).await?;
        let all = self.candidates_by_id().await?;
        let candidates =
            s.candidate_ids.iter().filter_map(|c| all.get(c)).map(candidate_info).collect();
        let mut personas = Vec::new();
        for p in &s.persona_ids {
            let name = self.store.persona(p).await?.persona.name;
            personas.push(PersonaRef { id: p.clone(), name });
        }
        // One read of this reviewer's judgements serves both the count and the list.
        let done = self.done_personas(&s).await?;
        Ok(SessionDetail {
            summary: self.summary_of(&s, Some(&done)).await?,
            personas,
            done_persona_ids: done,
            candidates,
            criteria: s.criteria.clone(),
            incumbent_candidate_id: s.incumbent_candidate_id.clone(),
            challenger_candidate_id: s.challenger_candidate_id.clone(),
        })
    }

    /// Fetches every list of the session once (candidates in parallel) and stores them.
    /// `progress` hears after every list (from the candidates' threads).
    pub async fn freeze(
        &self,
        session_id: &str,
        progress: impl Fn(FreezeProgress) + Send + Sync + 'static,
    ) -> Result<FreezeReport, AppError> {
        let start = Instant::now();
        let s = self.store.session(session_id).await?;
        if s.frozen_at.is_some() {
            return Err(AppError::invalid_input("this session's lists are already frozen"));
        }
        let all = self.candidates_by_id().await?;
        let data = self.catalog_data(&s.catalog_id).await?;
        let mut personas = Vec::new();
        for p in &s.persona_ids {
            personas.push(self.store.persona(p).await?.persona);
        }
        let mut records = Vec::new();
        for cid in &s.candidate_ids {
            let c =
                all.get(cid).ok_or_else(|| AppError::not_found(format!("no candidate {cid:?}")))?;
            records.push(c.clone());
        }
        // Built-in models train (or load) in parallel first; then every list is asked at once.
        let building: Vec<_> = records
            .iter()
            .map(|c| {
                let task = build_candidate(
                    self.models.clone(),
                    Arc::clone(&data),
                    c.clone(),
                    s.catalog_id.clone(),
                );
                tokio::spawn(task)
            })
            .collect();
        let mut candidates: Vec<Arc<dyn Candidate>> = Vec::new();
        for b in building {
            candidates.push(b.await.map_err(|e| {
                AppError::internal(format!("setting up a candidate failed: {e}"))
            })??);
        }
        let requests: Vec<Vec<RecommendRequest>> = records
            .iter()
            .map(|c| {
                personas.iter().map(|p| RecommendRequest::for_persona(p, &c.id, s.k)).collect()
            })
            .collect();
        let total = (records.len() * personas.len()) as u32;
        let done = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let names: Vec<String> = records.iter().map(|c| c.name.clone()).collect();
        let fetched = fan_out(
            &candidates,
            &requests,
            Arc::clone(&data.library) as Arc<dyn Catalog>,
            Arc::new(move |c, _| {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(FreezeProgress { done: n, total, candidate: names[c].clone() });
            }),
        )
        .await;
        let snapshots: Vec<NewSnapshot> = records
            .iter()
            .zip(fetched)
            .flat_map(|(c, lists)| {
                personas
                    .iter()
                    .zip(lists)
                    .map(|(p, f)| snapshot_of(&c.id, &p.id, f))
                    .collect::<Vec<_>>()
            })
            .collect();
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
        let snapshots = self.store.snapshots(session_id, Some(persona_id)).await?;
        let current = Current::replay(&self.my_events(session_id, Some(persona_id)).await?);
        let revealed = !s.blind || current.revealed;
        let all = self.candidates_by_id().await?;
        let data = self.catalog_data(&s.catalog_id).await?;
        let persona = data.library.resolve(&self.store.persona(persona_id).await?.persona)?;
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
                        item: item(&data.library, &x.item_id),
                        rank: rank as u32 + 1,
                        score: x.score,
                        // A reason can give the model away ("Random pick", "Trending: …"), so
                        // it is shown only once the names are.
                        reason: if revealed { x.reason.clone() } else { None },
                        promotion: if revealed { x.promotion.clone() } else { None },
                        known: data.library.dataset().item_idx(&x.item_id).is_some(),
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
                    .filter_map(|b| data.library.dataset().item_idx(&b.item.id))
                    .map(|idx| data.popularity.percentile(idx))
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
                warnings: snap.snapshot.warnings.clone(),
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

    /// Records one judgement after checking it against the frozen session; an edit supersedes
    /// the reviewer's previous judgement of the same thing.
    pub async fn record(&self, req: RecordRequest) -> Result<Saved, AppError> {
        let s = self.frozen_session(&req.session_id, &req.persona_id).await?;
        let snapshots: HashSet<String> = self
            .store
            .snapshots(&req.session_id, Some(&req.persona_id))
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
                .snapshots(session_id, Some(p))
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

impl Reviews {
    /// The session's report over every reviewer's judgements on this device, with item titles
    /// from its dataset.
    pub async fn report(&self, session_id: &str) -> Result<SessionReport, AppError> {
        let (events, report) = self.report_of(session_id).await?;
        let done = self.done_personas(&events.session).await?;
        Ok(SessionReport {
            session_id: events.session.id.clone(),
            name: events.session.name.clone(),
            dataset: events.dataset.clone(),
            blind: events.session.blind,
            reviewer_done: done.len() == events.session.persona_ids.len(),
            generated_at: screening_store::now_ms(),
            report,
        })
    }

    async fn report_of(&self, session_id: &str) -> Result<(SessionEvents, Report), AppError> {
        let events = SessionEvents::load(&self.store, session_id).await?;
        let library = self.catalogs.library(&events.session.catalog_id).await?;
        let row = self.load_gate(&events.session).await?;
        let report = with_gate_row(titled(events.report(REPORT_SEED)?, &library), row);
        Ok((events, report))
    }

    /// Writes one export of the session to `req.path`.
    pub async fn export(&self, req: ExportRequest) -> Result<ExportResult, AppError> {
        let path = req.path.trim();
        if path.is_empty() {
            return Err(AppError::invalid_input("choose a file to export to"));
        }
        let events = SessionEvents::load(&self.store, &req.session_id).await?;
        let options = events.options(REPORT_SEED)?;
        let library = self.catalogs.library(&events.session.catalog_id).await?;
        let meta = Meta {
            title: events.session.name.clone(),
            dataset: Some(events.dataset.clone()),
            generated_at_ms: screening_store::now_ms(),
            source: format!("{} on this device", self.store.path().display()),
        };
        let row = self.load_gate(&events.session).await?;
        // The raw formats need no statistics: the report is computed only for the others.
        let report =
            || with_gate_row(titled(build_report(&events.events, &options), &library), row);
        let text = req.format.render(report, &events.events, &meta);
        write_file(Path::new(path), &text)?;
        Ok(ExportResult { path: path.to_owned(), format: req.format, bytes: text.len() as u32 })
    }

    /// Sets the session's gate thresholds (or resets them) and returns the report under them.
    pub async fn set_gate(&self, req: GateRequest) -> Result<SessionReport, AppError> {
        if let Some(g) = &req.gate {
            check_gate(g)?;
        }
        let value = req
            .gate
            .as_ref()
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| AppError::internal(e.to_string()))?;
        self.store.set_gate(&req.session_id, value.as_ref()).await?;
        self.report(&req.session_id).await
    }
}

/// `report` with its flagged items' titles from the dataset.
fn titled(mut report: Report, library: &Library) -> Report {
    for row in &mut report.flags {
        row.title = library.dataset().item(&row.item_id).map(|i| i.title.clone());
    }
    report
}

/// Gate thresholds that make sense: probabilities and α in range, a criterion named.
fn check_gate(g: &GateThresholds) -> Result<(), AppError> {
    let bad = |m: String| Err(AppError::invalid_input(m));
    if !(0.0..=1.0).contains(&g.min_win_probability) {
        return bad(format!(
            "the win probability threshold is between 0 and 1, not {}",
            g.min_win_probability
        ));
    }
    if !(-1.0..=1.0).contains(&g.min_alpha) {
        return bad(format!("the α threshold is between -1 and 1, not {}", g.min_alpha));
    }
    if g.alpha_criterion.trim().is_empty() {
        return bad("name the criterion whose agreement the gate checks".into());
    }
    for flag in &g.blocker_flags {
        if serde_json::from_value::<ItemFlag>(serde_json::Value::from(flag.as_str())).is_err() {
            return bad(format!(
                "{flag:?} is not a flag (wrong_for_persona, already_seen, inappropriate, duplicate_franchise, stale, great_pick)"
            ));
        }
    }
    Ok(())
}

/// The catalog item `id`, or a stand-in titled with the id when the catalog lacks it.
fn item(library: &Library, id: &str) -> Item {
    library.dataset().item(id).cloned().unwrap_or_else(|| Item::new(id, id, ContentType::Other))
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
    #[serde(default)]
    promotion: Option<String>,
}

fn listed(items: &serde_json::Value) -> Vec<ListedItem> {
    serde_json::from_value(items.clone()).unwrap_or_default()
}

/// The candidate `c` describes, over dataset `catalog`: built-in models trained (or loaded)
/// off the async threads, Personalize with the standard AWS configuration.
pub(super) async fn build_candidate(
    models: Models,
    data: Arc<CatalogData>,
    c: CandidateRecord,
    catalog: String,
) -> Result<Arc<dyn Candidate>, AppError> {
    if let Ok(config) = crate::candidates::config_of(&c)
        && let Some(settings) = PersonalizeSettings::of(&config)
    {
        return Ok(Arc::new(PersonalizeCandidate::new(settings).await));
    }
    tokio::task::spawn_blocking(move || {
        candidate_for(&c, |spec| models.get(&catalog, &data, spec), &data.library)
    })
    .await
    .map_err(|e| AppError::internal(format!("setting up a candidate failed: {e}")))
}

/// The candidate a stored record describes, with built-in models from `model` (Personalize
/// candidates are built by `build_candidate`); one that cannot be set up fails every request
/// with why, which then shows in its column.
pub(crate) fn candidate_for(
    c: &CandidateRecord,
    model: impl Fn(&ModelSpec) -> Arc<Model>,
    library: &Arc<Library>,
) -> Arc<dyn Candidate> {
    match crate::candidates::config_of(c) {
        Ok(CandidateConfig::Builtin { model: spec, .. }) => match spec.parse::<ModelSpec>() {
            Ok(spec) => Arc::new(BuiltinCandidate::new(
                model(&spec),
                Arc::clone(library) as screening_sources::SharedDataset,
            )),
            Err(e) => Arc::new(Unavailable(e.to_string())),
        },
        Ok(CandidateConfig::Http { url, timeout_ms, headers, .. }) => {
            match HttpCandidate::new(HttpConfig { url, timeout_ms, headers }) {
                Ok(h) => Arc::new(h),
                Err(e) => Arc::new(Unavailable(e)),
            }
        }
        Ok(CandidateConfig::Personalize { .. }) => Arc::new(Unavailable(
            "a Personalize candidate is set up with the AWS configuration (async)".into(),
        )),
        Err(e) => Arc::new(Unavailable(e)),
    }
}

/// A fetched list as a snapshot to store.
fn snapshot_of(candidate_id: &str, persona_id: &str, f: Fetched) -> NewSnapshot {
    let items: Vec<_> = f
        .items
        .iter()
        .map(|i| {
            json!({ "item_id": i.item_id, "score": i.score, "reason": i.reason,
                    "promotion": i.promotion, "known": i.known })
        })
        .collect();
    NewSnapshot {
        candidate_id: candidate_id.to_owned(),
        persona_id: persona_id.to_owned(),
        request: f.sent,
        raw_response: f.raw_response,
        items: serde_json::Value::from(items),
        latency_ms: Some(f.latency_ms),
        error: f.error,
        warnings: f.warnings,
    }
}
