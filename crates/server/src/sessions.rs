//! Published sessions: publishing, listing, the team report, decisions.

use std::collections::HashSet;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use screening_core::report::{
    DEFAULT_SEED, GateCheck, JudgementEvent, Report, ReportOptions, build_report,
};
use screening_sync::{
    DecisionRecord, DecisionRequest, PublishedSession, PulledSession, Role, SessionListing,
    SharedLoadCheck, TeamReport, Verdict,
};
use sqlx::{Any, Executor, Row, Transaction};

use crate::api::{Caller, body};
use crate::db::{User, digest, now_ms};
use crate::push::change;
use crate::{Db, Failure};

/// A published session and its owner's id.
pub(crate) async fn load_session<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: &str,
) -> Result<Option<(PublishedSession, i64)>, Failure> {
    let row = sqlx::query("SELECT body, owner_id FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let text: String = row.try_get("body")?;
    let session = serde_json::from_str(&text)
        .map_err(|e| Failure::internal(format!("stored session: {e}")))?;
    Ok(Some((session, row.try_get("owner_id")?)))
}

/// Publishes a frozen session with its lists. Publishing the same session again is harmless;
/// with other content it is refused (409): a published session never changes.
pub async fn publish(
    State(db): State<Db>,
    caller: Caller,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SessionListing>), Failure> {
    let (session, _): (PublishedSession, Bytes) = body(bytes)?;
    check_session(&session).map_err(Failure::bad_request)?;
    let text = serde_json::to_string(&session).map_err(|e| Failure::internal(e.to_string()))?;
    let hash = digest(&text);
    let _writer = db.write.lock().await;
    let mut tx = db.pool.begin().await?;
    let existing: Option<(String, i64)> =
        sqlx::query_as("SELECT body_hash, owner_id FROM sessions WHERE id = $1")
            .bind(&session.id)
            .fetch_optional(&mut *tx)
            .await?;
    let status = match existing {
        Some((_, owner)) if owner != caller.0.id && caller.0.role != Role::Admin => {
            return Err(Failure::forbidden(format!(
                "session {:?} was published by another user",
                session.id
            )));
        }
        Some((h, _)) if h == hash => StatusCode::OK,
        Some(_) => {
            return Err(Failure::conflict(format!(
                "session {:?} is published already with other content; a published session never changes",
                session.id
            )));
        }
        None => {
            let now = now_ms();
            let seq = change(&mut tx, "session", &session.id, now).await?;
            sqlx::query("INSERT INTO sessions (id, owner_id, body, body_hash, seq, published_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&session.id)
                .bind(caller.0.id)
                .bind(&text)
                .bind(&hash)
                .bind(seq)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            for s in &session.snapshots {
                let taken: Option<(String,)> =
                    sqlx::query_as("SELECT session_id FROM snapshots WHERE id = $1")
                        .bind(&s.id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if let Some((other,)) = taken {
                    return Err(Failure::conflict(format!(
                        "list {:?} belongs to session {other:?} already",
                        s.id
                    )));
                }
                sqlx::query("INSERT INTO snapshots (id, session_id) VALUES ($1, $2)")
                    .bind(&s.id)
                    .bind(&session.id)
                    .execute(&mut *tx)
                    .await?;
            }
            StatusCode::CREATED
        }
    };
    let listing = listing(&mut tx, &session.id).await?;
    tx.commit().await?;
    Ok((status, Json(listing)))
}

/// What a published session must hold together: unique ids, lists of its own personas and
/// candidates, an incumbent and challenger among the candidates.
fn check_session(s: &PublishedSession) -> Result<(), String> {
    if s.id.trim().is_empty() || s.name.trim().is_empty() {
        return Err("fields \"id\" and \"name\" must not be empty".into());
    }
    if s.candidates.len() < 2 {
        return Err("field \"candidates\": a session compares at least 2".into());
    }
    let names: HashSet<&str> = s.candidates.iter().map(|c| c.name.as_str()).collect();
    if names.len() != s.candidates.len() {
        return Err("field \"candidates\": two candidates share a name".into());
    }
    let personas: HashSet<&str> = s.personas.iter().map(|p| p.id.as_str()).collect();
    if personas.is_empty() || personas.len() != s.personas.len() {
        return Err("field \"personas\": at least one, each id once".into());
    }
    for (role, name) in [("incumbent", &s.incumbent), ("challenger", &s.challenger)] {
        if let Some(n) = name
            && !names.contains(n.as_str())
        {
            return Err(format!("field {role:?}: {n:?} is not one of the candidates"));
        }
    }
    let mut ids = HashSet::new();
    for (i, snap) in s.snapshots.iter().enumerate() {
        if !ids.insert(snap.id.as_str()) {
            return Err(format!("snapshots[{i}]: id {:?} appears twice", snap.id));
        }
        if !personas.contains(snap.persona_id.as_str()) {
            return Err(format!(
                "snapshots[{i}]: field \"persona_id\": {:?} is not a persona of the session",
                snap.persona_id
            ));
        }
        if !names.contains(snap.candidate.as_str()) {
            return Err(format!(
                "snapshots[{i}]: field \"candidate\": {:?} is not a candidate of the session",
                snap.candidate
            ));
        }
    }
    Ok(())
}

/// One published session with its lists and personas, as published: what a reviewer's app
/// needs to join it.
pub async fn get(
    State(db): State<Db>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PulledSession>, Failure> {
    let row = sqlx::query(
        "SELECT s.seq, s.body, u.name FROM sessions s JOIN users u ON u.id = s.owner_id WHERE s.id = $1",
    )
    .bind(&id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| Failure::not_found(format!("no published session {id:?}")))?;
    let body: String = row.try_get("body")?;
    Ok(Json(PulledSession {
        seq: row.try_get("seq")?,
        owner: row.try_get("name")?,
        session: serde_json::from_str(&body).map_err(|e| Failure::internal(e.to_string()))?,
    }))
}

/// Every published session, newest first.
pub async fn list(
    State(db): State<Db>,
    _caller: Caller,
) -> Result<Json<Vec<SessionListing>>, Failure> {
    Ok(Json(listings(&db).await?))
}

/// Every published session, newest first (the API's list and the web page's).
pub(crate) async fn listings(db: &Db) -> Result<Vec<SessionListing>, Failure> {
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM sessions ORDER BY seq DESC").fetch_all(&db.pool).await?;
    let mut conn = db.pool.acquire().await?;
    let mut out = Vec::with_capacity(ids.len());
    for (id,) in ids {
        out.push(listing(&mut conn, &id).await?);
    }
    Ok(out)
}

/// One published session as the list shows it (404 when there is none).
pub(crate) async fn listing(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<SessionListing, Failure> {
    let row = sqlx::query(
        "SELECT s.body, s.published_at, u.name, (SELECT COUNT(*) FROM events e WHERE e.session_id = s.id) AS n
         FROM sessions s JOIN users u ON u.id = s.owner_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Failure::not_found(format!("no published session {id:?}")))?;
    let body: String = row.try_get("body")?;
    let session: PublishedSession =
        serde_json::from_str(&body).map_err(|e| Failure::internal(e.to_string()))?;
    Ok(SessionListing {
        id: session.id.clone(),
        name: session.name.clone(),
        owner: row.try_get("name")?,
        published_at: row.try_get("published_at")?,
        personas: session.personas.len() as u32,
        candidates: session.candidates.iter().map(|c| c.name.clone()).collect(),
        events: row.try_get("n")?,
        decisions: decisions(&mut *conn, id).await?,
    })
}

async fn decisions(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Vec<DecisionRecord>, Failure> {
    let rows = sqlx::query(
        "SELECT d.id, d.decision, d.note, d.report_digest, d.created_at, u.name
         FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.session_id = $1 ORDER BY d.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let decision: String = r.try_get("decision")?;
            Ok(DecisionRecord {
                id: r.try_get("id")?,
                session_id: id.to_owned(),
                decision: if decision == "approve" { Verdict::Approve } else { Verdict::Reject },
                note: r.try_get("note")?,
                author: r.try_get("name")?,
                report_digest: r.try_get("report_digest")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// The report over every reviewer's judgements of a session, and its digest.
pub async fn report(
    State(db): State<Db>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TeamReport>, Failure> {
    Ok(Json(team_report(&db, &id).await?))
}

pub(crate) async fn team_report(db: &Db, id: &str) -> Result<TeamReport, Failure> {
    let (session, _) = load_session(&db.pool, id)
        .await?
        .ok_or_else(|| Failure::not_found(format!("no published session {id:?}")))?;
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT payload FROM events WHERE session_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    let events = rows
        .iter()
        .map(|(p,)| serde_json::from_str::<JudgementEvent>(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::internal(format!("stored event: {e}")))?;
    let options = ReportOptions {
        seed: DEFAULT_SEED,
        candidates: session.candidates.iter().map(|c| c.name.clone()).collect(),
        criteria: session.criteria.clone(),
        incumbent: session.incumbent.clone(),
        challenger: session.challenger.clone(),
        gate: session.gate.clone().unwrap_or_default(),
        ..ReportOptions::default()
    };
    let mut report: Report = tokio::task::spawn_blocking(move || build_report(&events, &options))
        .await
        .map_err(|e| Failure::internal(e.to_string()))?;
    if let Some(row) = load_gate(db, id, report.challenger.as_deref()).await? {
        report.gate.passed &= row.passed;
        report.gate.checks.push(row);
    }
    let text = serde_json::to_string(&report).map_err(|e| Failure::internal(e.to_string()))?;
    Ok(TeamReport { session_id: id.to_owned(), digest: digest(&text), report })
}

/// Keeps a load check of one of a published session's candidates (any signed-in user: whoever
/// ran it). The same id again with the same content is harmless (200); with other content, 409.
pub async fn share_load_check(
    State(db): State<Db>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), Failure> {
    let (check, _): (SharedLoadCheck, Bytes) = body(bytes)?;
    let (session, _) = load_session(&db.pool, &id)
        .await?
        .ok_or_else(|| Failure::not_found(format!("no published session {id:?}")))?;
    if !session.candidates.iter().any(|c| c.name == check.candidate) {
        return Err(Failure::bad_request(format!(
            "field \"candidate\": {:?} is not a candidate of the session",
            check.candidate
        )));
    }
    check.plan.check().map_err(|e| Failure::bad_request(format!("field \"plan\": {e}")))?;
    if check.max_p99_ms.is_nan() || check.max_p99_ms <= 0.0 {
        return Err(Failure::bad_request("field \"max_p99_ms\": more than 0 ms"));
    }
    let text = serde_json::to_string(&check).map_err(|e| Failure::internal(e.to_string()))?;
    let _writer = db.write.lock().await;
    let mut tx = db.pool.begin().await?;
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT session_id, body FROM load_checks WHERE id = $1")
            .bind(&check.id)
            .fetch_optional(&mut *tx)
            .await?;
    let status = match existing {
        Some((s, b)) if s == id && b == text => StatusCode::OK,
        Some(_) => {
            return Err(Failure::conflict(format!(
                "load check {:?} is stored already with other content",
                check.id
            )));
        }
        None => {
            sqlx::query(
                "INSERT INTO load_checks (id, session_id, candidate, user_id, body, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&check.id)
            .bind(&id)
            .bind(&check.candidate)
            .bind(caller.0.id)
            .bind(&text)
            .bind(check.created_at)
            .execute(&mut *tx)
            .await?;
            StatusCode::CREATED
        }
    };
    tx.commit().await?;
    Ok((status, Json(serde_json::json!({ "id": check.id }))))
}

/// The gate's load row of a session: the challenger's latest load check (in the server's order).
async fn load_gate(
    db: &Db,
    id: &str,
    challenger: Option<&str>,
) -> Result<Option<GateCheck>, Failure> {
    let Some(challenger) = challenger else { return Ok(None) };
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT body FROM load_checks WHERE session_id = $1 AND candidate = $2 ORDER BY seq DESC LIMIT 1",
    )
    .bind(id)
    .bind(challenger)
    .fetch_optional(&db.pool)
    .await?;
    let Some((body,)) = row else { return Ok(None) };
    let check: SharedLoadCheck = serde_json::from_str(&body)
        .map_err(|e| Failure::internal(format!("stored load check: {e}")))?;
    Ok(Some(screening_load::gate_check(&check.result, check.max_p99_ms)))
}

/// Records an approver's decision on the report as it is now (its digest is kept with it).
pub async fn decide(
    State(db): State<Db>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DecisionRecord>), Failure> {
    caller.require(DECIDERS, "recording a decision")?;
    let (req, _): (DecisionRequest, Bytes) = body(bytes)?;
    Ok((StatusCode::CREATED, Json(record_decision(&db, &caller.0, id, req, None).await?)))
}

/// Who may record a decision.
pub(crate) const DECIDERS: &[Role] = &[Role::Approver];

/// Records `user`'s decision on session `id`'s report as it is now, with its digest (the API's
/// and the web form's; the caller has checked the role against [`DECIDERS`]). With `seen`, the
/// digest of the report the user was shown, a report that has changed since is refused (409).
pub(crate) async fn record_decision(
    db: &Db,
    user: &User,
    id: String,
    req: DecisionRequest,
    seen: Option<&str>,
) -> Result<DecisionRecord, Failure> {
    let report = team_report(db, &id).await?;
    if seen.is_some_and(|d| d != report.digest) {
        return Err(Failure::conflict(
            "the report has changed since the page was loaded (new judgements arrived): \
             reload it, look again, then decide",
        ));
    }
    let _writer = db.write.lock().await;
    let mut tx: Transaction<'_, Any> = db.pool.begin().await?;
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO decisions (session_id, user_id, decision, note, report_digest, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&id)
    .bind(user.id)
    .bind(if req.decision == Verdict::Approve { "approve" } else { "reject" })
    .bind(&req.note)
    .bind(&report.digest)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let record = DecisionRecord {
        id: row.try_get(0)?,
        session_id: id,
        decision: req.decision,
        note: req.note,
        author: user.name.clone(),
        report_digest: report.digest,
        created_at: now,
    };
    tx.commit().await?;
    Ok(record)
}
