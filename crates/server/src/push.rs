//! `POST /v1/sync/push` and `GET /v1/sync/pull`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use screening_core::report::JudgementEvent;
use screening_core::report::events::check_event;
use screening_sync::{
    IDEMPOTENCY_HEADER, MAX_PUSH_EVENTS, PublishedSession, PullResponse, PulledEvent,
    PulledSession, PushRequest, PushResponse, Role,
};
use serde::Deserialize;
// The dynamic SQL below is built from numbered placeholders only; every value is bound.
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use crate::api::{Caller, body};
use crate::db::{User, digest, now_ms};
use crate::sessions::load_session;
use crate::{Db, Failure};

/// Stores a batch of judgement events, all or nothing. A batch sent again under the same
/// `Idempotency-Key` gets the first answer; an event already stored with the same content counts
/// as a duplicate, with other content it refuses the batch (409).
pub async fn push(
    State(db): State<Db>,
    caller: Caller,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Json<PushResponse>, Failure> {
    let user = caller.0;
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| Failure::bad_request("missing header Idempotency-Key (one id per batch)"))?
        .to_owned();
    let (req, raw): (PushRequest, Bytes) = body(bytes)?;
    if req.device_id.trim().is_empty() {
        return Err(Failure::bad_request("field \"device_id\" is empty"));
    }
    if req.events.len() > MAX_PUSH_EVENTS {
        return Err(Failure::too_large(format!(
            "{} events in one push; send at most {MAX_PUSH_EVENTS}",
            req.events.len()
        )));
    }
    let events = req
        .events
        .iter()
        .enumerate()
        .map(|(i, v)| {
            incoming(v, &user).map_err(|m| Failure::bad_request(format!("events[{i}]: {m}")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            if e.message.contains("does not belong to you") {
                Failure::forbidden(e.message)
            } else {
                e
            }
        })?;
    let request_hash = digest(&String::from_utf8_lossy(&raw));

    let _writer = db.write.lock().await;
    let mut tx = db.pool.begin().await?;
    let earlier: Option<(String, String)> = sqlx::query_as(
        "SELECT request_hash, response FROM idempotency WHERE user_id = $1 AND key = $2",
    )
    .bind(user.id)
    .bind(&key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((hash, response)) = earlier {
        if hash != request_hash {
            return Err(Failure::conflict(format!(
                "Idempotency-Key {key:?} was used for another batch; use a new key per batch"
            )));
        }
        let response =
            serde_json::from_str(&response).map_err(|e| Failure::internal(e.to_string()))?;
        return Ok(Json(response));
    }
    let mut sessions: HashMap<String, PublishedSession> = HashMap::new();
    let now = now_ms();
    // Checked against their sessions first; the database is asked in chunks, not per event.
    let mut prepared = Vec::with_capacity(events.len());
    for (i, (event, device_seq)) in events.iter().enumerate() {
        let at = |m: String| Failure::bad_request(format!("events[{i}]: {m}"));
        if !sessions.contains_key(&event.session_id) {
            let s = load_session(&mut *tx, &event.session_id).await?.ok_or_else(|| {
                at(format!("field \"session_id\": no published session {:?}", event.session_id))
            })?;
            sessions.insert(event.session_id.clone(), s.0);
        }
        fits_session(event, &sessions[&event.session_id]).map_err(at)?;
        let payload = serde_json::to_string(event).map_err(|e| Failure::internal(e.to_string()))?;
        let hash = digest(&format!("{}\n{}\n{payload}", req.device_id, device_seq));
        prepared.push((event, *device_seq, payload, hash));
    }
    let mut stored: HashMap<String, String> = HashMap::new();
    for chunk in prepared.chunks(CHUNK) {
        let ids: Vec<&str> = chunk.iter().map(|p| p.0.op_id.as_str()).collect();
        let sql = format!(
            "SELECT op_id, payload_hash FROM events WHERE op_id IN ({})",
            placeholders(ids.len(), 1)
        );
        let mut q = sqlx::query_as::<_, (String, String)>(AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(id);
        }
        stored.extend(q.fetch_all(&mut *tx).await?);
    }
    let (mut accepted, mut duplicates) = (0u32, 0u32);
    let mut fresh = Vec::with_capacity(prepared.len());
    // Events of this batch by op id, for duplicates and supersedes within the batch.
    let mut in_batch: HashMap<&str, (&str, &JudgementEvent)> = HashMap::new();
    for (i, (event, device_seq, payload, hash)) in prepared.iter().enumerate() {
        let seen = stored
            .get(&event.op_id)
            .map(String::as_str)
            .or_else(|| in_batch.get(event.op_id.as_str()).map(|x| x.0));
        match seen {
            Some(h) if h == hash => {
                duplicates += 1;
                continue;
            }
            Some(_) => {
                return Err(Failure::conflict(format!(
                    "events[{i}]: op_id {:?} is stored already with other content; nothing of this batch was stored",
                    event.op_id
                )));
            }
            None => {}
        }
        if let Some(prev) = &event.supersedes {
            let why = match in_batch.get(prev.as_str()) {
                Some((_, p)) => replaces(prev, p, event),
                None => supersedes_ok(&mut tx, prev, event).await?,
            };
            if let Some(m) = why {
                return Err(Failure::bad_request(format!("events[{i}]: {m}")));
            }
        }
        in_batch.insert(&event.op_id, (hash, event));
        fresh.push((*event, *device_seq, payload, hash));
        accepted += 1;
    }
    // Numbered in the pull feed, then stored, a chunk per statement.
    for chunk in fresh.chunks(CHUNK / 9) {
        let sql = format!(
            "INSERT INTO changes (kind, ref, created_at) VALUES {} RETURNING seq, ref",
            (0..chunk.len())
                .map(|r| format!("('event', ${}, ${})", 2 * r + 1, 2 * r + 2))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(AssertSqlSafe(sql));
        for (event, ..) in chunk {
            q = q.bind(&event.op_id).bind(now);
        }
        let seqs: HashMap<String, i64> =
            q.fetch_all(&mut *tx).await?.into_iter().map(|(s, r)| (r, s)).collect();
        let sql = format!(
            "INSERT INTO events (op_id, session_id, user_id, device_id, device_seq, payload, payload_hash, seq, received_at) VALUES {}",
            (0..chunk.len())
                .map(|r| format!("({})", placeholders(9, 9 * r + 1)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (event, device_seq, payload, hash) in chunk {
            let seq = seqs
                .get(&event.op_id)
                .copied()
                .ok_or_else(|| Failure::internal("a change number went missing"))?;
            q = q
                .bind(&event.op_id)
                .bind(&event.session_id)
                .bind(user.id)
                .bind(&req.device_id)
                .bind(*device_seq)
                .bind(*payload)
                .bind(*hash)
                .bind(seq)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    let high: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(device_seq) FROM events WHERE device_id = $1 AND user_id = $2",
    )
    .bind(&req.device_id)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    let response = PushResponse { accepted, duplicates, high_water: high.unwrap_or(0) };
    sqlx::query("INSERT INTO idempotency (user_id, key, request_hash, response, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user.id)
        .bind(&key)
        .bind(&request_hash)
        .bind(serde_json::to_string(&response).unwrap_or_default())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(response))
}

/// Numbers a change in the pull feed.
pub(crate) async fn change(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    reference: &str,
    now: i64,
) -> Result<i64, Failure> {
    let row = sqlx::query(
        "INSERT INTO changes (kind, ref, created_at) VALUES ($1, $2, $3) RETURNING seq",
    )
    .bind(kind)
    .bind(reference)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get(0)?)
}

/// One pushed event: its `device_seq` taken out, the reviewer set to the caller (a different
/// `reviewer` in the body is refused), then read and checked as a judgement event.
fn incoming(value: &serde_json::Value, user: &User) -> Result<(JudgementEvent, i64), String> {
    let mut map = value.as_object().cloned().ok_or("an event is a JSON object")?;
    let seq = map
        .remove("device_seq")
        .ok_or("field \"device_seq\" is missing")?
        .as_i64()
        .filter(|s| *s >= 1)
        .ok_or("field \"device_seq\": a whole number from 1")?;
    match map.get("reviewer").map(|r| r.as_str()) {
        None => {}
        Some(Some(r)) if r == user.name => {}
        Some(r) => {
            return Err(format!(
                "field \"reviewer\": {} does not belong to you ({}); leave it out, the server sets it",
                r.map_or("a non-string".into(), |r| format!("{r:?}")),
                user.name
            ));
        }
    }
    map.insert("reviewer".into(), user.name.clone().into());
    let event: JudgementEvent =
        serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| e.to_string())?;
    check_event(&event)?;
    Ok((event, seq))
}

/// The event names the session's personas, candidates and snapshots only.
fn fits_session(e: &JudgementEvent, s: &PublishedSession) -> Result<(), String> {
    if !s.personas.iter().any(|p| p.id == e.persona_id) {
        return Err(format!(
            "field \"persona_id\": {:?} is not a persona of session {:?}",
            e.persona_id, s.id
        ));
    }
    let known = |c: &String| s.candidates.iter().any(|x| &x.name == c);
    for c in e.candidate.iter().chain(e.shown.iter().flatten()) {
        if !known(c) {
            return Err(format!("candidate {c:?} is not in session {:?}", s.id));
        }
    }
    if let Some(id) = &e.snapshot_id {
        let snap = s.snapshots.iter().find(|x| &x.id == id).ok_or_else(|| {
            format!("field \"snapshot_id\": no list {id:?} in session {:?}", s.id)
        })?;
        if snap.persona_id != e.persona_id
            || e.candidate.as_ref().is_some_and(|c| c != &snap.candidate)
        {
            return Err(format!(
                "field \"snapshot_id\": list {id:?} is {}'s for {}",
                snap.candidate, snap.persona_id
            ));
        }
    }
    Ok(())
}

/// `None` when `prev` is a stored event of the same reviewer and kind, else why not.
async fn supersedes_ok(
    tx: &mut Transaction<'_, Any>,
    prev: &str,
    e: &JudgementEvent,
) -> Result<Option<String>, Failure> {
    let stored: Option<(String,)> = sqlx::query_as("SELECT payload FROM events WHERE op_id = $1")
        .bind(prev)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((payload,)) = stored else {
        return Ok(Some(format!("field \"supersedes\": no stored event {prev:?} (push it first)")));
    };
    let p: JudgementEvent =
        serde_json::from_str(&payload).map_err(|x| Failure::internal(x.to_string()))?;
    Ok(replaces(prev, &p, e))
}

/// `None` when `e` may replace `p` (same reviewer, same kind), else why not.
fn replaces(prev: &str, p: &JudgementEvent, e: &JudgementEvent) -> Option<String> {
    (p.reviewer != e.reviewer || p.kind != e.kind).then(|| {
        format!(
            "field \"supersedes\": {prev:?} is a {} by {}; an event replaces its own reviewer's event of the same kind",
            p.kind.as_str(),
            p.reviewer
        )
    })
}

/// Bind parameters per statement at most (SQLite allows 32,766; PostgreSQL 65,535).
const CHUNK: usize = 900;

/// `$first, $first+1, …` (`n` of them).
fn placeholders(n: usize, first: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[derive(Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    cursor: String,
    limit: Option<u32>,
}

/// Changes after `cursor`, oldest first, at most `limit` (default 1000, at most 5000).
/// Reviewers get their own events; approvers and admins everyone's. Everyone gets every
/// published session.
pub async fn pull(
    State(db): State<Db>,
    caller: Caller,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, Failure> {
    let after: i64 = if q.cursor.is_empty() {
        0
    } else {
        q.cursor.parse().ok().filter(|c| *c >= 0).ok_or_else(|| {
            Failure::bad_request(format!("cursor {:?} is not one this server gave out", q.cursor))
        })?
    };
    let limit = i64::from(q.limit.unwrap_or(1000).clamp(1, 5000));
    let seqs: Vec<(i64,)> =
        sqlx::query_as("SELECT seq FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after)
            .bind(limit + 1)
            .fetch_all(&db.pool)
            .await?;
    let more = seqs.len() as i64 > limit;
    let last = seqs.iter().take(limit as usize).next_back().map_or(after, |(s,)| *s);
    let everyone = matches!(caller.0.role, Role::Approver | Role::Admin);
    let rows = sqlx::query(
        "SELECT seq, device_id, device_seq, payload FROM events
         WHERE seq > $1 AND seq <= $2 AND ($3 = 1 OR user_id = $4) ORDER BY seq",
    )
    .bind(after)
    .bind(last)
    .bind(i64::from(everyone))
    .bind(caller.0.id)
    .fetch_all(&db.pool)
    .await?;
    let mut events = Vec::with_capacity(rows.len());
    for r in rows {
        let payload: String = r.try_get("payload")?;
        events.push(PulledEvent {
            seq: r.try_get("seq")?,
            device_id: r.try_get("device_id")?,
            device_seq: r.try_get("device_seq")?,
            event: serde_json::from_str(&payload).map_err(|e| Failure::internal(e.to_string()))?,
        });
    }
    let rows = sqlx::query(
        "SELECT s.seq, s.body, u.name FROM sessions s JOIN users u ON u.id = s.owner_id
         WHERE s.seq > $1 AND s.seq <= $2 ORDER BY s.seq",
    )
    .bind(after)
    .bind(last)
    .fetch_all(&db.pool)
    .await?;
    let mut sessions = Vec::with_capacity(rows.len());
    for r in rows {
        let body: String = r.try_get("body")?;
        sessions.push(PulledSession {
            seq: r.try_get("seq")?,
            owner: r.try_get("name")?,
            session: serde_json::from_str(&body).map_err(|e| Failure::internal(e.to_string()))?,
        });
    }
    Ok(Json(PullResponse { events, sessions, cursor: last.to_string(), more }))
}
