//! What the sync client needs of the store: the outbox to drain and which sessions are
//! published on the report server.

use crate::{Store, StoreError, now_ms};

/// A judgement waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub op_id: String,
    pub session_id: String,
    /// The judgement records a reveal (local only: never sent).
    pub reveal: bool,
}

impl Store {
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
    /// sessions, and reveals (which only need marking) — oldest first.
    pub async fn outbox_batch(&self, limit: u32) -> Result<Vec<Pending>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT o.op_id, j.session_id, j.kind FROM outbox o
             JOIN judgements j ON j.op_id = o.op_id
             JOIN review_sessions s ON s.id = j.session_id
             WHERE o.sent_at IS NULL AND (s.published_at IS NOT NULL OR j.kind = 'reveal')
             ORDER BY o.enqueued_at, j.device_seq LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(op_id, session_id, kind)| Pending {
                op_id,
                session_id,
                reveal: kind == "reveal",
            })
            .collect())
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
