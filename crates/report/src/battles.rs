//! Preferences as pairwise battles, one JSON object per line, in the shape Chatbot Arena
//! publishes (`model_a`, `model_b`, `winner`, `judge`), plus the persona.

use screening_core::report::events::{self, Outcome};
use screening_core::report::{EventKind, JudgementEvent};
use serde::Serialize;

#[derive(Serialize)]
struct Battle<'a> {
    model_a: &'a str,
    model_b: &'a str,
    /// `model_a`, `model_b`, `tie`, or `tie (bothbad)` when the reviewer found every list bad.
    winner: &'a str,
    judge: &'a str,
    persona: &'a str,
}

/// Every current preference (superseded ones left out) as battles: one per two shown
/// candidates, `model_a` the one shown further left.
pub fn battles_jsonl(all: &[JudgementEvent]) -> String {
    let mut out = String::new();
    for e in events::current(all).into_iter().filter(|e| e.kind == EventKind::Preference) {
        for pair in events::pairs(e) {
            let winner = match (pair.outcome, pair.all_bad) {
                (Outcome::LeftWins, _) => "model_a",
                (Outcome::RightWins, _) => "model_b",
                (Outcome::Tie, false) => "tie",
                (Outcome::Tie, true) => "tie (bothbad)",
            };
            let battle = Battle {
                model_a: pair.left,
                model_b: pair.right,
                winner,
                judge: &e.reviewer,
                persona: &e.persona_id,
            };
            out.push_str(&serde_json::to_string(&battle).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}
