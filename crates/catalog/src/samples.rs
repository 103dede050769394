//! Where the sample datasets used by benchmarks and opt-in checks live on this machine.
//!
//! MovieLens data is non-commercial and never copied into the repository; tests that need it
//! run only when it is present, so the suite never depends on it.

use std::path::PathBuf;

/// The ml-latest-small folder: `$SCREENING_ML_SMALL`, else `shared/datasets/ml-latest-small`
/// beside the repository; `None` unless it holds a `ratings.csv`.
pub fn ml_latest_small() -> Option<PathBuf> {
    let path = match std::env::var_os("SCREENING_ML_SMALL") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/datasets/ml-latest-small"),
    };
    path.join("ratings.csv").is_file().then_some(path)
}
