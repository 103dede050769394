//! Built-in candidate models and offline evaluation.
//!
//! - [`ModelSpec`]: which model with which parameters, parsed from `name[:key=value]…`.
//! - [`Model`]: a trained model; [`Model::recommend`] folds in any watch history (a persona need
//!   not be a user of the training data), leaves watched items out, and gives a [`Reason`] per
//!   item. Personal models fall back to popularity for an empty history, and say so.
//! - [`TrainData`] / [`TrainInput`]: the interactions and catalog a model trains on.
//! - [`split`] and [`evaluate()`]: the Personalize-style split and offline metrics ([`metrics`]).
//! - [`recs_file`]: lists produced elsewhere (Personalize batch output, plain JSON lines).
//!
//! Pure: no I/O and no async runtime. Training uses rayon threads; callers persist models with
//! [`Model::to_bytes`] under [`cache_key`].

mod data;
mod evaluate;
mod model;
mod models;
mod progress;
mod reason;
mod spec;

pub mod metrics;
pub mod recs_file;

pub use data::{TrainData, TrainInput, genre_ids};
pub use evaluate::{
    EvalError, HOLDOUT_FRACTION, Split, SplitOptions, TestUser, check_ks, evaluate, list_length,
    split,
};
pub use model::{FORMAT_VERSION, Model, Options, Recommendation, cache_key};
pub use progress::{Progress, Silent};
pub use reason::Reason;
pub use spec::{MODEL_NAMES, ModelSpec, ParamValue, SpecError};
