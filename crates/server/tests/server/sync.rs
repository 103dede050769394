//! Publishing, pushing, pulling, the team report and decisions; replays and conflicts.

use screening_sync::{ClientError, DecisionRequest, Role, Verdict};

use crate::{Server, judgements, session};

crate::on_every_backend!(
    judgements_from_two_reviewers_make_one_team_report_and_a_decision,
    a_bad_batch_is_refused_whole_with_what_is_wrong,
    a_batch_replayed_fifty_times_at_once_is_stored_once: multi_thread,
    pull_pages_through_changes_in_server_order,
    clocks_that_lie_change_nothing,
    a_load_check_of_the_challenger_is_a_row_of_the_team_gate,
);

fn status(e: ClientError) -> (u16, String) {
    match e {
        ClientError::Server { status, error } => (status, error.message),
        other => panic!("expected a server error, got {other}"),
    }
}

async fn judgements_from_two_reviewers_make_one_team_report_and_a_decision(server: Server) {
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (bob, _) = server.user("bob", Role::Reviewer).await;
    let (pm, _) = server.user("pat", Role::Approver).await;
    let listing = ann.publish(&session("s1")).await.unwrap();
    assert_eq!((listing.owner.as_str(), listing.personas), ("ann", 2));
    // Publishing the same again is harmless; other content is refused.
    ann.publish(&session("s1")).await.unwrap();
    let mut changed = session("s1");
    changed.name = "Renamed".into();
    assert_eq!(status(ann.publish(&changed).await.unwrap_err()).0, 409);
    assert_eq!(status(bob.publish(&changed).await.unwrap_err()).0, 403, "not bob's session");

    let first = ann.push("batch-1", &judgements("s1", "ann", 5, 2)).await.unwrap();
    assert_eq!((first.accepted, first.duplicates, first.high_water), (6, 0, 6));
    // The response was lost: the same batch again gets the same answer, nothing twice.
    assert_eq!(ann.push("batch-1", &judgements("s1", "ann", 5, 2)).await.unwrap(), first);
    // The same events in a new batch are duplicates.
    let again = ann.push("batch-2", &judgements("s1", "ann", 5, 2)).await.unwrap();
    assert_eq!((again.accepted, again.duplicates), (0, 6));
    bob.push("b-1", &judgements("s1", "bob", 4, 3)).await.unwrap();

    let team = pm.report("s1").await.unwrap();
    let r = &team.report;
    assert_eq!((r.reviewers, r.personas, r.judgements), (2, 2, 12));
    let ease = r.criteria.get("overall").unwrap().candidates.get("EASE").unwrap();
    assert_eq!((ease.mean, ease.n), (4.5, 4));
    assert_eq!(r.challenger.as_deref(), Some("EASE"));
    assert_eq!(r.preferences.matrix.get("EASE").unwrap().get("Popularity").unwrap().wins, 4);
    assert_eq!(pm.report("s1").await.unwrap().digest, team.digest, "deterministic");

    let no = status(
        ann.decide("s1", &DecisionRequest { decision: Verdict::Approve, note: "ship".into() })
            .await
            .unwrap_err(),
    );
    assert_eq!(no.0, 403, "{}", no.1);
    let decision = pm
        .decide(
            "s1",
            &DecisionRequest { decision: Verdict::Reject, note: "too few reviewers".into() },
        )
        .await
        .unwrap();
    assert_eq!(
        (decision.author.as_str(), decision.report_digest.as_str()),
        ("pat", team.digest.as_str())
    );
    let listed = ann.sessions().await.unwrap();
    assert_eq!(listed[0].events, 12);
    assert_eq!(listed[0].decisions, vec![decision]);
    assert_eq!(status(pm.report("nope").await.unwrap_err()).0, 404);
}

async fn a_bad_batch_is_refused_whole_with_what_is_wrong(server: Server) {
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (pm, _) = server.user("pat", Role::Approver).await;
    ann.publish(&session("s1")).await.unwrap();
    ann.push("ok", &judgements("s1", "ann", 5, 2)).await.unwrap();
    let stored = server.stored(&pm).await;
    assert_eq!(stored, 6);

    let bad = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut req = judgements("s1", "new", 4, 4);
        f(&mut req.events[3]);
        req
    };
    let cases: Vec<(screening_sync::PushRequest, u16, &str)> = vec![
        (
            bad(&|e| e["value"] = 9.into()),
            400,
            "events[3]: field \"value\": a rating is 1 to 5, not 9",
        ),
        (
            bad(&|e| e["session_id"] = "zz".into()),
            400,
            "events[3]: field \"session_id\": no published session \"zz\"",
        ),
        (
            bad(&|e| e["candidate"] = "Random".into()),
            400,
            "events[3]: candidate \"Random\" is not in session \"s1\"",
        ),
        (
            bad(&|e| {
                e.as_object_mut().unwrap().remove("device_seq");
            }),
            400,
            "events[3]: field \"device_seq\" is missing",
        ),
        (bad(&|e| e["reviewer"] = "bob".into()), 403, "\"bob\" does not belong to you (ann)"),
        (
            bad(&|e| e["supersedes"] = "never-pushed".into()),
            400,
            "no stored event \"never-pushed\"",
        ),
        // The same op id as a stored event, with other content.
        (
            bad(&|e| e["op_id"] = "ann-0".into()),
            409,
            "op_id \"ann-0\" is stored already with other content",
        ),
    ];
    for (i, (req, want, message)) in cases.into_iter().enumerate() {
        let (got, text) = status(ann.push(&format!("bad-{i}"), &req).await.unwrap_err());
        assert_eq!(got, want, "{text}");
        assert!(text.contains(message), "{text}");
    }
    // The key of a stored batch with another body.
    let (got, text) = status(ann.push("ok", &judgements("s1", "other", 3, 3)).await.unwrap_err());
    assert_eq!(got, 409, "{text}");
    assert_eq!(server.stored(&pm).await, stored, "nothing of any bad batch was stored");
}

async fn a_batch_replayed_fifty_times_at_once_is_stored_once(server: Server) {
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (pm, _) = server.user("pat", Role::Approver).await;
    ann.publish(&session("s1")).await.unwrap();
    let req = judgements("s1", "ann", 5, 2);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (client, req) = (ann.clone(), req.clone());
        // Half under one key (a resent batch), half under keys of their own (a resend after the
        // client lost track of the batch).
        let key = if i % 2 == 0 { "same".to_owned() } else { format!("key-{i}") };
        tasks.push(tokio::spawn(async move { client.push(&key, &req).await.unwrap() }));
    }
    let mut accepted = 0;
    let mut same_key = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let r = t.await.unwrap();
        assert_eq!(r.accepted + r.duplicates, 6);
        if i % 2 == 0 {
            same_key.push(r);
        } else {
            accepted += r.accepted;
        }
    }
    // Every push under the one key got that batch's first answer.
    assert!(same_key.iter().all(|r| *r == same_key[0]), "{same_key:?}");
    accepted += same_key[0].accepted;
    assert_eq!(accepted, 6, "each event accepted by exactly one batch");
    assert_eq!(server.stored(&pm).await, 6);
}

async fn pull_pages_through_changes_in_server_order(server: Server) {
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (bob, _) = server.user("bob", Role::Reviewer).await;
    let (pm, _) = server.user("pat", Role::Approver).await;
    ann.publish(&session("s1")).await.unwrap();
    ann.push("a", &judgements("s1", "ann", 5, 2)).await.unwrap();
    bob.push("b", &judgements("s1", "bob", 4, 2)).await.unwrap();
    ann.publish(&session("s2")).await.unwrap();

    let mut seqs = Vec::new();
    let (mut cursor, mut pages, mut sessions) = (String::new(), 0, Vec::new());
    loop {
        let page = pm.pull(&cursor, 5).await.unwrap();
        pages += 1;
        seqs.extend(page.events.iter().map(|e| e.seq));
        seqs.extend(page.sessions.iter().map(|s| s.seq));
        sessions.extend(page.sessions.iter().map(|s| s.session.id.clone()));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 3, "14 changes in pages of 5");
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=14).collect::<Vec<i64>>());
    assert_eq!(sessions, ["s1", "s2"]);
    // Nothing new after the last cursor.
    let tail = pm.pull(&cursor, 5).await.unwrap();
    assert!(tail.events.is_empty() && tail.sessions.is_empty() && !tail.more);
    // A reviewer pulls their own events (and every session).
    let mine = bob.pull("", 100).await.unwrap();
    assert!(mine.events.iter().all(|e| e.event.reviewer == "bob") && mine.events.len() == 6);
    assert_eq!(mine.sessions.len(), 2);
    let (code, _) = status(bob.pull("abc", 5).await.unwrap_err());
    assert_eq!(code, 400);
}

/// Two devices' clocks, one an hour behind and one a year ahead: the same judgements make the
/// same report as with correct clocks (the server orders by its own sequence, the statistics
/// never read `created_at`).
async fn clocks_that_lie_change_nothing(server: Server) {
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    let (bob, _) = server.user("bob", Role::Reviewer).await;
    let (pm, _) = server.user("pat", Role::Approver).await;
    ann.publish(&session("right")).await.unwrap();
    ann.publish(&session("skewed")).await.unwrap();
    let shifted = |mut req: screening_sync::PushRequest, by: i64| {
        for e in &mut req.events {
            let at = e["created_at"].as_i64().unwrap();
            e["created_at"] = (1_764_400_000_000 + at + by).into();
        }
        req
    };
    ann.push("a1", &shifted(judgements("right", "ann-r", 5, 2), 0)).await.unwrap();
    bob.push("b1", &shifted(judgements("right", "bob-r", 3, 4), 0)).await.unwrap();
    // Bob's clock is a year ahead and he pushes first; Ann's is an hour behind.
    bob.push("b2", &shifted(judgements("skewed", "bob-s", 3, 4), 365 * 86_400_000)).await.unwrap();
    ann.push("a2", &shifted(judgements("skewed", "ann-s", 5, 2), -3_600_000)).await.unwrap();
    let (right, skewed) = (pm.report("right").await.unwrap(), pm.report("skewed").await.unwrap());
    assert_eq!(skewed.report, right.report);
    assert_eq!(skewed.digest, right.digest);
}

/// A load check of the session's challenger, sent by whoever ran it, becomes a row of the team
/// report's gate (the latest in the server's order counts); a bad one is refused and changes
/// nothing; the same again is harmless, other content under its id a conflict.
async fn a_load_check_of_the_challenger_is_a_row_of_the_team_gate(server: Server) {
    use screening_load::{Latency, LoadPlan, LoadResult};
    use screening_sync::SharedLoadCheck;
    let (ann, _) = server.user("ann", Role::Reviewer).await;
    ann.publish(&session("s1")).await.unwrap();
    let before = ann.report("s1").await.unwrap();
    assert!(before.report.gate.checks.iter().all(|c| c.name != "load"));
    let check = |id: &str, p99: f64| SharedLoadCheck {
        id: id.into(),
        candidate: "EASE".into(),
        // A device clock far off: only shown, never used to order.
        created_at: if id == "l2" { 1 } else { 4_000_000_000_000 },
        plan: LoadPlan {
            rate: 50.0,
            duration_s: 30.0,
            ramp_from: 0.0,
            ramp_s: 0.0,
            concurrency: 16,
            timeout_ms: 5_000,
        },
        max_p99_ms: 200.0,
        result: LoadResult {
            target_rps: 50.0,
            scheduled_rps: 50.0,
            achieved_rps: 49.9,
            requests: 1_500,
            errors: Default::default(),
            latency_ms: Latency { p50: 20.0, p90: 40.0, p95: 60.0, p99, max: 300.0 },
            duration_s: 30.1,
            stopped: false,
            timeline: vec![],
        },
    };
    ann.share_load_check("s1", &check("l1", 120.0)).await.unwrap();
    let row = |r: &screening_sync::TeamReport| {
        r.report.gate.checks.iter().find(|c| c.name == "load").cloned().expect("a load row")
    };
    let passing = ann.report("s1").await.unwrap();
    assert!(row(&passing).passed && row(&passing).value == Some(120.0));
    assert_ne!(passing.digest, before.digest, "the digest covers the load row");
    // The same again is harmless; other content under the same id is refused.
    ann.share_load_check("s1", &check("l1", 120.0)).await.unwrap();
    assert_eq!(status(ann.share_load_check("s1", &check("l1", 999.0)).await.unwrap_err()).0, 409);
    // A later check (whatever the device's clock says) takes over: p99 over the bound.
    ann.share_load_check("s1", &check("l2", 250.0)).await.unwrap();
    let failing = ann.report("s1").await.unwrap();
    assert!(!row(&failing).passed && !failing.report.gate.passed);
    // Refused whole: a candidate not in the session, a plan beyond the caps, an unknown session.
    let mut stranger = check("l3", 10.0);
    stranger.candidate = "Nobody".into();
    let (code, message) = status(ann.share_load_check("s1", &stranger).await.unwrap_err());
    assert!(code == 400 && message.contains("\"candidate\""), "{message}");
    let mut wild = check("l4", 10.0);
    wild.plan.rate = 1e9;
    assert_eq!(status(ann.share_load_check("s1", &wild).await.unwrap_err()).0, 400);
    assert_eq!(status(ann.share_load_check("nope", &check("l5", 10.0)).await.unwrap_err()).0, 404);
    assert_eq!(row(&ann.report("s1").await.unwrap()), row(&failing), "nothing changed");
}
