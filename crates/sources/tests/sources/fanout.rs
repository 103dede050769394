//! The fan-out asks every candidate at once: proven by endpoints that only answer once enough
//! requests are in flight together (no timing assertions).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::routing::post;
use screening_sources::{Candidate, Catalog, HttpCandidate, HttpConfig, fan_out};
use serde_json::json;
use tokio::sync::Barrier;

use crate::{letters, request, spawn};

/// An endpoint whose requests wait at `barrier`: it answers only when the barrier's count of
/// requests (across every endpoint sharing it) are in flight at once, else fails after 5 s.
async fn gated(barrier: Arc<Barrier>, item: &'static str) -> String {
    let router = axum::Router::new()
        .route(
            "/r",
            post(move |State(b): State<Arc<Barrier>>| async move {
                match tokio::time::timeout(Duration::from_secs(5), b.wait()).await {
                    Ok(_) => axum::Json(json!({ "items": [{ "item_id": item }] })).into_response(),
                    Err(_) => (axum::http::StatusCode::GATEWAY_TIMEOUT, "not asked in parallel")
                        .into_response(),
                }
            }),
        )
        .with_state(barrier);
    format!("http://{}/r", spawn(router).await)
}

use axum::response::IntoResponse;

fn http(url: String) -> Arc<dyn Candidate> {
    Arc::new(
        HttpCandidate::new(HttpConfig { url, timeout_ms: 10_000, headers: Default::default() })
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_candidate_and_persona_is_asked_at_once_and_failures_stay_in_their_column() {
    // Two gated candidates × 4 personas: all 8 requests must be in flight together.
    let barrier = Arc::new(Barrier::new(8));
    let slow_a = gated(Arc::clone(&barrier), "a").await;
    let slow_b = gated(Arc::clone(&barrier), "b").await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        format!("http://{a}/r")
    };
    let candidates = vec![http(slow_a), http(closed), http(slow_b)];
    let requests: Vec<Vec<_>> =
        candidates.iter().map(|_| (0..4).map(|_| request(3, &[])).collect()).collect();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&heard);
    let catalog: Arc<dyn Catalog> = letters();
    let out = fan_out(
        &candidates,
        &requests,
        catalog,
        Arc::new(move |c, r| sink.lock().unwrap().push((c, r))),
    )
    .await;

    assert_eq!(out.len(), 3);
    for (c, item) in [(0, "a"), (2, "b")] {
        for f in &out[c] {
            assert_eq!(f.error, None, "candidate {c}: {f:?}");
            assert_eq!(f.items[0].item_id, item);
        }
    }
    assert!(out[1].iter().all(|f| f.error.as_deref().unwrap().contains("connection refused")));
    let mut heard = heard.lock().unwrap().clone();
    heard.sort();
    assert_eq!(heard.len(), 12, "one report per candidate × persona");
}
