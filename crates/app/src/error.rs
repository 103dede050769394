//! The error every use case returns, serialisable as `{ code, message }`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure an [`AppError`] is; the UI switches on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The thing asked for (persona, item…) does not exist.
    NotFound,
    /// The request itself is wrong (a limit of 0, an unknown filter…).
    InvalidInput,
    /// A resource the request needs cannot be used now (the local database is open in another
    /// window); the message says what to do.
    Unavailable,
    /// A bug or an environment problem; the message says which.
    Internal,
}

/// A failed use case: a code for programs and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError { code: ErrorCode::NotFound, message: message.into() }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        AppError { code: ErrorCode::InvalidInput, message: message.into() }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        AppError { code: ErrorCode::Unavailable, message: message.into() }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError { code: ErrorCode::Internal, message: message.into() }
    }
}

impl From<screening_store::StoreError> for AppError {
    fn from(e: screening_store::StoreError) -> Self {
        use screening_store::StoreError as E;
        match e {
            E::NotFound(_) => AppError::not_found(e.to_string()),
            E::Invalid(_) => AppError::invalid_input(e.to_string()),
            E::InUse { .. } => AppError::unavailable(e.to_string()),
            E::Open { .. } | E::Migrate(_) | E::Database(_) => AppError::internal(e.to_string()),
        }
    }
}
