//! The review loop: sessions over personas × candidates, frozen lists, blind boards, judgements.
//!
//! [`Reviews`] holds the use cases; [`SessionEvents`] is a session's judgements as export
//! events, which the report and every export are made from; [`board`] is their pure part (blind order, replaying a
//! reviewer's events into their current judgements, indicators); [`types`] is what crosses IPC.

mod board;
mod desk;
mod load;
mod report;
mod types;

pub use desk::{BUILTIN_CANDIDATES, DEFAULT_CRITERIA, Reviews};
pub use load::{LoadCheck, LoadCheckRequest};
pub use report::{
    ExportFormat, ExportRequest, ExportResult, GateRequest, REPORT_SEED, SessionContext,
    SessionEvents, SessionReport, write_file,
};
pub use types::*;
