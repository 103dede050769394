//! Finding a dataset's files in a folder: names compared ignoring ASCII case, hidden files
//! skipped, listed in name order so the choice never depends on the file system.

use std::path::{Path, PathBuf};

use super::ImportError;

/// A regular file of a dataset folder.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The file name, lower-cased.
    pub(crate) lower: String,
    pub(crate) path: PathBuf,
}

/// The non-hidden regular files in `dir`, sorted by name.
pub(crate) fn list(dir: &Path) -> Result<Vec<Entry>, ImportError> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| ImportError::io(dir, e))? {
        let entry = entry.map_err(|e| ImportError::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        entries.push(Entry { lower: name, path });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// The file called `name` (ignoring case), if there is one.
pub(crate) fn named(entries: &[Entry], name: &str) -> Option<PathBuf> {
    let name = name.to_lowercase();
    entries.iter().find(|e| e.lower == name).map(|e| e.path.clone())
}

/// The display name of a file: its file name, or the whole path if it has none.
pub(crate) fn display_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
