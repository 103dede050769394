//! The reference model server: the built-in models over HTTP contract v1.
//!
//! `POST /recommend/<model>` takes a [`RecommendRequest`] and answers a [`RecommendResponse`]
//! (the model's spec as `model_version`); `GET /health` says which models it serves. A request
//! that is not JSON, misses a field, asks for k outside 1..=[`MAX_K`] or names a history item
//! the catalog lacks gets a 400 with `{"error": "…"}`; an unknown model or path a 404. With an
//! empty history, a `user_id` that is a user of the dataset stands for that user's history.
//!
//! It is the executable specification of the contract, the stand-in for in-house models in
//! tests and demos (`screening serve-model`), and a real option for serving a baseline.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use screening_core::Dataset;
use screening_recommenders::{Model, Options};
use serde_json::json;

use crate::contract::{ErrorBody, RecommendRequest, RecommendResponse, ResponseItem};

/// Largest list the server makes.
pub const MAX_K: u32 = 500;

/// Trained models over one dataset, by name.
pub struct ModelServer {
    dataset: Arc<Dataset>,
    models: BTreeMap<String, Arc<Model>>,
}

impl ModelServer {
    /// A server for `models` (name → trained model) over `dataset`.
    pub fn new(dataset: Arc<Dataset>, models: BTreeMap<String, Arc<Model>>) -> Self {
        ModelServer { dataset, models }
    }

    /// The list of `model` for `req`, or the status and message to answer with.
    pub fn recommend(
        &self,
        model: &str,
        req: &RecommendRequest,
    ) -> Result<RecommendResponse, (StatusCode, String)> {
        let m = self.models.get(model).ok_or_else(|| {
            let names: Vec<&str> = self.models.keys().map(String::as_str).collect();
            (
                StatusCode::NOT_FOUND,
                format!("no model {model:?} here; this server has: {}", names.join(", ")),
            )
        })?;
        if !(1..=MAX_K).contains(&req.k) {
            return Err((
                StatusCode::BAD_REQUEST,
                format!("k must be between 1 and {MAX_K}, not {}", req.k),
            ));
        }
        let ds = &self.dataset;
        let mut history = Vec::with_capacity(req.history.len());
        for (n, h) in req.history.iter().enumerate() {
            let idx = ds.item_idx(&h.item_id).ok_or_else(|| {
                (
                    StatusCode::BAD_REQUEST,
                    format!("history[{n}].item_id {:?} is not in the catalog", h.item_id),
                )
            })?;
            history.push(idx);
        }
        if history.is_empty()
            && let Some(user) = req.user_id.as_deref().and_then(|u| ds.user_idx(u))
        {
            let mut events: Vec<_> = ds.interactions.iter().filter(|e| e.user == user).collect();
            events.sort_by_key(|e| e.timestamp);
            history = events.iter().map(|e| e.item).collect();
        }
        let items = m
            .recommend(&history, req.k as usize, Options::default())
            .into_iter()
            .map(|r| ResponseItem {
                item_id: ds.items[r.item as usize].id.clone(),
                score: Some(f64::from(r.score)),
                reason: Some(r.reason.text(&ds.items)),
            })
            .collect();
        Ok(RecommendResponse { items, model_version: Some(m.spec().to_string()) })
    }
}

/// The server's routes.
pub fn router(server: Arc<ModelServer>) -> axum::Router {
    axum::Router::new()
        .route("/recommend/{model}", post(recommend))
        .route("/health", get(health))
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "no such path: use POST /recommend/<model> or GET /health".into(),
            )
        })
        .with_state(server)
}

/// Serves `server` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    server: Arc<ModelServer>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(server)).with_graceful_shutdown(shutdown).await
}

async fn recommend(
    State(server): State<Arc<ModelServer>>,
    Path(model): Path<String>,
    body: Result<Json<RecommendRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(req)) => req,
        Err(rejection) => return error(StatusCode::BAD_REQUEST, rejection.body_text()),
    };
    match server.recommend(&model, &req) {
        Ok(list) => Json(list).into_response(),
        Err((status, message)) => error(status, message),
    }
}

async fn health(State(server): State<Arc<ModelServer>>) -> Response {
    let models: Vec<&String> = server.models.keys().collect();
    Json(json!({ "status": "ok", "models": models, "items": server.dataset.items.len() }))
        .into_response()
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(ErrorBody { error: message })).into_response()
}
