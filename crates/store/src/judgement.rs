//! Judgements: immutable events, each written with its outbox row in one transaction.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{Store, StoreError, now_ms};

/// What a judgement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JudgementKind {
    /// A list rated 1–5 on a criterion.
    Rating,
    /// A preference between the lists of a persona.
    Preference,
    /// A flag on one item of a list.
    Flag,
    /// A free comment.
    Comment,
    /// The reviewer revealed the real candidate names of a blind persona.
    Reveal,
}

impl JudgementKind {
    fn as_str(self) -> &'static str {
        match self {
            JudgementKind::Rating => "rating",
            JudgementKind::Preference => "preference",
            JudgementKind::Flag => "flag",
            JudgementKind::Comment => "comment",
            JudgementKind::Reveal => "reveal",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "rating" => JudgementKind::Rating,
            "preference" => JudgementKind::Preference,
            "flag" => JudgementKind::Flag,
            "comment" => JudgementKind::Comment,
            "reveal" => JudgementKind::Reveal,
            other => return Err(StoreError::Invalid(format!("unknown judgement kind {other:?}"))),
        })
    }
}

/// A judgement to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewJudgement {
    pub reviewer: String,
    pub session_id: String,
    pub persona_id: String,
    /// The list judged (ratings, flags); `None` for what spans lists (preferences, reveals).
    pub snapshot_id: Option<String>,
    /// The item flagged, for flags.
    pub item_id: Option<String>,
    pub kind: JudgementKind,
    /// Kind-specific content, e.g. `{"criterion":"relevance","score":4}`.
    pub payload: serde_json::Value,
    /// The judgement this one replaces (an edit).
    pub supersedes: Option<String>,
}

/// A recorded judgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// UUIDv7, unique across devices.
    pub op_id: String,
    pub device_id: String,
    /// 1, 2, 3… per device, in the order judgements were made.
    pub device_seq: i64,
    pub created_at: i64,
    #[serde(flatten)]
    pub judgement: NewJudgement,
}

impl Store {
    /// Records a judgement and its outbox row in one `BEGIN IMMEDIATE` transaction. When this
    /// returns `Ok`, both are on disk.
    pub async fn record(&self, new: NewJudgement) -> Result<Judgement, StoreError> {
        let op_id = uuid::Uuid::now_v7().to_string();
        let created_at = now_ms();
        // IMMEDIATE takes the write lock up front, so reading the next sequence number and
        // writing it cannot interleave with another writer.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (device_seq,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(device_seq), 0) + 1 FROM judgements WHERE device_id = ?",
        )
        .bind(&self.device_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO judgements (op_id, device_id, device_seq, reviewer, session_id, persona_id,
                 snapshot_id, item_id, kind, payload, created_at, supersedes)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&op_id)
        .bind(&self.device_id)
        .bind(device_seq)
        .bind(&new.reviewer)
        .bind(&new.session_id)
        .bind(&new.persona_id)
        .bind(&new.snapshot_id)
        .bind(&new.item_id)
        .bind(new.kind.as_str())
        .bind(new.payload.to_string())
        .bind(created_at)
        .bind(&new.supersedes)
        .execute(&mut *tx)
        .await
        .map_err(reference_error)?;
        sqlx::query("INSERT INTO outbox (op_id, enqueued_at, device_seq) VALUES (?, ?, ?)")
            .bind(&op_id)
            .bind(created_at)
            .bind(device_seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Judgement {
            op_id,
            device_id: self.device_id.clone(),
            device_seq,
            created_at,
            judgement: new,
        })
    }

    /// Every judgement of a session, in the order they were made (superseded ones included).
    pub async fn judgements(&self, session_id: &str) -> Result<Vec<Judgement>, StoreError> {
        self.judgements_by(session_id, None, None).await
    }

    /// A session's judgements, optionally only one reviewer's and of one persona, in the order
    /// they were made (superseded ones included).
    pub async fn judgements_by(
        &self,
        session_id: &str,
        reviewer: Option<&str>,
        persona_id: Option<&str>,
    ) -> Result<Vec<Judgement>, StoreError> {
        let rows = sqlx::query(
            "SELECT op_id, device_id, device_seq, reviewer, session_id, persona_id, snapshot_id,
                    item_id, kind, payload, created_at, supersedes
             FROM judgements
             WHERE session_id = ?1 AND (?2 IS NULL OR reviewer = ?2)
                   AND (?3 IS NULL OR persona_id = ?3)
             ORDER BY created_at, device_seq",
        )
        .bind(session_id)
        .bind(reviewer)
        .bind(persona_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(judgement_of).collect()
    }

    /// The judgement `op_id`.
    pub async fn judgement(&self, op_id: &str) -> Result<Judgement, StoreError> {
        let row = sqlx::query(
            "SELECT op_id, device_id, device_seq, reviewer, session_id, persona_id, snapshot_id,
                    item_id, kind, payload, created_at, supersedes
             FROM judgements WHERE op_id = ?",
        )
        .bind(op_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no judgement {op_id:?}")))?;
        judgement_of(&row)
    }

    /// The op ids still waiting in the outbox, in the order they were made.
    pub async fn outbox_pending(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT op_id FROM outbox WHERE sent_at IS NULL ORDER BY device_seq")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

pub(crate) fn judgement_of(row: &sqlx::sqlite::SqliteRow) -> Result<Judgement, StoreError> {
    let payload: String = row.try_get("payload")?;
    Ok(Judgement {
        op_id: row.try_get("op_id")?,
        device_id: row.try_get("device_id")?,
        device_seq: row.try_get("device_seq")?,
        created_at: row.try_get("created_at")?,
        judgement: NewJudgement {
            reviewer: row.try_get("reviewer")?,
            session_id: row.try_get("session_id")?,
            persona_id: row.try_get("persona_id")?,
            snapshot_id: row.try_get("snapshot_id")?,
            item_id: row.try_get("item_id")?,
            kind: JudgementKind::parse(row.try_get("kind")?)?,
            payload: serde_json::from_str(&payload)
                .map_err(|e| StoreError::Invalid(format!("stored payload is not JSON: {e}")))?,
            supersedes: row.try_get("supersedes")?,
        },
    })
}

/// A foreign-key failure says which reference was wrong, in words.
fn reference_error(e: sqlx::Error) -> StoreError {
    StoreError::on_missing_reference(
        e,
        StoreError::Invalid(
            "the judgement names a session, persona, snapshot or superseded judgement that does \
             not exist"
                .into(),
        ),
    )
}
