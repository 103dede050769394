//! Candidates: where the lists a review session compares come from.
//!
//! - [`candidate`]: the one interface ([`Candidate`]) every kind implements, the checks every
//!   answer goes through (unknown ids, repeats, more than k) and the parallel [`fan_out`].
//! - [`config`]: candidate settings as a team writes them in TOML, checked (secrets only as
//!   `${VAR}` references).
//! - [`builtin`]: [`BuiltinCandidate`], a trained built-in model.
//! - [`contract`]: the HTTP candidate contract v1 (request and response bodies).
//! - [`http`]: [`HttpCandidate`], an endpoint speaking the contract.
//! - [`personalize`]: [`PersonalizeCandidate`], a campaign or recommender via the AWS SDK.
//! - [`serve`]: the reference model server, the built-in models behind the same contract.
//! - [`stand_in`]: a local stand-in for Personalize, for tests and demos without AWS.
//! - [`env`]: `${VAR}` references in settings, read from the environment at call time.

pub mod builtin;
pub mod candidate;
pub mod config;
pub mod contract;
pub mod env;
pub mod http;
pub mod personalize;
pub mod serve;
pub mod stand_in;

pub use builtin::{BuiltinCandidate, SharedDataset};
pub use candidate::{
    Answer, AnswerItem, Candidate, Catalog, Failure, Fetched, FetchedItem, Unavailable, fan_out,
    fetch_one,
};
pub use config::{CandidateConfig, CandidateFile, PersonaMapping};
pub use contract::{HistoryEvent, PersonaRef, RecommendRequest, RecommendResponse, ResponseItem};
pub use http::{DEFAULT_TIMEOUT_MS, HttpCandidate, HttpConfig};
pub use personalize::{PersonalizeCandidate, PersonalizeSettings};
pub use serve::{MAX_K, ModelServer};
