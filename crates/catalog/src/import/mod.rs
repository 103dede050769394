//! Streaming importers: Amazon Personalize dataset CSVs and MovieLens folders.
//!
//! [`load`] reads a dataset in one of the [`Format`]s and returns it with the [`Warning`]s
//! counted on the way, or an [`ImportError`] naming the file, the physical line (header =
//! line 1) and the column at fault. Loading is all-or-nothing: on error no dataset is returned.
//!
//! Files are streamed row by row (csv over a buffered reader; only ml-100k's small Latin-1
//! files are read whole to be decoded), with a progress bar on stderr for files over
//! [`progress::THRESHOLD_BYTES`] when [`ImportOptions::progress`] is set, and reports to
//! [`ImportOptions::on_progress`] when that is set.
//!
//! Modules:
//! - [`personalize`]: the Personalize layout, its column mapping and defaults
//!   (e.g. [`DEFAULT_EVENT_TYPE`]).
//! - [`movielens`]: the ml-latest-small and ml-100k layouts.
//! - `error`: [`ImportError`] (where) and [`ErrorKind`] (what).
//! - `warning`: [`Warning`] and [`WarningKind`]; which warnings `strict` turns into errors.
//! - `csv_util`: header matching, line numbers, field counts and typed field access shared by
//!   every CSV file.
//! - `builder`: collects items, users and events, then builds the [`Dataset`] at the end.
//! - `files`: finding a dataset's files in a folder (case-insensitive names).
//! - [`progress`]: the byte-count progress bar and callback.
//!
//! # Errors or warnings
//!
//! Malformed input is an error: unreadable or missing required files, empty files, headers
//! without the required columns, duplicate header names, rows with the wrong number of fields,
//! invalid UTF-8, blank ids or timestamps, timestamps that are not integer seconds, ratings or
//! values that are not numbers, duplicate item or user ids, and an interaction log with no
//! interactions. Rows naming items the items file does not list are dropped and counted in a
//! warning (exports of real systems have them: items deleted from the catalog after they were
//! watched); [`ImportOptions::strict`] makes them an error. Ignored columns and unknown content
//! types are reported as warnings in both modes.

mod builder;
mod csv_util;
mod error;
mod files;
pub mod movielens;
pub mod personalize;
pub mod progress;
mod warning;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use screening_core::Dataset;

pub use error::{ErrorKind, ImportError};
pub use movielens::RATING_EVENT_TYPE;
pub use personalize::DEFAULT_EVENT_TYPE;
pub use progress::{FileProgress, OnProgress};
pub use warning::{Warning, WarningKind};

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

impl Format {
    /// Every format, in documentation order.
    pub const ALL: [Format; 3] = [Format::Demo, Format::Personalize, Format::Movielens];

    /// The layout of the dataset at `path`: MovieLens for a folder holding `ratings.csv` or
    /// `u.data` (any case), else Personalize, whose importer says what it expected if that
    /// is wrong too.
    pub fn detect(path: &Path) -> Format {
        let entries =
            if path.is_dir() { files::list(path).unwrap_or_default() } else { Vec::new() };
        if ["ratings.csv", "u.data"].iter().any(|f| files::named(&entries, f).is_some()) {
            Format::Movielens
        } else {
            Format::Personalize
        }
    }

    /// The lower-case name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Demo => "demo",
            Format::Personalize => "personalize",
            Format::Movielens => "movielens",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `demo`, `personalize` or `movielens`, ignoring case.
impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(
            || format!("unknown dataset format {s:?} (expected demo, personalize or movielens)"),
        )
    }
}

/// How strict and how chatty an import is.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Turn warnings about dropped rows (e.g. interactions naming unknown items) into errors.
    pub strict: bool,
    /// Draw a progress bar on stderr for big files.
    pub progress: bool,
    /// Tell this function how far each file is read (for a progress bar in a window).
    pub on_progress: Option<progress::OnProgress>,
}

/// A loaded dataset and the warnings counted while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    /// One per file and kind of irregularity, with a count; `Display` gives one line each.
    pub warnings: Vec<Warning>,
    /// Every file read, so a copy of just those can be kept and loaded again.
    pub files: Vec<SourceFile>,
}

impl Loaded {
    /// With the files that were read (those given), under their copy names.
    pub(crate) fn with_files<const N: usize>(
        mut self,
        files: [(&'static str, Option<PathBuf>); N],
    ) -> Loaded {
        self.files = files
            .into_iter()
            .filter_map(|(copy_name, path)| path.map(|path| SourceFile { path, copy_name }))
            .collect();
        self
    }
}

/// A file a dataset was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its name in a folder holding a copy of the dataset, which [`load`] reads back in the
    /// same format (e.g. a lone Personalize interactions file becomes `interactions.csv`).
    pub copy_name: &'static str,
}

/// Loads a dataset of `format` from `path` (ignored for [`Format::Demo`]).
///
/// All-or-nothing: either the whole dataset with its warnings, or an error naming the file,
/// line and column.
pub fn load(path: &Path, format: Format, options: &ImportOptions) -> Result<Loaded, ImportError> {
    match format {
        Format::Demo => Ok(Loaded {
            dataset: crate::demo::demo_dataset(),
            warnings: Vec::new(),
            files: Vec::new(),
        }),
        Format::Personalize => personalize::load(path, options),
        Format::Movielens => movielens::load(path, options),
    }
}
