//! Domain types of Screening Room, shared by every other crate.
//!
//! - [`Item`] and [`ContentType`]: what can be recommended (the catalog).
//! - [`Dataset`]: a catalog plus its interaction log ([`Interaction`]), with user and item ids
//!   interned to dense indices so models and metrics can work on plain integers.
//! - [`Persona`]: a named synthetic viewer with a watch history ([`HistoryEntry`]).
//! - [`CatalogInfo`]: the summary `screening catalog info` prints.
//! - [`report`]: judgement events (the export format) and the report statistics over them.
//!
//! This crate is pure: no I/O, no async runtime. Types that cross to the desktop UI derive
//! [`ts_rs::TS`]; their TypeScript is written to `ui/src/lib/ipc/bindings` by `cargo test`.

mod catalog;
mod dataset;
mod info;
mod mix;
mod persona;
pub mod report;

pub use catalog::{ContentType, Item};
pub use dataset::{Dataset, DatasetError, Interaction, User};
pub use info::CatalogInfo;
pub use mix::{SPLITMIX_STEP, splitmix64};
pub use persona::{HistoryEntry, Persona};
