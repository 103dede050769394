//! Progress on stderr while a big file streams in.
//!
//! `open` opens a file for reading; when [`super::ImportOptions::progress`] is set and the file
//! is larger than [`THRESHOLD_BYTES`], the reader is wrapped by an indicatif bar that advances
//! with the bytes read. The bar is cleared when the returned `Progress` guard is dropped,
//! whether the file was read to the end or the import failed half-way.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::ImportError;

/// Files up to this size load too fast for a bar to be worth drawing.
pub const THRESHOLD_BYTES: u64 = 5 * 1024 * 1024;

/// Keeps the bar of a file being read (if any) and clears it when dropped.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Opens `path`, with a byte-count progress bar on stderr if `show` and the file is big.
pub(crate) fn open(path: &Path, show: bool) -> Result<(Box<dyn Read>, Progress), ImportError> {
    let file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if !show || len <= THRESHOLD_BYTES {
        return Ok((Box::new(file), Progress { bar: None }));
    }
    let name = super::files::display_name(path);
    let style = ProgressStyle::with_template(
        "{msg:>16} [{bar:32}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    let bar = ProgressBar::new(len).with_style(style).with_message(name);
    Ok((Box::new(bar.wrap_read(file)), Progress { bar: Some(bar) }))
}
