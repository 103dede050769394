//! The review loop: sessions over personas × candidates, frozen lists, blind boards, judgements.
//!
//! [`Reviews`] holds the use cases; [`board`] is their pure part (blind order, replaying a
//! reviewer's events into their current judgements, indicators); [`types`] is what crosses IPC.

mod board;
mod desk;
mod types;

pub use desk::{BUILTIN_CANDIDATES, DEFAULT_CRITERIA, Reviews};
pub use types::*;
