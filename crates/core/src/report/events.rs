//! Judgement events as they are exported and imported: the JSON Lines format, one event per line.
//!
//! ```text
//! {"op_id","session_id","persona_id","snapshot_id","candidate","reviewer","kind","criterion",
//!  "value","shown","ranking","all_bad","item_id","flag","on","text","supersedes","created_at"}
//! ```
//!
//! `kind` is `rating` | `preference` | `flag` | `comment`; unused fields are omitted. Candidates
//! appear by their real names. An event with `supersedes` replaces the event it names.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a judgement event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventKind {
    /// A list rated 1–5 on a criterion (`candidate`, `criterion`, `value`).
    Rating,
    /// A preference between the lists of a persona (`shown`, `ranking`, optional `all_bad`).
    Preference,
    /// A flag on one item of a list (`candidate`, `item_id`, `flag`; `on: false` withdraws it).
    Flag,
    /// A free comment (`text`).
    Comment,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Rating => "rating",
            EventKind::Preference => "preference",
            EventKind::Flag => "flag",
            EventKind::Comment => "comment",
        }
    }
}

/// One judgement event, the unit of the judgement export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct JudgementEvent {
    pub op_id: String,
    pub session_id: String,
    pub persona_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub snapshot_id: Option<String>,
    /// The candidate's real name (ratings and flags).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub candidate: Option<String>,
    pub reviewer: String,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub criterion: Option<String>,
    /// A rating's score, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<i64>,
    /// The candidates of a preference in display order, left to right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub shown: Option<Vec<String>>,
    /// Tiers, best first: `[["b"],["a","c"]]` means b beat a and c, which tied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ranking: Option<Vec<Vec<String>>>,
    /// The reviewer found every list bad.
    #[serde(default, skip_serializing_if = "is_false")]
    pub all_bad: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub item_id: Option<String>,
    /// `wrong_for_persona`, `already_seen`, `inappropriate`, `duplicate_franchise`, `stale`,
    /// `great_pick`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub flag: Option<String>,
    /// `false` on a flag event withdraws the flag it supersedes (omitted when true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<String>,
    /// The `op_id` of the event this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub supersedes: Option<String>,
    /// Unix milliseconds (UTC).
    #[ts(type = "number")]
    pub created_at: i64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl JudgementEvent {
    /// An event with the fields every kind has; the kind-specific ones are `None`.
    pub fn new(
        op_id: impl Into<String>,
        session_id: impl Into<String>,
        persona_id: impl Into<String>,
        reviewer: impl Into<String>,
        kind: EventKind,
        created_at: i64,
    ) -> JudgementEvent {
        JudgementEvent {
            op_id: op_id.into(),
            session_id: session_id.into(),
            persona_id: persona_id.into(),
            snapshot_id: None,
            candidate: None,
            reviewer: reviewer.into(),
            kind,
            criterion: None,
            value: None,
            shown: None,
            ranking: None,
            all_bad: false,
            item_id: None,
            flag: None,
            on: None,
            text: None,
            supersedes: None,
            created_at,
        }
    }

    /// False for a flag event that withdraws a flag.
    pub fn is_on(&self) -> bool {
        self.on != Some(false)
    }
}

/// A judgement event that is not valid, with its 1-based line (or position in a list).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EventError {
    pub line: usize,
    pub message: String,
}

/// Reads JSON Lines: one event per line; blank lines are skipped. Every event is checked (see
/// [`validate`]); the first problem is returned with its line.
pub fn parse_jsonl(text: &str) -> Result<Vec<JudgementEvent>, EventError> {
    let mut events = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event: JudgementEvent = serde_json::from_str(line)
            .map_err(|e| EventError { line: i + 1, message: json_message(&e) })?;
        events.push(event);
        lines.push(i + 1);
    }
    validate(&events).map_err(|e| EventError { line: lines[e.line - 1], message: e.message })?;
    Ok(events)
}

/// serde_json's message without its "at line 1 column N" (the line is ours), column kept.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    format!("{message} (column {})", e.column())
}

/// Writes events as JSON Lines (each line ends with `\n`).
pub fn to_jsonl(events: &[JudgementEvent]) -> String {
    let mut out = String::new();
    for e in events {
        // A struct of strings, numbers and lists always serialises.
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Checks every event: the fields its kind needs, values in range, op ids unique, and every
/// `supersedes` naming an earlier event of the same reviewer and kind. `line` in the error is the
/// 1-based position in `events`.
pub fn validate(events: &[JudgementEvent]) -> Result<(), EventError> {
    let mut seen: FxHashMap<&str, &JudgementEvent> = FxHashMap::default();
    for (i, e) in events.iter().enumerate() {
        let fail = |message: String| EventError { line: i + 1, message };
        check_event(e).map_err(fail)?;
        if let Some(prev) = &e.supersedes {
            match seen.get(prev.as_str()) {
                None => {
                    return Err(fail(format!(
                        "field \"supersedes\": {prev:?} is not an earlier event's op_id"
                    )));
                }
                Some(p) if p.reviewer != e.reviewer || p.kind != e.kind => {
                    return Err(fail(format!(
                        "field \"supersedes\": {prev:?} is a {} by {:?}; an event can only replace \
                         its own reviewer's event of the same kind",
                        p.kind.as_str(),
                        p.reviewer
                    )));
                }
                Some(_) => {}
            }
        }
        if seen.insert(e.op_id.as_str(), e).is_some() {
            return Err(fail(format!("field \"op_id\": {:?} appears twice", e.op_id)));
        }
    }
    Ok(())
}

/// Checks one event on its own: the fields its kind needs (and no others), values in range.
pub fn check_event(e: &JudgementEvent) -> Result<(), String> {
    let present = |name: &str, value: &Option<String>| match value {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(format!("a {} needs field {name:?}", e.kind.as_str())),
    };
    for (name, value) in [
        ("op_id", &e.op_id),
        ("session_id", &e.session_id),
        ("persona_id", &e.persona_id),
        ("reviewer", &e.reviewer),
    ] {
        if value.trim().is_empty() {
            return Err(format!("field {name:?} is empty"));
        }
    }
    let fields = [
        ("candidate", e.candidate.is_some(), [EventKind::Rating, EventKind::Flag].as_slice()),
        ("criterion", e.criterion.is_some(), &[EventKind::Rating]),
        ("value", e.value.is_some(), &[EventKind::Rating]),
        ("shown", e.shown.is_some(), &[EventKind::Preference]),
        ("ranking", e.ranking.is_some(), &[EventKind::Preference]),
        ("all_bad", e.all_bad, &[EventKind::Preference]),
        ("item_id", e.item_id.is_some(), &[EventKind::Flag]),
        ("flag", e.flag.is_some(), &[EventKind::Flag]),
        ("on", e.on.is_some(), &[EventKind::Flag]),
        ("text", e.text.is_some(), &[EventKind::Comment]),
    ];
    if let Some((name, _, _)) =
        fields.iter().find(|(_, set, kinds)| *set && !kinds.contains(&e.kind))
    {
        return Err(format!("field {name:?} does not belong to a {}", e.kind.as_str()));
    }
    match e.kind {
        EventKind::Rating => {
            present("candidate", &e.candidate)?;
            present("criterion", &e.criterion)?;
            match e.value {
                Some(v) if (1..=5).contains(&v) => {}
                Some(v) => return Err(format!("field \"value\": a rating is 1 to 5, not {v}")),
                None => return Err("a rating needs field \"value\" (1 to 5)".into()),
            }
        }
        EventKind::Preference => check_preference(e)?,
        EventKind::Flag => {
            present("candidate", &e.candidate)?;
            present("item_id", &e.item_id)?;
            present("flag", &e.flag)?;
        }
        EventKind::Comment => {
            if e.text.is_none() {
                return Err("a comment needs field \"text\"".into());
            }
        }
    }
    Ok(())
}

fn check_preference(e: &JudgementEvent) -> Result<(), String> {
    let shown = e.shown.as_deref().ok_or("a preference needs field \"shown\"")?;
    let ranking = e.ranking.as_deref().ok_or("a preference needs field \"ranking\"")?;
    let distinct: HashSet<&String> = shown.iter().collect();
    if shown.len() < 2 || distinct.len() != shown.len() {
        return Err("field \"shown\": a preference shows at least 2 different candidates".into());
    }
    let mut ranked = HashSet::new();
    for (t, tier) in ranking.iter().enumerate() {
        if tier.is_empty() {
            return Err(format!("field \"ranking\": tier {} is empty", t + 1));
        }
        for c in tier {
            if !distinct.contains(c) {
                return Err(format!("field \"ranking\": {c:?} is not in \"shown\""));
            }
            if !ranked.insert(c) {
                return Err(format!("field \"ranking\": {c:?} appears twice"));
            }
        }
    }
    if ranked.len() != shown.len() {
        let missing: Vec<&String> = shown.iter().filter(|c| !ranked.contains(c)).collect();
        return Err(format!(
            "field \"ranking\": places every shown candidate; missing {missing:?}"
        ));
    }
    Ok(())
}

/// The events that count: not superseded, not a withdrawn flag, and of two events on the same
/// thing by the same reviewer (which a well-formed export never has) only the later one.
/// Order is kept.
pub fn current(events: &[JudgementEvent]) -> Vec<&JudgementEvent> {
    resolve(events, &mut Atoms::default()).into_iter().map(|x| x.event).collect()
}

/// Every distinct string of the events, numbered: keys of the events become integers.
#[derive(Default)]
pub(crate) struct Atoms<'a> {
    of: FxHashMap<&'a str, u32>,
    pub(crate) names: Vec<&'a str>,
}

/// No atom (the event has no such field).
pub(crate) const NONE: u32 = u32::MAX;

impl<'a> Atoms<'a> {
    pub(crate) fn of(&mut self, s: &'a str) -> u32 {
        *self.of.entry(s).or_insert_with(|| {
            self.names.push(s);
            (self.names.len() - 1) as u32
        })
    }

    fn of_opt(&mut self, s: Option<&'a str>) -> u32 {
        s.map_or(NONE, |s| self.of(s))
    }
}

/// An event that counts, with its strings as atoms.
pub(crate) struct Resolved<'a> {
    pub(crate) event: &'a JudgementEvent,
    pub(crate) persona: u32,
    pub(crate) reviewer: u32,
    pub(crate) candidate: u32,
    pub(crate) criterion: u32,
}

/// The events that count, found on integer keys (every string interned in `atoms`): not
/// superseded, not a withdrawn flag, the later of two on the same thing by the same reviewer.
pub(crate) fn resolve<'a>(
    events: &'a [JudgementEvent],
    atoms: &mut Atoms<'a>,
) -> Vec<Resolved<'a>> {
    let superseded: FxHashSet<&str> =
        events.iter().filter_map(|e| e.supersedes.as_deref()).collect();
    let mut keyed = Vec::with_capacity(events.len());
    let mut latest: FxHashMap<[u32; 7], usize> =
        FxHashMap::with_capacity_and_hasher(events.len(), Default::default());
    for e in events.iter().filter(|e| !superseded.contains(e.op_id.as_str())) {
        let x = Resolved {
            event: e,
            persona: atoms.of(&e.persona_id),
            reviewer: atoms.of(&e.reviewer),
            candidate: atoms.of_opt(e.candidate.as_deref()),
            criterion: atoms.of_opt(e.criterion.as_deref()),
        };
        let (item, flag) = match e.kind {
            EventKind::Flag => {
                (atoms.of_opt(e.item_id.as_deref()), atoms.of_opt(e.flag.as_deref()))
            }
            _ => (NONE, NONE),
        };
        let key = [
            atoms.of(&e.session_id),
            x.persona,
            x.reviewer,
            e.kind as u32,
            x.candidate,
            x.criterion.min(item),
            flag,
        ];
        latest.insert(key, keyed.len());
        keyed.push(x);
    }
    let mut keep = vec![false; keyed.len()];
    for &i in latest.values() {
        keep[i] = true;
    }
    keyed
        .into_iter()
        .zip(keep)
        .filter(|(x, keep)| *keep && x.event.is_on())
        .map(|(x, _)| x)
        .collect()
}

/// One pairwise outcome of a preference: `left` was shown before `right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    LeftWins,
    RightWins,
    Tie,
}

/// A preference expanded into pairs, in display order: every two shown candidates make one pair,
/// the left-hand one first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair<'a> {
    pub left: &'a str,
    pub right: &'a str,
    pub outcome: Outcome,
    pub all_bad: bool,
}

/// The pairs of a (valid) preference event; empty for other kinds.
pub fn pairs(e: &JudgementEvent) -> Vec<Pair<'_>> {
    let (Some(shown), Some(ranking)) = (&e.shown, &e.ranking) else {
        return Vec::new();
    };
    let tier = |c: &str| ranking.iter().position(|t| t.iter().any(|x| x == c));
    let mut out = Vec::new();
    for (i, left) in shown.iter().enumerate() {
        for right in &shown[i + 1..] {
            let (Some(a), Some(b)) = (tier(left), tier(right)) else { continue };
            let outcome = match a.cmp(&b) {
                std::cmp::Ordering::Less => Outcome::LeftWins,
                std::cmp::Ordering::Greater => Outcome::RightWins,
                std::cmp::Ordering::Equal => Outcome::Tie,
            };
            out.push(Pair { left, right, outcome, all_bad: e.all_bad });
        }
    }
    out
}

/// Events written one after another for one session, with op ids `<session>-0`, `<session>-1`,
/// … and `created_at` counting up: for tests, benchmarks and generated sessions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    pub session: String,
    pub events: Vec<JudgementEvent>,
}

impl EventLog {
    pub fn new(session: impl Into<String>) -> EventLog {
        EventLog { session: session.into(), events: Vec::new() }
    }

    /// A new event of `kind`, appended; returned to fill in.
    pub fn push(&mut self, persona: &str, reviewer: &str, kind: EventKind) -> &mut JudgementEvent {
        let n = self.events.len();
        let op = format!("{}-{n}", self.session);
        let e = JudgementEvent::new(op, &self.session, persona, reviewer, kind, n as i64);
        self.events.push(e);
        let last = self.events.len() - 1;
        &mut self.events[last]
    }

    /// A rating of `candidate`'s list on `criterion`.
    pub fn rate(
        &mut self,
        persona: &str,
        reviewer: &str,
        candidate: &str,
        criterion: &str,
        value: i64,
    ) -> &mut JudgementEvent {
        let e = self.push(persona, reviewer, EventKind::Rating);
        e.candidate = Some(candidate.into());
        e.criterion = Some(criterion.into());
        e.value = Some(value);
        e
    }

    /// A preference between the `shown` lists (left to right), `ranking` in tiers, best first.
    pub fn prefer(
        &mut self,
        persona: &str,
        reviewer: &str,
        shown: &[&str],
        ranking: &[&[&str]],
    ) -> &mut JudgementEvent {
        let e = self.push(persona, reviewer, EventKind::Preference);
        e.shown = Some(shown.iter().map(|s| (*s).to_owned()).collect());
        e.ranking =
            Some(ranking.iter().map(|t| t.iter().map(|s| (*s).to_owned()).collect()).collect());
        e
    }

    /// A flag on `item` in `candidate`'s list.
    pub fn flag(
        &mut self,
        persona: &str,
        reviewer: &str,
        candidate: &str,
        item: &str,
        flag: &str,
    ) -> &mut JudgementEvent {
        let e = self.push(persona, reviewer, EventKind::Flag);
        e.candidate = Some(candidate.into());
        e.item_id = Some(item.into());
        e.flag = Some(flag.into());
        e
    }
}
