//! Synthetic judgements for benchmarks and load checks: a session where reviewers rate every
//! list on every criterion and rank the lists, with persona and reviewer effects (so the
//! clusters matter) and a few flags.

use crate::splitmix64;

use super::{EventKind, JudgementEvent};

/// The size of a synthetic session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub personas: usize,
    pub reviewers: usize,
    pub candidates: usize,
    pub criteria: usize,
}

impl Shape {
    /// Events [`session`] makes: every rating, one preference per persona and reviewer, and
    /// one flag per 50 ratings.
    pub fn events(&self) -> usize {
        let ratings = self.personas * self.reviewers * self.candidates * self.criteria;
        ratings + self.personas * self.reviewers + ratings / 50
    }
}

/// Candidate `i`'s name: `model-0`, `model-1`, … (`model-0` is the incumbent, `model-1` the
/// challenger, and better candidates have higher numbers).
pub fn candidate(i: usize) -> String {
    format!("model-{i}")
}

/// A session of `shape`, deterministic in `seed`. Candidate `i` has true quality `i`; each
/// rating is 3 + quality share + persona effect + reviewer effect + noise, clamped to 1..=5.
pub fn session(shape: Shape, seed: u64) -> Vec<JudgementEvent> {
    let mut state = seed;
    let mut next = move |n: u64| {
        state = splitmix64(state);
        state % n
    };
    let personas: Vec<i64> = (0..shape.personas).map(|_| next(3) as i64 - 1).collect();
    let reviewers: Vec<i64> = (0..shape.reviewers).map(|_| next(3) as i64 - 1).collect();
    let names: Vec<String> = (0..shape.candidates).map(candidate).collect();
    let mut out = Vec::with_capacity(shape.events());
    let mut op = 0u64;
    let mut event = |persona: usize, reviewer: usize, kind: EventKind| {
        op += 1;
        JudgementEvent::new(
            format!("op-{op}"),
            "synthetic",
            format!("persona-{persona}"),
            format!("reviewer-{reviewer}"),
            kind,
            1_700_000_000_000 + op as i64,
        )
    };
    for (p, pe) in personas.iter().enumerate() {
        for (r, re) in reviewers.iter().enumerate() {
            let mut totals = Vec::with_capacity(shape.candidates);
            for (c, name) in names.iter().enumerate() {
                let quality = (2 * c / shape.candidates.max(1)) as i64;
                let mut total = 0;
                for k in 0..shape.criteria {
                    let noise = next(3) as i64 - 1;
                    let value = (2 + quality + pe + re + noise).clamp(1, 5);
                    total += value;
                    let mut e = event(p, r, EventKind::Rating);
                    e.candidate = Some(name.clone());
                    e.criterion = Some(format!("criterion-{k}"));
                    e.value = Some(value);
                    out.push(e);
                    if out.len() % 50 == 0 {
                        let mut f = event(p, r, EventKind::Flag);
                        f.candidate = Some(name.clone());
                        f.item_id = Some(format!("item-{}", next(200)));
                        f.flag = Some(
                            ["stale", "wrong_for_persona", "great_pick"][next(3) as usize].into(),
                        );
                        out.push(f);
                    }
                }
                totals.push((total + next(4) as i64, name.clone()));
            }
            // Shown in a per-reviewer rotation; ranked by the reviewer's own totals.
            let shown: Vec<String> = (0..shape.candidates)
                .map(|i| names[(i + p + r) % shape.candidates].clone())
                .collect();
            totals.sort_by_key(|t| std::cmp::Reverse(t.0));
            let mut e = event(p, r, EventKind::Preference);
            e.shown = Some(shown);
            e.ranking = Some(totals.into_iter().map(|(_, n)| vec![n]).collect());
            out.push(e);
        }
    }
    out
}
