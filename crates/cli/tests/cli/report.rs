//! `screening report` and `screening export`, from a judgement file and from the app's database
//! while the app holds it open.

use std::path::Path;

use screening_app::{
    JudgementInput, ModelCache, NewSessionRequest, Preference, RecordRequest, Workspace,
};
use screening_core::report::JudgementEvent;
use screening_core::report::events::{EventLog, to_jsonl};

use crate::{screening, stdout_json, write};

/// Three reviewers × four personas: b beats a mostly, overall ratings favour b, one flag.
fn session_events(session: &str) -> Vec<JudgementEvent> {
    let mut log = EventLog::new(session);
    for (r, reviewer) in ["ann", "bob", "cat"].iter().enumerate() {
        for p in 0..4 {
            let persona = format!("p{p}");
            for (cand, base) in [("a", 2), ("b", 4)] {
                log.rate(&persona, reviewer, cand, "overall", base + ((p + r) % 2) as i64);
            }
            let ranking: [&[&str]; 2] =
                if (p + r) % 4 != 0 { [&["b"], &["a"]] } else { [&["a"], &["b"]] };
            log.prefer(&persona, reviewer, &["a", "b"], &ranking);
        }
    }
    log.flag("p0", "ann", "b", "i1", "stale");
    log.events
}

fn jsonl_file(dir: &Path, events: &[JudgementEvent]) -> String {
    write(dir, "judgements.jsonl", &to_jsonl(events));
    dir.join("judgements.jsonl").display().to_string()
}

#[test]
fn report_from_a_judgement_file_has_the_documented_shape_and_is_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let file = jsonl_file(dir.path(), &session_events("s1"));
    let args = |seed: &str| {
        screening(&[
            "report",
            "--judgements",
            &file,
            "--incumbent",
            "a",
            "--challenger",
            "b",
            "--seed",
            seed,
            "--rounds",
            "300",
            "--format",
            "json",
        ])
    };
    let out = args("1");
    let r = stdout_json(&out);
    let overall = &r["criteria"]["overall"];
    assert!(overall["alpha"].is_number(), "{overall}");
    let b = &overall["candidates"]["b"];
    assert_eq!(b["n"], 12);
    assert_eq!(b["mean"], 4.5);
    assert_eq!(b["ci"].as_array().unwrap().len(), 2);
    let pref = &r["preferences"];
    assert_eq!(pref["matrix"]["b"]["a"]["wins"], 9);
    assert_eq!(pref["matrix"]["b"]["a"]["losses"], 3);
    assert!(pref["bradley_terry"]["b"]["strength"].as_f64().unwrap() > 0.0);
    let cvi = &pref["challenger_vs_incumbent"];
    assert!((cvi["p"].as_f64().unwrap() - 0.75).abs() < 1e-9, "{cvi}");
    assert!(cvi["ci"][0].as_f64().unwrap() <= 0.75 && cvi["ci"][1].as_f64().unwrap() >= 0.75);
    // a is always shown left and won 3 of 12 decided pairs.
    assert_eq!(r["position_bias"]["left_share"], 0.25);
    assert!(r["position_bias"]["p_value"].is_number());
    assert_eq!(r["flags"][0]["item_id"], "i1");
    let checks = r["gate"]["checks"].as_array().unwrap();
    let names: Vec<&str> = checks.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["win_probability", "agreement", "blocker_flags", "reviewers", "judgements"]);
    assert!(checks.iter().all(|c| c["threshold"].is_number() && c["passed"].is_boolean()));
    assert!(r["gate"]["passed"].is_boolean());
    assert_eq!(args("1").stdout, out.stdout, "same seed, same report");
    assert_ne!(args("2").stdout, out.stdout, "another seed, other intervals");
}

#[test]
fn report_writes_csv_markdown_and_html_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = jsonl_file(dir.path(), &session_events("s1"));
    for (format, name) in [("csv", "r.csv"), ("md", "r.md"), ("html", "r.html")] {
        let path = dir.path().join(name);
        let out = screening(&[
            "report",
            "--judgements",
            &file,
            "--rounds",
            "50",
            "--format",
            format,
            "--out",
            &path.display().to_string(),
        ]);
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "{format}: written to the file, not stdout");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.is_empty(), "{format}");
    }
    let csv = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
    assert!(csv.starts_with("\"section\",\"name\""), "{csv}");
}

#[test]
fn bad_judgement_files_name_the_line_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut events = session_events("s1");
    events[1].value = Some(9);
    let file = jsonl_file(dir.path(), &events);
    let out = screening(&["report", "--judgements", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("judgements.jsonl:2: field \"value\": a rating is 1 to 5, not 9"),
        "{err}"
    );

    let mut two = session_events("s1");
    two.extend(session_events("s2"));
    let file = jsonl_file(dir.path(), &two);
    let out = screening(&["report", "--judgements", &file]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 sessions (s1, s2); choose one with --session ID"), "{err}");
    let out = screening(&["report", "--judgements", &file, "--session", "s2", "--rounds", "10"]);
    assert_eq!(stdout_json(&out)["reviewers"], 3);
    let out = screening(&["report", "--judgements", &file, "--session", "s2", "--incumbent", "zz"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--incumbent \"zz\": no judgement names this candidate"), "{err}");
    let out = screening(&["report", "--db", "x", "--judgements", &file]);
    assert_eq!(out.status.code(), Some(2), "one source only");
}

/// A data directory with one judged session, made through the app's use cases; the store stays
/// open (its lock held) while the CLI reads it, as when the app is running.
#[tokio::test(flavor = "multi_thread")]
async fn report_and_export_read_the_apps_database_while_it_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = screening_store::Store::open(dir.path()).await.unwrap();
    let demo = std::sync::Arc::new(screening_app::Library::demo());
    let ws = Workspace::on(store.clone(), dir.path(), demo, ModelCache::new(None), "ana".into())
        .await
        .unwrap();
    let mut ids = Vec::new();
    for name in ["first", "second"] {
        let s = ws
            .reviews
            .create_session(NewSessionRequest {
                name: name.into(),
                persona_ids: vec!["reality-fan".into()],
                candidate_ids: vec!["builtin-popularity".into(), "builtin-ease".into()],
                k: 3,
                blind: false,
                criteria: vec!["overall".into()],
                incumbent_candidate_id: Some("builtin-popularity".into()),
                challenger_candidate_id: None,
            })
            .await
            .unwrap();
        ids.push(s.summary.id);
    }
    let id = ids[0].clone();
    ws.reviews.freeze(&id, |_| {}).await.unwrap();
    let board = ws.reviews.board(&id, "reality-fan").await.unwrap();
    let (a, b) = (board.columns[0].snapshot_id.clone(), board.columns[1].snapshot_id.clone());
    let record = |judgement| RecordRequest {
        session_id: id.clone(),
        persona_id: "reality-fan".into(),
        judgement,
    };
    ws.reviews
        .record(record(JudgementInput::Rating {
            snapshot_id: b.clone(),
            criterion: "overall".into(),
            score: 4,
        }))
        .await
        .unwrap();
    ws.reviews
        .record(record(JudgementInput::Comment { text: "=HYPERLINK(\"http://evil\")".into() }))
        .await
        .unwrap();
    let preference = Preference { ranking: vec![b, a], tie: false, all_bad: false };
    ws.reviews.record(record(JudgementInput::Preference { preference })).await.unwrap();

    let db = dir.path().display().to_string();
    let out = screening(&["report", "--db", &db]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds 2 sessions; choose one with --session ID") && err.contains("first"),
        "{err}"
    );
    let file = dir.path().join("screening.db").display().to_string();
    let r = stdout_json(&screening(&["report", "--db", &file, "--session", &id, "--rounds", "20"]));
    assert_eq!(r["challenger"], "EASE", "the other of two candidates");
    assert_eq!(r["criteria"]["overall"]["candidates"]["EASE"]["mean"], 4.0);
    assert_eq!(r["preferences"]["matrix"]["EASE"]["Popularity"]["wins"], 1);

    for (format, name) in [("jsonl", "j.jsonl"), ("csv", "j.csv"), ("battles", "b.jsonl")] {
        let path = dir.path().join(name);
        let out = screening(&[
            "export",
            "--db",
            &db,
            "--session",
            &id,
            "--format",
            format,
            "--out",
            &path.display().to_string(),
        ]);
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let jsonl = std::fs::read_to_string(dir.path().join("j.jsonl")).unwrap();
    let kinds: Vec<String> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds, ["rating", "comment", "preference"]);
    let csv = std::fs::read_to_string(dir.path().join("j.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{csv}");
    let battles = std::fs::read_to_string(dir.path().join("b.jsonl")).unwrap();
    assert_eq!(
        battles.trim(),
        r#"{"model_a":"Popularity","model_b":"EASE","winner":"model_b","judge":"ana","persona":"reality-fan"}"#
    );
    // The JSON Lines export feeds `report --judgements` to the same numbers.
    let from_file = stdout_json(&screening(&[
        "report",
        "--judgements",
        &dir.path().join("j.jsonl").display().to_string(),
        "--incumbent",
        "Popularity",
        "--rounds",
        "20",
    ]));
    assert_eq!(from_file["criteria"], r["criteria"]);
    // Candidates come in order of appearance from a file, in session order from the database.
    let (fp, rp) = (&from_file["preferences"], &r["preferences"]);
    assert_eq!(fp["matrix"]["EASE"]["Popularity"], rp["matrix"]["EASE"]["Popularity"]);
    for c in ["EASE", "Popularity"] {
        let (a, b) = (&fp["bradley_terry"][c]["strength"], &rp["bradley_terry"][c]["strength"]);
        assert!((a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-12, "{c}: {a} vs {b}");
    }
    assert_eq!(fp["challenger_vs_incumbent"], rp["challenger_vs_incumbent"]);

    let out = screening(&["export", "--db", "/no/such/place", "--format", "csv", "--out", "x.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() == Some(1) && err.contains("/no/such/place"), "{err}");
    drop(ws);
    store.close().await;
}
