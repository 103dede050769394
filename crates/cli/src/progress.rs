//! Progress bars on stderr for training and evaluation (only when stderr is a terminal).

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use screening_recommenders::Progress;

/// Draws one indicatif bar per stage.
pub struct Bars {
    show: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// Bars that draw only if stderr is a terminal (so pipes and CI logs stay clean).
    pub fn stderr() -> Self {
        Bars { show: std::io::stderr().is_terminal(), bar: Mutex::new(None) }
    }

    fn with(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if self.show
            && let Ok(mut bar) = self.bar.lock()
        {
            f(&mut bar);
        }
    }
}

impl Progress for Bars {
    fn begin(&self, label: &str, total: u64) {
        self.with(|slot| {
            let style =
                ProgressStyle::with_template("{msg:>28} [{bar:32}] {pos}/{len} ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            *slot = Some(ProgressBar::new(total).with_style(style).with_message(label.to_owned()));
        });
    }

    fn advance(&self, n: u64) {
        self.with(|slot| {
            if let Some(bar) = slot {
                bar.inc(n);
            }
        });
    }

    fn end(&self) {
        self.with(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }
}
