//! Importing datasets, switching the active one, and a session on an imported dataset.

use std::sync::{Arc, Mutex};

use screening_app::{
    CatalogQuery, ErrorCode, FromUserRequest, ImportProgress, ImportRequest, ImportStage,
    NewSessionRequest,
};

use crate::{catalog_fixture, workspace};

fn request(path: &std::path::Path) -> ImportRequest {
    ImportRequest {
        path: path.display().to_string(),
        format: None,
        name: Some("MovieLens sample".into()),
        strict: false,
        activate: true,
    }
}

/// The folders under `<dir>/catalogs`.
fn copies(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("catalogs")) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_import_reports_progress_becomes_active_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, store) = workspace(dir.path(), "ana").await;
    let seen: Arc<Mutex<Vec<ImportProgress>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let report = ws
        .catalogs
        .import(request(&catalog_fixture("ml-small")), move |p| sink.lock().unwrap().push(p))
        .await
        .unwrap();
    let d = &report.dataset;
    assert_eq!((d.items, d.users, d.interactions), (5, 3, 6));
    assert_eq!(
        (d.name.as_str(), d.format.as_str(), d.active),
        ("MovieLens sample", "movielens", true)
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let seen = seen.lock().unwrap().clone();
    let files: Vec<&str> = seen
        .iter()
        .filter(|p| p.stage == ImportStage::Reading && p.done == 0)
        .filter_map(|p| p.file.as_deref())
        .collect();
    assert_eq!(files, ["movies.csv", "ratings.csv", "tags.csv", "links.csv"]);
    let copied = seen.iter().rfind(|p| p.stage == ImportStage::Copying).unwrap();
    assert!(copied.total > 0 && copied.done == copied.total, "{copied:?}");
    assert_eq!(seen.last().unwrap().stage, ImportStage::Saving);
    let stages: Vec<ImportStage> = seen.iter().map(|p| p.stage).collect();
    assert!(stages.is_sorted_by_key(|s| *s as u8), "reading, then copying, then saving");

    assert_eq!(ws.catalogs.active().await.unwrap().info().items, 5);
    let listed = ws.catalogs.list().await.unwrap();
    let names: Vec<(&str, bool)> = listed.iter().map(|d| (d.name.as_str(), d.active)).collect();
    assert_eq!(names, [("Demo catalog", false), ("MovieLens sample", true)]);
    assert_eq!(
        copies(dir.path()),
        std::slice::from_ref(&d.id),
        "one complete copy, nothing partial"
    );
    assert!(ws.personas.list().await.unwrap().is_empty(), "the demo's personas stay with it");

    // A restart loads the dataset from its copy, still active.
    drop(ws);
    store.close().await;
    let (ws, _store) = workspace(dir.path(), "ana").await;
    assert_eq!(ws.catalogs.active_id().await.unwrap(), d.id);
    let lib = ws.catalogs.active().await.unwrap();
    let query = CatalogQuery { text: "toy".into(), content_type: None, offset: 0, limit: 10 };
    assert_eq!(lib.search(&query).unwrap().items[0].title, "Toy Story");
    ws.catalogs.set_active("demo").await.unwrap();
    assert_eq!(ws.catalogs.active().await.unwrap().info().items, 1825);
    assert_eq!(ws.personas.list().await.unwrap().len(), 6);
}

#[tokio::test]
async fn a_bad_dataset_names_file_and_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = workspace(dir.path(), "ana").await;
    let bad = catalog_fixture("bad/bad_rating");
    let e = ws.catalogs.import(request(&bad), |_| {}).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("bad_rating/ratings.csv:3: column `rating`"), "{}", e.message);
    assert_eq!(ws.catalogs.list().await.unwrap().len(), 1, "only the demo");
    assert_eq!(ws.catalogs.active_id().await.unwrap(), "demo");
    assert!(copies(dir.path()).is_empty(), "no copy left behind: {:?}", copies(dir.path()));

    let cases = [
        (ImportRequest { path: "  ".into(), ..request(&bad) }, "choose a dataset folder"),
        (request(&dir.path().join("nowhere")), "there is no file or folder at"),
        (
            ImportRequest { format: Some("demo".into()), ..request(&catalog_fixture("ml-small")) },
            "the demo catalog is built in",
        ),
        (
            ImportRequest { format: Some("csv".into()), ..request(&catalog_fixture("ml-small")) },
            "unknown dataset format \"csv\"",
        ),
    ];
    for (req, expected) in cases {
        let e = ws.catalogs.import(req, |_| {}).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(expected), "{expected:?} in {:?}", e.message);
    }

    // The same files twice are refused, and the refused copy is cleaned up.
    let first = ws.catalogs.import(request(&catalog_fixture("ml-100k")), |_| {}).await.unwrap();
    let e = ws.catalogs.import(request(&catalog_fixture("ml-100k")), |_| {}).await.unwrap_err();
    assert!(e.message.contains("already imported as the dataset \"MovieLens sample\""), "{e:?}");
    assert_eq!(copies(dir.path()), [first.dataset.id]);
    assert_eq!(ws.catalogs.set_active("nope").await.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_session_on_an_imported_dataset_lists_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = workspace(dir.path(), "ana").await;
    ws.catalogs.import(request(&catalog_fixture("ml-small")), |_| {}).await.unwrap();
    let fan = ws
        .personas
        .from_user(FromUserRequest { user_id: "1".into(), name: Some("Toy fan".into()) })
        .await
        .unwrap();
    let session = NewSessionRequest {
        name: "MovieLens check".into(),
        persona_ids: vec![fan.persona.id.clone()],
        candidate_ids: vec!["builtin-popularity".into(), "builtin-item-knn".into()],
        k: 3,
        blind: false,
        criteria: vec!["overall".into()],
        incumbent_candidate_id: None,
        challenger_candidate_id: None,
    };
    let detail = ws.reviews.create_session(session.clone()).await.unwrap();
    assert_eq!(detail.summary.dataset, "MovieLens sample");
    ws.reviews.freeze(&detail.summary.id, |_| {}).await.unwrap();
    let board = ws.reviews.board(&detail.summary.id, &fan.persona.id).await.unwrap();
    let titles: Vec<&str> = board.columns[0].items.iter().map(|b| b.item.title.as_str()).collect();
    assert_eq!(titles.len(), 3);
    for t in &titles {
        assert!(
            ["Misérables, Les", "Cosmos", "From Dusk Till Dawn 2: Texas Blood Money"].contains(t),
            "{t}"
        );
    }

    // A demo persona cannot join a session on another dataset.
    let e = ws
        .reviews
        .create_session(NewSessionRequest { persona_ids: vec!["reality-fan".into()], ..session })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("belongs to another dataset"), "{}", e.message);
}
