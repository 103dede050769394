//! Everything the desktop works on in one data directory: the local database, the datasets,
//! the personas, the candidates and the review desk, opened together.

use std::path::Path;
use std::sync::Arc;

use screening_store::Store;

use crate::{AppError, Candidates, Catalogs, Library, ModelCache, Personas, Reviews, Syncer};

/// The use cases over one data directory.
pub struct Workspace {
    pub catalogs: Arc<Catalogs>,
    pub personas: Personas,
    pub candidates: Candidates,
    pub reviews: Reviews,
    pub sync: Syncer,
}

impl Workspace {
    /// Opens (or creates) the workspace in `dir`: `screening.db`, imported datasets under
    /// `catalogs/`, trained models under `models/`. `demo` is the embedded demo catalog; its
    /// sample personas are added the first time. Another app holding `dir` gives an
    /// `unavailable` error saying so.
    pub async fn open(dir: &Path, demo: Arc<Library>, reviewer: String) -> Result<Self, AppError> {
        let store = Store::open(dir).await?;
        let cache = ModelCache::new(Some(dir.join("models")));
        Workspace::on(store, dir, demo, cache, reviewer).await
    }

    /// The workspace over an open `store` of `dir`, with trained models kept in `cache`.
    pub async fn on(
        store: Store,
        dir: &Path,
        demo: Arc<Library>,
        cache: ModelCache,
        reviewer: String,
    ) -> Result<Self, AppError> {
        let catalogs = Arc::new(Catalogs::open(store.clone(), dir, demo).await?);
        let personas = Personas::open(store.clone(), Arc::clone(&catalogs)).await?;
        let candidates = Candidates::new(store.clone());
        let sync = Syncer::new(store.clone(), dir, Arc::clone(&catalogs))?;
        let reviews = Reviews::open(store, Arc::clone(&catalogs), cache, reviewer).await?;
        Ok(Workspace { catalogs, personas, candidates, reviews, sync })
    }
}
