//! The HTTP candidate contract, version 1: what Screening Room POSTs to a model endpoint and
//! what it expects back (DESIGN §4, README "HTTP candidate contract").
//!
//! ```text
//! POST <url>   Content-Type: application/json   (+ configured headers)
//! { "persona": {"id": "…", "name": "…"}, "user_id": "…" | null,
//!   "history": [{"item_id": "…", "timestamp": 1700000000, "event_type": "watch"}],
//!   "k": 20, "context": {"device": "tv"} }
//! 200 → { "items": [{"item_id": "…", "score": 0.93, "reason": "optional"}],
//!         "model_version": "optional" }
//! ```

use serde::{Deserialize, Serialize};

/// Who the list is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonaRef {
    pub id: String,
    pub name: String,
}

/// One watched item of the history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    pub item_id: String,
    /// Unix seconds.
    pub timestamp: i64,
    pub event_type: String,
}

/// The request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendRequest {
    pub persona: PersonaRef,
    /// The persona's user id at this candidate, when it has one; else the history speaks.
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub history: Vec<HistoryEvent>,
    pub k: u32,
    #[serde(default)]
    pub context: serde_json::Map<String, serde_json::Value>,
}

impl RecommendRequest {
    /// The request for `persona` at the candidate `candidate_id`: its history, and its user id
    /// there when it has one.
    pub fn for_persona(persona: &screening_core::Persona, candidate_id: &str, k: u32) -> Self {
        RecommendRequest {
            persona: PersonaRef { id: persona.id.clone(), name: persona.name.clone() },
            user_id: persona.external_user_ids.get(candidate_id).cloned(),
            history: persona
                .history
                .iter()
                .map(|h| HistoryEvent {
                    item_id: h.item_id.clone(),
                    timestamp: h.timestamp,
                    event_type: h.event_type.clone(),
                })
                .collect(),
            k,
            context: Default::default(),
        }
    }
}

/// One recommended item as an endpoint returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseItem {
    pub item_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The response body of a 200.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendResponse {
    pub items: Vec<ResponseItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_version: Option<String>,
}

/// The body of an error answer of the reference server (4xx/5xx).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}
