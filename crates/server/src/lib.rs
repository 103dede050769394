//! The report server: desktops push their judgement events and pull published sessions; the PM
//! reads the team report and records a decision. axum over sqlx, on SQLite (one file, the
//! default) or PostgreSQL, through the same queries.
//!
//! - [`Db`]: the connection pool, its migrations, users and tokens;
//! - [`router`]: the HTTP API of protocol version 1 (see `screening_sync`), and [`serve`].

mod api;
mod db;
mod error;
mod push;
mod sessions;
mod web;

pub use api::{router, serve};
pub use db::{Backend, Db, NewUser, now_ms};
pub use error::Failure;
