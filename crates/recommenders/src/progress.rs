//! How long work reports progress without this crate drawing anything.

/// Receives progress of training and evaluation; the CLI draws bars, the app sends events.
pub trait Progress: Sync {
    /// A stage starts with `total` steps.
    fn begin(&self, _label: &str, _total: u64) {}
    /// `n` more steps are done.
    fn advance(&self, _n: u64) {}
    /// The stage is over.
    fn end(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
