//! Property: three devices judging one team session — with random judgements, syncs, syncs cut
//! off midway (the app killed during a push), answers lost after the server committed (the batch
//! sent again), restarts and pulls, in any interleaving — end with every judgement on the server
//! exactly once, and the server's report equal to the report over all three devices' judgements.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use proptest::prelude::*;
use screening_app::{
    ItemFlag, JudgementInput, NewSessionRequest, Preference, RecordRequest, SessionContext,
    SessionEvents, SyncSettingsRequest, SyncState, Workspace,
};
use screening_core::report::{DEFAULT_SEED, JudgementEvent, build_report};
use screening_server::{Db, NewUser};
use screening_store::Store;
use screening_sync::{Client, PushRequest, Role};

const PERSONAS: [&str; 2] = ["reality-fan", "new-viewer"];
const CRITERIA: [&str; 2] = ["overall", "relevance"];
const REVIEWERS: [&str; 3] = ["ana", "ben", "cleo"];
const FLAGS: [ItemFlag; 3] = [ItemFlag::Inappropriate, ItemFlag::Stale, ItemFlag::GreatPick];

/// What one step does.
#[derive(Debug, Clone)]
enum Op {
    /// A judgement on device `device` (its reviewer) of persona `persona`.
    Judge { device: usize, persona: usize, what: What },
    /// Sync now, to the end.
    Sync { device: usize },
    /// Sync cut off after `micros` and the app restarted: whatever was in flight is lost.
    Cut { device: usize, micros: u64 },
    /// The device's judgements pushed again in one batch whose answer never arrived (so the
    /// outbox still holds them): what a retry after a lost answer sends.
    Replay { device: usize },
    /// The app closed and opened again.
    Restart { device: usize },
    /// The reviewer pulls their own judgements from the server.
    Pull { device: usize },
}

#[derive(Debug, Clone)]
enum What {
    Rate { list: usize, criterion: usize, score: u8 },
    Prefer { first: usize, tie: bool, all_bad: bool },
    Flag { list: usize, item: usize, flag: usize, on: bool },
    Comment { n: u8 },
}

fn what() -> impl Strategy<Value = What> {
    prop_oneof![
        4 => (0..2usize, 0..2usize, 1..=5u8)
            .prop_map(|(list, criterion, score)| What::Rate { list, criterion, score }),
        2 => (0..2usize, any::<bool>(), prop::bool::weighted(0.1))
            .prop_map(|(first, tie, all_bad)| What::Prefer { first, tie, all_bad }),
        1 => (0..2usize, 0..3usize, 0..3usize, any::<bool>())
            .prop_map(|(list, item, flag, on)| What::Flag { list, item, flag, on }),
        1 => any::<u8>().prop_map(|n| What::Comment { n }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..3usize, 0..2usize, what())
            .prop_map(|(device, persona, what)| Op::Judge { device, persona, what }),
        2 => (0..3usize).prop_map(|device| Op::Sync { device }),
        2 => (0..3usize, 0..20_000u64).prop_map(|(device, micros)| Op::Cut { device, micros }),
        1 => (0..3usize).prop_map(|device| Op::Replay { device }),
        1 => (0..3usize).prop_map(|device| Op::Restart { device }),
        1 => (0..3usize).prop_map(|device| Op::Pull { device }),
    ]
}

/// One device: its data directory, its app (reopened on restart) and its token.
struct Device {
    dir: PathBuf,
    reviewer: &'static str,
    token: String,
    app: Option<(Workspace, Store)>,
}

impl Device {
    fn ws(&self) -> &Workspace {
        &self.app.as_ref().expect("open").0
    }

    fn store(&self) -> &Store {
        &self.app.as_ref().expect("open").1
    }

    async fn restart(&mut self) {
        if let Some((ws, store)) = self.app.take() {
            drop(ws);
            store.close().await;
        }
        self.app = Some(crate::workspace(&self.dir, self.reviewer).await);
    }
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    url: String,
    db: Db,
    devices: Vec<Device>,
    session: String,
    /// The session's lists per persona, by snapshot id (the same on every device).
    lists: Vec<Vec<String>>,
    /// Item ids of each list.
    items: BTreeMap<String, Vec<String>>,
    approver: String,
}

async fn world() -> World {
    let server_dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let db = Db::open(&db_url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(screening_server::serve(listener, db.clone(), std::future::pending()));
    let url = format!("http://{addr}");
    let user = |name: &str, role| {
        let db = db.clone();
        let name = name.to_owned();
        async move { db.add_user(&NewUser { name, role, expires_in: None }).await.unwrap() }
    };
    let approver = user("pm", Role::Approver).await;
    let mut dirs = vec![server_dir];
    let mut devices = Vec::new();
    for reviewer in REVIEWERS {
        let dir = tempfile::tempdir().unwrap();
        let token = user(reviewer, Role::Reviewer).await;
        let mut d = Device { dir: dir.path().to_owned(), reviewer, token, app: None };
        d.restart().await;
        d.ws()
            .sync
            .configure(SyncSettingsRequest { server_url: url.clone(), token: d.token.clone() })
            .await
            .unwrap();
        dirs.push(dir);
        devices.push(d);
    }
    let session = devices[0]
        .ws()
        .reviews
        .create_session(NewSessionRequest {
            name: "Converge".into(),
            persona_ids: PERSONAS.iter().map(|p| (*p).to_owned()).collect(),
            candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
            k: 3,
            blind: true,
            criteria: CRITERIA.iter().map(|c| (*c).to_owned()).collect(),
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: Some("builtin-ease".into()),
        })
        .await
        .unwrap()
        .summary
        .id;
    devices[0].ws().reviews.freeze(&session, |_| {}).await.unwrap();
    devices[0].ws().sync.publish(&session).await.unwrap();
    for d in &devices[1..] {
        d.ws().sync.join(&session).await.unwrap();
    }
    let mut lists = Vec::new();
    let mut items = BTreeMap::new();
    for p in PERSONAS {
        let board = devices[0].ws().reviews.board(&session, p).await.unwrap();
        let mut ids: Vec<String> = board.columns.iter().map(|c| c.snapshot_id.clone()).collect();
        ids.sort();
        for c in &board.columns {
            items
                .insert(c.snapshot_id.clone(), c.items.iter().map(|i| i.item.id.clone()).collect());
        }
        lists.push(ids);
    }
    World { _dirs: dirs, url, db, devices, session, lists, items, approver }
}

impl World {
    async fn step(&mut self, op: &Op) {
        match op {
            Op::Judge { device, persona, what } => {
                let lists = &self.lists[*persona];
                let judgement = match what {
                    What::Rate { list, criterion, score } => JudgementInput::Rating {
                        snapshot_id: lists[*list].clone(),
                        criterion: CRITERIA[*criterion].into(),
                        score: *score,
                    },
                    What::Prefer { first, tie, all_bad } => {
                        let mut ranking = lists.clone();
                        ranking.rotate_left(*first);
                        JudgementInput::Preference {
                            preference: Preference { ranking, tie: *tie, all_bad: *all_bad },
                        }
                    }
                    What::Flag { list, item, flag, on } => {
                        let items = &self.items[&lists[*list]];
                        JudgementInput::Flag {
                            snapshot_id: lists[*list].clone(),
                            item_id: items[*item % items.len()].clone(),
                            flag: FLAGS[*flag],
                            on: *on,
                        }
                    }
                    What::Comment { n } => JudgementInput::Comment { text: format!("note {n}") },
                };
                let request = RecordRequest {
                    session_id: self.session.clone(),
                    persona_id: PERSONAS[*persona].into(),
                    judgement,
                };
                // Withdrawing a flag that is not on is refused, which is fine: nothing is saved.
                let _ = self.devices[*device].ws().reviews.record(request).await;
            }
            Op::Sync { device } => {
                self.devices[*device].ws().sync.sync_now().await.unwrap();
            }
            Op::Cut { device, micros } => {
                let d = &mut self.devices[*device];
                let _ =
                    tokio::time::timeout(Duration::from_micros(*micros), d.ws().sync.sync_now())
                        .await;
                d.restart().await;
            }
            Op::Replay { device } => {
                let d = &self.devices[*device];
                let context = SessionContext::load(d.store(), &self.session).await.unwrap();
                let mut events = Vec::new();
                for j in d.store().judgements(&self.session).await.unwrap() {
                    if let Some(e) = context.event(&j).unwrap() {
                        events.push((e, j.device_seq));
                    }
                }
                if !events.is_empty() {
                    let req = PushRequest::new(d.store().device_id(), &events);
                    let key = format!("replay-{}-{}", d.reviewer, events.len());
                    Client::new(&self.url, &d.token).push(&key, &req).await.unwrap();
                }
            }
            Op::Restart { device } => self.devices[*device].restart().await,
            Op::Pull { device } => {
                let d = &self.devices[*device];
                let pulled = pull_all(&Client::new(&self.url, &d.token)).await;
                let mine: BTreeSet<String> = d
                    .store()
                    .judgements(&self.session)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|j| j.op_id)
                    .collect();
                let ids: Vec<&String> = pulled.iter().map(|e| &e.op_id).collect();
                let unique: BTreeSet<&String> = ids.iter().copied().collect();
                assert_eq!(unique.len(), ids.len(), "a pull hands each judgement out once");
                assert!(
                    pulled.iter().all(|e| e.reviewer == d.reviewer && mine.contains(&e.op_id)),
                    "{} pulls only their own judgements, all made on this device",
                    d.reviewer
                );
            }
        }
    }

    /// Every device syncs until nothing waits; then the server must hold exactly the union of
    /// the devices' judgements and report what a report over that union says.
    async fn converge(&mut self) {
        let mut all: BTreeMap<String, JudgementEvent> = BTreeMap::new();
        for d in &self.devices {
            let mut status = d.ws().sync.sync_now().await.unwrap();
            for _ in 0..3 {
                if status.pending == 0 {
                    break;
                }
                status = d.ws().sync.sync_now().await.unwrap();
            }
            assert_eq!((status.state, status.pending), (SyncState::Synced, 0), "{}", d.reviewer);
            for e in SessionEvents::load(d.store(), &self.session).await.unwrap().events {
                assert!(all.insert(e.op_id.clone(), e).is_none(), "op ids are unique");
            }
        }
        let server = pull_all(&Client::new(&self.url, &self.approver)).await;
        let on_server: BTreeMap<String, JudgementEvent> =
            server.iter().map(|e| (e.op_id.clone(), e.clone())).collect();
        assert_eq!(on_server.len(), server.len(), "the server holds each judgement once");
        assert_eq!(on_server, all, "the server holds exactly the devices' judgements");

        let published =
            Client::new(&self.url, &self.approver).session(&self.session).await.unwrap();
        let options = screening_core::report::ReportOptions {
            seed: DEFAULT_SEED,
            candidates: published.session.candidates.iter().map(|c| c.name.clone()).collect(),
            criteria: published.session.criteria.clone(),
            incumbent: published.session.incumbent.clone(),
            challenger: published.session.challenger.clone(),
            gate: published.session.gate.clone().unwrap_or_default(),
            ..Default::default()
        };
        // The devices' judgements in another order than the server's: the report must not care.
        let mut events: Vec<JudgementEvent> = all.into_values().collect();
        events.reverse();
        let expected = build_report(&events, &options);
        let team = Client::new(&self.url, &self.approver).report(&self.session).await.unwrap();
        assert_eq!(
            serde_json::to_value(&team.report).unwrap(),
            serde_json::to_value(&expected).unwrap(),
            "the team report is the report over every device's judgements"
        );
        self.db.close().await;
    }
}

/// Every judgement the token's user may pull, oldest first.
async fn pull_all(client: &Client) -> Vec<JudgementEvent> {
    let mut cursor = String::new();
    let mut out = Vec::new();
    loop {
        let page = client.pull(&cursor, 100).await.unwrap();
        out.extend(page.events.into_iter().map(|e| e.event));
        cursor = page.cursor;
        if !page.more {
            return out;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, max_shrink_iters: 40, ..ProptestConfig::default() })]

    #[test]
    fn three_devices_converge_to_one_report(ops in prop::collection::vec(op(), 10..40)) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut w = world().await;
            for op in &ops {
                w.step(op).await;
            }
            w.converge().await;
        });
    }
}
