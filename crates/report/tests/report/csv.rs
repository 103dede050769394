//! CSV exports: RFC 4180 and formula-injection safe; battles.

use screening_core::report::{EventKind, JudgementEvent, ReportOptions, build_report};
use screening_report::{battles_jsonl, judgements_csv, safe_cell, summary_csv};

fn comment(op: &str, text: &str) -> JudgementEvent {
    let mut e = JudgementEvent::new(op, "s", "p1", "ann", EventKind::Comment, 1_700_000_000_000);
    e.text = Some(text.into());
    e
}

/// Splits RFC 4180 CSV (quoted fields, doubled quotes, CRLF records) the way a spreadsheet would.
fn parse(csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    reader.records().map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect()).collect()
}

#[test]
fn every_formula_trigger_is_neutralised() {
    for trigger in ['=', '+', '-', '@', '\t', '\r', '\0'] {
        let cell = format!("{trigger}HYPERLINK(\"http://x\")");
        assert_eq!(safe_cell(&cell), format!("'{cell}"), "{trigger:?}");
        let out = judgements_csv(&[comment("o1", &cell)]);
        let rows = parse(&out);
        assert_eq!(rows[1][15], format!("'{cell}"), "{trigger:?}: {out:?}");
    }
    // Not triggers: plain text and a trigger later in the cell.
    assert_eq!(safe_cell("fine = good"), "fine = good");
    assert_eq!(safe_cell(""), "");
}

#[test]
fn fields_are_rfc4180_quoted_and_numbers_stay_numbers() {
    let mut rating = JudgementEvent::new("o2", "s", "p1", "ann", EventKind::Rating, 5);
    rating.candidate = Some("EASE, \"tuned\"".into());
    rating.criterion = Some("overall".into());
    rating.value = Some(4);
    let out = judgements_csv(&[comment("o1", "line one\r\nline \"two\""), rating]);
    assert!(out.ends_with("\r\n"));
    assert!(out.contains(",4,"), "{out}");
    assert!(out.contains("\"EASE, \"\"tuned\"\"\""), "{out}");
    let rows = parse(&out);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][8], "value");
    assert_eq!(rows[1][15], "line one\r\nline \"two\"");
    assert_eq!(
        (rows[2][4].as_str(), rows[2][8].as_str(), rows[2][17].as_str()),
        ("EASE, \"tuned\"", "4", "5")
    );
}

#[test]
fn summary_csv_has_a_row_per_mean_strength_and_check() {
    let mut events = Vec::new();
    for (i, (r, c, v)) in
        [("ann", "a", 4), ("bob", "a", 5), ("ann", "-b", 2)].into_iter().enumerate()
    {
        let mut e = JudgementEvent::new(format!("o{i}"), "s", "p1", r, EventKind::Rating, 1);
        e.candidate = Some(c.into());
        e.criterion = Some("overall".into());
        e.value = Some(v);
        events.push(e);
    }
    let report = build_report(&events, &ReportOptions { rounds: 50, ..ReportOptions::default() });
    let rows = parse(&summary_csv(&report));
    let mean_a = rows.iter().find(|r| r[0] == "mean" && r[2] == "a").expect("a");
    assert_eq!((mean_a[3].as_str(), mean_a[6].as_str()), ("4.5", "2"));
    // A candidate named like a formula is neutralised, its number untouched.
    let mean_b = rows.iter().find(|r| r[0] == "mean" && r[2] == "'-b").expect("b");
    assert_eq!(mean_b[3], "2");
    assert_eq!(rows.iter().filter(|r| r[0] == "gate").count(), 5);
}

#[test]
fn battles_expand_current_preferences_left_to_right() {
    let mut first = JudgementEvent::new("o1", "s", "p1", "ann", EventKind::Preference, 1);
    first.shown = Some(vec!["x".into(), "y".into()]);
    first.ranking = Some(vec![vec!["x".into()], vec!["y".into()]]);
    let mut edit = first.clone();
    edit.op_id = "o2".into();
    edit.supersedes = Some("o1".into());
    edit.shown = Some(vec!["x".into(), "y".into(), "z".into()]);
    edit.ranking = Some(vec![vec!["y".into()], vec!["x".into(), "z".into()]]);
    let mut bad = JudgementEvent::new("o3", "s", "p2", "bob", EventKind::Preference, 2);
    bad.shown = Some(vec!["z".into(), "x".into()]);
    bad.ranking = Some(vec![vec!["z".into(), "x".into()]]);
    bad.all_bad = true;
    let out = battles_jsonl(&[first, edit, bad]);
    let lines: Vec<serde_json::Value> =
        out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let got: Vec<(String, String, String)> = lines
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap_or_default().to_owned();
            (s("model_a"), s("model_b"), s("winner"))
        })
        .collect();
    let want = [
        ("x", "y", "model_b"),
        ("x", "z", "tie"),
        ("y", "z", "model_a"),
        ("z", "x", "tie (bothbad)"),
    ];
    assert_eq!(got, want.map(|(a, b, w)| (a.to_owned(), b.to_owned(), w.to_owned())));
    assert_eq!(
        (lines[3]["judge"].as_str(), lines[3]["persona"].as_str()),
        (Some("bob"), Some("p2"))
    );
}
