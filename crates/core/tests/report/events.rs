//! The judgement event format: reading, checking, what counts, preferences as pairs.

use screening_core::report::events::{self, Outcome, current, pairs, parse_jsonl, to_jsonl};
use screening_core::report::{EventKind, JudgementEvent};

fn rating(op: &str, reviewer: &str, candidate: &str, value: i64) -> JudgementEvent {
    let mut e = JudgementEvent::new(op, "s", "p1", reviewer, EventKind::Rating, 1);
    e.candidate = Some(candidate.into());
    e.criterion = Some("overall".into());
    e.value = Some(value);
    e
}

#[test]
fn events_round_trip_through_json_lines_with_unused_fields_left_out() {
    let mut pref = JudgementEvent::new("o2", "s", "p1", "ann", EventKind::Preference, 2);
    pref.shown = Some(vec!["a".into(), "b".into(), "c".into()]);
    pref.ranking = Some(vec![vec!["b".into()], vec!["a".into(), "c".into()]]);
    let all = vec![rating("o1", "ann", "a", 4), pref];
    let text = to_jsonl(&all);
    assert_eq!(text.lines().count(), 2);
    assert_eq!(
        text.lines().next(),
        Some(
            r#"{"op_id":"o1","session_id":"s","persona_id":"p1","candidate":"a","reviewer":"ann","kind":"rating","criterion":"overall","value":4,"created_at":1}"#
        )
    );
    assert_eq!(parse_jsonl(&text).expect("valid"), all);
}

#[test]
fn bad_lines_are_named_with_what_is_wrong() {
    let ok = r#"{"op_id":"o1","session_id":"s","persona_id":"p","candidate":"a","reviewer":"r","kind":"rating","criterion":"overall","value":4,"created_at":1}"#;
    let cases = [
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","candidate":"a","reviewer":"r","kind":"rating","criterion":"overall","value":7,"created_at":1}"#,
            "field \"value\": a rating is 1 to 5, not 7",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"rating","criterion":"overall","value":3,"created_at":1}"#,
            "a rating needs field \"candidate\"",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"vote","created_at":1}"#,
            "unknown variant `vote`",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"comment","text":"x","colour":"red","created_at":1}"#,
            "unknown field `colour`",
        ),
        (
            r#"{"op_id":"o1","session_id":"s","persona_id":"p","reviewer":"r","kind":"comment","text":"x","created_at":1}"#,
            "field \"op_id\": \"o1\" appears twice",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"comment","text":"x","supersedes":"zz","created_at":1}"#,
            "field \"supersedes\": \"zz\" is not an earlier event's op_id",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"bob","kind":"rating","candidate":"a","criterion":"overall","value":2,"supersedes":"o1","created_at":1}"#,
            "can only replace its own reviewer's event",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"preference","shown":["a","b"],"ranking":[["a"]],"created_at":1}"#,
            "places every shown candidate; missing [\"b\"]",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"preference","shown":["a","b"],"ranking":[["a"],["z"]],"created_at":1}"#,
            "\"z\" is not in \"shown\"",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"preference","shown":["a","a"],"ranking":[["a"]],"created_at":1}"#,
            "at least 2 different candidates",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"flag","candidate":"a","created_at":1}"#,
            "a flag needs field \"item_id\"",
        ),
        (
            r#"{"op_id":"o2","session_id":"s","persona_id":"p","reviewer":"r","kind":"comment","text":"x","value":3,"created_at":1}"#,
            "field \"value\" does not belong to a comment",
        ),
        ("{not json", "key must be a string"),
    ];
    for (line, want) in cases {
        let text = format!("{ok}\n\n{line}\n");
        let err = parse_jsonl(&text).expect_err(line);
        assert_eq!(err.line, 3, "{line}");
        assert!(err.message.contains(want), "{line}: {}", err.message);
    }
}

#[test]
fn superseded_events_and_withdrawn_flags_do_not_count() {
    let mut edit = rating("o2", "ann", "a", 2);
    edit.supersedes = Some("o1".into());
    let mut flag = JudgementEvent::new("o3", "s", "p1", "ann", EventKind::Flag, 3);
    flag.candidate = Some("a".into());
    flag.item_id = Some("i1".into());
    flag.flag = Some("stale".into());
    let mut unflag = flag.clone();
    unflag.op_id = "o4".into();
    unflag.on = Some(false);
    unflag.supersedes = Some("o3".into());
    // Two current ratings of the same list by the same reviewer (no supersedes): the later wins.
    let twice = rating("o6", "bob", "a", 1);
    let again = rating("o7", "bob", "a", 5);
    let all = vec![
        rating("o1", "ann", "a", 5),
        edit,
        flag,
        unflag,
        rating("o5", "bob", "b", 3),
        twice,
        again,
    ];
    events::validate(&all).expect("valid");
    let live: Vec<&str> = current(&all).iter().map(|e| e.op_id.as_str()).collect();
    assert_eq!(live, ["o2", "o5", "o7"]);
}

#[test]
fn a_ranking_expands_into_pairs_in_display_order() {
    let mut pref = JudgementEvent::new("o", "s", "p", "r", EventKind::Preference, 1);
    pref.shown = Some(vec!["a".into(), "b".into(), "c".into()]);
    pref.ranking = Some(vec![vec!["b".into()], vec!["a".into(), "c".into()]]);
    let got: Vec<(&str, &str, Outcome)> =
        pairs(&pref).iter().map(|p| (p.left, p.right, p.outcome)).collect();
    assert_eq!(
        got,
        [("a", "b", Outcome::RightWins), ("a", "c", Outcome::Tie), ("b", "c", Outcome::LeftWins)]
    );
}
