//! Load checks from the app: an HTTP candidate (the reference model server on a real socket)
//! loaded at a fixed rate with progress, kept with the session, in the release gate; a stop that
//! keeps what was measured; what is refused.

use std::sync::{Arc, Mutex};

use screening_app::{CandidateConfig, ErrorCode, LoadCheckRequest, NewSessionRequest};

fn request(
    session: &str,
    candidate: &str,
    rate: f64,
    duration_s: f64,
    max_p99_ms: f64,
) -> LoadCheckRequest {
    LoadCheckRequest {
        session_id: session.into(),
        candidate_id: candidate.into(),
        rate,
        duration_s,
        ramp_s: 0.0,
        concurrency: 8,
        max_p99_ms,
        confirm_cost: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_check_runs_is_kept_and_counts_in_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = crate::workspace(dir.path(), "pm").await;
    let url = format!("{}/recommend/item-knn", crate::reference_server().await);
    let http = ws
        .candidates
        .save(
            None,
            CandidateConfig::Http {
                name: "kNN endpoint".into(),
                url,
                timeout_ms: 5_000,
                headers: Default::default(),
            },
        )
        .await
        .unwrap();
    let personalize = screening_sources::CandidateFile::parse(
        r#"
[[candidate]]
name = "UP v2"
kind = "personalize"
region = "eu-west-1"
campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2"
persona = "user_id"
"#,
    )
    .unwrap()
    .candidate
    .remove(0);
    let personalize = ws.candidates.save(None, personalize).await.unwrap();
    let session = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "Release".into(),
            persona_ids: vec!["reality-fan".into(), "documentary-viewer".into()],
            candidate_ids: vec![
                "builtin-popularity".into(),
                http.id.clone(),
                personalize.id.clone(),
            ],
            k: 10,
            blind: false,
            criteria: vec!["overall".into()],
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: Some(http.id.clone()),
        })
        .await
        .unwrap();
    let id = session.summary.id;
    let gate_rows = |r: &screening_app::SessionReport| {
        r.report.gate.checks.iter().filter(|c| c.name == "load").cloned().collect::<Vec<_>>()
    };
    assert!(gate_rows(&ws.reviews.report(&id).await.unwrap()).is_empty(), "no load check yet");

    let heard = Arc::new(Mutex::new(Vec::new()));
    let progress = {
        let heard = heard.clone();
        move |p: &screening_app::LoadProgress| heard.lock().unwrap().push(p.clone())
    };
    let check = ws
        .reviews
        .run_load_check(request(&id, &http.id, 20.0, 2.0, 60_000.0), progress)
        .await
        .unwrap();
    assert_eq!(
        (check.result.requests, check.result.error_count()),
        (40, 0),
        "{:?}",
        check.result.errors
    );
    assert_eq!(check.candidate, "kNN endpoint");
    assert!(check.result.latency_ms.p50 > 0.0);
    assert!(check.passed, "{:?}", check.result);
    assert!(!heard.lock().unwrap().is_empty(), "progress every second");
    assert_eq!(
        ws.reviews.load_checks(&id).await.unwrap(),
        std::slice::from_ref(&check),
        "kept with the session"
    );
    let rows = gate_rows(&ws.reviews.report(&id).await.unwrap());
    assert_eq!(rows.len(), 1);
    assert!(rows[0].passed && rows[0].value == Some(check.result.latency_ms.p99), "{rows:?}");

    // A bound no endpoint meets: the latest check fails the gate.
    let strict =
        ws.reviews.run_load_check(request(&id, &http.id, 10.0, 1.0, 0.001), |_| {}).await.unwrap();
    assert!(!strict.passed);
    let report = ws.reviews.report(&id).await.unwrap();
    assert!(!gate_rows(&report)[0].passed && !report.report.gate.passed);
    assert_eq!(ws.reviews.load_checks(&id).await.unwrap().len(), 2);

    // Stopped after a moment: the partial result is kept, marked stopped; one run at a time.
    let long = request(&id, &http.id, 10.0, 30.0, 60_000.0);
    let (stopped, second) = tokio::join!(ws.reviews.run_load_check(long.clone(), |_| {}), async {
        tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
        let second = ws.reviews.run_load_check(long.clone(), |_| {}).await;
        ws.reviews.cancel_load_check();
        second
    });
    let stopped = stopped.unwrap();
    assert!(stopped.result.stopped && stopped.result.requests < 300, "{:?}", stopped.result);
    assert!(second.unwrap_err().message.contains("running already"));
    assert_eq!(ws.reviews.load_checks(&id).await.unwrap().len(), 3);

    // Refused: Personalize without confirming the cost, bad values, a stranger candidate.
    let e = ws
        .reviews
        .run_load_check(request(&id, &personalize.id, 10.0, 1.0, 500.0), |_| {})
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message.contains("minProvisionedTPS") && e.message.contains("Confirm"),
        "{}",
        e.message
    );
    let e = ws
        .reviews
        .run_load_check(request(&id, &http.id, 0.0, 1.0, 500.0), |_| {})
        .await
        .unwrap_err();
    assert!(e.message.starts_with("rate:"), "{}", e.message);
    let e = ws
        .reviews
        .run_load_check(request(&id, "builtin-ease", 10.0, 1.0, 500.0), |_| {})
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(ws.reviews.load_checks(&id).await.unwrap().len(), 3, "nothing kept for a refusal");
}
