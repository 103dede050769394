//! Load checks kept with their session.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{Store, StoreError, now_ms};

/// One load check of a candidate of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadCheckRecord {
    pub id: String,
    pub session_id: String,
    pub candidate_id: String,
    /// What was asked (JSON).
    pub plan: serde_json::Value,
    /// The p99 the release gate holds the candidate to, ms.
    pub max_p99_ms: f64,
    /// What was measured (JSON).
    pub result: serde_json::Value,
    pub created_at: i64,
}

impl Store {
    /// Keeps a finished load check; returns it with its id and time.
    pub async fn save_load_check(
        &self,
        session_id: &str,
        candidate_id: &str,
        plan: &serde_json::Value,
        max_p99_ms: f64,
        result: &serde_json::Value,
    ) -> Result<LoadCheckRecord, StoreError> {
        let record = LoadCheckRecord {
            id: uuid::Uuid::now_v7().to_string(),
            session_id: session_id.to_owned(),
            candidate_id: candidate_id.to_owned(),
            plan: plan.clone(),
            max_p99_ms,
            result: result.clone(),
            created_at: now_ms(),
        };
        sqlx::query(
            "INSERT INTO load_checks (id, session_id, candidate_id, plan, max_p99_ms, result, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&record.id)
        .bind(&record.session_id)
        .bind(&record.candidate_id)
        .bind(record.plan.to_string())
        .bind(record.max_p99_ms)
        .bind(record.result.to_string())
        .bind(record.created_at)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            StoreError::on_missing_reference(
                e,
                StoreError::NotFound("the load check names an unknown session or candidate".into()),
            )
        })?;
        Ok(record)
    }

    /// Load checks of published sessions not yet on the report server, oldest first.
    pub async fn unshared_load_checks(&self) -> Result<Vec<LoadCheckRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.id, l.session_id, l.candidate_id, l.plan, l.max_p99_ms, l.result, l.created_at
             FROM load_checks l JOIN review_sessions s ON s.id = l.session_id
             WHERE l.shared_at IS NULL AND s.published_at IS NOT NULL
             ORDER BY l.created_at, l.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(load_check_of).collect()
    }

    /// Notes that load check `id` is on the report server.
    pub async fn mark_load_check_shared(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE load_checks SET shared_at = ? WHERE id = ?")
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A session's load checks, oldest first.
    pub async fn load_checks(&self, session_id: &str) -> Result<Vec<LoadCheckRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, session_id, candidate_id, plan, max_p99_ms, result, created_at
             FROM load_checks WHERE session_id = ? ORDER BY created_at, id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(load_check_of).collect()
    }
}

fn load_check_of(r: &sqlx::sqlite::SqliteRow) -> Result<LoadCheckRecord, StoreError> {
    let json = |text: String| {
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Invalid(format!("stored load check is not JSON: {e}")))
    };
    Ok(LoadCheckRecord {
        id: r.try_get("id")?,
        session_id: r.try_get("session_id")?,
        candidate_id: r.try_get("candidate_id")?,
        plan: json(r.try_get("plan")?)?,
        max_p99_ms: r.try_get("max_p99_ms")?,
        result: json(r.try_get("result")?)?,
        created_at: r.try_get("created_at")?,
    })
}
