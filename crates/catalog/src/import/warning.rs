//! Irregularities an import counts instead of failing on: [`Warning`] and [`WarningKind`].
//!
//! A warning is raised once per file and kind, with a count and the first line it happened on,
//! so a million dropped rows make one line of output, not a million.
//!
//! Under [`super::ImportOptions::strict`] the warnings about *dropped rows*
//! ([`WarningKind::is_dropped_data`]) become errors at the first offending row instead. The
//! others are notes about how a file was read (ignored columns, unknown content types) and stay
//! warnings.

use std::fmt;
use std::path::PathBuf;

/// One kind of irregularity, counted over one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    pub kind: WarningKind,
    /// How many rows (or columns, for [`WarningKind::IgnoredColumns`]) it concerns.
    pub count: u64,
    /// Physical line of the first occurrence (1-based, header = line 1).
    pub first_line: Option<u64>,
}

/// What a [`Warning`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// Rows naming an item the items file does not have; they were dropped.
    /// `example` is the first such item id.
    UnknownItems { items_file: String, example: String },
    /// Columns of an interactions file that have no place in the dataset and were skipped.
    IgnoredColumns { columns: Vec<String> },
    /// Items whose content type is not one Screening Room knows; they were imported as `other`
    /// and the original value kept in the item's metadata.
    UnknownContentType { example: String },
}

impl WarningKind {
    /// Whether rows were dropped (`strict` turns these into errors).
    pub fn is_dropped_data(&self) -> bool {
        matches!(self, WarningKind::UnknownItems { .. })
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file.display())?;
        let n = self.count;
        match &self.kind {
            WarningKind::UnknownItems { items_file, example } => {
                let rows = if n == 1 {
                    "1 row names an item".to_owned()
                } else {
                    format!("{n} rows name items")
                };
                write!(f, "{rows} not in {items_file} (e.g. {example:?}), dropped")?;
            }
            WarningKind::IgnoredColumns { columns } => {
                let names: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
                write!(
                    f,
                    "ignored {} not used by Screening Room: {}",
                    plural(n, "column"),
                    names.join(", ")
                )?;
            }
            WarningKind::UnknownContentType { example } => write!(
                f,
                "{} an unknown content type (e.g. {example:?}); imported as `other`, the original value kept in metadata",
                if n == 1 { "1 item has".to_owned() } else { format!("{n} items have") }
            )?,
        }
        match (self.first_line, &self.kind) {
            (Some(line), WarningKind::IgnoredColumns { .. }) => {
                write!(f, " (header, line {line})")?
            }
            (Some(line), _) => write!(f, "; first on line {line}")?,
            (None, _) => {}
        }
        Ok(())
    }
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Counts one kind of warning while a file streams by.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    count: u64,
    first_line: Option<u64>,
    example: Option<String>,
}

impl Counter {
    /// Records one occurrence at `line`; `example` is kept for the first only.
    pub(crate) fn add(&mut self, line: u64, example: &str) {
        if self.count == 0 {
            self.first_line = Some(line);
            self.example = Some(example.to_owned());
        }
        self.count += 1;
    }

    pub(crate) fn count(&self) -> u64 {
        self.count
    }

    /// The warning, if anything was counted. `kind` gets the first example.
    pub(crate) fn into_warning(
        self,
        file: PathBuf,
        kind: impl FnOnce(String) -> WarningKind,
    ) -> Option<Warning> {
        let example = self.example?;
        Some(Warning { file, kind: kind(example), count: self.count, first_line: self.first_line })
    }
}
