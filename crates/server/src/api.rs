//! The HTTP API, protocol version 1: routes, the caller's identity, bodies.

use std::future::Future;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use screening_sync::{MAX_BODY_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION, Role};
use serde::de::DeserializeOwned;

use crate::db::User;
use crate::{Db, Failure, push, sessions};

/// Every route of the server over `db`.
pub fn router(db: Db) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/sync/push", post(push::push))
        .route("/v1/sync/pull", get(push::pull))
        .route("/v1/sessions", post(sessions::publish).get(sessions::list))
        .route("/v1/sessions/{id}", get(sessions::get))
        .route("/v1/sessions/{id}/report", get(sessions::report))
        .route("/v1/sessions/{id}/decision", post(sessions::decide))
        .route("/v1/sessions/{id}/load-checks", post(sessions::share_load_check))
        .merge(crate::web::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(db)
}

/// Serves `db` on `listener` until `shutdown` resolves; requests in flight finish first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    db: Db,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(db)).with_graceful_shutdown(shutdown).await
}

async fn health(
    axum::extract::State(db): axum::extract::State<Db>,
) -> Result<Json<serde_json::Value>, Failure> {
    sqlx::query("SELECT 1").execute(&db.pool).await?;
    Ok(Json(serde_json::json!({ "status": "ok", "protocol": PROTOCOL_VERSION })))
}

/// The signed-in caller of a `/v1` route: the protocol header checked, then the bearer token.
pub struct Caller(pub User);

impl FromRequestParts<Db> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, db: &Db) -> Result<Caller, Failure> {
        match parts.headers.get(PROTOCOL_HEADER).map(|v| v.to_str().unwrap_or("?")) {
            Some(PROTOCOL_VERSION) => {}
            Some(other) => {
                return Err(Failure::protocol(format!(
                    "this server speaks sync protocol {PROTOCOL_VERSION}; the client sent {other:?}: update the app"
                )));
            }
            None => {
                return Err(Failure::protocol(format!(
                    "missing header X-Screening-Protocol (this server speaks {PROTOCOL_VERSION})"
                )));
            }
        }
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| Failure::unauthorized("missing header Authorization: Bearer <token>"))?;
        Ok(Caller(db.authenticate(token.trim()).await?))
    }
}

impl Caller {
    /// Refuses callers whose role is not among `roles`.
    pub fn require(&self, roles: &[Role], what: &str) -> Result<(), Failure> {
        if roles.contains(&self.0.role) {
            Ok(())
        } else {
            let allowed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(Failure::forbidden(format!(
                "{what} needs the role {}; {} is a {}",
                allowed.join(" or "),
                self.0.name,
                self.0.role.as_str()
            )))
        }
    }
}

/// A JSON body: too large is 413, anything malformed a 400 that says where.
pub fn body<T: DeserializeOwned>(
    bytes: Result<Bytes, BytesRejection>,
) -> Result<(T, Bytes), Failure> {
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::too_large(format!("the body is larger than {MAX_BODY_BYTES} bytes"))
        } else {
            Failure::bad_request(format!("cannot read the body: {e}"))
        }
    })?;
    let value = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::bad_request(format!("the body is not valid: {e}")))?;
    Ok((value, bytes))
}
