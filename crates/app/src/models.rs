//! Built-in models for the app and the CLI: trained once per dataset and parameters, kept on
//! disk, and turned into lists of catalog items with reasons.

use std::path::{Path, PathBuf};
use std::time::Instant;

use screening_core::Item;
use screening_recommenders::{Model, ModelSpec, Options, Progress, TrainInput, cache_key};
use serde::Serialize;

use crate::AppError;

/// A trained model and how it was obtained.
#[derive(Debug)]
pub struct Trained {
    pub model: Model,
    /// Loaded from the cache rather than trained now.
    pub cached: bool,
    /// Time to train (or to load from the cache).
    pub seconds: f64,
}

/// Trained models on disk, one file per (training data, model, parameters).
///
/// Files are named by [`cache_key`], a digest of everything the model was trained on and of its
/// parameters, so a changed dataset or parameter can never load a stale model; a file that is
/// cut short or from another format version is ignored and retrained over.
#[derive(Debug, Clone)]
pub struct ModelCache {
    dir: Option<PathBuf>,
}

impl ModelCache {
    /// A cache in `dir` (created on first write), or none: every model is trained.
    pub fn new(dir: Option<PathBuf>) -> Self {
        ModelCache { dir }
    }

    /// `$SCREENING_CACHE_DIR`, else `$XDG_CACHE_HOME/screening-room/models`, else
    /// `~/.cache/screening-room/models`.
    pub fn default_dir() -> Option<PathBuf> {
        let env = |k| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        env("SCREENING_CACHE_DIR").or_else(|| {
            env("XDG_CACHE_HOME")
                .or_else(|| env("HOME").map(|h| h.join(".cache")))
                .map(|c| c.join("screening-room").join("models"))
        })
    }

    /// The model of `spec` on `input`: from the cache when it is there, else trained and stored.
    /// A cache that cannot be written is not an error (the model is still returned).
    pub fn get(
        &self,
        spec: &ModelSpec,
        input: &TrainInput<'_>,
        progress: &dyn Progress,
    ) -> Trained {
        let start = Instant::now();
        let key = cache_key(spec, input);
        let file = self.dir.as_ref().map(|d| d.join(format!("{}-{key}.model", spec.name())));
        if let Some(model) = file.as_deref().and_then(|f| read(f, &key)) {
            return Trained { model, cached: true, seconds: start.elapsed().as_secs_f64() };
        }
        let model = Model::train(spec, input, progress);
        let seconds = start.elapsed().as_secs_f64();
        if let Some(f) = file {
            // Best effort: write beside, then rename, so a crash never leaves half a file under
            // the real name (and a half file would fail its checks anyway).
            let _ = write_atomically(&f, &model.to_bytes(&key));
        }
        Trained { model, cached: false, seconds }
    }
}

fn read(file: &Path, key: &str) -> Option<Model> {
    Model::from_bytes(&std::fs::read(file).ok()?, key)
}

pub(crate) fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file)
}

/// One item of a model's list, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendedItem {
    pub item_id: String,
    pub title: String,
    pub score: f32,
    pub reason: String,
}

/// The list one model gives one history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelList {
    /// The model's name (`ease`).
    pub model: String,
    /// Its parameters, as `--models` would spell them (`ease:lambda=250:min-count=5`).
    pub spec: String,
    pub items: Vec<RecommendedItem>,
}

/// Item indices of `ids`, or an error naming the first id the catalog does not have.
pub fn history_indices(
    dataset: &screening_core::Dataset,
    ids: &[&str],
) -> Result<Vec<u32>, AppError> {
    ids.iter()
        .map(|id| {
            dataset.item_idx(id).ok_or_else(|| {
                AppError::not_found(format!("unknown item id {id:?} in the history"))
            })
        })
        .collect()
}

/// The top `k` of `model` for `history` (item indices, oldest first), watched items left out.
pub fn model_list(model: &Model, catalog: &[Item], history: &[u32], k: usize) -> ModelList {
    let items = model
        .recommend(history, k, Options::default())
        .into_iter()
        .map(|r| {
            let item = &catalog[r.item as usize];
            RecommendedItem {
                item_id: item.id.clone(),
                title: item.title.clone(),
                score: r.score,
                reason: r.reason.text(catalog),
            }
        })
        .collect();
    ModelList { model: model.spec().name().to_owned(), spec: model.spec().to_string(), items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use screening_recommenders::{Silent, TrainData};

    #[test]
    fn a_model_is_trained_once_then_loaded_and_a_damaged_file_is_retrained() {
        let (dataset, _) = screening_catalog::demo::demo_with_personas();
        let data = TrainData::from_dataset(&dataset);
        let input = TrainInput { catalog: &dataset.items, data: &data };
        let dir = tempfile::tempdir().unwrap();
        let cache = ModelCache::new(Some(dir.path().to_owned()));
        let spec: ModelSpec = "item-knn:neighbours=20".parse().unwrap();
        let first = cache.get(&spec, &input, &Silent);
        assert!(!first.cached);
        let second = cache.get(&spec, &input, &Silent);
        assert!(second.cached);
        let history: Vec<u32> = (0..5).collect();
        assert_eq!(
            first.model.rank(&history, 10, Options::default()),
            second.model.rank(&history, 10, Options::default())
        );
        // other parameters are another file
        let other = cache.get(&"item-knn:neighbours=21".parse().unwrap(), &input, &Silent);
        assert!(!other.cached);
        // a truncated file is ignored and replaced
        let key = cache_key(&spec, &input);
        let file = dir.path().join(format!("item-knn-{key}.model"));
        assert!(read(&file, &key).is_some());
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        assert!(read(&file, &key).is_none());
        assert!(!cache.get(&spec, &input, &Silent).cached);
        assert!(cache.get(&spec, &input, &Silent).cached);
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, 2, "no temporary files are left behind");
    }

    #[test]
    fn lists_carry_titles_and_reasons_and_unknown_ids_are_named() {
        let (dataset, personas) = screening_catalog::demo::demo_with_personas();
        let data = TrainData::from_dataset(&dataset);
        let input = TrainInput { catalog: &dataset.items, data: &data };
        let model = ModelCache::new(None).get(&ModelSpec::Popularity, &input, &Silent).model;
        let ids: Vec<&str> = personas[0].history.iter().map(|h| h.item_id.as_str()).collect();
        let history = history_indices(&dataset, &ids).unwrap();
        let list = model_list(&model, &dataset.items, &history, 7);
        assert_eq!(list.items.len(), 7);
        assert_eq!(list.spec, "popularity");
        assert!(list.items.iter().all(|i| i.reason.starts_with("Popular: watched by")));
        assert!(list.items.iter().all(|i| !ids.contains(&i.item_id.as_str())));
        let err = history_indices(&dataset, &["nope"]).unwrap_err();
        assert_eq!(err.message, "unknown item id \"nope\" in the history");
    }
}
