//! The desktop's local store: one SQLite file, opened through sqlx.
//!
//! - [`Store::open`] creates or opens `screening.db` in a data directory, applies the embedded
//!   migrations (`migrations/` at the repository root), and takes a lock file so a second app
//!   instance gets [`StoreError::InUse`] rather than a lock error mid-way.
//! - Judgements are immutable events ([`NewJudgement`] → [`Judgement`]): each is written with
//!   its outbox row in one `BEGIN IMMEDIATE` transaction under `synchronous=FULL`, so once
//!   [`Store::record`] returns, the judgement survives a crash or power cut.
//! - [`setup`] holds what a review session refers to: catalogs, personas, candidates, sessions;
//!   `library` reads catalogs and personas back, deletes personas, and keeps settings in `meta`.
//!
//! Pure storage: no Tauri, no HTTP. Callers run it on a tokio runtime.

mod error;
mod judgement;
mod library;
mod load;
mod sessions;
pub mod setup;
mod store;
mod sync;

pub use error::StoreError;
pub use judgement::{Judgement, JudgementKind, NewJudgement};
pub use library::{StoredCatalog, StoredPersona};
pub use load::LoadCheckRecord;
pub use sessions::{NewSnapshot, SessionRecord, SnapshotRecord};
pub use store::{DB_FILE, Store};
pub use sync::TeamSession;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
