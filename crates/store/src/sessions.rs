//! Reading sessions and candidates back, and freezing a session's lists as snapshots.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::setup::CandidateRecord;
use crate::{Store, StoreError, now_ms};

/// A review session with its personas and candidates in session order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: String,
    pub name: String,
    pub catalog_id: String,
    pub k: u32,
    pub blind: bool,
    pub criteria: Vec<String>,
    pub incumbent_candidate_id: Option<String>,
    pub challenger_candidate_id: Option<String>,
    /// The session's gate thresholds (JSON), `None` for the defaults.
    pub gate: Option<serde_json::Value>,
    pub created_at: i64,
    pub frozen_at: Option<i64>,
    /// When it was published on the report server (by this device, or joined from there).
    pub published_at: Option<i64>,
    /// Who published it, for a session joined from the report server; `None` for this
    /// device's own sessions.
    #[serde(default)]
    pub published_by: Option<String>,
    pub persona_ids: Vec<String>,
    pub candidate_ids: Vec<String>,
}

/// One list to freeze.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSnapshot {
    pub candidate_id: String,
    pub persona_id: String,
    /// What was asked (JSON).
    pub request: serde_json::Value,
    /// What came back, verbatim, when there was a response.
    pub raw_response: Option<String>,
    /// `[{item_id, score, reason}]`, best first.
    pub items: serde_json::Value,
    pub latency_ms: Option<f64>,
    /// Why there is no list.
    pub error: Option<String>,
    /// What was off in the answer (unknown ids, repeats, more than k), one line each.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// A frozen list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRecord {
    pub id: String,
    pub created_at: i64,
    #[serde(flatten)]
    pub snapshot: NewSnapshot,
}

impl Store {
    /// Every candidate (archived ones too), oldest first.
    pub async fn candidates(&self) -> Result<Vec<CandidateRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, kind, config, archived_at FROM candidates ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CandidateRecord {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                    config: json(r.try_get("config")?)?,
                    archived_at: r.try_get("archived_at")?,
                })
            })
            .collect()
    }

    /// Every session, newest first.
    pub async fn sessions(&self) -> Result<Vec<SessionRecord>, StoreError> {
        let ids: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM review_sessions ORDER BY created_at DESC, id DESC")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            out.push(self.session(&id).await?);
        }
        Ok(out)
    }

    /// The session `id`.
    pub async fn session(&self, id: &str) -> Result<SessionRecord, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, catalog_id, k, blind, criteria, incumbent_candidate_id,
                    challenger_candidate_id, gate, created_at, frozen_at, published_at, published_by
             FROM review_sessions WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no review session with id {id:?}")))?;
        let persona_ids: Vec<(String,)> = sqlx::query_as(
            "SELECT persona_id FROM session_personas WHERE session_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let candidate_ids: Vec<(String,)> = sqlx::query_as(
            "SELECT candidate_id FROM session_candidates WHERE session_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let criteria: String = row.try_get("criteria")?;
        let k: i64 = row.try_get("k")?;
        Ok(SessionRecord {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            catalog_id: row.try_get("catalog_id")?,
            k: u32::try_from(k).unwrap_or(0),
            blind: row.try_get("blind")?,
            criteria: serde_json::from_str(&criteria).map_err(|e| {
                StoreError::Invalid(format!("stored criteria are not a JSON list: {e}"))
            })?,
            incumbent_candidate_id: row.try_get("incumbent_candidate_id")?,
            challenger_candidate_id: row.try_get("challenger_candidate_id")?,
            gate: row.try_get::<Option<String>, _>("gate")?.map(json).transpose()?,
            created_at: row.try_get("created_at")?,
            frozen_at: row.try_get("frozen_at")?,
            published_at: row.try_get("published_at")?,
            published_by: row.try_get("published_by")?,
            persona_ids: persona_ids.into_iter().map(|(p,)| p).collect(),
            candidate_ids: candidate_ids.into_iter().map(|(c,)| c).collect(),
        })
    }

    /// Stores every list of a session and marks it frozen, all in one transaction: a session is
    /// either not frozen or frozen with all its snapshots. Freezing twice is refused.
    pub async fn freeze(
        &self,
        session_id: &str,
        snapshots: &[NewSnapshot],
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let frozen: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT frozen_at FROM review_sessions WHERE id = ?")
                .bind(session_id)
                .fetch_optional(&mut *tx)
                .await?;
        match frozen {
            None => {
                return Err(StoreError::NotFound(format!(
                    "no review session with id {session_id:?}"
                )));
            }
            Some((Some(_),)) => {
                return Err(StoreError::Invalid("this session's lists are already frozen".into()));
            }
            Some((None,)) => {}
        }
        for s in snapshots {
            let record = SnapshotRecord {
                id: uuid::Uuid::now_v7().to_string(),
                created_at: now,
                snapshot: s.clone(),
            };
            insert_snapshot(&mut tx, session_id, &record).await?;
        }
        sqlx::query("UPDATE review_sessions SET frozen_at = ? WHERE id = ?")
            .bind(now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or, with `None`, resets to the defaults) a session's gate thresholds.
    pub async fn set_gate(
        &self,
        session_id: &str,
        gate: Option<&serde_json::Value>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE review_sessions SET gate = ? WHERE id = ?")
            .bind(gate.map(serde_json::Value::to_string))
            .bind(session_id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("no review session with id {session_id:?}")));
        }
        Ok(())
    }

    /// The frozen lists of one persona of a session, in the session's candidate order; with
    /// `persona_id` `None`, every persona's (personas in session order).
    pub async fn snapshots(
        &self,
        session_id: &str,
        persona_id: Option<&str>,
    ) -> Result<Vec<SnapshotRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.created_at, s.candidate_id, s.persona_id, s.request, s.raw_response,
                    s.items, s.latency_ms, s.error, s.warnings
             FROM snapshots s
             JOIN session_candidates c ON c.session_id = s.session_id AND c.candidate_id = s.candidate_id
             JOIN session_personas p ON p.session_id = s.session_id AND p.persona_id = s.persona_id
             WHERE s.session_id = ?1 AND (?2 IS NULL OR s.persona_id = ?2)
             ORDER BY p.position, c.position",
        )
        .bind(session_id)
        .bind(persona_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SnapshotRecord {
                    id: r.try_get("id")?,
                    created_at: r.try_get("created_at")?,
                    snapshot: NewSnapshot {
                        candidate_id: r.try_get("candidate_id")?,
                        persona_id: r.try_get("persona_id")?,
                        request: json(r.try_get("request")?)?,
                        raw_response: r.try_get("raw_response")?,
                        items: json(r.try_get("items")?)?,
                        latency_ms: r.try_get("latency_ms")?,
                        error: r.try_get("error")?,
                        warnings: serde_json::from_value(json(r.try_get("warnings")?)?)
                            .map_err(|e| StoreError::Invalid(format!("stored warnings: {e}")))?,
                    },
                })
            })
            .collect()
    }
}

/// Writes one frozen list of session `session_id`.
pub(crate) async fn insert_snapshot(
    tx: &mut sqlx::SqliteConnection,
    session_id: &str,
    s: &SnapshotRecord,
) -> Result<(), StoreError> {
    let n = &s.snapshot;
    sqlx::query(
        "INSERT INTO snapshots (id, session_id, candidate_id, persona_id, created_at, request,
             raw_response, items, latency_ms, error, warnings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&s.id)
    .bind(session_id)
    .bind(&n.candidate_id)
    .bind(&n.persona_id)
    .bind(s.created_at)
    .bind(n.request.to_string())
    .bind(&n.raw_response)
    .bind(n.items.to_string())
    .bind(n.latency_ms)
    .bind(&n.error)
    .bind(serde_json::Value::from(n.warnings.clone()).to_string())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn json(text: String) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Invalid(format!("stored JSON is invalid: {e}")))
}
