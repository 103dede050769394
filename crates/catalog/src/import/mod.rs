//! Streaming importers. STUB — being written (helper B).

use std::path::{Path, PathBuf};

use screening_core::Dataset;

/// The on-disk layouts `load` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The embedded demo catalog (no path needed).
    Demo,
    /// Amazon Personalize dataset CSVs in a folder (or a single interactions file).
    Personalize,
    /// MovieLens: ml-latest-small (`ratings.csv`, `movies.csv`) or ml-100k (`u.data`, `u.item`).
    Movielens,
}

/// How strict and how chatty an import is.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Turn warnings (e.g. interactions naming unknown items) into errors.
    pub strict: bool,
    /// Draw a progress bar on stderr for big files.
    pub progress: bool,
}

/// A loaded dataset and the warnings counted while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<String>,
}

/// Why an import failed: which file, which line and column, and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ImportError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

/// Loads a dataset of `format` from `path`.
pub fn load(path: &Path, format: Format, options: &ImportOptions) -> Result<Loaded, ImportError> {
    let _ = (format, options);
    Err(ImportError {
        file: path.to_path_buf(),
        line: None,
        column: None,
        message: "not implemented".into(),
    })
}
