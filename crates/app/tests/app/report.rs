//! The report of a session judged by three reviewers on one device: the statistics by real
//! candidate, the events in the order each reviewer saw the columns, the gate, the exports.

use std::collections::HashMap;

use screening_app::{
    ErrorCode, ExportFormat, ExportRequest, GateRequest, ItemFlag, JudgementInput, ModelCache,
    NewSessionRequest, Preference, RecordRequest, Reviews, SessionEvents, Workspace,
};
use screening_core::report::{GateThresholds, build_report, events};
use screening_store::Store;

const INCUMBENT: &str = "builtin-popularity";
const CHALLENGER: &str = "builtin-ease";
const PERSONAS: [&str; 2] = ["reality-fan", "documentary-viewer"];

async fn reviewer(store: &Store, dir: &std::path::Path, name: &str) -> Reviews {
    Workspace::on(store.clone(), dir, crate::demo(), ModelCache::new(None), name.into())
        .await
        .unwrap()
        .reviews
}

/// Rates both lists of `persona` on "overall" (challenger `chal`, incumbent `inc`) and prefers
/// the challenger; returns the candidate ids in the order the board showed the columns.
async fn judge(
    store: &Store,
    desk: &Reviews,
    id: &str,
    persona: &str,
    chal: u8,
    inc: u8,
) -> Vec<String> {
    let board = desk.board(id, persona).await.unwrap();
    let made_by: HashMap<String, String> = store
        .snapshots(id, Some(persona))
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.snapshot.candidate_id))
        .collect();
    let snapshot = |candidate: &str| {
        board
            .columns
            .iter()
            .find(|c| made_by[&c.snapshot_id] == candidate)
            .unwrap()
            .snapshot_id
            .clone()
    };
    let record =
        |judgement| RecordRequest { session_id: id.into(), persona_id: persona.into(), judgement };
    for (candidate, score) in [(CHALLENGER, chal), (INCUMBENT, inc)] {
        let j = JudgementInput::Rating {
            snapshot_id: snapshot(candidate),
            criterion: "overall".into(),
            score,
        };
        desk.record(record(j)).await.unwrap();
    }
    let preference = Preference {
        ranking: vec![snapshot(CHALLENGER), snapshot(INCUMBENT)],
        tie: false,
        all_bad: false,
    };
    desk.record(record(JudgementInput::Preference { preference })).await.unwrap();
    board.columns.iter().map(|c| made_by[&c.snapshot_id].clone()).collect()
}

#[tokio::test]
async fn three_reviewers_make_a_report_that_exports_and_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, store) = crate::workspace(dir.path(), "ana").await;
    let session = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "EASE vs popularity".into(),
            persona_ids: PERSONAS.map(str::to_owned).to_vec(),
            candidate_ids: vec![INCUMBENT.into(), CHALLENGER.into()],
            k: 5,
            blind: true,
            criteria: vec!["relevance".into(), "overall".into()],
            incumbent_candidate_id: Some(INCUMBENT.into()),
            challenger_candidate_id: Some(CHALLENGER.into()),
        })
        .await
        .unwrap();
    assert_eq!(session.challenger_candidate_id.as_deref(), Some(CHALLENGER));
    let id = session.summary.id.clone();
    ws.reviews.freeze(&id, |_| {}).await.unwrap();

    let mut shown = HashMap::new();
    for (name, chal, inc) in [("ana", 5, 2), ("ben", 4, 2), ("cy", 4, 3)] {
        let desk = reviewer(&store, dir.path(), name).await;
        for persona in PERSONAS {
            let order = judge(&store, &desk, &id, persona, chal, inc).await;
            shown.insert((name.to_owned(), persona.to_owned()), order);
        }
    }
    // Ana changes her mind on one rating: the edit supersedes, only the new score counts.
    let ana = reviewer(&store, dir.path(), "ana").await;
    let snap = store.snapshots(&id, Some(PERSONAS[0])).await.unwrap();
    let chal_snap = snap.iter().find(|s| s.snapshot.candidate_id == CHALLENGER).unwrap().id.clone();
    let record = |judgement| RecordRequest {
        session_id: id.clone(),
        persona_id: PERSONAS[0].into(),
        judgement,
    };
    ana.record(record(JudgementInput::Rating {
        snapshot_id: chal_snap.clone(),
        criterion: "overall".into(),
        score: 3,
    }))
    .await
    .unwrap();
    let item = snap.iter().find(|s| s.id == chal_snap).unwrap().snapshot.items[0]["item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    ana.record(record(JudgementInput::Flag {
        snapshot_id: chal_snap,
        item_id: item.clone(),
        flag: ItemFlag::Inappropriate,
        on: true,
    }))
    .await
    .unwrap();

    let report = ana.report(&id).await.unwrap();
    assert!(!report.reviewer_done || report.blind);
    let r = &report.report;
    assert_eq!((r.reviewers, r.personas), (3, 2));
    assert_eq!(r.candidates, ["Popularity", "EASE"]);
    assert_eq!(
        (r.incumbent.as_deref(), r.challenger.as_deref()),
        (Some("Popularity"), Some("EASE"))
    );
    let overall = r.criteria.get("overall").unwrap();
    let ease = overall.candidates.get("EASE").unwrap();
    // 5→3 (edited), 5, 4, 4, 4, 4 over 6 lists.
    assert_eq!(ease.n, 6);
    assert!((ease.mean - 24.0 / 6.0).abs() < 1e-12, "{}", ease.mean);
    assert_eq!(overall.candidates.get("Popularity").unwrap().mean, 14.0 / 6.0);
    let rec = r.preferences.matrix.get("EASE").unwrap().get("Popularity").unwrap();
    assert_eq!((rec.wins, rec.ties, rec.losses), (6, 0, 0));
    assert!(r.preferences.challenger_vs_incumbent.as_ref().unwrap().p > 0.5);
    // The flag has the item's title from the dataset, and blocks the release.
    let flag = &r.flags[0];
    assert_eq!((flag.item_id.as_str(), flag.candidate.as_str()), (item.as_str(), "EASE"));
    assert!(flag.title.as_deref().is_some_and(|t| !t.is_empty()));
    let check = |report: &screening_core::report::Report, name: &str| {
        report.gate.checks.iter().find(|c| c.name == name).unwrap().clone()
    };
    assert!(!check(r, "blocker_flags").passed);
    assert_eq!(check(r, "reviewers").value, Some(3.0));
    assert!(!r.gate.passed);

    // Each preference lists the columns as its reviewer saw them, left to right, by name.
    let events = SessionEvents::load(&store, &id).await.unwrap();
    let name = |c: &str| if c == CHALLENGER { "EASE" } else { "Popularity" };
    for e in events.events.iter().filter(|e| e.shown.is_some()) {
        let saw = &shown[&(e.reviewer.clone(), e.persona_id.clone())];
        let want: Vec<&str> = saw.iter().map(|c| name(c)).collect();
        assert_eq!(e.shown.as_ref().unwrap(), &want);
        assert_eq!(
            e.ranking.as_ref().unwrap(),
            &[vec!["EASE".to_owned()], vec!["Popularity".to_owned()]]
        );
    }
    assert!(events.events.iter().all(|e| e.reviewer != "reveal"));

    // Every export writes; the JSON Lines export reads back into the same statistics.
    let out = dir.path().join("exports");
    std::fs::create_dir_all(&out).unwrap();
    for format in [
        ExportFormat::ReportJson,
        ExportFormat::SummaryCsv,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::JudgementsJsonl,
        ExportFormat::JudgementsCsv,
        ExportFormat::Battles,
    ] {
        let path = out.join(format!("{format:?}.{}", format.extension()));
        let done = ana
            .export(ExportRequest {
                session_id: id.clone(),
                format,
                path: path.display().to_string(),
            })
            .await
            .unwrap();
        assert_eq!(done.bytes as u64, std::fs::metadata(&path).unwrap().len(), "{format:?}");
    }
    let jsonl = std::fs::read_to_string(out.join("JudgementsJsonl.jsonl")).unwrap();
    let read = events::parse_jsonl(&jsonl).unwrap();
    assert_eq!(read, events.events);
    let again = build_report(&read, &events.options(screening_app::REPORT_SEED).unwrap());
    let mut want = r.clone();
    for f in &mut want.flags {
        f.title = None;
    }
    assert_eq!(again, want, "the export recomputes to the same report");
    let battles = std::fs::read_to_string(out.join("Battles.jsonl")).unwrap();
    assert_eq!(battles.lines().count(), 6);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("ReportJson.json")).unwrap())
            .unwrap();
    assert_eq!(json["gate"]["passed"], false);
    assert!(json["criteria"]["overall"]["candidates"]["EASE"]["ci"].is_array());
    let e = ana
        .export(ExportRequest {
            session_id: id.clone(),
            format: ExportFormat::Html,
            path: dir.path().join("no/such/dir/x.html").display().to_string(),
        })
        .await;
    // The folder is made when missing; a path through a file is refused with its name.
    assert!(e.is_ok());
    let blocked = dir.path().join("exports/ReportJson.json/x.html");
    let e = ana
        .export(ExportRequest {
            session_id: id.clone(),
            format: ExportFormat::Html,
            path: blocked.display().to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("x.html"), "{}", e.message);

    // Gate thresholds per session: stored, checked, reset.
    let strict = GateThresholds { min_reviewers: 4, ..GateThresholds::default() };
    let after = ana
        .set_gate(GateRequest { session_id: id.clone(), gate: Some(strict.clone()) })
        .await
        .unwrap();
    assert_eq!(after.report.gate.thresholds, strict);
    assert!(!check(&after.report, "reviewers").passed);
    let bad = GateThresholds { min_win_probability: 1.5, ..GateThresholds::default() };
    let e =
        ana.set_gate(GateRequest { session_id: id.clone(), gate: Some(bad) }).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let unknown =
        GateThresholds { blocker_flags: vec!["rude".into()], ..GateThresholds::default() };
    let e = ana
        .set_gate(GateRequest { session_id: id.clone(), gate: Some(unknown) })
        .await
        .unwrap_err();
    assert!(e.message.contains("\"rude\" is not a flag"), "{}", e.message);
    assert_eq!(ana.report(&id).await.unwrap().report.gate.thresholds, strict, "unchanged");
    let reset = ana.set_gate(GateRequest { session_id: id.clone(), gate: None }).await.unwrap();
    assert_eq!(reset.report.gate.thresholds, GateThresholds::default());
}

#[tokio::test]
async fn the_challenger_must_be_a_candidate_other_than_the_incumbent() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _store) = crate::workspace(dir.path(), "ana").await;
    let mut req = NewSessionRequest {
        name: "x".into(),
        persona_ids: vec!["reality-fan".into()],
        candidate_ids: vec![INCUMBENT.into(), CHALLENGER.into()],
        k: 5,
        blind: false,
        criteria: vec![],
        incumbent_candidate_id: Some(INCUMBENT.into()),
        challenger_candidate_id: Some("builtin-content".into()),
    };
    let e = ws.reviews.create_session(req.clone()).await.unwrap_err();
    assert!(e.message.contains("challenger must be one of"), "{}", e.message);
    req.challenger_candidate_id = Some(INCUMBENT.into());
    let e = ws.reviews.create_session(req).await.unwrap_err();
    assert!(e.message.contains("must differ"), "{}", e.message);
    assert!(ws.reviews.sessions().await.unwrap().is_empty());
}
