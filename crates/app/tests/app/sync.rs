//! The desktop's sync against a real report server on a real socket: settings, publishing, the
//! outbox drained after the server confirms, offline and back, the team report.

use std::net::SocketAddr;

use screening_app::{
    ErrorCode, JudgementInput, NewSessionRequest, Preference, RecordRequest, SyncSettingsRequest,
    SyncState, TokenPlace,
};
use screening_server::{Db, NewUser};
use screening_sync::Role;
use tokio::sync::oneshot;

/// A server on `addr` (a free port when `None`) over the database at `url`; send on the
/// returned channel to stop it.
async fn serve(url: &str, addr: Option<SocketAddr>) -> (SocketAddr, oneshot::Sender<()>, Db) {
    let db = Db::open(url).await.unwrap();
    let listener =
        tokio::net::TcpListener::bind(addr.unwrap_or_else(|| "127.0.0.1:0".parse().unwrap()))
            .await
            .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(screening_server::serve(listener, db.clone(), async {
        let _ = stopped.await;
    }));
    (addr, stop, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn judgements_reach_the_server_once_including_after_it_was_down() {
    let server_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let (addr, stop, db) = serve(&url, None).await;
    let token = db
        .add_user(&NewUser { name: "ana".into(), role: Role::Approver, expires_in: None })
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (ws, store) = crate::workspace(dir.path(), "ana-on-laptop").await;
    assert_eq!(ws.sync.status().await.unwrap().state, SyncState::Off);
    let bad = ws
        .sync
        .configure(SyncSettingsRequest {
            server_url: format!("http://{addr}"),
            token: "wrong".into(),
        })
        .await
        .unwrap_err();
    assert!(bad.message.contains("refused the token"), "{}", bad.message);
    assert!(!ws.sync.settings().await.unwrap().has_token, "nothing saved");
    let status = ws
        .sync
        .configure(SyncSettingsRequest {
            server_url: format!("http://{addr}/"),
            token: token.clone(),
        })
        .await
        .unwrap();
    assert_eq!(status.state, SyncState::Synced);
    // Without a keychain in the session (as in `make test`), the token is in a file only this
    // user reads (the keychain: the_token_is_kept_in_the_os_keychain_when_there_is_one).
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        let place = ws.sync.settings().await.unwrap().token_place;
        assert_eq!(place, Some(TokenPlace::File));
        let saved = std::fs::metadata(dir.path().join("sync-token")).unwrap();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&saved.permissions()) & 0o777, 0o600);
    }

    let session = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "Team review".into(),
            persona_ids: vec!["reality-fan".into(), "new-viewer".into()],
            candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
            k: 5,
            blind: true,
            criteria: vec!["overall".into()],
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: None,
        })
        .await
        .unwrap();
    let id = session.summary.id.clone();
    let e = ws.sync.publish(&id).await.unwrap_err();
    assert!(e.message.contains("freeze"), "{}", e.message);
    ws.reviews.freeze(&id, |_| {}).await.unwrap();

    // Judged before publishing: kept on this device.
    let judge = |persona: &'static str| {
        let ws = &ws;
        let id = id.clone();
        async move {
            let board = ws.reviews.board(&id, persona).await.unwrap();
            let (a, b) =
                (board.columns[0].snapshot_id.clone(), board.columns[1].snapshot_id.clone());
            let record = |judgement| RecordRequest {
                session_id: id.clone(),
                persona_id: persona.into(),
                judgement,
            };
            ws.reviews
                .record(record(JudgementInput::Rating {
                    snapshot_id: a.clone(),
                    criterion: "overall".into(),
                    score: 4,
                }))
                .await
                .unwrap();
            ws.reviews
                .record(record(JudgementInput::Rating {
                    snapshot_id: a.clone(),
                    criterion: "overall".into(),
                    score: 5,
                }))
                .await
                .unwrap();
            let preference = Preference { ranking: vec![a, b], tie: false, all_bad: false };
            ws.reviews.record(record(JudgementInput::Preference { preference })).await.unwrap();
            ws.reviews.reveal(&id, persona).await.unwrap();
        }
    };
    judge("reality-fan").await;
    let before = ws.sync.status().await.unwrap();
    assert_eq!((before.pending, before.local_only), (0, 3));

    let published = ws.sync.publish(&id).await.unwrap();
    assert_eq!((published.lists, published.sent), (4, 3), "the three judgements went with it");
    let listed = &ws.reviews.sessions().await.unwrap()[0];
    assert!(listed.published_at.is_some(), "the session says it is published");
    assert_eq!(listed.published_by, None, "published from this device");
    assert_eq!(
        (published.status.state, published.status.pending, published.status.local_only),
        (SyncState::Synced, 0, 0)
    );
    let team = ws.sync.team_report(&id).await.unwrap();
    assert_eq!(
        (team.report.reviewers, team.report.judgements),
        (1, 2),
        "the edit superseded the first rating"
    );

    // The server goes down: judgements wait in the outbox, the status says offline.
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    // Nothing to send, and still it notices the server is gone.
    let empty = ws.sync.sync_now().await.unwrap();
    assert_eq!((empty.state, empty.pending), (SyncState::Offline, 0));
    judge("new-viewer").await;
    let offline = ws.sync.sync_now().await.unwrap();
    assert_eq!((offline.state, offline.pending), (SyncState::Offline, 3));
    assert!(offline.message.as_deref().unwrap_or_default().contains("cannot reach"), "{offline:?}");
    assert_eq!(ws.sync.team_report(&id).await.unwrap_err().code, ErrorCode::Unavailable);

    // Back on the same address: the outbox drains; nothing twice.
    db.close().await;
    let (_, _stop, _db) = serve(&url, Some(addr)).await;
    let back = ws.sync.sync_now().await.unwrap();
    assert_eq!((back.state, back.pending), (SyncState::Synced, 0));
    let team = ws.sync.team_report(&id).await.unwrap();
    assert_eq!((team.report.personas, team.report.judgements), (2, 4));
    assert_eq!(store.outbox_count().await.unwrap(), (0, 0));
    assert_eq!(ws.sync.sync_now().await.unwrap().state, SyncState::Synced);
}

/// 1,234 judgements waiting: one Sync now sends them in pages of 500 (each page's judgements
/// read on their own, so memory follows the page, not the backlog), and nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_goes_in_pages_and_only_once() {
    let server_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let (addr, _stop, db) = serve(&url, None).await;
    let token = db
        .add_user(&NewUser { name: "ana".into(), role: Role::Approver, expires_in: None })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ws, store) = crate::workspace(dir.path(), "ana").await;
    ws.sync
        .configure(SyncSettingsRequest {
            server_url: format!("http://{addr}"),
            token: token.clone(),
        })
        .await
        .unwrap();
    let session = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "Backlog".into(),
            persona_ids: vec!["reality-fan".into()],
            candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
            k: 3,
            blind: false,
            criteria: vec!["overall".into()],
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: None,
        })
        .await
        .unwrap();
    let id = session.summary.id;
    ws.reviews.freeze(&id, |_| {}).await.unwrap();
    for n in 0..1_234 {
        store
            .record(screening_store::NewJudgement {
                reviewer: "ana".into(),
                session_id: id.clone(),
                persona_id: "reality-fan".into(),
                snapshot_id: None,
                item_id: None,
                kind: screening_store::JudgementKind::Comment,
                payload: serde_json::json!({ "text": format!("note {n}") }),
                supersedes: None,
            })
            .await
            .unwrap();
    }
    assert_eq!(store.outbox_count().await.unwrap(), (0, 1_234));
    let published = ws.sync.publish(&id).await.unwrap();
    assert_eq!((published.status.state, published.status.pending), (SyncState::Synced, 0));
    assert_eq!(published.sent, 1_234);
    let client = screening_sync::Client::new(&format!("http://{addr}"), &token);
    let listed = client.sessions().await.unwrap();
    assert_eq!(listed[0].events, 1_234);
    // Sending again finds nothing left; the server still holds each once.
    ws.sync.sync_now().await.unwrap();
    assert_eq!(client.sessions().await.unwrap()[0].events, 1_234);
}

/// A device connected to the server as `user` (a reviewer), with its own data directory.
async fn device(
    addr: SocketAddr,
    db: &Db,
    user: &str,
) -> (tempfile::TempDir, screening_app::Workspace, screening_store::Store) {
    let token = db
        .add_user(&NewUser { name: user.into(), role: Role::Reviewer, expires_in: None })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ws, store) = crate::workspace(dir.path(), user).await;
    ws.sync
        .configure(SyncSettingsRequest { server_url: format!("http://{addr}"), token })
        .await
        .unwrap();
    (dir, ws, store)
}

/// The item ids of every list of `persona`'s board, by list id.
async fn lists(
    ws: &screening_app::Workspace,
    session: &str,
    persona: &str,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let board = ws.reviews.board(session, persona).await.unwrap();
    board
        .columns
        .iter()
        .map(|c| (c.snapshot_id.clone(), c.items.iter().map(|i| i.item.id.clone()).collect()))
        .collect()
}

/// Ana publishes a session (with a persona of her own); Ben, on another device, sees it among
/// the team's sessions, joins it and judges the very same lists; the team report counts both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_joins_a_session_published_on_another_device() {
    let server_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let (addr, _stop, db) = serve(&url, None).await;
    let (_a, ana, ana_store) = device(addr, &db, "ana").await;
    let (_b, ben, ben_store) = device(addr, &db, "ben").await;

    // A persona only Ana has: Ben's device gets it, history included.
    let mut own = ana_store.persona("reality-fan").await.unwrap().persona;
    own.id = "anas-doc-fan".into();
    own.name = "Ana's documentary fan".into();
    own.history.truncate(7);
    ana_store.save_persona(&own, "demo").await.unwrap();
    let session = ana
        .reviews
        .create_session(NewSessionRequest {
            name: "Shared".into(),
            persona_ids: vec!["reality-fan".into(), "anas-doc-fan".into()],
            candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
            k: 5,
            blind: true,
            criteria: vec!["overall".into(), "relevance".into()],
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: Some("builtin-ease".into()),
        })
        .await
        .unwrap();
    let id = session.summary.id.clone();
    ana.reviews.freeze(&id, |_| {}).await.unwrap();
    ana.sync.publish(&id).await.unwrap();

    let team = ben.sync.team_sessions().await.unwrap();
    assert_eq!(team.len(), 1);
    assert_eq!((team[0].listing.id.as_str(), team[0].listing.owner.as_str()), (id.as_str(), "ana"));
    assert!(!team[0].on_device);
    assert!(ana.sync.team_sessions().await.unwrap()[0].on_device, "Ana published it from here");

    let joined = ben.sync.join(&id).await.unwrap();
    assert_eq!((joined.lists, joined.personas_added, joined.already_here), (4, 1, false));
    assert!(ben.sync.team_sessions().await.unwrap()[0].on_device);
    let again = ben.sync.join(&id).await.unwrap();
    assert!(again.already_here, "joining twice changes nothing");

    let here = ben.reviews.session(&id).await.unwrap();
    assert_eq!(here.summary.published_by.as_deref(), Some("ana"));
    assert!(here.summary.published_at.is_some() && here.summary.frozen_at.is_some());
    assert_eq!(here.criteria, ["overall", "relevance"]);
    let names: Vec<&str> = here.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Popularity", "EASE"]);
    let copy = ben_store.persona("anas-doc-fan").await.unwrap().persona;
    assert_eq!((copy.name.as_str(), &copy.history), (own.name.as_str(), &own.history));
    for persona in ["reality-fan", "anas-doc-fan"] {
        assert_eq!(
            lists(&ben, &id, persona).await,
            lists(&ana, &id, persona).await,
            "Ben judges the lists Ana froze, under the same ids"
        );
    }
    // The team's candidates are names only: not offered in new sessions or the Candidates screen.
    assert!(ben.reviews.candidates().await.unwrap().iter().all(|c| c.kind != "team"));
    assert_eq!(
        ben.candidates.list(true).await.unwrap().len(),
        ana.candidates.list(true).await.unwrap().len()
    );

    // Both judge; both devices' judgements meet in the team report.
    for ws in [&ana, &ben] {
        for persona in ["reality-fan", "anas-doc-fan"] {
            let board = ws.reviews.board(&id, persona).await.unwrap();
            let ranking: Vec<String> =
                board.columns.iter().map(|c| c.snapshot_id.clone()).collect();
            ws.reviews
                .record(RecordRequest {
                    session_id: id.clone(),
                    persona_id: persona.into(),
                    judgement: JudgementInput::Rating {
                        snapshot_id: ranking[0].clone(),
                        criterion: "overall".into(),
                        score: 4,
                    },
                })
                .await
                .unwrap();
            ws.reviews
                .record(RecordRequest {
                    session_id: id.clone(),
                    persona_id: persona.into(),
                    judgement: JudgementInput::Preference {
                        preference: Preference { ranking, tie: false, all_bad: false },
                    },
                })
                .await
                .unwrap();
        }
        let status = ws.sync.sync_now().await.unwrap();
        assert_eq!((status.state, status.pending), (SyncState::Synced, 0));
    }
    let report = ana.sync.team_report(&id).await.unwrap();
    assert_eq!((report.report.reviewers, report.report.judgements), (2, 8));
    assert!(report.fetched_at > 0);
    assert_eq!(ben.sync.team_report(&id).await.unwrap().digest, report.digest);
}

/// Joining is refused, with what to do and nothing stored, when this device's persona of the
/// same id has another history, or when the session's dataset is not on this device.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_needs_the_same_personas_and_dataset() {
    let server_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let (addr, _stop, db) = serve(&url, None).await;
    let (_a, ana, _) = device(addr, &db, "ana").await;
    let (_c, cleo, cleo_store) = device(addr, &db, "cleo").await;
    let session = ana
        .reviews
        .create_session(NewSessionRequest {
            name: "Shared".into(),
            persona_ids: vec!["reality-fan".into()],
            candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
            k: 3,
            blind: false,
            criteria: vec![],
            incumbent_candidate_id: None,
            challenger_candidate_id: None,
        })
        .await
        .unwrap();
    let id = session.summary.id;
    ana.reviews.freeze(&id, |_| {}).await.unwrap();
    ana.sync.publish(&id).await.unwrap();

    let mut edited = cleo_store.persona("reality-fan").await.unwrap().persona;
    edited.history.pop();
    cleo_store.save_persona(&edited, "demo").await.unwrap();
    let before = cleo_store.candidates().await.unwrap().len();
    let e = cleo.sync.join(&id).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("history differs"), "{}", e.message);
    assert!(cleo.reviews.sessions().await.unwrap().is_empty(), "nothing stored");
    assert_eq!(cleo_store.candidates().await.unwrap().len(), before);

    // A session on a dataset this device does not have.
    let client = screening_sync::Client::new(
        &format!("http://{addr}"),
        &db.add_user(&NewUser { name: "dan".into(), role: Role::Reviewer, expires_in: None })
            .await
            .unwrap(),
    );
    let mut other = client.session(&id).await.unwrap().session;
    other.id = "elsewhere".into();
    other.name = "On imported data".into();
    for s in &mut other.snapshots {
        s.id = format!("elsewhere-{}", s.id);
    }
    other.catalog = Some(screening_sync::PublishedCatalog {
        id: "0193".into(),
        name: "ml-latest-small".into(),
        digest: "not-on-this-device".into(),
    });
    client.publish(&other).await.unwrap();
    let e = ana.sync.join("elsewhere").await.unwrap_err();
    assert!(
        e.message.contains("\"ml-latest-small\", which is not on this device"),
        "{}",
        e.message
    );
    assert_eq!(ana.reviews.sessions().await.unwrap().len(), 1);
    assert_eq!(cleo.sync.join("nope").await.unwrap_err().code, ErrorCode::NotFound);
}

/// With a keychain in the session (a real Secret Service: GNOME Keyring in a private D-Bus
/// session), the token goes there and no file is left behind; the app finds it again after a
/// restart, and another data directory has its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service: scripts/test-keychain.sh runs it (make test-rust)"]
async fn the_token_is_kept_in_the_os_keychain_when_there_is_one() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run inside scripts/test-keychain.sh"
    );
    let server_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let (addr, _stop, db) = serve(&url, None).await;
    let token = db
        .add_user(&NewUser { name: "ana".into(), role: Role::Reviewer, expires_in: None })
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A token file from an app that had no keychain: replaced, not left behind.
    std::fs::write(dir.path().join("sync-token"), "old").unwrap();
    let (ws, store) = crate::workspace(dir.path(), "ana").await;
    let request = SyncSettingsRequest { server_url: format!("http://{addr}"), token };
    assert_eq!(ws.sync.configure(request).await.unwrap().state, SyncState::Synced);
    let settings = ws.sync.settings().await.unwrap();
    assert_eq!((settings.has_token, settings.token_place), (true, Some(TokenPlace::Keychain)));
    assert!(!dir.path().join("sync-token").exists(), "no copy of the token in a file");

    drop(ws);
    store.close().await;
    let (ws, _store) = crate::workspace(dir.path(), "ana").await;
    assert_eq!(ws.sync.settings().await.unwrap().token_place, Some(TokenPlace::Keychain));
    assert_eq!(ws.sync.sync_now().await.unwrap().state, SyncState::Synced, "the token works");

    let other = tempfile::tempdir().unwrap();
    let (elsewhere, _) = crate::workspace(other.path(), "ben").await;
    assert!(!elsewhere.sync.settings().await.unwrap().has_token, "each data directory its own");
}

/// A load check run on a published session goes to the server with the next sync and becomes a
/// row of the team report's gate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_check_of_a_published_session_reaches_the_team_gate() {
    let server_dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", server_dir.path().join("server.db").display());
    let (addr, _stop, db) = serve(&url, None).await;
    let (_d, ws, store) = device(addr, &db, "pat").await;
    let endpoint = format!("{}/recommend/item-knn", crate::reference_server().await);
    let http = ws
        .candidates
        .save(
            None,
            screening_app::CandidateConfig::Http {
                name: "kNN endpoint".into(),
                url: endpoint,
                timeout_ms: 5_000,
                headers: Default::default(),
            },
        )
        .await
        .unwrap();
    let session = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "Release".into(),
            persona_ids: vec!["reality-fan".into()],
            candidate_ids: vec!["builtin-popularity".into(), http.id.clone()],
            k: 5,
            blind: false,
            criteria: vec!["overall".into()],
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: Some(http.id.clone()),
        })
        .await
        .unwrap();
    let id = session.summary.id;
    ws.reviews.freeze(&id, |_| {}).await.unwrap();
    ws.sync.publish(&id).await.unwrap();
    let request = screening_app::LoadCheckRequest {
        session_id: id.clone(),
        candidate_id: http.id.clone(),
        rate: 10.0,
        duration_s: 1.0,
        ramp_s: 0.0,
        concurrency: 4,
        max_p99_ms: 60_000.0,
        confirm_cost: false,
    };
    let check = ws.reviews.run_load_check(request, |_| {}).await.unwrap();
    assert!(
        ws.sync.team_report(&id).await.unwrap().report.gate.checks.iter().all(|c| c.name != "load")
    );
    assert_eq!(ws.sync.sync_now().await.unwrap().state, SyncState::Synced);
    let team = ws.sync.team_report(&id).await.unwrap();
    let row = team.report.gate.checks.iter().find(|c| c.name == "load").expect("the load row");
    assert_eq!((row.passed, row.value), (check.passed, Some(check.result.latency_ms.p99)));
    assert!(store.unshared_load_checks().await.unwrap().is_empty(), "marked shared");
    ws.sync.sync_now().await.unwrap();
}
