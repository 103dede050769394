//! screening-store on real SQLite files in temporary directories.

mod crash;
mod judgements;
mod library;
mod sessions;

use screening_core::{HistoryEntry, Persona};
use screening_store::Store;
use screening_store::setup::{CandidateRecord, CatalogRecord, NewSession};

/// A store with the demo catalog, two personas, three candidates and one session; returns the
/// session id.
pub async fn seeded(store: &Store) -> String {
    store
        .save_catalog(&CatalogRecord {
            id: "demo".into(),
            name: "Demo".into(),
            format: "demo".into(),
            source_path: None,
            digest: "d".into(),
            items: 3,
            users: 0,
            interactions: 0,
        })
        .await
        .unwrap();
    for id in ["fan", "new"] {
        let persona = Persona {
            id: id.into(),
            name: id.to_uppercase(),
            description: String::new(),
            tags: vec!["t".into()],
            history: vec![HistoryEntry {
                item_id: "i1".into(),
                timestamp: 1,
                event_type: "watch".into(),
            }],
            external_user_ids: Default::default(),
        };
        store.save_persona(&persona, "demo").await.unwrap();
    }
    for id in ["popularity", "item-knn", "ease"] {
        let c = CandidateRecord {
            id: id.into(),
            name: id.into(),
            kind: "builtin".into(),
            config: serde_json::json!({ "spec": id }),
            archived_at: None,
        };
        store.save_candidate(&c).await.unwrap();
    }
    store
        .create_session(&NewSession {
            name: "Release v3 vs v2".into(),
            catalog_id: "demo".into(),
            persona_ids: vec!["fan".into(), "new".into()],
            candidate_ids: vec!["popularity".into(), "item-knn".into(), "ease".into()],
            k: 10,
            blind: true,
            criteria: vec!["relevance".into(), "overall".into()],
            incumbent_candidate_id: Some("popularity".into()),
            challenger_candidate_id: None,
        })
        .await
        .unwrap()
}
