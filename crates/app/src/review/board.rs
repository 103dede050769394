//! The pure part of a board: blind labels, this reviewer's current judgements, indicators.

use std::collections::HashMap;

use screening_store::{Judgement, JudgementKind};

use super::types::{ItemFlag, MixEntry, Preference};

/// Column order for one reviewer and persona: a shuffle seeded by (session, reviewer, persona),
/// so reopening shows the same order and different reviewers see different ones.
pub fn blind_order(n: usize, session_id: &str, reviewer: &str, persona_id: &str) -> Vec<usize> {
    let mut state = fnv1a(&[session_id, reviewer, persona_id]);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state = screening_core::splitmix64(state);
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
}

fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// `"A"`, `"B"`, …
pub fn label(position: usize) -> String {
    char::from(b'A' + u8::try_from(position % 26).unwrap_or(0)).to_string()
}

/// One reviewer's current view of a persona, replayed from their judgement events in order:
/// for each key the newest event wins.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Current {
    /// (snapshot, criterion) → (score, op id).
    pub ratings: HashMap<(String, String), (u8, String)>,
    pub preference: Option<(Preference, String)>,
    /// (snapshot, item, flag) → (on, op id).
    pub flags: HashMap<(String, String, ItemFlag), (bool, String)>,
    pub comment: Option<(String, String)>,
    pub revealed: bool,
}

impl Current {
    /// Replays `events` (oldest first) of one reviewer and persona.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Judgement>) -> Current {
        let mut c = Current::default();
        for e in events {
            let j = &e.judgement;
            let op = e.op_id.clone();
            let p = &j.payload;
            match j.kind {
                JudgementKind::Rating => {
                    if let (Some(snap), Some(crit), Some(score)) =
                        (&j.snapshot_id, p["criterion"].as_str(), p["score"].as_u64())
                    {
                        let score = u8::try_from(score).unwrap_or(0);
                        c.ratings.insert((snap.clone(), crit.to_owned()), (score, op));
                    }
                }
                JudgementKind::Preference => {
                    if let Ok(pref) = serde_json::from_value::<Preference>(p.clone()) {
                        c.preference = Some((pref, op));
                    }
                }
                JudgementKind::Flag => {
                    if let (Some(snap), Some(item), Ok(flag)) = (
                        &j.snapshot_id,
                        &j.item_id,
                        serde_json::from_value::<ItemFlag>(p["flag"].clone()),
                    ) {
                        let on = p["on"].as_bool().unwrap_or(false);
                        c.flags.insert((snap.clone(), item.clone(), flag), (on, op));
                    }
                }
                JudgementKind::Comment => {
                    c.comment = Some((p["text"].as_str().unwrap_or_default().to_owned(), op));
                }
                JudgementKind::Reveal => c.revealed = true,
            }
        }
        c
    }
}

/// Items per content type, most first (ties by name).
pub fn content_mix<'a>(types: impl IntoIterator<Item = &'a str>) -> Vec<MixEntry> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for t in types {
        *counts.entry(t).or_insert(0) += 1;
    }
    let mut mix: Vec<MixEntry> =
        counts.into_iter().map(|(name, count)| MixEntry { name: name.to_owned(), count }).collect();
    mix.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    mix
}

#[cfg(test)]
mod tests {
    use super::*;
    use screening_store::NewJudgement;
    use serde_json::json;

    #[test]
    fn blind_orders_are_stable_shuffles_that_differ_between_reviewers() {
        let a = blind_order(4, "s1", "ana", "fan");
        assert_eq!(a, blind_order(4, "s1", "ana", "fan"));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3]);
        let distinct: std::collections::HashSet<Vec<usize>> = ["ana", "bo", "cy", "di", "ed", "fi"]
            .iter()
            .map(|r| blind_order(4, "s1", r, "fan"))
            .collect();
        assert!(distinct.len() > 2, "reviewers should not all see one order: {distinct:?}");
        assert_eq!(label(0), "A");
        assert_eq!(label(3), "D");
    }

    fn event(
        n: i64,
        kind: JudgementKind,
        snap: Option<&str>,
        item: Option<&str>,
        payload: serde_json::Value,
    ) -> Judgement {
        Judgement {
            op_id: format!("op{n}"),
            device_id: "d".into(),
            device_seq: n,
            created_at: n,
            judgement: NewJudgement {
                reviewer: "ana".into(),
                session_id: "s".into(),
                persona_id: "fan".into(),
                snapshot_id: snap.map(str::to_owned),
                item_id: item.map(str::to_owned),
                kind,
                payload,
                supersedes: None,
            },
        }
    }

    #[test]
    fn the_newest_event_of_each_key_wins() {
        let events = vec![
            event(
                1,
                JudgementKind::Rating,
                Some("x"),
                None,
                json!({"criterion": "overall", "score": 2}),
            ),
            event(
                2,
                JudgementKind::Rating,
                Some("y"),
                None,
                json!({"criterion": "overall", "score": 5}),
            ),
            event(
                3,
                JudgementKind::Rating,
                Some("x"),
                None,
                json!({"criterion": "overall", "score": 4}),
            ),
            event(
                4,
                JudgementKind::Flag,
                Some("x"),
                Some("i1"),
                json!({"flag": "stale", "on": true}),
            ),
            event(
                5,
                JudgementKind::Flag,
                Some("x"),
                Some("i1"),
                json!({"flag": "stale", "on": false}),
            ),
            event(
                6,
                JudgementKind::Preference,
                None,
                None,
                json!({"ranking": ["y", "x"], "tie": false, "all_bad": false}),
            ),
            event(7, JudgementKind::Comment, None, None, json!({"text": "too much football"})),
        ];
        let c = Current::replay(&events);
        assert_eq!(c.ratings[&("x".into(), "overall".into())], (4, "op3".into()));
        assert_eq!(c.ratings[&("y".into(), "overall".into())].0, 5);
        assert_eq!(c.flags[&("x".into(), "i1".into(), ItemFlag::Stale)], (false, "op5".into()));
        assert_eq!(c.preference.as_ref().unwrap().0.ranking, vec!["y", "x"]);
        assert_eq!(c.comment.as_ref().unwrap().0, "too much football");
        assert!(!c.revealed);
        let mut more = events.clone();
        more.push(event(8, JudgementKind::Reveal, None, None, json!({})));
        assert!(Current::replay(&more).revealed);
    }

    #[test]
    fn content_mix_counts_most_first() {
        let mix = content_mix(["reality", "film", "reality", "news", "film", "reality"]);
        let flat: Vec<(&str, u32)> = mix.iter().map(|m| (m.name.as_str(), m.count)).collect();
        assert_eq!(flat, [("reality", 3), ("film", 2), ("news", 1)]);
    }
}
