//! What can go wrong with the store.

use std::path::PathBuf;

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (a second app window) has the database open.
    #[error(
        "another Screening Room window is using {path}; close it (or set SCREENING_DATA_DIR to \
         another folder) and try again"
    )]
    InUse { path: PathBuf },
    /// The data directory or database file cannot be opened or created.
    #[error("cannot open the database {path}: {message}")]
    Open { path: PathBuf, message: String },
    /// The schema could not be brought up to date.
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row the operation needs does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request breaks a rule of the data (an unknown kind, a bad reference…).
    #[error("{0}")]
    Invalid(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// `instead` when `e` is a foreign-key failure (the row names another that does not exist),
    /// else `e` itself: callers say in words which reference was wrong.
    pub(crate) fn on_missing_reference(e: sqlx::Error, instead: StoreError) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.message().contains("FOREIGN KEY") => instead,
            _ => StoreError::Database(e),
        }
    }
}
