//! Use cases of Screening Room, shared by the desktop shell (`src-tauri`) and the CLI.
//!
//! [`Library`] holds the loaded dataset and personas and answers what the first screen asks:
//! [`Library::personas`], [`Library::persona`], [`Library::search`], [`Library::info`].
//! [`ModelCache`] trains built-in models once per dataset and parameters and keeps them on
//! disk; [`model_list`] turns a model's output into titled items with reasons.
//! Every failure is an [`AppError`] with an [`ErrorCode`], which is what crosses the IPC edge,
//! so the UI classifies errors by code and never by message text.

mod error;
mod library;
mod models;
mod review;

pub use error::{AppError, ErrorCode};
pub use library::{CatalogPage, CatalogQuery, HistoryItem, Library, PersonaDetail, PersonaSummary};
pub use models::{ModelCache, ModelList, RecommendedItem, Trained, history_indices, model_list};
pub use review::{
    BUILTIN_CANDIDATES, Board, BoardItem, CandidateInfo, Column, CriterionScore, DEFAULT_CRITERIA,
    DEMO_CATALOG, FreezeReport, Indicators, ItemFlag, JudgementInput, MixEntry, NewSessionRequest,
    Preference, RecordRequest, Reviews, Saved, SessionDetail, SessionSummary, SummaryRow,
};
