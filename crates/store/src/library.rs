//! Reading back what the library holds: catalogs, personas (with the sessions that use them),
//! and small settings in `meta`.

use std::collections::BTreeMap;

use screening_core::{HistoryEntry, Persona};
use sqlx::Row;

use crate::setup::CatalogRecord;
use crate::{Store, StoreError};

/// A catalog as stored, with when it was imported.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCatalog {
    pub record: CatalogRecord,
    /// Unix milliseconds.
    pub imported_at: i64,
}

/// A persona as stored: which catalog its history belongs to and which sessions use it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPersona {
    pub persona: Persona,
    pub catalog_id: String,
    /// Names of the review sessions that include it, oldest first.
    pub sessions: Vec<String>,
    /// Unix milliseconds.
    pub updated_at: i64,
}

impl Store {
    /// Every catalog, oldest import first.
    pub async fn catalogs(&self) -> Result<Vec<StoredCatalog>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, format, source_path, digest, items, users, interactions, imported_at
             FROM catalogs ORDER BY imported_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredCatalog {
                    record: CatalogRecord {
                        id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        format: r.try_get("format")?,
                        source_path: r.try_get("source_path")?,
                        digest: r.try_get("digest")?,
                        items: r.try_get("items")?,
                        users: r.try_get("users")?,
                        interactions: r.try_get("interactions")?,
                    },
                    imported_at: r.try_get("imported_at")?,
                })
            })
            .collect()
    }

    /// The catalog `id`.
    pub async fn catalog(&self, id: &str) -> Result<StoredCatalog, StoreError> {
        self.catalogs()
            .await?
            .into_iter()
            .find(|c| c.record.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("no dataset with id {id:?}")))
    }

    /// The setting `key`, if set.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(v,)| v))
    }

    /// Sets `key` to `value`.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The personas of `catalog_id` (every persona when `None`), by name.
    pub async fn personas(
        &self,
        catalog_id: Option<&str>,
    ) -> Result<Vec<StoredPersona>, StoreError> {
        self.personas_where(catalog_id, None).await
    }

    /// The personas of `catalog_id` and with id `id` (each filter only when given), by name,
    /// with their histories and the sessions that use them.
    async fn personas_where(
        &self,
        catalog_id: Option<&str>,
        id: Option<&str>,
    ) -> Result<Vec<StoredPersona>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, description, tags, external_user_ids, catalog_id, updated_at
             FROM personas WHERE (?1 IS NULL OR catalog_id = ?1) AND (?2 IS NULL OR id = ?2)
             ORDER BY name COLLATE NOCASE, id",
        )
        .bind(catalog_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let history = sqlx::query(
            "SELECT h.persona_id, h.item_id, h.timestamp, h.event_type
             FROM persona_history h JOIN personas p ON p.id = h.persona_id
             WHERE (?1 IS NULL OR p.catalog_id = ?1) AND (?2 IS NULL OR p.id = ?2)
             ORDER BY h.persona_id, h.position",
        )
        .bind(catalog_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut histories: BTreeMap<String, Vec<HistoryEntry>> = BTreeMap::new();
        for r in &history {
            histories.entry(r.try_get("persona_id")?).or_default().push(HistoryEntry {
                item_id: r.try_get("item_id")?,
                timestamp: r.try_get("timestamp")?,
                event_type: r.try_get("event_type")?,
            });
        }
        let uses = sqlx::query(
            "SELECT sp.persona_id, s.name FROM session_personas sp
             JOIN review_sessions s ON s.id = sp.session_id
             WHERE ?1 IS NULL OR sp.persona_id = ?1 ORDER BY s.created_at, s.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut sessions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &uses {
            sessions.entry(r.try_get("persona_id")?).or_default().push(r.try_get("name")?);
        }
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let tags: String = r.try_get("tags")?;
                let external: String = r.try_get("external_user_ids")?;
                Ok(StoredPersona {
                    persona: Persona {
                        history: histories.remove(&id).unwrap_or_default(),
                        name: r.try_get("name")?,
                        description: r.try_get("description")?,
                        tags: from_json(&tags, &id, "tags")?,
                        external_user_ids: from_json(&external, &id, "external_user_ids")?,
                        id: id.clone(),
                    },
                    catalog_id: r.try_get("catalog_id")?,
                    sessions: sessions.remove(&id).unwrap_or_default(),
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// The persona `id`.
    pub async fn persona(&self, id: &str) -> Result<StoredPersona, StoreError> {
        self.personas_where(None, Some(id))
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("no persona with id {id:?}")))
    }

    /// Deletes the persona `id` and its history. A persona a review session uses is refused.
    pub async fn delete_persona(&self, id: &str) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM personas WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(|e| {
                StoreError::on_missing_reference(
                    e,
                    StoreError::Invalid(format!(
                        "persona {id:?} is part of a review session and cannot be deleted"
                    )),
                )
            })?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("no persona with id {id:?}")));
        }
        Ok(())
    }
}

fn from_json<T: serde::de::DeserializeOwned>(
    text: &str,
    persona: &str,
    column: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::Invalid(format!("persona {persona:?}: stored {column} are not valid JSON: {e}"))
    })
}
