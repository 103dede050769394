use screening_core::{HistoryEntry, Persona};
use screening_store::{Store, StoreError};

use crate::seeded;

fn persona(id: &str, name: &str, items: &[&str]) -> Persona {
    Persona {
        id: id.into(),
        name: name.into(),
        description: format!("about {name}"),
        tags: vec!["drama".into(), "weekend".into()],
        history: items
            .iter()
            .enumerate()
            .map(|(i, item)| HistoryEntry {
                item_id: (*item).into(),
                timestamp: 1_700_000_000 + i as i64,
                event_type: "watch".into(),
            })
            .collect(),
        external_user_ids: [("personalize".to_owned(), "u42".to_owned())].into(),
    }
}

#[tokio::test]
async fn personas_read_back_whole_with_the_sessions_that_use_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    seeded(&store).await;
    let mine = persona("drama", "drama lover", &["i3", "i1", "i2"]);
    store.save_persona(&mine, "demo").await.unwrap();

    let all = store.personas(Some("demo")).await.unwrap();
    let names: Vec<&str> = all.iter().map(|p| p.persona.name.as_str()).collect();
    assert_eq!(names, ["drama lover", "FAN", "NEW"], "by name, ignoring case");
    let read = store.persona("drama").await.unwrap();
    assert_eq!(read.persona, mine, "history order, tags and external ids survive");
    assert!(read.sessions.is_empty());
    assert_eq!(store.persona("fan").await.unwrap().sessions, ["Release v3 vs v2"]);
    assert!(store.personas(Some("other")).await.unwrap().is_empty());

    // Saving again replaces the history rather than appending to it.
    let shorter = persona("drama", "drama lover", &["i2"]);
    store.save_persona(&shorter, "demo").await.unwrap();
    assert_eq!(store.persona("drama").await.unwrap().persona.history, shorter.history);
}

#[tokio::test]
async fn a_persona_in_a_session_cannot_be_deleted_and_others_go_with_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    seeded(&store).await;
    store.save_persona(&persona("drama", "Drama", &["i1", "i2"]), "demo").await.unwrap();

    let err = store.delete_persona("fan").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("\"fan\" is part of a review session"), "{err}");
    assert!(store.persona("fan").await.is_ok(), "still there");

    store.delete_persona("drama").await.unwrap();
    assert!(matches!(store.persona("drama").await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.delete_persona("drama").await, Err(StoreError::NotFound(_))));
    // Saved again under the same id, it starts from an empty history, not the old rows.
    store.save_persona(&persona("drama", "Drama", &[]), "demo").await.unwrap();
    assert!(store.persona("drama").await.unwrap().persona.history.is_empty());
}

#[tokio::test]
async fn catalogs_and_settings_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    seeded(&store).await;
    let demo = store.catalog("demo").await.unwrap();
    assert_eq!((demo.record.name.as_str(), demo.record.items), ("Demo", 3));
    assert!(demo.imported_at > 0);
    // Saving it again (the app does at every start) keeps its first import time.
    std::thread::sleep(std::time::Duration::from_millis(5));
    store.save_catalog(&demo.record).await.unwrap();
    assert_eq!(store.catalog("demo").await.unwrap().imported_at, demo.imported_at);
    assert!(matches!(store.catalog("nope").await, Err(StoreError::NotFound(_))));

    assert_eq!(store.meta("active_catalog").await.unwrap(), None);
    store.set_meta("active_catalog", "demo").await.unwrap();
    store.set_meta("active_catalog", "ml").await.unwrap();
    assert_eq!(store.meta("active_catalog").await.unwrap().as_deref(), Some("ml"));
}
