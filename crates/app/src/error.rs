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

    pub fn internal(message: impl Into<String>) -> Self {
        AppError { code: ErrorCode::Internal, message: message.into() }
    }
}
