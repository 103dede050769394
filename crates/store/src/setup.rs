//! What review sessions refer to: catalogs, personas, candidates and the sessions themselves.

use serde::{Deserialize, Serialize};

use screening_core::Persona;

use crate::{Store, StoreError, now_ms};

/// A catalog known to the store (the demo one or an import).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogRecord {
    /// `demo` or a UUIDv7.
    pub id: String,
    pub name: String,
    /// `demo`, `personalize` or `movielens`.
    pub format: String,
    pub source_path: Option<String>,
    pub digest: String,
    pub items: i64,
    pub users: i64,
    pub interactions: i64,
}

/// A configured source of lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateRecord {
    pub id: String,
    pub name: String,
    /// `builtin`, `http` or `personalize`.
    pub kind: String,
    /// Kind-specific settings, e.g. `{"spec":"ease:lambda=250"}` for a built-in model.
    pub config: serde_json::Value,
    /// When it was archived (Unix ms): kept for the sessions that used it, not offered for new
    /// ones. Set by [`Store::archive_candidate`]; `save_candidate` leaves it as it is.
    #[serde(default)]
    pub archived_at: Option<i64>,
}

/// A review session to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSession {
    pub name: String,
    pub catalog_id: String,
    pub persona_ids: Vec<String>,
    pub candidate_ids: Vec<String>,
    pub k: u32,
    pub blind: bool,
    pub criteria: Vec<String>,
    pub incumbent_candidate_id: Option<String>,
    /// The candidate the release decision is about (compared with the incumbent).
    #[serde(default)]
    pub challenger_candidate_id: Option<String>,
}

impl Store {
    /// Adds or replaces a catalog; a replaced one keeps its first `imported_at`.
    pub async fn save_catalog(&self, c: &CatalogRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO catalogs (id, name, format, source_path, digest, items, users, interactions, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, format = excluded.format,
                 source_path = excluded.source_path, digest = excluded.digest, items = excluded.items,
                 users = excluded.users, interactions = excluded.interactions",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(&c.format)
        .bind(&c.source_path)
        .bind(&c.digest)
        .bind(c.items)
        .bind(c.users)
        .bind(c.interactions)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Adds or replaces a persona and its whole history, in one transaction.
    pub async fn save_persona(&self, p: &Persona, catalog_id: &str) -> Result<(), StoreError> {
        self.save_personas(std::slice::from_ref(p), catalog_id).await
    }

    /// Adds or replaces several personas with their histories, all in one transaction: either
    /// every one is saved or none is.
    pub async fn save_personas(
        &self,
        personas: &[Persona],
        catalog_id: &str,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for p in personas {
            sqlx::query(
                "INSERT INTO personas (id, name, description, tags, external_user_ids, catalog_id, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                     tags = excluded.tags, external_user_ids = excluded.external_user_ids,
                     catalog_id = excluded.catalog_id, updated_at = excluded.updated_at",
            )
            .bind(&p.id)
            .bind(&p.name)
            .bind(&p.description)
            .bind(to_json(&p.tags))
            .bind(to_json(&p.external_user_ids))
            .bind(catalog_id)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM persona_history WHERE persona_id = ?")
                .bind(&p.id)
                .execute(&mut *tx)
                .await?;
            insert_history(&mut tx, p).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds or replaces a candidate.
    pub async fn save_candidate(&self, c: &CandidateRecord) -> Result<(), StoreError> {
        self.save_candidates(std::slice::from_ref(c)).await
    }

    /// Adds or replaces several candidates in one transaction: all or none.
    pub async fn save_candidates(&self, candidates: &[CandidateRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for c in candidates {
            sqlx::query(
                "INSERT INTO candidates (id, name, kind, config, created_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, config = excluded.config",
            )
            .bind(&c.id)
            .bind(&c.name)
            .bind(&c.kind)
            .bind(c.config.to_string())
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Archives the candidate `id` (or brings it back when `archived` is false).
    pub async fn archive_candidate(&self, id: &str, archived: bool) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE candidates SET archived_at = ? WHERE id = ?")
            .bind(archived.then(now_ms))
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("no candidate with id {id:?}")));
        }
        Ok(())
    }

    /// Creates a session over existing personas and candidates; returns its id (a UUIDv7).
    pub async fn create_session(&self, s: &NewSession) -> Result<String, StoreError> {
        if !(2..=4).contains(&s.candidate_ids.len()) {
            return Err(StoreError::Invalid(format!(
                "a review session compares 2 to 4 candidates, not {}",
                s.candidate_ids.len()
            )));
        }
        if s.persona_ids.is_empty() {
            return Err(StoreError::Invalid("a review session needs at least one persona".into()));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO review_sessions (id, name, catalog_id, k, blind, criteria, incumbent_candidate_id,
                 challenger_candidate_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&s.name)
        .bind(&s.catalog_id)
        .bind(i64::from(s.k))
        .bind(s.blind)
        .bind(serde_json::Value::from(s.criteria.clone()).to_string())
        .bind(&s.incumbent_candidate_id)
        .bind(&s.challenger_candidate_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| missing(e, "the session names a catalog, incumbent or challenger that does not exist"))?;
        for (position, p) in s.persona_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO session_personas (session_id, persona_id, position) VALUES (?, ?, ?)",
            )
            .bind(&id)
            .bind(p)
            .bind(position as i64)
            .execute(&mut *tx)
            .await
            .map_err(|e| missing(e, &format!("unknown persona {p:?}")))?;
        }
        for (position, c) in s.candidate_ids.iter().enumerate() {
            sqlx::query("INSERT INTO session_candidates (session_id, candidate_id, position) VALUES (?, ?, ?)")
                .bind(&id)
                .bind(c)
                .bind(position as i64)
                .execute(&mut *tx)
                .await
                .map_err(|e| missing(e, &format!("unknown candidate {c:?}")))?;
        }
        tx.commit().await?;
        Ok(id)
    }
}

/// Writes persona `p`'s history (its rows must not exist yet).
pub(crate) async fn insert_history(
    tx: &mut sqlx::SqliteConnection,
    p: &Persona,
) -> Result<(), StoreError> {
    for (position, h) in p.history.iter().enumerate() {
        sqlx::query(
            "INSERT INTO persona_history (persona_id, position, item_id, timestamp, event_type)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&p.id)
        .bind(position as i64)
        .bind(&h.item_id)
        .bind(h.timestamp)
        .bind(&h.event_type)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// A foreign-key failure becomes a message that says what was missing.
fn missing(e: sqlx::Error, what: &str) -> StoreError {
    StoreError::on_missing_reference(e, StoreError::NotFound(what.to_owned()))
}

/// JSON text of a value that always serialises (strings, maps of strings).
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
