//! screening-app use cases on a real store in a temporary directory: datasets (import,
//! switching), personas (editing, sharing as JSON), the review loop.

mod datasets;
mod personas;
mod review;

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
