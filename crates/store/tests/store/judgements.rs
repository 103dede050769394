//! Recording judgements: durable, numbered, immutable, with an outbox row each.

use screening_store::{JudgementKind, NewJudgement, Store, StoreError};
use serde_json::json;

use super::seeded;

pub fn rating(session: &str, score: u8) -> NewJudgement {
    NewJudgement {
        reviewer: "ed".into(),
        session_id: session.into(),
        persona_id: "fan".into(),
        snapshot_id: None,
        item_id: None,
        kind: JudgementKind::Rating,
        payload: json!({ "criterion": "relevance", "score": score }),
        supersedes: None,
    }
}

#[tokio::test]
async fn judgements_are_numbered_kept_across_reopen_and_queued_for_sync() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    let session = seeded(&store).await;
    let first = store.record(rating(&session, 3)).await.unwrap();
    let mut edit = rating(&session, 4);
    edit.supersedes = Some(first.op_id.clone());
    let second = store.record(edit).await.unwrap();
    assert_eq!((first.device_seq, second.device_seq), (1, 2));
    assert!(first.op_id < second.op_id, "UUIDv7 ids sort by time");
    let device = store.device_id().to_owned();
    store.close().await;

    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(store.device_id(), device, "the device id is made once");
    let all = store.judgements(&session).await.unwrap();
    assert_eq!(all, vec![first.clone(), second.clone()]);
    assert_eq!(all[1].judgement.supersedes.as_deref(), Some(first.op_id.as_str()));
    assert_eq!(store.outbox_pending().await.unwrap(), vec![first.op_id.clone(), second.op_id]);
    assert_eq!(store.judgements_by(&session, Some("ed"), Some("fan")).await.unwrap(), all);
    assert!(store.judgements_by(&session, Some("ed"), Some("new")).await.unwrap().is_empty());
    assert!(store.judgements_by(&session, Some("someone else"), None).await.unwrap().is_empty());
    assert_eq!(
        store.judgements_by(&session, Some("ed"), None).await.unwrap()[0].op_id,
        first.op_id
    );
}

#[tokio::test]
async fn judgements_cannot_be_changed_or_deleted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let session = seeded(&store).await;
    store.record(rating(&session, 2)).await.unwrap();
    let path = store.path().to_owned();
    store.close().await;
    // Straight SQL on the file, as any tool could: the triggers refuse.
    use sqlx::Connection;
    let mut conn =
        sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display())).await.unwrap();
    let e =
        sqlx::query("UPDATE judgements SET payload = '{}'").execute(&mut conn).await.unwrap_err();
    assert!(e.to_string().contains("judgements are immutable"), "{e}");
    let e = sqlx::query("DELETE FROM judgements").execute(&mut conn).await.unwrap_err();
    assert!(e.to_string().contains("never deleted"), "{e}");
}

#[tokio::test]
async fn bad_references_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let session = seeded(&store).await;
    let mut bad = rating(&session, 5);
    bad.persona_id = "nobody".into();
    let e = store.record(bad).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    let e = store.record(rating("no-such-session", 5)).await.unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
    assert!(store.judgements(&session).await.unwrap().is_empty());
    assert!(store.outbox_pending().await.unwrap().is_empty());
    // the failed attempts used no sequence numbers
    assert_eq!(store.record(rating(&session, 5)).await.unwrap().device_seq, 1);
}

#[tokio::test]
async fn a_second_instance_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let e = Store::open(dir.path()).await.unwrap_err();
    assert!(matches!(e, StoreError::InUse { .. }), "{e:?}");
    assert!(e.to_string().starts_with("another Screening Room window is using"), "{e}");
    drop(store);
    // once the first is gone, opening works again
    Store::open(dir.path()).await.unwrap();
}
