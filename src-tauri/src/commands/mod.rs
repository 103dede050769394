//! IPC commands: take the arguments, call the use case, return its result. Errors cross as
//! `screening_app::AppError` (`{ code, message }`). Add new commands to `build.rs` as well.
//! (`generate_handler!` needs the full paths: it looks for items the command macro generates
//! beside each function, which a `pub use` does not carry.)

pub mod catalog;
pub mod personas;
pub mod review;
