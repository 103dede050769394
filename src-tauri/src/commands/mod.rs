//! IPC commands: take the arguments, call the use case, return its result. Errors cross as
//! `screening_app::AppError` (`{ code, message }`). Add new commands to `build.rs` as well.
//! (`generate_handler!` needs the full paths: it looks for items the command macro generates
//! beside each function, which a `pub use` does not carry.)

pub mod candidates;
pub mod catalog;
pub mod personas;
pub mod review;

use std::sync::Arc;

use screening_app::{AppError, Workspace};

/// The workspace in the data directory, or why it could not open (e.g. the database is in use
/// by another window): then every command answers with that error, which the UI shows.
pub struct Desk(pub Result<Arc<Workspace>, AppError>);

impl Desk {
    pub fn get(&self) -> Result<&Workspace, AppError> {
        self.0.as_deref().map_err(Clone::clone)
    }
}
