//! Sync with the report server: its address and this user's token, publishing a frozen session,
//! draining the outbox (only after the server confirms a batch is a row marked sent), and the
//! team report.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use screening_core::Persona;
use screening_core::report::Report;
use screening_store::setup::CandidateRecord;
use screening_store::{JudgementKind, NewSnapshot, SnapshotRecord, Store};
use screening_sync::{
    Client, ClientError, DecisionRecord, NamedCandidate, NamedPersona, PublishedCatalog,
    PublishedItem, PublishedSession, PublishedSnapshot, PushRequest, SessionListing,
    SharedLoadCheck,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppError;
use crate::catalogs::Catalogs;
use crate::review::{SessionContext, SessionEvents};
use crate::secret::{TokenPlace, TokenStore};

const URL_KEY: &str = "sync.server_url";
/// Judgements per push.
const BATCH: u32 = 500;

/// Where the report server is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncSettings {
    pub server_url: Option<String>,
    /// A token is saved (it is never sent back to the UI).
    pub has_token: bool,
    /// Where it is kept.
    pub token_place: Option<TokenPlace>,
}

/// What Settings saves: the server and this user's token (empty token: keep the saved one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncSettingsRequest {
    pub server_url: String,
    pub token: String,
}

/// How syncing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncState {
    /// No server set up.
    Off,
    /// Everything of the published sessions is on the server.
    Synced,
    /// Judgements wait to be sent.
    Pending,
    /// The server could not be reached (the judgements wait, safe, in the outbox).
    Offline,
    /// The server refused something; `message` says what.
    Error,
}

/// The status indicator's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Judgements of published sessions not yet on the server.
    pub pending: u32,
    /// Judgements of sessions not published (they stay on this device until published).
    pub local_only: u32,
    #[ts(type = "number | null")]
    pub last_synced_at: Option<i64>,
    pub message: Option<String>,
    pub server_url: Option<String>,
}

/// How far draining the outbox is: `sent` of the `total` judgements that waited when it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub sent: u32,
    pub total: u32,
}

/// A session published on the report server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishResult {
    pub session_id: String,
    pub lists: u32,
    /// Judgements that went to the server right after it (the session's own, and any others of
    /// published sessions that were waiting).
    pub sent: u32,
    pub status: SyncStatus,
}

/// A session on the report server, as the "Team sessions" list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamSession {
    #[serde(flatten)]
    #[ts(flatten)]
    pub listing: SessionListing,
    /// It is on this device already (published from here, or joined).
    pub on_device: bool,
}

/// A team session joined: now on this device, frozen and published, ready to judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JoinResult {
    pub session_id: String,
    pub lists: u32,
    /// Personas that were not on this device yet.
    pub personas_added: u32,
    /// It was on this device already: nothing changed.
    pub already_here: bool,
}

/// The team's report from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamReportView {
    /// When this device fetched it (Unix ms): the report is as of then.
    #[ts(type = "number")]
    pub fetched_at: i64,
    pub digest: String,
    pub report: Report,
    pub decisions: Vec<DecisionRecord>,
}

/// The sync client of one data directory.
pub struct Syncer {
    store: Store,
    tokens: TokenStore,
    /// The saved token once read (a keychain is not asked on every call).
    token: Mutex<Option<(String, TokenPlace)>>,
    catalogs: Arc<Catalogs>,
    last: Mutex<(Option<i64>, SyncState, Option<String>)>,
}

impl Syncer {
    pub fn new(store: Store, dir: &Path, catalogs: Arc<Catalogs>) -> Result<Syncer, AppError> {
        let tokens = TokenStore::new(dir, store.device_id())?;
        let token = Mutex::new(tokens.load());
        Ok(Syncer {
            store,
            tokens,
            token,
            catalogs,
            last: Mutex::new((None, SyncState::Off, None)),
        })
    }

    pub async fn settings(&self) -> Result<SyncSettings, AppError> {
        let saved = self.saved_token();
        Ok(SyncSettings {
            server_url: self.store.meta(URL_KEY).await?,
            has_token: saved.is_some(),
            token_place: saved.map(|(_, place)| place),
        })
    }

    /// Checks the server and token (by listing the server's sessions), then saves them.
    pub async fn configure(&self, req: SyncSettingsRequest) -> Result<SyncStatus, AppError> {
        let url = req.server_url.trim().trim_end_matches('/').to_owned();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(AppError::invalid_input(format!(
                "the server address starts with http:// or https://, not {url:?}"
            )));
        }
        let token = match req.token.trim() {
            "" => self.token().ok_or_else(|| {
                AppError::invalid_input("paste the token the server's admin gave you")
            })?,
            t => t.to_owned(),
        };
        Client::new(&url, &token).sessions().await.map_err(|e| match e {
            ClientError::Server { status: 401, error } => {
                AppError::invalid_input(format!("the server refused the token: {}", error.message))
            }
            other => AppError::unavailable(other.to_string()),
        })?;
        let place = self.tokens.save(&token)?;
        if let Ok(mut saved) = self.token.lock() {
            *saved = Some((token, place));
        }
        self.store.set_meta(URL_KEY, &url).await?;
        self.status().await
    }

    fn saved_token(&self) -> Option<(String, TokenPlace)> {
        self.token.lock().ok().and_then(|t| t.clone())
    }

    fn token(&self) -> Option<String> {
        self.saved_token().map(|(t, _)| t)
    }

    /// The client, or the error that asks to set the server up.
    async fn required_client(&self) -> Result<Client, AppError> {
        self.client()
            .await?
            .ok_or_else(|| AppError::invalid_input("set up the report server in Settings first"))
    }

    async fn client(&self) -> Result<Option<Client>, AppError> {
        Ok(match (self.store.meta(URL_KEY).await?, self.token()) {
            (Some(url), Some(token)) => Some(Client::new(&url, &token)),
            _ => None,
        })
    }

    pub async fn status(&self) -> Result<SyncStatus, AppError> {
        let server_url = self.store.meta(URL_KEY).await?;
        let (pending, local_only) = self.store.outbox_count().await?;
        let (last, state, message) =
            self.last.lock().map(|l| l.clone()).unwrap_or((None, SyncState::Off, None));
        let state = match (&server_url, state) {
            (None, _) => SyncState::Off,
            (_, SyncState::Offline | SyncState::Error) => state,
            _ if pending > 0 => SyncState::Pending,
            _ => SyncState::Synced,
        };
        Ok(SyncStatus { state, pending, local_only, last_synced_at: last, message, server_url })
    }

    fn remember(&self, state: SyncState, message: Option<String>, synced: bool) {
        if let Ok(mut l) = self.last.lock() {
            if synced {
                l.0 = Some(screening_store::now_ms());
            }
            l.1 = state;
            l.2 = message;
        }
    }

    /// Publishes a frozen session with its lists, so the team judges the same ones; its
    /// judgements sync from now on.
    pub async fn publish(&self, session_id: &str) -> Result<PublishResult, AppError> {
        let client = self.required_client().await?;
        let body = self.published(session_id).await?;
        let lists = body.snapshots.len() as u32;
        client.publish(&body).await.map_err(client_error)?;
        self.store.mark_published(session_id).await?;
        let sent = std::sync::atomic::AtomicU32::new(0);
        let status =
            self.sync_with(|p| sent.store(p.sent, std::sync::atomic::Ordering::Relaxed)).await?;
        let sent = sent.into_inner();
        Ok(PublishResult { session_id: session_id.to_owned(), lists, sent, status })
    }

    /// The session as the server takes it.
    async fn published(&self, session_id: &str) -> Result<PublishedSession, AppError> {
        let events = SessionEvents::load(&self.store, session_id).await?;
        let s = &events.session;
        if s.frozen_at.is_none() {
            return Err(AppError::invalid_input("freeze the session's lists before publishing it"));
        }
        let library = self.catalogs.library(&s.catalog_id).await?;
        let name = |id: &str| events.names.get(id).cloned().unwrap_or_else(|| id.to_owned());
        let mut personas = Vec::new();
        for p in &s.persona_ids {
            let persona = self.store.persona(p).await?.persona;
            personas.push(NamedPersona {
                id: persona.id,
                name: persona.name,
                history: persona.history,
            });
        }
        let catalog = self.store.catalog(&s.catalog_id).await?.record;
        let snapshots = self
            .store
            .snapshots(session_id, None)
            .await?
            .into_iter()
            .map(|snap| PublishedSnapshot {
                candidate: name(&snap.snapshot.candidate_id),
                persona_id: snap.snapshot.persona_id.clone(),
                items: snap
                    .snapshot
                    .items
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| {
                        let item_id = i["item_id"].as_str().unwrap_or_default().to_owned();
                        PublishedItem {
                            title: library.dataset().item(&item_id).map(|x| x.title.clone()),
                            score: i["score"].as_f64(),
                            reason: i["reason"].as_str().map(str::to_owned),
                            item_id,
                        }
                    })
                    .collect(),
                fetched_at: snap.created_at,
                latency_ms: snap.snapshot.latency_ms,
                error: snap.snapshot.error.clone(),
                id: snap.id,
            })
            .collect();
        let options = events.options(0)?;
        Ok(PublishedSession {
            id: s.id.clone(),
            name: s.name.clone(),
            k: s.k,
            blind: s.blind,
            criteria: s.criteria.clone(),
            incumbent: options.incumbent,
            challenger: options.challenger,
            personas,
            candidates: s.candidate_ids.iter().map(|c| NamedCandidate { name: name(c) }).collect(),
            snapshots,
            gate: Some(options.gate),
            catalog: Some(PublishedCatalog {
                id: catalog.id,
                name: catalog.name,
                digest: catalog.digest,
            }),
        })
    }

    /// Sends the outbox's judgements of published sessions in batches; a batch's rows are
    /// marked sent only once the server has answered for it. Offline or refused, the rest
    /// waits for the next try.
    pub async fn sync_now(&self) -> Result<SyncStatus, AppError> {
        self.sync_with(|_| {}).await
    }

    /// [`Syncer::sync_now`], telling `progress` after every batch the server confirmed.
    pub async fn sync_with(&self, progress: impl Fn(SyncProgress)) -> Result<SyncStatus, AppError> {
        let Some(client) = self.client().await? else { return self.status().await };
        let (waiting, _) = self.store.outbox_count().await?;
        let mut sent = 0u32;
        // Per batch only its judgements are read: memory stays bounded by the batch, however
        // long the backlog.
        let mut sessions: HashMap<String, SessionContext> = HashMap::new();
        loop {
            let batch = self.store.outbox_batch(BATCH).await?;
            if batch.is_empty() {
                // Nothing (more) to send but load checks; still ask the server, so "Synced"
                // means it answers.
                match self.share_load_checks(&client).await {
                    Err(e) => self.remember(state_of(&e), Some(e.to_string()), false),
                    Ok(()) => match client.health().await {
                        Ok(()) => self.remember(SyncState::Synced, None, true),
                        Err(e) => self.remember(SyncState::Offline, Some(e.to_string()), false),
                    },
                }
                break;
            }
            let (reveals, rest): (Vec<_>, Vec<_>) =
                batch.into_iter().partition(|j| j.judgement.kind == JudgementKind::Reveal);
            // A reveal records what this reviewer saw: it stays on this device.
            self.store
                .mark_sent(&reveals.iter().map(|j| j.op_id.clone()).collect::<Vec<_>>())
                .await?;
            if rest.is_empty() {
                continue;
            }
            let mut events = Vec::with_capacity(rest.len());
            for j in &rest {
                let session = &j.judgement.session_id;
                if !sessions.contains_key(session) {
                    let context = SessionContext::load(&self.store, session).await?;
                    sessions.insert(session.clone(), context);
                }
                let e = sessions[session].event(j)?.ok_or_else(|| {
                    AppError::internal(format!("judgement {} cannot be sent", j.op_id))
                })?;
                events.push((e, j.device_seq));
            }
            let ids: Vec<String> = rest.iter().map(|j| j.op_id.clone()).collect();
            // The batch id is the batch's content: sent again after a lost answer, the server
            // recognises it.
            let key = blake3::hash(ids.join("\n").as_bytes()).to_hex().to_string();
            let req = PushRequest::new(self.store.device_id(), &events);
            match client.push(&key, &req).await {
                Ok(_) => {
                    self.store.mark_sent(&ids).await?;
                    sent += ids.len() as u32;
                    progress(SyncProgress { sent, total: waiting.max(sent) });
                }
                Err(e) => {
                    self.store.note_attempt(&ids).await?;
                    self.remember(state_of(&e), Some(e.to_string()), false);
                    break;
                }
            }
        }
        self.status().await
    }

    /// Sends the load checks of published sessions the server does not have yet; each is
    /// marked shared once the server has it.
    async fn share_load_checks(&self, client: &Client) -> Result<(), ClientError> {
        let Ok(checks) = self.store.unshared_load_checks().await else { return Ok(()) };
        if checks.is_empty() {
            return Ok(());
        }
        let Ok(candidates) = self.store.candidates().await else { return Ok(()) };
        for c in checks {
            let name = candidates.iter().find(|x| x.id == c.candidate_id).map(|x| x.name.clone());
            let (Some(candidate), Ok(plan), Ok(result)) = (
                name,
                serde_json::from_value(c.plan.clone()),
                serde_json::from_value(c.result.clone()),
            ) else {
                continue;
            };
            let shared = SharedLoadCheck {
                id: c.id.clone(),
                candidate,
                created_at: c.created_at,
                plan,
                max_p99_ms: c.max_p99_ms,
                result,
            };
            client.share_load_check(&c.session_id, &shared).await?;
            let _ = self.store.mark_load_check_shared(&c.id).await;
        }
        Ok(())
    }

    /// The sessions published on the report server, newest first, each marked when it is on
    /// this device already.
    pub async fn team_sessions(&self) -> Result<Vec<TeamSession>, AppError> {
        let client = self.required_client().await?;
        let listings = client.sessions().await.map_err(client_error)?;
        let here: HashSet<String> =
            self.store.sessions().await?.into_iter().map(|s| s.id).collect();
        Ok(listings
            .into_iter()
            .map(|listing| TeamSession { on_device: here.contains(&listing.id), listing })
            .collect())
    }

    /// Brings a session someone published onto this device to judge it: the same lists (by
    /// the ids the server knows), the same personas (histories included), its candidates by
    /// name. Its dataset must be on this device (the demo always is). Joining twice is harmless.
    pub async fn join(&self, session_id: &str) -> Result<JoinResult, AppError> {
        let client = self.required_client().await?;
        let pulled = client.session(session_id).await.map_err(client_error)?;
        let (team, personas_added) = self.team_session(pulled.session, pulled.owner).await?;
        let lists = team.snapshots.len() as u32;
        let joined = self.store.join_session(&team).await?;
        Ok(JoinResult {
            session_id: team.id,
            lists,
            personas_added: if joined { personas_added } else { 0 },
            already_here: !joined,
        })
    }

    /// A published session as this device stores it, and how many of its personas are new
    /// here; refused, with what to do, when its dataset is not here or one of its personas
    /// differs from this device's persona of the same id.
    async fn team_session(
        &self,
        p: PublishedSession,
        owner: String,
    ) -> Result<(screening_store::TeamSession, u32), AppError> {
        let wanted = p.catalog.clone().ok_or_else(|| {
            AppError::invalid_input(format!(
                "the session {:?} was published without its dataset (by an older app): it cannot be joined",
                p.name
            ))
        })?;
        let catalogs = self.store.catalogs().await?;
        let catalog = catalogs
            .iter()
            .map(|c| &c.record)
            .find(|c| c.digest == wanted.digest)
            .ok_or_else(|| {
                AppError::invalid_input(format!(
                    "the session {:?} is on the dataset {:?}, which is not on this device: import the same files (Library → Datasets), then join",
                    p.name, wanted.name
                ))
            })?;
        let mut personas = Vec::with_capacity(p.personas.len());
        let mut added = 0;
        for np in &p.personas {
            let persona = match self.store.persona(&np.id).await {
                Ok(local) => {
                    if local.catalog_id != catalog.id {
                        return Err(AppError::invalid_input(format!(
                            "the persona {:?} on this device belongs to another dataset than the session's",
                            local.persona.name
                        )));
                    }
                    if local.persona.history != np.history {
                        return Err(AppError::invalid_input(format!(
                            "the persona {:?} on this device is not the one the session was published with (its history differs): its lists would not match it",
                            local.persona.name
                        )));
                    }
                    local.persona
                }
                Err(e) if !matches!(e, screening_store::StoreError::NotFound(_)) => {
                    return Err(e.into());
                }
                Err(_) => {
                    added += 1;
                    Persona {
                        id: np.id.clone(),
                        name: np.name.clone(),
                        description: format!(
                            "From the team session {:?}, published by {owner}.",
                            p.name
                        ),
                        tags: vec!["team".into()],
                        history: np.history.clone(),
                        external_user_ids: Default::default(),
                    }
                }
            };
            personas.push(persona);
        }
        let candidates: Vec<CandidateRecord> = p
            .candidates
            .iter()
            .map(|c| CandidateRecord {
                id: uuid::Uuid::now_v7().to_string(),
                name: c.name.clone(),
                kind: crate::candidates::TEAM_KIND.into(),
                config: serde_json::json!({ "session_id": p.id, "published_by": owner }),
                archived_at: None,
            })
            .collect();
        let id_of = |name: &str| candidates.iter().find(|c| c.name == name).map(|c| c.id.clone());
        let snapshots = p
            .snapshots
            .iter()
            .map(|s| {
                let items: Vec<serde_json::Value> = s
                    .items
                    .iter()
                    .map(|i| serde_json::json!({ "item_id": i.item_id, "score": i.score, "reason": i.reason }))
                    .collect();
                Ok(SnapshotRecord {
                    id: s.id.clone(),
                    created_at: s.fetched_at,
                    snapshot: NewSnapshot {
                        candidate_id: id_of(&s.candidate).ok_or_else(|| {
                            AppError::internal(format!("list {:?} names no candidate of the session", s.id))
                        })?,
                        persona_id: s.persona_id.clone(),
                        request: serde_json::json!({ "joined": p.id }),
                        raw_response: None,
                        items: items.into(),
                        latency_ms: s.latency_ms,
                        error: s.error.clone(),
                        warnings: Vec::new(),
                    },
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let team = screening_store::TeamSession {
            incumbent_candidate_id: p.incumbent.as_deref().and_then(id_of),
            challenger_candidate_id: p.challenger.as_deref().and_then(id_of),
            gate: p
                .gate
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(|e| AppError::internal(e.to_string()))?,
            id: p.id,
            name: p.name,
            catalog_id: catalog.id.clone(),
            k: p.k,
            blind: p.blind,
            criteria: p.criteria,
            published_by: owner,
            personas,
            candidates,
            snapshots,
        };
        Ok((team, added))
    }

    /// The team's report of a published session, with its decisions.
    pub async fn team_report(&self, session_id: &str) -> Result<TeamReportView, AppError> {
        let client = self.required_client().await?;
        let team = client.report(session_id).await.map_err(client_error)?;
        let decisions = client
            .sessions()
            .await
            .map_err(client_error)?
            .into_iter()
            .find(|s| s.id == session_id)
            .map(|s| s.decisions)
            .unwrap_or_default();
        Ok(TeamReportView {
            fetched_at: screening_store::now_ms(),
            digest: team.digest,
            report: team.report,
            decisions,
        })
    }
}

/// The status a failed call leaves: offline when the server did not answer, else an error.
fn state_of(e: &ClientError) -> SyncState {
    if matches!(e, ClientError::Offline { .. }) { SyncState::Offline } else { SyncState::Error }
}

fn client_error(e: ClientError) -> AppError {
    match e {
        ClientError::Offline { .. } => AppError::unavailable(e.to_string()),
        ClientError::Server { status: 404, ref error } => {
            AppError::not_found(error.message.clone())
        }
        ClientError::Server { status: 400 | 401 | 403 | 409 | 413, ref error } => {
            AppError::invalid_input(error.message.clone())
        }
        other => AppError::internal(other.to_string()),
    }
}
