//! Where datasets come from.
//!
//! - [`demo`]: the embedded demo catalog of a fictional European free-TV streaming service and its
//!   simulated interaction log, generated deterministically (fixed seed) at load time.
//! - [`personas`]: the built-in sample personas over the demo catalog.
//! - [`import`]: streaming importers for Amazon Personalize dataset CSVs and MovieLens
//!   (ml-latest-small and ml-100k layouts). Errors name file, line and column; nothing is
//!   half-loaded.
//! - [`samples`]: where sample data for benchmarks and opt-in checks lives (ml-latest-small).

pub mod demo;
pub mod import;
pub mod personas;
pub mod samples;
