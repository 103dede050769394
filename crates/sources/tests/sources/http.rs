//! Every failure mode of an HTTP candidate, against a stand-in endpoint on a real socket.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use screening_sources::{Fetched, HttpCandidate, HttpConfig, fetch_one};
use serde_json::{Value, json};

use crate::{letters, request, spawn};

/// Hits per path.
#[derive(Default)]
struct Hits(std::sync::Mutex<BTreeMap<String, usize>>);

impl Hits {
    fn count(&self, path: &str) -> usize {
        self.0.lock().unwrap().get(path).copied().unwrap_or(0)
    }
    fn hit(&self, path: &str) {
        *self.0.lock().unwrap().entry(path.to_owned()).or_default() += 1;
    }
}

/// An endpoint for each way a model service can answer.
async fn stand_in() -> (String, Arc<Hits>) {
    let hits = Arc::new(Hits::default());
    let items = |ids: &[&str]| json!({ "items": ids.iter().map(|i| json!({ "item_id": i, "score": 1.0 })).collect::<Vec<_>>() });
    let ok = items(&["a", "b", "c"]);
    let messy = items(&["a", "a", "b", "zz", "c", "b", "d", "e", "f"]);
    let router = axum::Router::new()
        .route(
            "/ok",
            post(move |State(h): State<Arc<Hits>>| async move {
                h.hit("/ok");
                axum::Json(ok)
            }),
        )
        .route("/messy", post(move || async move { axum::Json(messy) }))
        .route(
            "/slow",
            post(|State(h): State<Arc<Hits>>| async move {
                h.hit("/slow");
                tokio::time::sleep(Duration::from_secs(3)).await;
                "{\"items\":[]}"
            }),
        )
        .route(
            "/busy",
            post(|State(h): State<Arc<Hits>>| async move {
                h.hit("/busy");
                (StatusCode::SERVICE_UNAVAILABLE, "Overloaded:\n  try again in 30 s")
            }),
        )
        .route("/html", post(|| async { "<html><body>Login required</body></html>" }))
        .route("/no-items", post(|| async { axum::Json(json!({ "results": [] })) }))
        .route(
            "/auth",
            post(|headers: HeaderMap| async move {
                let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_owned());
                axum::Json(json!({ "items": [{ "item_id": "a", "reason": auth }] }))
            }),
        )
        .with_state(Arc::clone(&hits));
    (format!("http://{}", spawn(router).await), hits)
}

async fn fetch(url: String, timeout_ms: u64, headers: &[(&str, &str)], k: u32) -> Fetched {
    let config = HttpConfig {
        url,
        timeout_ms,
        headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    };
    let candidate = HttpCandidate::new(config).unwrap();
    fetch_one(&candidate, &request(k, &["a"]), letters().as_ref()).await
}

fn error(f: &Fetched) -> &str {
    f.error.as_deref().unwrap_or_else(|| panic!("expected an error: {f:?}"))
}

#[tokio::test]
async fn a_good_answer_is_checked_against_the_catalog_and_k() {
    let (base, hits) = stand_in().await;
    let f = fetch(format!("{base}/ok"), 2_000, &[], 10).await;
    assert_eq!((f.error.as_deref(), f.items.len()), (None, 3));
    assert_eq!(hits.count("/ok"), 1);

    let f = fetch(format!("{base}/messy"), 2_000, &[], 5).await;
    let ids: Vec<(&str, bool)> = f.items.iter().map(|i| (i.item_id.as_str(), i.known)).collect();
    assert_eq!(ids, [("a", true), ("b", true), ("zz", false), ("c", true), ("d", true)]);
    assert_eq!(
        f.warnings,
        [
            "2 repeated item id(s) removed: \"a\", \"b\"",
            "7 items returned for k = 5; the list is cut to 5",
            "1 item id(s) not in the catalog, shown as unknown: \"zz\"",
        ]
    );
    assert!(f.error.is_none());
}

#[tokio::test]
async fn each_failure_is_a_clear_message_with_what_was_exchanged() {
    let (base, hits) = stand_in().await;

    let f = fetch(format!("{base}/busy"), 2_000, &[], 10).await;
    assert_eq!(error(&f), "HTTP 503 Service Unavailable: Overloaded: try again in 30 s");
    assert_eq!(f.raw_response.as_deref(), Some("Overloaded:\n  try again in 30 s"));
    assert_eq!(hits.count("/busy"), 1, "an answer is never retried");

    let f = fetch(format!("{base}/html"), 2_000, &[], 10).await;
    assert!(error(&f).starts_with("the response is not valid JSON"), "{f:?}");
    assert!(error(&f).ends_with("it starts: <html><body>Login required</body></html>"), "{f:?}");

    let f = fetch(format!("{base}/no-items"), 2_000, &[], 10).await;
    assert_eq!(error(&f), "the response has no \"items\" list");
    assert_eq!(f.sent["body"]["persona"]["name"], "Reality TV fan");

    let f = fetch(format!("{base}/slow"), 300, &[], 10).await;
    assert_eq!(error(&f), "no answer within 300 ms");
    assert_eq!(hits.count("/slow"), 1, "a timeout is not retried");
    assert!(f.latency_ms < 3_000.0, "gave up before the endpoint answered: {}", f.latency_ms);
}

#[tokio::test]
async fn a_refused_connection_is_named_after_one_retry() {
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/recommend");
    let f = fetch(url.clone(), 1_000, &[], 10).await;
    assert_eq!(error(&f), format!("cannot connect to {url}: connection refused"));

    // The retry: the endpoint comes up between the first attempt and the second.
    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&attempts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let router = axum::Router::new().route(
            "/r",
            post(move || async move {
                seen.fetch_add(1, Ordering::SeqCst);
                axum::Json(json!({ "items": [{ "item_id": "b" }] }))
            }),
        );
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        axum::serve(listener, router).await.unwrap();
    });
    let f = fetch(format!("http://{addr}/r"), 1_000, &[], 10).await;
    late.abort();
    // Either the first attempt already found it up, or the retry did: both end with one hit.
    assert_eq!(f.error, None, "{f:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn header_references_are_read_from_the_environment_and_never_kept() {
    let (base, _) = stand_in().await;
    // Setting a variable needs `unsafe` (forbidden here), so the test reads one that is set
    // (PATH) and one that is not.
    let name = "SCREENING_TEST_TOKEN_THAT_IS_NOT_SET";
    let value = std::env::var("PATH").unwrap();
    let header = "Bearer ${PATH}".to_owned();
    let f = fetch(format!("{base}/auth"), 2_000, &[("Authorization", &header)], 10).await;
    assert_eq!(f.items[0].reason.as_deref(), Some(format!("Bearer {value}").as_str()));
    assert_eq!(
        f.sent["headers"]["Authorization"],
        Value::from(header),
        "the reference, not the value"
    );

    let missing = format!("Bearer ${{{name}}}");
    let f = fetch(format!("{base}/auth"), 2_000, &[("Authorization", &missing)], 10).await;
    assert_eq!(
        error(&f),
        format!("header Authorization: the environment variable {name} is not set")
    );
    assert!(
        HttpCandidate::new(HttpConfig {
            url: base,
            timeout_ms: 1,
            headers: [("bad header".into(), "x".into())].into()
        })
        .is_err()
    );
}
