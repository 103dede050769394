//! Integration tests of the importers, on the fixtures in `tests/fixtures/`:
//!
//! - `personalize`, `movielens`: the good fixtures load with the expected counts and fields.
//! - `errors`: one fixture per kind of bad input under `fixtures/bad/<case>/`; each test checks
//!   the [`ErrorKind`] and that the message names the file and line.
//! - `roundtrip`: Personalize CSVs written from generated data load back unchanged.
//! - `real_data`: ml-latest-small, when `/work/shared/datasets` (or `SCREENING_ML_SMALL`) has it.

mod errors;
mod movielens;
mod personalize;
mod real_data;
mod roundtrip;

use std::path::{Path, PathBuf};

use screening_catalog::import::{self, Format, ImportError, ImportOptions, Loaded};

/// The path of a fixture, relative to `tests/fixtures`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

/// Loads a fixture that must load.
pub fn load_ok(relative: &str, format: Format, strict: bool) -> Loaded {
    let options = ImportOptions { strict, ..ImportOptions::default() };
    match import::load(&fixture(relative), format, &options) {
        Ok(loaded) => loaded,
        Err(e) => panic!("{relative} should load, got: {e}"),
    }
}

/// Loads a fixture that must fail.
pub fn load_err(relative: &str, format: Format, strict: bool) -> ImportError {
    let options = ImportOptions { strict, ..ImportOptions::default() };
    match import::load(&fixture(relative), format, &options) {
        Ok(loaded) => panic!("{relative} should fail, loaded {} items", loaded.dataset.items.len()),
        Err(e) => e,
    }
}
