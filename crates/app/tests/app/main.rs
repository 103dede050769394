//! screening-app use cases on a real store in a temporary directory: datasets (import,
//! switching), personas (editing, sharing as JSON), the review loop.

mod candidates;
mod datasets;
mod load;
mod personas;
mod report;
mod review;
mod sync;
mod sync_property;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use screening_app::{Library, ModelCache, Workspace};
use screening_store::Store;

/// The demo catalog, generated once for all tests.
pub fn demo() -> Arc<Library> {
    static LIB: OnceLock<Arc<Library>> = OnceLock::new();
    Arc::clone(LIB.get_or_init(|| Arc::new(Library::demo())))
}

/// A workspace on a real store in `dir` (no model cache on disk), and the store itself.
pub async fn workspace(dir: &Path, reviewer: &str) -> (Workspace, Store) {
    let store = Store::open(dir).await.unwrap();
    let ws = Workspace::on(store.clone(), dir, demo(), ModelCache::new(None), reviewer.into())
        .await
        .unwrap();
    (ws, store)
}

/// A test fixture of the catalog crate (`crates/catalog/tests/fixtures/<relative>`).
pub fn catalog_fixture(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog/tests/fixtures").join(relative)
}

/// The reference model server (item-kNN on the demo) on a free local port; its base URL.
pub async fn reference_server() -> String {
    let demo = demo();
    let data = screening_recommenders::TrainData::from_dataset(demo.dataset());
    let input = screening_recommenders::TrainInput { catalog: &demo.dataset().items, data: &data };
    let spec = "item-knn".parse().unwrap();
    let knn = screening_recommenders::Model::train(&spec, &input, &screening_recommenders::Silent);
    let server = screening_sources::ModelServer::new(
        Arc::new(demo.dataset().clone()),
        [("item-knn".to_owned(), Arc::new(knn))].into(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(screening_sources::serve::serve(
        listener,
        Arc::new(server),
        std::future::pending(),
    ));
    format!("http://{addr}")
}
