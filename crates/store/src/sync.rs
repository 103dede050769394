//! What the sync client needs of the store: the outbox to drain and which sessions are
//! published on the report server.

use screening_core::Persona;

use crate::judgement::judgement_of;
use crate::sessions::insert_snapshot;
use crate::setup::{CandidateRecord, insert_history};
use crate::{Judgement, SnapshotRecord, Store, StoreError, now_ms};

/// A session someone published on the report server, as this device stores it to judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSession {
    pub id: String,
    pub name: String,
    pub catalog_id: String,
    pub k: u32,
    pub blind: bool,
    pub criteria: Vec<String>,
    /// Ids among `candidates`.
    pub incumbent_candidate_id: Option<String>,
    pub challenger_candidate_id: Option<String>,
    pub gate: Option<serde_json::Value>,
    /// The server's name of the user who published it.
    pub published_by: String,
    /// In session order. Those already on this device are referred to, not written again.
    pub personas: Vec<Persona>,
    /// In session order; written (kind `team`, archived).
    pub candidates: Vec<CandidateRecord>,
    /// The frozen lists, with the ids the server knows them by.
    pub snapshots: Vec<SnapshotRecord>,
}

impl Store {
    /// Stores a session joined from the report server — its new personas, its candidates, the
    /// session (frozen, published) and its lists — in one transaction: all of it or nothing.
    /// A session already on this device is left as it is (`Ok(false)`).
    pub async fn join_session(&self, t: &TeamSession) -> Result<bool, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<(String,)> =
            sqlx::query_as("SELECT id FROM review_sessions WHERE id = ?")
                .bind(&t.id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Ok(false);
        }
        for p in &t.personas {
            let known: Option<(String,)> = sqlx::query_as("SELECT id FROM personas WHERE id = ?")
                .bind(&p.id)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_some() {
                continue;
            }
            sqlx::query(
                "INSERT INTO personas (id, name, description, tags, external_user_ids, catalog_id, created_at, updated_at)
                 VALUES (?, ?, ?, ?, '{}', ?, ?, ?)",
            )
            .bind(&p.id)
            .bind(&p.name)
            .bind(&p.description)
            .bind(serde_json::Value::from(p.tags.clone()).to_string())
            .bind(&t.catalog_id)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_history(&mut tx, p).await?;
        }
        for c in &t.candidates {
            sqlx::query(
                "INSERT INTO candidates (id, name, kind, config, created_at, archived_at)
                 VALUES (?, ?, 'team', ?, ?, ?)",
            )
            .bind(&c.id)
            .bind(&c.name)
            .bind(c.config.to_string())
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let frozen_at = t.snapshots.iter().map(|s| s.created_at).max().unwrap_or(now);
        sqlx::query(
            "INSERT INTO review_sessions (id, name, catalog_id, k, blind, criteria, incumbent_candidate_id,
                 challenger_candidate_id, gate, created_at, frozen_at, published_at, published_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&t.id)
        .bind(&t.name)
        .bind(&t.catalog_id)
        .bind(i64::from(t.k))
        .bind(t.blind)
        .bind(serde_json::Value::from(t.criteria.clone()).to_string())
        .bind(&t.incumbent_candidate_id)
        .bind(&t.challenger_candidate_id)
        .bind(t.gate.as_ref().map(serde_json::Value::to_string))
        .bind(now)
        .bind(frozen_at)
        .bind(now)
        .bind(&t.published_by)
        .execute(&mut *tx)
        .await?;
        for (position, p) in t.personas.iter().enumerate() {
            sqlx::query(
                "INSERT INTO session_personas (session_id, persona_id, position) VALUES (?, ?, ?)",
            )
            .bind(&t.id)
            .bind(&p.id)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        for (position, c) in t.candidates.iter().enumerate() {
            sqlx::query(
                "INSERT INTO session_candidates (session_id, candidate_id, position) VALUES (?, ?, ?)",
            )
            .bind(&t.id)
            .bind(&c.id)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        for s in &t.snapshots {
            insert_snapshot(&mut tx, &t.id, s).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Notes that session `id` is published on the report server (now).
    pub async fn mark_published(&self, id: &str) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE review_sessions SET published_at = COALESCE(published_at, ?) WHERE id = ?",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("no review session with id {id:?}")));
        }
        Ok(())
    }

    /// The ids of the sessions published on the report server.
    pub async fn published_sessions(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM review_sessions WHERE published_at IS NOT NULL ORDER BY published_at",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Up to `limit` judgements waiting in the outbox that can go now — those of published
    /// sessions, and reveals (which only need marking) — in the order they were made (so an
    /// edit never goes before what it supersedes), read whole in one query.
    pub async fn outbox_batch(&self, limit: u32) -> Result<Vec<Judgement>, StoreError> {
        let rows = sqlx::query(
            "SELECT j.op_id, j.device_id, j.device_seq, j.reviewer, j.session_id, j.persona_id,
                    j.snapshot_id, j.item_id, j.kind, j.payload, j.created_at, j.supersedes
             FROM outbox o
             JOIN judgements j ON j.op_id = o.op_id
             JOIN review_sessions s ON s.id = j.session_id
             WHERE o.sent_at IS NULL AND (s.published_at IS NOT NULL OR j.kind = 'reveal')
             ORDER BY o.device_seq LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(judgement_of).collect()
    }

    /// How many judgements wait in the outbox: (of published sessions, of sessions not
    /// published), reveals left out.
    pub async fn outbox_count(&self) -> Result<(u32, u32), StoreError> {
        let (published, local): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(s.published_at IS NOT NULL), 0), COALESCE(SUM(s.published_at IS NULL), 0)
             FROM outbox o JOIN judgements j ON j.op_id = o.op_id
             JOIN review_sessions s ON s.id = j.session_id
             WHERE o.sent_at IS NULL AND j.kind <> 'reveal'",
        )
        .fetch_one(&self.pool)
        .await?;
        let n = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
        Ok((n(published), n(local)))
    }

    /// Marks outbox rows sent (after the server confirmed them), in one transaction.
    pub async fn mark_sent(&self, op_ids: &[String]) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for id in op_ids {
            sqlx::query("UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE op_id = ?")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Counts a failed attempt to send these outbox rows.
    pub async fn note_attempt(&self, op_ids: &[String]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for id in op_ids {
            sqlx::query("UPDATE outbox SET attempts = attempts + 1 WHERE op_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
