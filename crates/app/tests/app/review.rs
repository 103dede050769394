//! The review loop end to end below the UI: create, freeze, judge blind, reveal, summarise.

use screening_app::{
    ErrorCode, JudgementInput, NewSessionRequest, Preference, RecordRequest, Reviews,
};
use screening_store::Store;
use screening_store::setup::CandidateRecord;
use serde_json::json;

async fn desk(dir: &std::path::Path, reviewer: &str) -> (Reviews, Store) {
    let (ws, store) = crate::workspace(dir, reviewer).await;
    (ws.reviews, store)
}

fn request(candidates: &[&str]) -> NewSessionRequest {
    NewSessionRequest {
        name: "Release v3 vs v2".into(),
        persona_ids: vec!["reality-fan".into(), "new-viewer".into()],
        candidate_ids: candidates.iter().map(|c| (*c).to_owned()).collect(),
        k: 10,
        blind: true,
        criteria: vec![],
        incumbent_candidate_id: candidates.first().map(|c| (*c).to_owned()),
        challenger_candidate_id: None,
    }
}

#[tokio::test]
async fn a_blind_session_from_creation_to_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _store) = desk(dir.path(), "ana").await;
    assert_eq!(desk.candidates().await.unwrap().len(), 6);
    let session = desk
        .create_session(request(&["builtin-popularity", "builtin-item-knn", "builtin-ease"]))
        .await
        .unwrap();
    let id = session.summary.id.clone();
    assert_eq!(session.criteria.len(), 5, "default criteria");
    let names: Vec<&str> = session.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Reality TV fan", "New viewer"]);
    assert_eq!(session.summary.dataset, "Demo catalog");

    let e = desk.board(&id, "reality-fan").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "judging needs frozen lists: {e:?}");
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&heard);
    let report = desk.freeze(&id, move |p| sink.lock().unwrap().push(p)).await.unwrap();
    assert_eq!((report.snapshots, report.failed), (6, 0));
    let mut heard = heard.lock().unwrap().clone();
    heard.sort_by_key(|p| p.done);
    let done: Vec<u32> = heard.iter().map(|p| p.done).collect();
    assert_eq!(done, [1, 2, 3, 4, 5, 6], "one report per list");
    assert!(heard.iter().all(|p| p.total == 6));
    assert_eq!(heard.iter().filter(|p| p.candidate == "EASE").count(), 2, "two personas each");
    assert_eq!(desk.freeze(&id, |_| {}).await.unwrap_err().code, ErrorCode::InvalidInput);

    let board = desk.board(&id, "reality-fan").await.unwrap();
    let labels: Vec<&str> = board.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C"]);
    assert!(board.columns.iter().all(|c| c.candidate.is_none() && c.items.len() == 10));
    assert!(!board.revealed);
    assert!(
        board.columns.iter().all(|c| c.indicators.seen_share == 0.0),
        "watched items are left out"
    );
    let mix: u32 = board.columns[0].indicators.content_mix.iter().map(|m| m.count).sum();
    assert_eq!(mix, 10);
    // reopening shows the same order
    let again = desk.board(&id, "reality-fan").await.unwrap();
    let snaps = |b: &screening_app::Board| {
        b.columns.iter().map(|c| c.snapshot_id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(snaps(&board), snaps(&again));

    let a = board.columns[0].snapshot_id.clone();
    let b = board.columns[1].snapshot_id.clone();
    let rate = |snapshot: &str, score| RecordRequest {
        session_id: id.clone(),
        persona_id: "reality-fan".into(),
        judgement: JudgementInput::Rating {
            snapshot_id: snapshot.into(),
            criterion: "overall".into(),
            score,
        },
    };
    let first = desk.record(rate(&a, 2)).await.unwrap();
    let second = desk.record(rate(&a, 4)).await.unwrap();
    assert!(second.device_seq > first.device_seq);
    desk.record(rate(&b, 5)).await.unwrap();
    let board = desk.board(&id, "reality-fan").await.unwrap();
    assert_eq!(board.columns[0].ratings.len(), 1);
    assert_eq!(board.columns[0].ratings[0].score, 4, "the edit wins");

    // bad judgements are refused and change nothing
    assert_eq!(desk.record(rate(&a, 6)).await.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(
        desk.record(rate("not-a-snapshot", 3)).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );

    // no reveal before a preference
    assert_eq!(desk.reveal(&id, "reality-fan").await.unwrap_err().code, ErrorCode::InvalidInput);
    // reasons and latencies would give the models away: hidden while blind
    assert!(
        board
            .columns
            .iter()
            .all(|c| c.latency_ms.is_none() && c.items.iter().all(|i| i.reason.is_none()))
    );
    let partial = Preference { ranking: vec![b.clone(), a.clone()], tie: false, all_bad: false };
    let e = desk
        .record(RecordRequest {
            session_id: id.clone(),
            persona_id: "reality-fan".into(),
            judgement: JudgementInput::Preference { preference: partial },
        })
        .await
        .unwrap_err();
    assert!(e.message.contains("every list"), "{}", e.message);
    let c = board.columns[2].snapshot_id.clone();
    let pref =
        Preference { ranking: vec![b.clone(), a.clone(), c.clone()], tie: false, all_bad: false };
    desk.record(RecordRequest {
        session_id: id.clone(),
        persona_id: "reality-fan".into(),
        judgement: JudgementInput::Preference { preference: pref.clone() },
    })
    .await
    .unwrap();
    // nothing revealed yet: the summary stays empty
    assert!(desk.summary(&id).await.unwrap().is_empty());
    let revealed = desk.reveal(&id, "reality-fan").await.unwrap();
    assert!(revealed.revealed);
    assert_eq!(revealed.preference, Some(pref));
    let names: Vec<String> =
        revealed.columns.iter().map(|c| c.candidate.clone().unwrap().id).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["builtin-ease", "builtin-item-knn", "builtin-popularity"]);

    assert!(revealed.columns.iter().all(|c| c.latency_ms.is_some()));
    assert!(revealed.columns[0].items.iter().all(|i| i.reason.is_some()));
    // judgements are final once the names are shown; a comment can still be added
    assert_eq!(desk.record(rate(&a, 1)).await.unwrap_err().code, ErrorCode::InvalidInput);
    desk.record(RecordRequest {
        session_id: id.clone(),
        persona_id: "reality-fan".into(),
        judgement: JudgementInput::Comment { text: "B felt fresher".into() },
    })
    .await
    .unwrap();

    let summary = desk.summary(&id).await.unwrap();
    assert_eq!(summary.len(), 2);
    assert!(summary.iter().all(|r| r.criterion == "overall" && r.count == 1));
    let score_of = |cand: &str| summary.iter().find(|r| r.candidate.id == cand).map(|r| r.mean);
    assert_eq!(score_of(&names[0]), Some(4.0));
    assert_eq!(score_of(&names[1]), Some(5.0));

    assert_eq!(desk.session(&id).await.unwrap().done_persona_ids, ["reality-fan"]);
    let sessions = desk.sessions().await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].personas_done, 1);
    assert!(sessions[0].frozen_at.is_some());
}

/// A candidate of `kind` stored with `config` (a TOML candidate's fields as JSON).
async fn add_candidate(store: &Store, id: &str, name: &str, kind: &str, config: serde_json::Value) {
    store
        .save_candidate(&CandidateRecord {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            config,
            archived_at: None,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_mixes_built_in_http_and_personalize_candidates_and_failures_stay_in_their_column()
 {
    let dir = tempfile::tempdir().unwrap();
    let (desk, store) = desk(dir.path(), "bo").await;
    // The reference model server on a real socket stands in for an in-house model.
    let url = format!("{}/recommend/item-knn", crate::reference_server().await);
    add_candidate(
        &store,
        "http-knn",
        "In-house kNN",
        "http",
        json!({ "url": url, "timeout_ms": 5000 }),
    )
    .await;
    add_candidate(
        &store,
        "http-down",
        "v3 endpoint",
        "http",
        json!({ "url": "http://127.0.0.1:9/", "timeout_ms": 500 }),
    )
    .await;
    add_candidate(
        &store,
        "personalize-up",
        "Personalize",
        "personalize",
        json!({ "region": "eu-west-1", "persona": "user_id",
                "campaign_arn": "arn:aws:personalize:eu-west-1:123456789012:campaign/up" }),
    )
    .await;
    let mut req = request(&["builtin-ease", "http-knn", "http-down", "personalize-up"]);
    req.blind = false;
    let id = desk.create_session(req).await.unwrap().summary.id;
    let report = desk.freeze(&id, |_| {}).await.unwrap();
    assert_eq!((report.snapshots, report.failed), (8, 4), "two failing candidates × two personas");

    let board = desk.board(&id, "reality-fan").await.unwrap();
    let labels: Vec<&str> = board.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["EASE", "In-house kNN", "v3 endpoint", "Personalize"]);
    let knn = &board.columns[1];
    assert_eq!((knn.items.len(), knn.error.as_deref()), (10, None));
    assert!(knn.items.iter().all(|i| i.known && i.reason.is_some() && !i.already_seen));
    assert_eq!(
        board.columns[2].error.as_deref(),
        Some("cannot connect to http://127.0.0.1:9/: connection refused")
    );
    // Personalize through the real SDK: this persona has no user id there, which is said
    // before any call (the SDK against a stand-in is tested in screening-sources and the CLI).
    let personalize = board.columns[3].error.as_deref().unwrap();
    assert!(
        personalize.starts_with("persona \"Reality TV fan\" has no user id for this candidate"),
        "{personalize}"
    );
    let snap = &store.snapshots(&id, Some("reality-fan")).await.unwrap()[1].snapshot;
    assert_eq!(snap.request["body"]["persona"]["name"], "Reality TV fan", "the request is kept");
    assert!(snap.raw_response.as_deref().unwrap().contains("\"model_version\""));

    let newbie = desk.board(&id, "new-viewer").await.unwrap();
    assert!(
        newbie.columns[0].items.iter().all(|i| i
            .reason
            .as_deref()
            .unwrap_or("")
            .starts_with("No watch history yet"))
    );
}

#[tokio::test]
async fn bad_sessions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = desk(dir.path(), "cy").await;
    let one = desk.create_session(request(&["builtin-ease"])).await.unwrap_err();
    assert_eq!(one.code, ErrorCode::InvalidInput);
    assert!(one.message.contains("2 to 4"), "{}", one.message);
    let mut no_name = request(&["builtin-ease", "builtin-random"]);
    no_name.name = "  ".into();
    assert_eq!(desk.create_session(no_name).await.unwrap_err().code, ErrorCode::InvalidInput);
    let mut ghost = request(&["builtin-ease", "builtin-random"]);
    ghost.persona_ids = vec!["ghost".into()];
    assert_eq!(desk.create_session(ghost).await.unwrap_err().code, ErrorCode::NotFound);
    let mut wrong_inc = request(&["builtin-ease", "builtin-random"]);
    wrong_inc.incumbent_candidate_id = Some("builtin-content".into());
    assert_eq!(desk.create_session(wrong_inc).await.unwrap_err().code, ErrorCode::InvalidInput);
    assert!(desk.sessions().await.unwrap().is_empty());
}
