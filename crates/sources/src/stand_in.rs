//! A local stand-in for Amazon Personalize (GetRecommendations and PutEvents), so the real SDK
//! can be exercised without AWS: point it here with `AWS_ENDPOINT_URL` (or an SDK config's
//! endpoint) and any dummy credentials.
//!
//! It answers as the API documents — REST-JSON bodies, `x-amzn-ErrorType` on errors — and
//! records every request with its signature headers so tests can check what the SDK sent. The
//! campaign or recommender ARN picks the behaviour: one ending in `/missing` gets
//! `ResourceNotFoundException` (404), `/denied` `AccessDeniedException` (403), `/throttled`
//! `ThrottlingException` (400) and `/slow` answers after 3 s; any other ARN gets a list of the
//! catalog's first `numResults` items (ids `item-1`, `item-2`… unless given), the first one
//! promoted. A request that is not signed with AWS Signature Version 4 for the `personalize`
//! service gets `InvalidSignatureException` (403).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// One request the stand-in received.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// `/recommendations` or `/events`.
    pub path: String,
    pub authorization: Option<String>,
    pub amz_date: Option<String>,
    pub body: Value,
}

/// The stand-in's state: what it serves and what it received.
#[derive(Debug, Default)]
pub struct StandIn {
    items: Vec<String>,
    received: Mutex<Vec<Received>>,
}

impl StandIn {
    /// A stand-in recommending from `items` (in this order).
    pub fn new(items: Vec<String>) -> Arc<Self> {
        Arc::new(StandIn { items, received: Mutex::new(Vec::new()) })
    }

    /// Every request so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn record(&self, path: &str, headers: &HeaderMap, body: &Value) {
        let header =
            |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        if let Ok(mut r) = self.received.lock() {
            r.push(Received {
                path: path.to_owned(),
                authorization: header("authorization"),
                amz_date: header("x-amz-date"),
                body: body.clone(),
            });
        }
    }
}

/// The routes: `POST /recommendations` and `POST /events`.
pub fn router(stand_in: Arc<StandIn>) -> axum::Router {
    axum::Router::new()
        .route("/recommendations", post(recommendations))
        .route("/events", post(events))
        .with_state(stand_in)
}

/// Whether `headers` carry a SigV4 signature for Personalize.
fn signed(headers: &HeaderMap) -> bool {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    auth.starts_with("AWS4-HMAC-SHA256 Credential=")
        && auth.contains("/personalize/aws4_request")
        && auth.contains("SignedHeaders=")
        && auth.contains("Signature=")
        && headers.contains_key("x-amz-date")
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    let mut r = (status, Json(json!({ "message": message }))).into_response();
    if let Ok(v) = kind.parse() {
        r.headers_mut().insert("x-amzn-errortype", v);
    }
    r
}

async fn recommendations(
    State(s): State<Arc<StandIn>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    s.record("/recommendations", &headers, &body);
    if !signed(&headers) {
        return error(
            StatusCode::FORBIDDEN,
            "InvalidSignatureException",
            "The request is not signed",
        );
    }
    let arn = body["campaignArn"].as_str().or(body["recommenderArn"].as_str()).unwrap_or("");
    if arn.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidInputException",
            "Provide a campaignArn or a recommenderArn",
        );
    }
    if arn.ends_with("/missing") {
        return error(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            &format!("Resource {arn} does not exist."),
        );
    }
    if arn.ends_with("/denied") {
        return error(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            "User is not authorized to perform personalize:GetRecommendations",
        );
    }
    if arn.ends_with("/throttled") {
        return error(StatusCode::BAD_REQUEST, "ThrottlingException", "Rate exceeded");
    }
    if arn.ends_with("/slow") {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    let n = body["numResults"].as_u64().unwrap_or(25) as usize;
    let items: Vec<Value> = s
        .items
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, id)| {
            let mut item = json!({ "itemId": id, "score": 1.0 / (i as f64 + 2.0) });
            if i == 0 {
                item["promotionName"] = json!("editors-picks");
                item["reason"] = json!(["Promoted item"]);
            }
            item
        })
        .collect();
    Json(json!({ "itemList": items, "recommendationId": "RID-stand-in" })).into_response()
}

async fn events(
    State(s): State<Arc<StandIn>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    s.record("/events", &headers, &body);
    if !signed(&headers) {
        return error(
            StatusCode::FORBIDDEN,
            "InvalidSignatureException",
            "The request is not signed",
        );
    }
    let events = body["eventList"].as_array().map_or(0, Vec::len);
    if body["trackingId"].as_str().is_none_or(str::is_empty) || !(1..=10).contains(&events) {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidInputException",
            "trackingId and 1-10 events are required",
        );
    }
    StatusCode::OK.into_response()
}
