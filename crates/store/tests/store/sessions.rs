//! Sessions, candidates and frozen snapshots.

use screening_store::setup::NewSession;
use screening_store::{NewSnapshot, Store, StoreError};
use serde_json::json;

use super::seeded;

fn snapshot(candidate: &str, persona: &str, error: Option<&str>) -> NewSnapshot {
    NewSnapshot {
        candidate_id: candidate.into(),
        persona_id: persona.into(),
        request: json!({ "k": 10 }),
        raw_response: None,
        items: json!([{ "item_id": "i2", "score": 0.5, "reason": null }]),
        latency_ms: Some(1.5),
        error: error.map(str::to_owned),
        warnings: if error.is_some() {
            vec![]
        } else {
            vec!["1 item id(s) not in the catalog".into()]
        },
    }
}

#[tokio::test]
async fn a_session_reads_back_and_freezes_once_with_all_its_lists() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let id = seeded(&store).await;
    let s = store.session(&id).await.unwrap();
    assert_eq!(s.persona_ids, ["fan", "new"]);
    assert_eq!(s.candidate_ids, ["popularity", "item-knn", "ease"]);
    assert_eq!((s.k, s.blind, s.frozen_at), (10, true, None));
    assert_eq!(s.criteria, ["relevance", "overall"]);
    assert_eq!(store.sessions().await.unwrap(), vec![s.clone()]);
    assert_eq!(store.candidates().await.unwrap().len(), 3);
    store.archive_candidate("ease", true).await.unwrap();
    let candidates = store.candidates().await.unwrap();
    let archived: Vec<&str> =
        candidates.iter().filter(|c| c.archived_at.is_some()).map(|c| c.id.as_str()).collect();
    assert_eq!(archived, ["ease"]);
    store.archive_candidate("ease", false).await.unwrap();
    assert!(store.candidates().await.unwrap().iter().all(|c| c.archived_at.is_none()));
    assert!(matches!(store.archive_candidate("nope", true).await, Err(StoreError::NotFound(_))));

    let lists: Vec<NewSnapshot> = ["ease", "popularity", "item-knn"]
        .iter()
        .flat_map(|c| ["fan", "new"].map(|p| snapshot(c, p, (*c == "ease").then_some("timed out"))))
        .collect();
    store.freeze(&id, &lists).await.unwrap();
    assert!(store.session(&id).await.unwrap().frozen_at.is_some());
    let fan = store.snapshots(&id, Some("fan")).await.unwrap();
    let order: Vec<&str> = fan.iter().map(|s| s.snapshot.candidate_id.as_str()).collect();
    assert_eq!(order, ["popularity", "item-knn", "ease"], "session order, not insertion order");
    assert_eq!(fan[2].snapshot.error.as_deref(), Some("timed out"));
    assert_eq!(fan[0].snapshot, lists[2], "every field reads back, warnings included");
    assert!(fan[2].snapshot.warnings.is_empty());

    let e = store.freeze(&id, &lists).await.unwrap_err();
    assert!(e.to_string().contains("already frozen"), "{e}");
    assert_eq!(store.snapshots(&id, Some("fan")).await.unwrap().len(), 3, "nothing added");
}

#[tokio::test]
async fn bad_sessions_are_refused_with_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    seeded(&store).await;
    let base = NewSession {
        name: "x".into(),
        catalog_id: "demo".into(),
        persona_ids: vec!["fan".into()],
        candidate_ids: vec!["popularity".into(), "ease".into()],
        k: 10,
        blind: true,
        criteria: vec!["overall".into()],
        incumbent_candidate_id: None,
        challenger_candidate_id: None,
    };
    let one = NewSession { candidate_ids: vec!["ease".into()], ..base.clone() };
    assert!(
        store.create_session(&one).await.unwrap_err().to_string().contains("2 to 4 candidates")
    );
    let ghost = NewSession { persona_ids: vec!["ghost".into()], ..base.clone() };
    let e = store.create_session(&ghost).await.unwrap_err();
    assert!(matches!(&e, StoreError::NotFound(m) if m == "unknown persona \"ghost\""), "{e:?}");
    assert_eq!(store.sessions().await.unwrap().len(), 1, "the failed session left nothing behind");
    let e = store.freeze("nope", &[]).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)));
}

#[tokio::test]
async fn gate_thresholds_are_kept_per_session_and_the_file_reads_beside_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let id = seeded(&store).await;
    assert_eq!(store.session(&id).await.unwrap().gate, None);
    let gate = json!({ "min_reviewers": 5 });
    store.set_gate(&id, Some(&gate)).await.unwrap();
    assert_eq!(store.session(&id).await.unwrap().gate, Some(gate));
    store.set_gate(&id, None).await.unwrap();
    assert_eq!(store.session(&id).await.unwrap().gate, None);
    assert!(matches!(store.set_gate("nope", None).await, Err(StoreError::NotFound(_))));

    let lists: Vec<NewSnapshot> = ["popularity", "item-knn", "ease"]
        .iter()
        .flat_map(|c| ["fan", "new"].map(|p| snapshot(c, p, None)))
        .collect();
    store.freeze(&id, &lists).await.unwrap();
    let all = store.snapshots(&id, None).await.unwrap();
    let order: Vec<(&str, &str)> = all
        .iter()
        .map(|s| (s.snapshot.persona_id.as_str(), s.snapshot.candidate_id.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("fan", "popularity"),
            ("fan", "item-knn"),
            ("fan", "ease"),
            ("new", "popularity"),
            ("new", "item-knn"),
            ("new", "ease")
        ],
        "personas, then candidates, in session order"
    );

    // A second full open is refused while this one holds the lock; reading is not.
    assert!(matches!(Store::open(dir.path()).await, Err(StoreError::InUse { .. })));
    let reader = Store::open_for_reading(&dir.path().join("screening.db")).await.unwrap();
    assert_eq!(reader.session(&id).await.unwrap().name, "Release v3 vs v2");
    let by_dir = Store::open_for_reading(dir.path()).await.unwrap();
    assert_eq!(by_dir.snapshots(&id, Some("fan")).await.unwrap().len(), 3);
    let missing = Store::open_for_reading(&dir.path().join("other.db")).await.unwrap_err();
    assert!(missing.to_string().contains("other.db"), "{missing}");
    assert!(!dir.path().join("other.db").exists(), "nothing created");
}

/// A database made before team sessions (candidates' kinds fixed by a CHECK) goes through the
/// migration that rebuilds the candidates table — every row, archived or not, and every
/// reference to it survive; foreign keys are on and hold afterwards — and the one that orders
/// the outbox by device sequence (its waiting rows get their numbers).
#[tokio::test]
async fn an_older_database_keeps_its_rows_through_the_later_migrations() {
    use std::borrow::Cow;
    use std::str::FromStr;

    let dir = tempfile::tempdir().unwrap();
    let options = sqlx::sqlite::SqliteConnectOptions::from_str("sqlite:")
        .unwrap()
        .filename(dir.path().join(screening_store::DB_FILE))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let mut older = sqlx::migrate!("../../migrations");
    older.migrations =
        Cow::Owned(older.iter().filter(|m| m.version < 20261202000000).cloned().collect());
    older.run(&pool).await.unwrap();
    for sql in [
        "INSERT INTO catalogs VALUES ('demo', 'Demo', 'demo', NULL, 'd', 1, 0, 0, 1)",
        "INSERT INTO personas (id, name, catalog_id, created_at, updated_at) VALUES ('fan', 'Fan', 'demo', 1, 1)",
        "INSERT INTO candidates VALUES ('a', 'A', 'builtin', '{\"model\":\"popularity\"}', 1, NULL)",
        "INSERT INTO candidates VALUES ('b', 'B', 'http', '{\"url\":\"http://x\"}', 2, 99)",
        "INSERT INTO review_sessions (id, name, catalog_id, k, criteria, incumbent_candidate_id, created_at, frozen_at)
             VALUES ('s', 'S', 'demo', 3, '[\"overall\"]', 'a', 1, 2)",
        "INSERT INTO session_personas VALUES ('s', 'fan', 0)",
        "INSERT INTO session_candidates VALUES ('s', 'a', 0), ('s', 'b', 1)",
        "INSERT INTO snapshots (id, session_id, candidate_id, persona_id, created_at, request)
             VALUES ('l1', 's', 'b', 'fan', 2, '{}')",
        // Two judgements waiting, the later one made while the clock stood earlier.
        "INSERT INTO judgements (op_id, device_id, device_seq, reviewer, session_id, persona_id, kind, payload, created_at)
             VALUES ('first', 'd', 1, 'ana', 's', 'fan', 'comment', '{}', 500),
                    ('second', 'd', 2, 'ana', 's', 'fan', 'comment', '{}', 100)",
        "INSERT INTO outbox (op_id, enqueued_at) VALUES ('first', 500), ('second', 100)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let store = Store::open(dir.path()).await.unwrap();
    let candidates = store.candidates().await.unwrap();
    let rows: Vec<(&str, &str, Option<i64>)> =
        candidates.iter().map(|c| (c.id.as_str(), c.kind.as_str(), c.archived_at)).collect();
    assert_eq!(rows, [("a", "builtin", None), ("b", "http", Some(99))]);
    assert_eq!(candidates[1].config["url"], "http://x");
    let session = store.session("s").await.unwrap();
    assert_eq!((session.candidate_ids.len(), session.published_by), (2, None));
    assert_eq!(store.snapshots("s", None).await.unwrap()[0].snapshot.candidate_id, "b");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    // The outbox drains in the order judgements were made, whatever the clock said.
    assert_eq!(store.outbox_pending().await.unwrap(), ["first", "second"]);
    // The references to the rebuilt table are enforced again.
    let refused = store
        .create_session(&NewSession {
            name: "x".into(),
            catalog_id: "demo".into(),
            persona_ids: vec!["fan".into()],
            candidate_ids: vec!["a".into(), "gone".into()],
            k: 3,
            blind: false,
            criteria: vec!["overall".into()],
            incumbent_candidate_id: None,
            challenger_candidate_id: None,
        })
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("unknown candidate \"gone\""), "{refused}");
}
