//! The load check against real HTTP servers on real sockets: a fast one, a failing one, a slow
//! one, one that stalls once (coordinated omission) and one that answers outside the contract.
//! The assertions use what an open-loop run fixes in advance (how many requests, which fail) and
//! lower bounds on latency (an answer cannot come faster than the server waits), never the
//! machine's speed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use screening_load::{HttpTarget, LoadPlan, LoadProgress, StepPlan, run, step};
use screening_sources::RecommendRequest;
use tokio::sync::watch;

#[derive(Default)]
struct Seen {
    calls: AtomicU64,
    bad_bodies: AtomicU64,
}

/// `POST /{behaviour}`: `fast`, `fail4` (every 4th call a 503), `slow` (100 ms), `stall`
/// (the first call waits 1 s), `offcontract` (200 without `items`); every body must be a
/// contract-v1 request.
async fn answer(
    State(seen): State<Arc<Seen>>,
    Path(behaviour): Path<String>,
    body: Bytes,
) -> (StatusCode, String) {
    let n = seen.calls.fetch_add(1, Ordering::SeqCst) + 1;
    if serde_json::from_slice::<RecommendRequest>(&body).is_err() {
        seen.bad_bodies.fetch_add(1, Ordering::SeqCst);
    }
    let ok = (StatusCode::OK, r#"{"items":[{"item_id":"x"}]}"#.to_owned());
    match behaviour.as_str() {
        "fail4" if n % 4 == 0 => (StatusCode::SERVICE_UNAVAILABLE, "busy".into()),
        "slow" => {
            tokio::time::sleep(Duration::from_millis(100)).await;
            ok
        }
        "stall" if n == 1 => {
            tokio::time::sleep(Duration::from_millis(1000)).await;
            ok
        }
        "offcontract" => (StatusCode::OK, r#"{"results":[]}"#.into()),
        _ => ok,
    }
}

async fn server() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app = Router::new().route("/{behaviour}", post(answer)).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

fn requests() -> Vec<RecommendRequest> {
    personas().iter().map(|p| RecommendRequest::for_persona(p, "load", 10)).collect()
}

/// Two small personas to build requests from.
fn personas() -> Vec<screening_core::Persona> {
    ["a", "b"]
        .iter()
        .map(|id| screening_core::Persona {
            id: (*id).into(),
            name: id.to_uppercase(),
            description: String::new(),
            tags: vec![],
            history: vec![screening_core::HistoryEntry {
                item_id: "i1".into(),
                timestamp: 1_700_000_000,
                event_type: "watch".into(),
            }],
            external_user_ids: Default::default(),
        })
        .collect()
}

fn plan(rate: f64, duration_s: f64, concurrency: u32) -> LoadPlan {
    LoadPlan { rate, duration_s, ramp_from: 0.0, ramp_s: 0.0, concurrency, timeout_ms: 5_000 }
}

fn target(url: &str, concurrency: u32) -> Arc<HttpTarget> {
    Arc::new(
        HttpTarget::new(
            url,
            &Default::default(),
            &requests(),
            Duration::from_secs(5),
            concurrency as usize,
        )
        .unwrap(),
    )
}

fn quiet() -> Arc<dyn Fn(&LoadProgress) + Send + Sync> {
    Arc::new(|_| {})
}

fn never() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    std::mem::forget(tx);
    rx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_loop_run_sends_what_the_schedule_says_and_reports_progress() {
    let (base, seen) = server().await;
    let ticks = Arc::new(std::sync::Mutex::new(Vec::new()));
    let heard = {
        let ticks = ticks.clone();
        Arc::new(move |p: &LoadProgress| ticks.lock().unwrap().push(p.clone()))
    };
    let result = run(target(&format!("{base}/fast"), 16), &plan(50.0, 2.0, 16), heard, never())
        .await
        .unwrap();
    assert_eq!(result.requests, 100, "50/s for 2 s");
    assert_eq!(seen.calls.load(Ordering::SeqCst), 100);
    assert_eq!(seen.bad_bodies.load(Ordering::SeqCst), 0, "every body is a contract request");
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert!(!result.stopped);
    assert!(result.duration_s >= 1.98, "the last request is due at 1.98 s");
    assert!(result.latency_ms.p50 > 0.0 && result.latency_ms.p50 <= result.latency_ms.p99);
    assert!(result.latency_ms.p99 <= result.latency_ms.max);
    let ticks = ticks.lock().unwrap();
    assert!(!ticks.is_empty(), "progress every second");
    assert!(ticks.windows(2).all(|w| w[0].done <= w[1].done && w[0].elapsed_s < w[1].elapsed_s));
    assert_eq!(result.timeline.last().unwrap().done, 100, "the timeline ends with the run");
}

/// A ramp asks less than the target on average: a run that kept up with its schedule holds its
/// rate in the gate's eyes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ramped_run_that_kept_up_holds_its_rate() {
    let (base, _) = server().await;
    let ramped = LoadPlan { ramp_s: 2.0, ..plan(40.0, 1.0, 16) };
    let r = run(target(&format!("{base}/fast"), 16), &ramped, quiet(), never()).await.unwrap();
    assert_eq!(r.requests, 80, "the ramp's 40 and the hold's 40");
    assert!((r.scheduled_rps - 80.0 / 3.0).abs() < 1e-9);
    let check = screening_load::gate_check(&r, 60_000.0);
    assert!(check.passed, "{check:?} {r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_counted_by_kind() {
    let (base, _) = server().await;
    let r = run(target(&format!("{base}/fail4"), 8), &plan(40.0, 2.0, 8), quiet(), never())
        .await
        .unwrap();
    assert_eq!(r.requests, 80);
    assert_eq!(r.errors.get("http_503"), Some(&20), "{:?}", r.errors);
    assert!((r.error_rate() - 0.25).abs() < 1e-12);

    let r = run(target(&format!("{base}/offcontract"), 8), &plan(20.0, 1.0, 8), quiet(), never())
        .await
        .unwrap();
    assert_eq!(r.errors.get("invalid_response"), Some(&20), "{:?}", r.errors);

    // Nothing listens on port 9 (discard).
    let r = run(target("http://127.0.0.1:9/x", 8), &plan(10.0, 1.0, 8), quiet(), never())
        .await
        .unwrap();
    assert_eq!(r.errors.get("connect"), Some(&10), "{:?}", r.errors);
    assert_eq!(r.latency_ms.max, 0.0, "no answer, no latency");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_counts_from_when_a_request_was_due() {
    let (base, _) = server().await;
    let r = run(target(&format!("{base}/slow"), 32), &plan(20.0, 1.0, 32), quiet(), never())
        .await
        .unwrap();
    assert!(r.latency_ms.p50 >= 100.0, "the server waits 100 ms: {:?}", r.latency_ms);

    // One request in flight at a time; the first answer takes 1 s. The 19 requests due during
    // that second wait for it, and their latency says so (a closed-loop tool would have sent
    // them late and reported a few milliseconds each: coordinated omission).
    let (base, _) = server().await;
    let r = run(target(&format!("{base}/stall"), 1), &plan(20.0, 3.0, 1), quiet(), never())
        .await
        .unwrap();
    assert_eq!(r.requests, 60);
    assert!(r.latency_ms.max >= 1000.0, "{:?}", r.latency_ms);
    assert!(r.latency_ms.p90 >= 300.0, "the queued requests show: {:?}", r.latency_ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_stops_and_keeps_what_it_measured() {
    let (base, _) = server().await;
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let _ = tx.send(true);
    });
    let r =
        run(target(&format!("{base}/fast"), 8), &plan(20.0, 30.0, 8), quiet(), rx).await.unwrap();
    assert!(r.stopped);
    assert!(r.requests > 0 && r.requests < 600, "{}", r.requests);
    assert!(r.duration_s < 29.0);
    assert!(!r.timeline.is_empty());
}

#[tokio::test]
async fn plans_beyond_the_caps_are_refused_with_the_field() {
    let t = target("http://127.0.0.1:9/x", 1);
    for (p, field) in [
        (plan(0.0, 1.0, 1), "rate"),
        (plan(5_000.0, 1.0, 1), "rate"),
        (plan(10.0, 601.0, 1), "duration"),
        (plan(10.0, 1.0, 0), "concurrency"),
        (LoadPlan { ramp_from: 20.0, ..plan(10.0, 1.0, 1) }, "ramp"),
    ] {
        let e = run(t.clone(), &p, quiet(), never()).await.unwrap_err();
        assert!(e.to_string().starts_with(field), "{e}");
    }
    let e = HttpTarget::new("ftp://x", &Default::default(), &requests(), Duration::from_secs(1), 1)
        .unwrap_err();
    assert!(e.to_string().starts_with("url:"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_run_finds_the_highest_rate_that_held() {
    // Every 4th call fails: 25% errors at any rate, so with a 30% ceiling every step holds
    // until the maximum, and with a 10% ceiling the first step already fails.
    let (base, _) = server().await;
    let t = target(&format!("{base}/fail4"), 8);
    let plan = |max_error_rate| StepPlan {
        start: 10.0,
        by: 10.0,
        max: 30.0,
        step_s: 1.0,
        max_error_rate,
        max_p99_ms: 2_000.0,
        concurrency: 8,
        timeout_ms: 2_000,
    };
    let held = step(t.clone(), &plan(0.30), quiet(), never()).await.unwrap();
    assert_eq!(held.steps.len(), 3);
    assert_eq!((held.sustainable_rps, held.stopped_by.as_str()), (Some(30.0), "max_rate"));
    let failed = step(t, &plan(0.10), quiet(), never()).await.unwrap();
    assert_eq!((failed.steps.len(), failed.sustainable_rps), (1, None));
    assert_eq!(failed.stopped_by, "errors");
}
