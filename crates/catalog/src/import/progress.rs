//! Progress while a file streams in: a bar on stderr, a callback, or both.
//!
//! `open` opens a file for reading. When [`super::ImportOptions::progress`] is set and the file
//! is larger than [`THRESHOLD_BYTES`], the reader is wrapped by an indicatif bar that advances
//! with the bytes read; the bar is cleared when the returned `Progress` guard is dropped,
//! whether the file was read to the end or the import failed half-way. When
//! [`super::ImportOptions::on_progress`] is set, the reader also reports [`FileProgress`] to it
//! at the start, every [`REPORT_STEPS`]th of the file, and at the end (for files of any size).

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use super::{ImportError, ImportOptions};

/// Files up to this size load too fast for a bar to be worth drawing.
pub const THRESHOLD_BYTES: u64 = 5 * 1024 * 1024;

/// How many reports a callback gets per file at most (plus the first and the last).
pub const REPORT_STEPS: u64 = 100;

/// How far the importer is through one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProgress {
    /// The file's name, e.g. `ratings.csv`.
    pub file: String,
    pub read_bytes: u64,
    pub total_bytes: u64,
}

/// A function told about [`FileProgress`]; called on the importing thread.
#[derive(Clone)]
pub struct OnProgress(pub Arc<dyn Fn(&FileProgress) + Send + Sync>);

impl fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnProgress(..)")
    }
}

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

/// A reader that tells `callback` how far through the file it is.
struct Reporting<R> {
    inner: R,
    callback: OnProgress,
    progress: FileProgress,
    next_report: u64,
}

impl<R: Read> Read for Reporting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.read_bytes += n as u64;
        if self.progress.read_bytes >= self.next_report || n == 0 {
            (self.callback.0)(&self.progress);
            let step = (self.progress.total_bytes / REPORT_STEPS).max(1);
            self.next_report = self.progress.read_bytes + step;
            if n == 0 {
                // Reported the end once; never again for this file.
                self.next_report = u64::MAX;
            }
        }
        Ok(n)
    }
}

/// Opens `path`, with a byte-count progress bar on stderr if `options.progress` and the file is
/// big, and reporting to `options.on_progress` if set.
pub(crate) fn open(
    path: &Path,
    options: &ImportOptions,
) -> Result<(Box<dyn Read>, Progress), ImportError> {
    let file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = super::files::display_name(path);
    let input: Box<dyn Read> = match &options.on_progress {
        Some(callback) => {
            let progress = FileProgress { file: name.clone(), read_bytes: 0, total_bytes: len };
            callback.0(&progress);
            Box::new(Reporting {
                inner: file,
                callback: callback.clone(),
                progress,
                next_report: (len / REPORT_STEPS).max(1),
            })
        }
        None => Box::new(file),
    };
    if !options.progress || len <= THRESHOLD_BYTES {
        return Ok((input, Progress { bar: None }));
    }
    let style = ProgressStyle::with_template(
        "{msg:>16} [{bar:32}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    let bar = ProgressBar::new(len).with_style(style).with_message(name);
    Ok((Box::new(bar.wrap_read(input)), Progress { bar: Some(bar) }))
}
