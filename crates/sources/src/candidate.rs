//! One interface over every kind of candidate, and the fan-out that asks them all at once.
//!
//! A [`Candidate`] answers one [`RecommendRequest`] with an [`Answer`] (the items as the source
//! gave them, plus what was sent and received) or an error message. [`fan_out`] asks every
//! candidate for every request in parallel — at most [`PER_CANDIDATE`] requests in flight per
//! candidate, each bounded by the candidate's timeout — and checks each answer against the
//! catalog and k into a [`Fetched`]: unknown ids are kept and marked, repeats dropped, lists
//! longer than k cut, each with a warning. One candidate failing never affects another.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::contract::RecommendRequest;

/// Requests in flight at once per candidate (an endpoint is not load-tested by a freeze).
pub const PER_CANDIDATE: usize = 4;

/// Slack on top of a candidate's own timeout before the fan-out gives up on it.
const GRACE: Duration = Duration::from_secs(1);

/// A future a candidate returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of recommendation lists.
pub trait Candidate: Send + Sync {
    /// How long one request may take.
    fn timeout(&self) -> Duration;
    /// The list for `request`, or why there is none (a message for the column).
    fn fetch<'a>(&'a self, request: &'a RecommendRequest)
    -> BoxFuture<'a, Result<Answer, Failure>>;
}

/// A candidate that could not be set up: every request fails with why, so the reason shows in
/// its column like any other failure.
pub struct Unavailable(pub String);

impl Candidate for Unavailable {
    fn timeout(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn fetch<'a>(&'a self, _: &'a RecommendRequest) -> BoxFuture<'a, Result<Answer, Failure>> {
        Box::pin(std::future::ready(Err(Failure::new(self.0.clone()))))
    }
}

/// An item as a source returned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerItem {
    pub item_id: String,
    pub score: Option<f64>,
    pub reason: Option<String>,
    /// Personalize's `promotionName` when a promotion placed the item.
    pub promotion: Option<String>,
}

/// What a candidate answered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    pub items: Vec<AnswerItem>,
    pub model_version: Option<String>,
    /// What was sent, as the source saw it (JSON).
    pub sent: serde_json::Value,
    /// The response body, verbatim.
    pub raw_response: Option<String>,
}

/// Why a candidate gave no list, with whatever was exchanged before it failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Failure {
    pub message: String,
    pub sent: serde_json::Value,
    pub raw_response: Option<String>,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure { message: message.into(), ..Failure::default() }
    }
}

/// A checked list item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchedItem {
    pub item_id: String,
    pub score: Option<f64>,
    pub reason: Option<String>,
    pub promotion: Option<String>,
    /// False when the catalog has no such item (shown as unknown, with the id).
    pub known: bool,
}

/// One candidate's outcome for one request: a checked list with warnings, or an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fetched {
    pub items: Vec<FetchedItem>,
    pub warnings: Vec<String>,
    pub error: Option<String>,
    pub model_version: Option<String>,
    pub sent: serde_json::Value,
    pub raw_response: Option<String>,
    pub latency_ms: f64,
}

/// Which item ids exist.
pub trait Catalog: Send + Sync {
    fn contains(&self, item_id: &str) -> bool;
}

impl Catalog for HashSet<String> {
    fn contains(&self, item_id: &str) -> bool {
        HashSet::contains(self, item_id)
    }
}

impl Catalog for screening_core::Dataset {
    fn contains(&self, item_id: &str) -> bool {
        self.item_idx(item_id).is_some()
    }
}

/// `answer` checked against `catalog` and `k`.
pub fn check(answer: Answer, k: usize, catalog: &dyn Catalog, latency_ms: f64) -> Fetched {
    let mut warnings = Vec::new();
    let mut seen = HashSet::new();
    let mut repeats = Vec::new();
    let mut items = Vec::new();
    for i in answer.items {
        if !seen.insert(i.item_id.clone()) {
            repeats.push(i.item_id);
            continue;
        }
        let known = catalog.contains(&i.item_id);
        items.push(FetchedItem {
            known,
            item_id: i.item_id,
            score: i.score,
            reason: i.reason,
            promotion: i.promotion,
        });
    }
    if !repeats.is_empty() {
        warnings.push(format!(
            "{} repeated item id(s) removed: {}",
            repeats.len(),
            quoted(&repeats)
        ));
    }
    if items.len() > k {
        warnings
            .push(format!("{} items returned for k = {k}; the list is cut to {k}", items.len()));
        items.truncate(k);
    }
    let unknown: Vec<String> =
        items.iter().filter(|i| !i.known).map(|i| i.item_id.clone()).collect();
    if !unknown.is_empty() {
        warnings.push(format!(
            "{} item id(s) not in the catalog, shown as unknown: {}",
            unknown.len(),
            quoted(&unknown)
        ));
    }
    Fetched {
        items,
        warnings,
        error: None,
        model_version: answer.model_version,
        sent: answer.sent,
        raw_response: answer.raw_response,
        latency_ms,
    }
}

/// At most five ids, quoted, then "and N more".
fn quoted(ids: &[String]) -> String {
    let shown: Vec<String> = ids.iter().take(5).map(|i| format!("{i:?}")).collect();
    match ids.len() {
        n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

/// Asks every candidate its requests (`requests[c]` for candidate `c`: a persona's user id can
/// differ per candidate), all in parallel, at most [`PER_CANDIDATE`] at once per candidate;
/// `done` hears after each outcome with (candidate index, request index). The outcomes come
/// back as `[candidate][request]`.
pub async fn fan_out(
    candidates: &[Arc<dyn Candidate>],
    requests: &[Vec<RecommendRequest>],
    catalog: Arc<dyn Catalog>,
    done: Arc<dyn Fn(usize, usize) + Send + Sync>,
) -> Vec<Vec<Fetched>> {
    let requests: Arc<Vec<Vec<RecommendRequest>>> = Arc::new(requests.to_vec());
    let mut set = tokio::task::JoinSet::new();
    for (c, candidate) in candidates.iter().enumerate() {
        let limit = Arc::new(tokio::sync::Semaphore::new(PER_CANDIDATE));
        for r in 0..requests.get(c).map_or(0, Vec::len) {
            let (candidate, requests, catalog, limit, done) = (
                Arc::clone(candidate),
                Arc::clone(&requests),
                Arc::clone(&catalog),
                Arc::clone(&limit),
                Arc::clone(&done),
            );
            set.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let fetched =
                    fetch_one(candidate.as_ref(), &requests[c][r], catalog.as_ref()).await;
                done(c, r);
                (c, r, fetched)
            });
        }
    }
    let mut out: Vec<Vec<Option<Fetched>>> = (0..candidates.len())
        .map(|c| (0..requests.get(c).map_or(0, Vec::len)).map(|_| None).collect())
        .collect();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((c, r, fetched)) => out[c][r] = Some(fetched),
            // A candidate that panics is a bug in an adapter; its slot reports it below.
            Err(_) => continue,
        }
    }
    out.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|f| f.unwrap_or_else(|| failed(Failure::new("the candidate crashed"), 0.0)))
                .collect()
        })
        .collect()
}

/// One request to one candidate, bounded by its timeout, checked.
pub async fn fetch_one(
    candidate: &dyn Candidate,
    request: &RecommendRequest,
    catalog: &dyn Catalog,
) -> Fetched {
    let start = Instant::now();
    let limit = candidate.timeout();
    let outcome = tokio::time::timeout(limit + GRACE, candidate.fetch(request)).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Ok(Ok(answer)) => check(answer, request.k as usize, catalog, ms),
        Ok(Err(failure)) => failed(failure, ms),
        Err(_) => failed(Failure::new(format!("no answer within {} ms", limit.as_millis())), ms),
    }
}

fn failed(f: Failure, latency_ms: f64) -> Fetched {
    Fetched {
        items: Vec::new(),
        warnings: Vec::new(),
        error: Some(f.message),
        model_version: None,
        sent: f.sent,
        raw_response: f.raw_response,
        latency_ms,
    }
}
