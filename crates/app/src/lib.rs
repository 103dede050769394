//! Use cases of Screening Room, shared by the desktop shell (`src-tauri`) and the CLI.
//!
//! [`Library`] holds the loaded dataset and personas and answers what the first screen asks:
//! [`Library::personas`], [`Library::persona`], [`Library::search`], [`Library::info`].
//! Every failure is an [`AppError`] with an [`ErrorCode`], which is what crosses the IPC edge,
//! so the UI classifies errors by code and never by message text.

mod error;
mod library;

pub use error::{AppError, ErrorCode};
pub use library::{CatalogPage, CatalogQuery, HistoryItem, Library, PersonaDetail, PersonaSummary};
