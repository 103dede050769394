//! The datasets the app knows — the embedded demo catalog and imported ones — which one is
//! active (the Library shows it; new sessions, their personas and the built-in models use it),
//! and importing a dataset with progress.
//!
//! An import reads the files once (all or nothing: a bad file changes nothing), then keeps a
//! copy of just the files it read under `<data dir>/catalogs/<id>/`, so the dataset still
//! loads when the original folder moves; a copy is loaded again on first use after a restart.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use screening_catalog::import::{self, FileProgress, Format, ImportOptions, OnProgress};
use screening_store::setup::CatalogRecord;
use screening_store::{Store, StoredCatalog};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, Library};

/// The catalog id of the embedded demo catalog.
pub const DEMO_CATALOG: &str = "demo";

/// The `meta` key naming the active catalog.
const ACTIVE_KEY: &str = "active_catalog";

/// A dataset as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DatasetInfo {
    /// `demo` or a UUIDv7.
    pub id: String,
    pub name: String,
    /// `demo`, `personalize` or `movielens`.
    pub format: String,
    /// Where it was imported from (none for the demo).
    pub source_path: Option<String>,
    pub items: u32,
    pub users: u32,
    pub interactions: u32,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub imported_at: i64,
    /// The Library shows it and new sessions train the built-in models on it.
    pub active: bool,
}

/// A dataset to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRequest {
    /// A dataset folder (or a Personalize interactions CSV).
    pub path: String,
    /// `personalize` or `movielens`; detected from the files when `None`.
    pub format: Option<String>,
    /// Shown in the app; the folder's name when `None` or blank.
    pub name: Option<String>,
    /// Refuse rows that name unknown items instead of dropping and counting them.
    pub strict: bool,
    /// Make it the active dataset once imported.
    pub activate: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub dataset: DatasetInfo,
    /// One line per kind of irregularity (rows dropped, columns ignored…), with counts.
    pub warnings: Vec<String>,
    pub seconds: f64,
}

/// Which step an import is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportStage {
    /// Reading and checking a file.
    Reading,
    /// Keeping a copy of the files read.
    Copying,
    /// Recording the dataset.
    Saving,
}

/// How far an import is: `done` of `total` bytes of the stage (of `file` when reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub file: Option<String>,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// The datasets of one data directory, each loaded once.
pub struct Catalogs {
    store: Store,
    /// `<data dir>/catalogs`.
    dir: PathBuf,
    loaded: Mutex<HashMap<String, Arc<Library>>>,
    /// One import at a time.
    importing: tokio::sync::Mutex<()>,
}

impl Catalogs {
    /// The datasets in `store`, with `demo` registered as the demo catalog.
    pub async fn open(
        store: Store,
        data_dir: &Path,
        demo: Arc<Library>,
    ) -> Result<Catalogs, AppError> {
        let info = demo.info();
        store
            .save_catalog(&CatalogRecord {
                id: DEMO_CATALOG.into(),
                name: "Demo catalog".into(),
                format: "demo".into(),
                source_path: None,
                digest: String::new(),
                items: info.items as i64,
                users: info.users as i64,
                interactions: info.interactions as i64,
            })
            .await?;
        let loaded = Mutex::new(HashMap::from([(DEMO_CATALOG.to_owned(), demo)]));
        Ok(Catalogs {
            store,
            dir: data_dir.join("catalogs"),
            loaded,
            importing: tokio::sync::Mutex::new(()),
        })
    }

    /// Every dataset, oldest first (the demo first).
    pub async fn list(&self) -> Result<Vec<DatasetInfo>, AppError> {
        let active = self.active_id().await?;
        Ok(self.store.catalogs().await?.iter().map(|c| info(c, &active)).collect())
    }

    /// The id of the active dataset: the one chosen last, or the demo.
    pub async fn active_id(&self) -> Result<String, AppError> {
        let chosen = self.store.meta(ACTIVE_KEY).await?;
        Ok(chosen.unwrap_or_else(|| DEMO_CATALOG.to_owned()))
    }

    /// The active dataset.
    pub async fn active(&self) -> Result<Arc<Library>, AppError> {
        self.library(&self.active_id().await?).await
    }

    /// The dataset `id`, loaded from its copy on first use.
    pub async fn library(&self, id: &str) -> Result<Arc<Library>, AppError> {
        if let Some(lib) = self.memo().get(id) {
            return Ok(Arc::clone(lib));
        }
        let stored = self.store.catalog(id).await?;
        let format: Format = stored.record.format.parse().map_err(AppError::internal)?;
        let dir = self.dir.join(id);
        let name = stored.record.name.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            import::load(&dir, format, &ImportOptions::default()).map_err(|e| {
                AppError::unavailable(format!(
                    "the dataset {name:?} cannot be read from its copy in {}: {e}. Import it again.",
                    dir.display()
                ))
            })
        })
        .await
        .map_err(|e| AppError::internal(format!("loading a dataset failed: {e}")))??;
        let lib = Arc::new(Library::new(loaded.dataset, Vec::new()));
        self.memo().insert(id.to_owned(), Arc::clone(&lib));
        Ok(lib)
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Library>>> {
        // A panic while holding this lock leaves the map whole: take it anyway.
        self.loaded.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Makes `id` the active dataset (loading it first, so a broken copy is refused).
    pub async fn set_active(&self, id: &str) -> Result<DatasetInfo, AppError> {
        self.library(id).await?;
        self.store.set_meta(ACTIVE_KEY, id).await?;
        Ok(info(&self.store.catalog(id).await?, id))
    }

    /// Imports the dataset at `req.path`, telling `progress` how far it is. A file that does
    /// not load is an `invalid_input` error naming the file, line and column, and changes
    /// nothing.
    pub async fn import(
        &self,
        req: ImportRequest,
        progress: impl Fn(ImportProgress) + Send + Sync + 'static,
    ) -> Result<ImportReport, AppError> {
        let _one_at_a_time = self.importing.lock().await;
        let start = Instant::now();
        let path = PathBuf::from(req.path.trim());
        if req.path.trim().is_empty() {
            return Err(AppError::invalid_input("choose a dataset folder or file to import"));
        }
        if !path.exists() {
            return Err(AppError::invalid_input(format!(
                "there is no file or folder at {}",
                path.display()
            )));
        }
        let format = match req.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => Format::detect(&path),
            Some(f) => f.parse().map_err(AppError::invalid_input)?,
        };
        if format == Format::Demo {
            return Err(AppError::invalid_input(
                "the demo catalog is built in; import a personalize or movielens dataset",
            ));
        }
        let progress: Arc<dyn Fn(ImportProgress) + Send + Sync> = Arc::new(progress);
        let id = uuid::Uuid::now_v7().to_string();
        let target = self.dir.join(&id);
        let (strict, source, report) = (req.strict, path.clone(), Arc::clone(&progress));
        let copy_to = target.clone();
        let (loaded, digest) = tokio::task::spawn_blocking(move || {
            let reading = Arc::clone(&report);
            let options = ImportOptions {
                strict,
                progress: false,
                on_progress: Some(OnProgress(Arc::new(move |p: &FileProgress| {
                    reading(ImportProgress {
                        stage: ImportStage::Reading,
                        file: Some(p.file.clone()),
                        done: p.read_bytes,
                        total: p.total_bytes,
                    });
                }))),
            };
            let loaded = import::load(&source, format, &options)
                .map_err(|e| AppError::invalid_input(e.to_string()))?;
            let digest = copy_files(&loaded.files, &copy_to, &|done, total| {
                report(ImportProgress { stage: ImportStage::Copying, file: None, done, total });
            })
            .map_err(|e| {
                AppError::internal(format!(
                    "cannot keep a copy of the dataset in {}: {e}",
                    copy_to.display()
                ))
            })?;
            Ok::<_, AppError>((loaded, digest))
        })
        .await
        .map_err(|e| AppError::internal(format!("importing failed: {e}")))??;
        progress(ImportProgress { stage: ImportStage::Saving, file: None, done: 0, total: 1 });
        let discard = |e: AppError| {
            let _ = std::fs::remove_dir_all(&target);
            e
        };
        let existing = self.store.catalogs().await.map_err(|e| discard(e.into()))?;
        if let Some(same) = existing.iter().find(|c| c.record.digest == digest) {
            return Err(discard(AppError::invalid_input(format!(
                "these files are already imported as the dataset {:?}",
                same.record.name
            ))));
        }
        let name = req
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| default_name(&path), str::to_owned);
        let warnings = loaded.warnings.iter().map(ToString::to_string).collect();
        let lib = Library::new(loaded.dataset, Vec::new());
        let counts = lib.info();
        let record = CatalogRecord {
            id: id.clone(),
            name,
            format: format.as_str().to_owned(),
            source_path: Some(path.display().to_string()),
            digest,
            items: counts.items as i64,
            users: counts.users as i64,
            interactions: counts.interactions as i64,
        };
        self.store.save_catalog(&record).await.map_err(|e| discard(e.into()))?;
        self.memo().insert(id.clone(), Arc::new(lib));
        if req.activate {
            self.store.set_meta(ACTIVE_KEY, &id).await?;
        }
        progress(ImportProgress { stage: ImportStage::Saving, file: None, done: 1, total: 1 });
        let active = self.active_id().await?;
        Ok(ImportReport {
            dataset: info(&self.store.catalog(&id).await?, &active),
            warnings,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// The name of a dataset at `path`: its folder's (or file's) name.
fn default_name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Copies `files` into the new folder `target` under their copy names, telling `progress` the
/// bytes copied of the total, and returns a digest of the names and contents. Written to a
/// `.partial` folder first and renamed, so `target` either holds every file or does not exist.
fn copy_files(
    files: &[import::SourceFile],
    target: &Path,
    progress: &dyn Fn(u64, u64),
) -> std::io::Result<String> {
    let partial = target.with_extension("partial");
    let result = (|| {
        if partial.exists() {
            std::fs::remove_dir_all(&partial)?;
        }
        std::fs::create_dir_all(&partial)?;
        let mut total = 0;
        for f in files {
            total += std::fs::metadata(&f.path)?.len();
        }
        let mut hasher = blake3::Hasher::new();
        let (mut done, mut reported) = (0u64, 0u64);
        progress(0, total);
        let mut buf = vec![0u8; 256 * 1024];
        for f in files {
            hasher.update(f.copy_name.as_bytes());
            hasher.update(&[0]);
            let mut src = std::fs::File::open(&f.path)?;
            let mut dst = std::fs::File::create(partial.join(f.copy_name))?;
            loop {
                let n = src.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                dst.write_all(&buf[..n])?;
                hasher.update(&buf[..n]);
                done += n as u64;
                if done - reported >= (total / 100).max(1) {
                    progress(done, total);
                    reported = done;
                }
            }
            dst.sync_all()?;
        }
        std::fs::rename(&partial, target)?;
        progress(total, total);
        Ok(hasher.finalize().to_hex().to_string())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result
}

/// The listing of a stored catalog.
fn info(c: &StoredCatalog, active: &str) -> DatasetInfo {
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    DatasetInfo {
        id: c.record.id.clone(),
        name: c.record.name.clone(),
        format: c.record.format.clone(),
        source_path: c.record.source_path.clone(),
        items: count(c.record.items),
        users: count(c.record.users),
        interactions: count(c.record.interactions),
        imported_at: c.imported_at,
        active: c.record.id == active,
    }
}
