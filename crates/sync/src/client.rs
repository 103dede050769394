//! The HTTP client of the sync protocol.

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::{
    ApiError, DecisionRecord, DecisionRequest, IDEMPOTENCY_HEADER, PROTOCOL_HEADER,
    PROTOCOL_VERSION, PublishedSession, PullResponse, PulledSession, PushRequest, PushResponse,
    SessionListing, SharedLoadCheck, TeamReport,
};

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: the server is down or unreachable (the outbox keeps the judgements).
    #[error("cannot reach {url}: {message}")]
    Offline { url: String, message: String },
    /// The server answered with an error.
    #[error("{status}: {}", .error.message)]
    Server { status: u16, error: ApiError },
    /// The answer was not what the protocol says.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
}

/// A client of one server with one user's token.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Client {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str, token: &str) -> Client {
        let http =
            reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap_or_default();
        Client { base: base.trim_end_matches('/').to_owned(), token: token.to_owned(), http }
    }

    /// Whether the server answers at all (`GET /health`, no token needed).
    pub async fn health(&self) -> Result<(), ClientError> {
        let _: serde_json::Value = self.send(self.http.get(self.url("/health"))).await?;
        Ok(())
    }

    pub async fn push(
        &self,
        batch_id: &str,
        req: &PushRequest,
    ) -> Result<PushResponse, ClientError> {
        let rb = self.http.post(self.url("/v1/sync/push")).header(IDEMPOTENCY_HEADER, batch_id);
        self.send(rb.json(req)).await
    }

    pub async fn pull(&self, cursor: &str, limit: u32) -> Result<PullResponse, ClientError> {
        // Cursors are what the server gave out: digits, nothing to escape.
        let url = self.url(&format!("/v1/sync/pull?cursor={cursor}&limit={limit}"));
        self.send(self.http.get(url)).await
    }

    pub async fn publish(&self, session: &PublishedSession) -> Result<SessionListing, ClientError> {
        self.send(self.http.post(self.url("/v1/sessions")).json(session)).await
    }

    pub async fn sessions(&self) -> Result<Vec<SessionListing>, ClientError> {
        self.send(self.http.get(self.url("/v1/sessions"))).await
    }

    /// One published session with its lists (to join it).
    pub async fn session(&self, session_id: &str) -> Result<PulledSession, ClientError> {
        self.send(self.http.get(self.url(&format!("/v1/sessions/{session_id}")))).await
    }

    /// Sends a load check of a published session's candidate.
    pub async fn share_load_check(
        &self,
        session_id: &str,
        check: &SharedLoadCheck,
    ) -> Result<serde_json::Value, ClientError> {
        let url = self.url(&format!("/v1/sessions/{session_id}/load-checks"));
        self.send(self.http.post(url).json(check)).await
    }

    pub async fn report(&self, session_id: &str) -> Result<TeamReport, ClientError> {
        self.send(self.http.get(self.url(&format!("/v1/sessions/{session_id}/report")))).await
    }

    pub async fn decide(
        &self,
        session_id: &str,
        req: &DecisionRequest,
    ) -> Result<DecisionRecord, ClientError> {
        let url = self.url(&format!("/v1/sessions/{session_id}/decision"));
        self.send(self.http.post(url).json(req)).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        rb: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let rb = rb.header(PROTOCOL_HEADER, PROTOCOL_VERSION).bearer_auth(&self.token);
        let response = rb
            .send()
            .await
            .map_err(|e| ClientError::Offline { url: self.base.clone(), message: e.to_string() })?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::Offline { url: self.base.clone(), message: e.to_string() })?;
        if status.is_success() {
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(e.to_string()))
        } else {
            let error = serde_json::from_slice(&bytes).unwrap_or_else(|_| ApiError {
                code: "unknown".into(),
                message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
            });
            Err(ClientError::Server { status: status.as_u16(), error })
        }
    }
}
