//! Use cases of Screening Room, shared by the desktop shell (`src-tauri`) and the CLI.
//!
//! [`Workspace`] opens one data directory: its [`Catalogs`] (the demo and imported datasets,
//! which one is active, importing with progress), its [`Personas`] (stored, editable, shared as
//! JSON) and its [`Reviews`] (sessions, frozen lists, blind boards, judgements).
//! [`Library`] is one loaded dataset with its search index: [`Library::search`],
//! [`Library::info`], [`Library::resolve`] (a persona's history as catalog items).
//! [`ModelCache`] trains built-in models once per dataset and parameters and keeps them on
//! disk; [`model_list`] turns a model's output into titled items with reasons.
//! Every failure is an [`AppError`] with an [`ErrorCode`], which is what crosses the IPC edge,
//! so the UI classifies errors by code and never by message text.

mod candidates;
mod catalogs;
mod error;
mod library;
mod models;
mod personas;
mod review;
mod secret;
mod sync;
mod workspace;

pub use candidates::{
    CandidateDetail, CandidateImportReport, Candidates, ConnectionTest, config_of, record_of,
};
pub use catalogs::{
    Catalogs, DEMO_CATALOG, DatasetInfo, ImportProgress, ImportReport, ImportRequest, ImportStage,
};
pub use error::{AppError, ErrorCode};
pub use library::{CatalogPage, CatalogQuery, HistoryItem, Library, PersonaDetail, PersonaSummary};
pub use models::{ModelCache, ModelList, RecommendedItem, Trained, history_indices, model_list};
pub use personas::{
    FileDataset, FromUserRequest, MAX_USER_EVENTS, PERSONA_FILE_FORMAT, PERSONA_FILE_VERSION,
    PersonaFile, PersonaImportReport, Personas, UserQuery, UserSummary,
};
pub use review::{
    BUILTIN_CANDIDATES, Board, BoardItem, CandidateInfo, Column, CriterionScore, DEFAULT_CRITERIA,
    ExportFormat, ExportRequest, ExportResult, FreezeProgress, FreezeReport, GateRequest,
    Indicators, ItemFlag, JudgementInput, LoadCheck, LoadCheckRequest, MixEntry, NewSessionRequest,
    Preference, REPORT_SEED, RecordRequest, Reviews, Saved, SessionContext, SessionDetail,
    SessionEvents, SessionReport, SessionSummary, SummaryRow, write_file,
};
pub use screening_load::{LoadPlan, LoadProgress, LoadResult};
pub use screening_sources::{CandidateConfig, PersonaMapping};
pub use secret::TokenPlace;
pub use sync::{
    JoinResult, PublishResult, SyncProgress, SyncSettings, SyncSettingsRequest, SyncState,
    SyncStatus, Syncer, TeamReportView, TeamSession,
};
pub use workspace::Workspace;
