//! Personas: named synthetic viewers whose lists editorialists judge.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One entry of a persona's watch history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub item_id: String,
    /// Seconds since the Unix epoch.
    #[ts(type = "number")]
    pub timestamp: i64,
    pub event_type: String,
}

/// A named synthetic viewer ("Reality TV fan") with a watch history, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Persona {
    /// Stable slug, e.g. `reality-fan`.
    pub id: String,
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    pub history: Vec<HistoryEntry>,
    /// Optional user id to send to a given candidate instead of the history
    /// (e.g. a real Amazon Personalize `userId`), by candidate id.
    pub external_user_ids: BTreeMap<String, String>,
}
