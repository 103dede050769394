//! The sync protocol, version 1, between the desktop apps and the report server: the wire types
//! both sides use, the headers, and [`Client`], the HTTP client.
//!
//! Every request but `GET /health` carries `X-Screening-Protocol: 1` and
//! `Authorization: Bearer <token>`; a push also carries an `Idempotency-Key`. The reviewer of a
//! judgement is the token's user, never what the body says.

mod client;

pub use client::{Client, ClientError};

use screening_core::HistoryEntry;
use screening_core::report::{GateThresholds, JudgementEvent, Report};
use screening_load::{LoadPlan, LoadResult};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: &str = "1";
/// The header that names the protocol version.
pub const PROTOCOL_HEADER: &str = "x-screening-protocol";
/// The header that names a push batch, so a resent batch is recognised.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// The largest request body the server reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// The most events one push may carry.
pub const MAX_PUSH_EVENTS: usize = 10_000;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// Judges and publishes sessions.
    Reviewer,
    /// Also records approve/reject decisions.
    Approver,
    /// Everything, including other users' sessions.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "reviewer" => Some(Role::Reviewer),
            "approver" => Some(Role::Approver),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// `POST /v1/sync/push`: judgement events from one device. Each event is a judgement event in
/// the export format plus its `device_seq`; a `reviewer` field, when present, must be the
/// token's user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: String,
    pub events: Vec<serde_json::Value>,
}

impl PushRequest {
    /// A push of `events` (their `reviewer` left out: the server takes it from the token).
    pub fn new(device_id: impl Into<String>, events: &[(JudgementEvent, i64)]) -> PushRequest {
        let events = events
            .iter()
            .map(|(e, seq)| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                if let Some(map) = v.as_object_mut() {
                    map.remove("reviewer");
                    map.insert("device_seq".into(), (*seq).into());
                }
                v
            })
            .collect();
        PushRequest { device_id: device_id.into(), events }
    }
}

/// The answer to a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PushResponse {
    /// Events stored by this push.
    pub accepted: u32,
    /// Events the server already had (same op id, same content).
    pub duplicates: u32,
    /// The highest `device_seq` the server holds for this device.
    #[ts(type = "number")]
    pub high_water: i64,
}

/// One event as the server hands it out: the export format with the reviewer filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledEvent {
    /// The server's change sequence number.
    pub seq: i64,
    pub device_id: String,
    pub device_seq: i64,
    pub event: JudgementEvent,
}

/// A published session as the server hands it out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledSession {
    pub seq: i64,
    pub owner: String,
    pub session: PublishedSession,
}

/// `GET /v1/sync/pull?cursor=…&limit=…`: what changed after the cursor, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub events: Vec<PulledEvent>,
    pub sessions: Vec<PulledSession>,
    /// Pass it back to get what comes next (opaque).
    pub cursor: String,
    /// More changes wait after this page.
    pub more: bool,
}

/// A persona as a published session names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NamedPersona {
    pub id: String,
    pub name: String,
    /// The watch history the lists were made from, oldest first, so a reviewer who joins the
    /// session on another device sees the same persona (left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
}

/// The dataset a published session's lists come from: a device that joins the session needs
/// the same one (matched by `digest`; the demo catalog is everywhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedCatalog {
    pub id: String,
    pub name: String,
    pub digest: String,
}

/// A candidate of a published session (by its real name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NamedCandidate {
    pub name: String,
}

/// One item of a published list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedItem {
    pub item_id: String,
    pub title: Option<String>,
    pub score: Option<f64>,
    pub reason: Option<String>,
}

/// One frozen list of a published session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedSnapshot {
    pub id: String,
    pub persona_id: String,
    /// The candidate's name.
    pub candidate: String,
    pub items: Vec<PublishedItem>,
    /// Unix ms.
    #[ts(type = "number")]
    pub fetched_at: i64,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

/// `POST /v1/sessions`: a frozen session with its lists, so every reviewer judges the same ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedSession {
    pub id: String,
    pub name: String,
    pub k: u32,
    pub blind: bool,
    pub criteria: Vec<String>,
    pub incumbent: Option<String>,
    pub challenger: Option<String>,
    pub personas: Vec<NamedPersona>,
    pub candidates: Vec<NamedCandidate>,
    pub snapshots: Vec<PublishedSnapshot>,
    /// The release gate's thresholds; the defaults when left out.
    #[serde(default)]
    pub gate: Option<GateThresholds>,
    /// The dataset of its lists (needed to join it from another device).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<PublishedCatalog>,
}

/// A session as `GET /v1/sessions` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionListing {
    pub id: String,
    pub name: String,
    pub owner: String,
    #[ts(type = "number")]
    pub published_at: i64,
    pub personas: u32,
    pub candidates: Vec<String>,
    /// Judgement events stored for it.
    #[ts(type = "number")]
    pub events: i64,
    pub decisions: Vec<DecisionRecord>,
}

/// `GET /v1/sessions/{id}/report`: the report over every reviewer's judgements, and the digest
/// a decision records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamReport {
    pub session_id: String,
    /// blake3 of the report's JSON: what a decision was based on.
    pub digest: String,
    pub report: Report,
}

/// Approve or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Verdict {
    Approve,
    Reject,
}

/// `POST /v1/sessions/{id}/decision` (approvers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DecisionRequest {
    pub decision: Verdict,
    pub note: String,
}

/// A recorded decision: immutable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecisionRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub session_id: String,
    pub decision: Verdict,
    pub note: String,
    pub author: String,
    /// The digest of the report it was based on.
    pub report_digest: String,
    #[ts(type = "number")]
    pub created_at: i64,
}

/// `POST /v1/sessions/{id}/load-checks`: a load check of one of a published session's
/// candidates, run on a device (immutable; the same id again is harmless). The challenger's
/// latest one is a row of the team report's gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SharedLoadCheck {
    pub id: String,
    /// The candidate's name in the session.
    pub candidate: String,
    /// When it ran (Unix ms, the device's clock: only shown, never used to order).
    #[ts(type = "number")]
    pub created_at: i64,
    pub plan: LoadPlan,
    /// The p99 the gate holds the candidate to, ms.
    pub max_p99_ms: f64,
    pub result: LoadResult,
}

/// The body of every error: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    /// `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `too_large`,
    /// `protocol`, `internal`.
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    /// A team report crosses the wire bit for bit: what the app shows is what the server
    /// computed and digested (serde_json's fast float parsing alone is off by one unit in the
    /// last place for some values, e.g. this Bradley–Terry bound found by the sync property test).
    #[test]
    fn floats_cross_the_wire_exactly() {
        let values: [f64; 5] =
            [1.0986122886681087, 0.10000000000000017, 2.6666666666666665, 1e-300, 0.1];
        let text = serde_json::to_string(&values).unwrap();
        let back: Vec<f64> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            values.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            "{text}"
        );
    }
}
