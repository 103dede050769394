//! Candidates managed in the app: added, checked, tested, archived, shared as TOML.

use screening_app::{CandidateConfig, ErrorCode, NewSessionRequest};

use crate::{reference_server, workspace};

fn http(name: &str, url: &str) -> CandidateConfig {
    CandidateConfig::Http {
        name: name.into(),
        url: url.into(),
        timeout_ms: 2_000,
        headers: Default::default(),
    }
}

#[tokio::test]
async fn candidates_are_added_checked_tested_and_archived() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = workspace(dir.path(), "ana").await;
    assert_eq!(ws.candidates.list(false).await.unwrap().len(), 6);
    assert!(ws.candidates.list(false).await.unwrap().iter().all(|c| c.builtin));

    let base = reference_server().await;
    let added = ws
        .candidates
        .save(None, http("Two-tower v3", &format!("{base}/recommend/item-knn")))
        .await
        .unwrap();
    assert!(!added.builtin && !added.archived);
    let test = ws.reviews.test_candidate(added.config.clone()).await.unwrap();
    assert!(test.ok, "{test:?}");
    assert_eq!((test.items, test.titles.len()), (10, 5));
    assert_eq!(test.persona, "Documentary viewer", "the active dataset's first persona by name");

    let down = ws.reviews.test_candidate(http("Down", "http://127.0.0.1:9/r")).await.unwrap();
    assert!(!down.ok);
    assert_eq!(
        down.error.as_deref(),
        Some("cannot connect to http://127.0.0.1:9/r: connection refused")
    );
    let builtin =
        CandidateConfig::Builtin { name: "EASE λ=500".into(), model: "ease:lambda=500".into() };
    assert!(ws.reviews.test_candidate(builtin).await.unwrap().ok);

    let mut secret = http("Leaky", "http://h/r");
    if let CandidateConfig::Http { headers, .. } = &mut secret {
        headers.insert("X-Api-Key".into(), "abc123".into());
    }
    let cases = [
        (None, secret, "X-Api-Key holds a credential in clear"),
        (None, http("two-TOWER v3", "http://h/r"), "another candidate is called \"Two-tower v3\""),
        (
            Some("builtin-ease".to_owned()),
            http("EASE", "http://h/r"),
            "one of the built-in candidates",
        ),
        (Some("nope".to_owned()), http("X", "http://h/r"), "no candidate with id \"nope\""),
    ];
    for (id, config, expected) in cases {
        let e = ws.candidates.save(id, config).await.unwrap_err();
        assert!(e.message.contains(expected), "{expected:?} in {:?}", e.message);
    }
    // Renaming keeps the id.
    let renamed = ws
        .candidates
        .save(Some(added.id.clone()), http("Two-tower v4", "http://h/r"))
        .await
        .unwrap();
    assert_eq!(renamed.id, added.id);

    ws.candidates.archive(&added.id, true).await.unwrap();
    assert_eq!(ws.candidates.list(false).await.unwrap().len(), 6);
    assert!(ws.candidates.list(true).await.unwrap().iter().any(|c| c.id == added.id && c.archived));
    assert!(ws.reviews.candidates().await.unwrap().iter().all(|c| c.id != added.id));
    let e = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "old one".into(),
            persona_ids: vec!["reality-fan".into()],
            candidate_ids: vec!["builtin-ease".into(), added.id.clone()],
            k: 5,
            blind: true,
            criteria: vec![],
            incumbent_candidate_id: None,
            challenger_candidate_id: None,
        })
        .await
        .unwrap_err();
    assert!(e.message.contains("\"Two-tower v4\" is archived"), "{}", e.message);
    ws.candidates.archive(&added.id, false).await.unwrap();
    assert_eq!(ws.candidates.list(false).await.unwrap().len(), 7);
}

#[tokio::test]
async fn a_team_shares_its_candidates_as_a_toml_file() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (here, _s1) = workspace(a.path(), "ana").await;
    let (there, _s2) = workspace(b.path(), "bo").await;
    let mut two_tower = http("Two-tower v3", "http://models.internal:8080/recommend");
    if let CandidateConfig::Http { headers, .. } = &mut two_tower {
        headers.insert("Authorization".into(), "Bearer ${TWO_TOWER_TOKEN}".into());
    }
    here.candidates.save(None, two_tower.clone()).await.unwrap();
    let file = a.path().join("candidates.toml");
    assert_eq!(here.candidates.export_to(&file).await.unwrap(), 7);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("[[candidate]]") && text.contains("Bearer ${TWO_TOWER_TOKEN}"), "{text}");

    let report = there.candidates.import_from(&file).await.unwrap();
    assert_eq!(
        (report.added.clone(), report.unchanged.len()),
        (vec!["Two-tower v3".to_owned()], 6)
    );
    let imported = there.candidates.list(false).await.unwrap();
    assert_eq!(imported.last().unwrap().config, two_tower);
    std::fs::write(&file, text.replace("timeout_ms = 2000", "timeout_ms = 900")).unwrap();
    assert_eq!(there.candidates.import_from(&file).await.unwrap().updated, ["Two-tower v3"]);

    let bad = b.path().join("bad.toml");
    std::fs::write(&bad, "[[candidate]]\nname = \"New one\"\nkind = \"builtin\"\nmodel = \"ease\"\n\n[[candidate]]\nname = \"Broken\"\nkind = \"http\"\nurl = \"ftp://x\"\n").unwrap();
    let e = there.candidates.import_from(&bad).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.starts_with(&bad.display().to_string()), "{}", e.message);
    assert!(
        e.message.contains("candidate[1] (\"Broken\"): field \"url\": use http or https"),
        "{}",
        e.message
    );
    std::fs::write(
        &bad,
        "[[candidate]]\nname = \"EASE\"\nkind = \"builtin\"\nmodel = \"ease:lambda=9\"\n",
    )
    .unwrap();
    let e = there.candidates.import_from(&bad).await.unwrap_err();
    assert!(e.message.contains("a built-in candidate has this name"), "{}", e.message);
    assert_eq!(there.candidates.list(false).await.unwrap().len(), 7, "nothing added by bad files");
}
