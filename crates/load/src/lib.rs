//! The load check of a candidate endpoint, before a release: will it hold the traffic?
//!
//! [`run`] sends requests at a fixed arrival rate (after an optional linear ramp) whatever the
//! endpoint does — open loop: each request's latency is measured from when it was *due*, so
//! requests that had to wait behind a slow one count their wait (no coordinated omission).
//! Latencies of answered requests go into an HDR histogram; failures are counted by kind
//! (`connect`, `timeout`, `http_503`, `invalid_response`, …). Progress is reported every second;
//! a cancel stops the arrivals, lets the requests in flight finish (each bounded by the
//! timeout) and returns the partial result. [`step`] raises the rate step by step until errors
//! or the p99 cross a threshold and reports the highest rate that held.
//!
//! Hard caps: [`MAX_RATE`] requests/s, [`MAX_DURATION_S`] seconds, [`MAX_CONCURRENCY`] requests
//! in flight.

mod http;
pub mod schedule;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;
use ts_rs::TS;

pub use http::HttpTarget;
pub use schedule::Schedule;

/// The highest arrival rate a run may ask for, requests/s.
pub const MAX_RATE: f64 = 2_000.0;
/// The longest run (ramp and hold together), seconds.
pub const MAX_DURATION_S: f64 = 600.0;
/// The most requests in flight at once.
pub const MAX_CONCURRENCY: usize = 1_024;

/// What to know before loading an Amazon Personalize campaign (the CLI and the app ask for a
/// confirmation after it).
pub const PERSONALIZE_WARNING: &str = "Amazon Personalize: a campaign serves about 500 \
    requests/s by default (a quota you can raise with AWS), and minProvisionedTPS is billed \
    whether used or not, while auto-scaling above it is billed as used — a load check costs money \
    and can throttle real traffic on the same campaign.";

/// A run holds its rate when it achieved this share of the target…
pub const HELD_RATE_SHARE: f64 = 0.95;
/// …with at most this share of errors.
pub const HELD_MAX_ERRORS: f64 = 0.01;

/// The release gate's check of a load run: the candidate sustains the run's rate (≥ 95% of what
/// the schedule asked achieved — a ramp asks less than the target on average —, ≤ 1% errors)
/// with a p99 within `max_p99_ms`.
pub fn gate_check(result: &LoadResult, max_p99_ms: f64) -> screening_core::report::GateCheck {
    let asked = if result.scheduled_rps > 0.0 { result.scheduled_rps } else { result.target_rps };
    let held_rate = result.achieved_rps >= HELD_RATE_SHARE * asked;
    let few_errors = result.error_rate() <= HELD_MAX_ERRORS;
    let answered = result.requests > result.error_count();
    let p99 = answered.then_some(result.latency_ms.p99);
    let note = if !answered {
        Some("no request was answered".to_owned())
    } else if !held_rate {
        Some(format!("achieved {:.1} of {:.1} requests/s", result.achieved_rps, result.target_rps))
    } else if !few_errors {
        Some(format!("{:.1}% of the requests failed", 100.0 * result.error_rate()))
    } else if result.stopped {
        Some("the run was stopped before its end".to_owned())
    } else {
        None
    };
    screening_core::report::GateCheck {
        name: "load".into(),
        label: format!(
            "Challenger sustains {:.0} requests/s with p99 ≤ {max_p99_ms:.0} ms (load check)",
            result.target_rps
        ),
        value: p99,
        threshold: max_p99_ms,
        op: "<=".into(),
        passed: note.is_none() && p99.is_some_and(|p| p <= max_p99_ms),
        note,
    }
}

/// A future a [`Target`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What is loaded: one call per request. `Err` names the kind of failure (`http_503`, …).
pub trait Target: Send + Sync {
    fn call(&self, request: u64) -> BoxFuture<'_, Result<(), String>>;
}

/// Bad settings for a run.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("{0}")]
    Invalid(String),
}

/// One run: the arrival rate, how long, how many in flight at most, each request's timeout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadPlan {
    /// Requests/s once ramped up.
    pub rate: f64,
    /// Seconds at `rate` (after the ramp).
    pub duration_s: f64,
    /// A linear ramp from `ramp_from` requests/s to `rate` over `ramp_s` seconds first.
    #[serde(default)]
    pub ramp_from: f64,
    #[serde(default)]
    pub ramp_s: f64,
    pub concurrency: u32,
    #[ts(type = "number")]
    pub timeout_ms: u64,
}

impl LoadPlan {
    /// Refuses what the caps do not allow, naming the field.
    pub fn check(&self) -> Result<Schedule, LoadError> {
        let bad = |m: String| Err(LoadError::Invalid(m));
        if !(self.rate > 0.0 && self.rate <= MAX_RATE) {
            return bad(format!("rate: between 0 and {MAX_RATE} requests/s, not {}", self.rate));
        }
        if !positive(self.duration_s) || !(0.0..).contains(&self.ramp_s) {
            return bad("duration: more than 0 seconds (and a ramp of 0 or more)".into());
        }
        if self.duration_s + self.ramp_s > MAX_DURATION_S {
            return bad(format!(
                "duration: at most {MAX_DURATION_S} s with the ramp, not {} s",
                self.duration_s + self.ramp_s
            ));
        }
        if !(self.ramp_from >= 0.0 && self.ramp_from <= self.rate) {
            return bad(format!("ramp: starts between 0 and the rate, not at {}", self.ramp_from));
        }
        if self.concurrency == 0 || self.concurrency as usize > MAX_CONCURRENCY {
            return bad(format!(
                "concurrency: 1 to {MAX_CONCURRENCY} requests in flight, not {}",
                self.concurrency
            ));
        }
        if self.timeout_ms == 0 {
            return bad("timeout: more than 0 ms".into());
        }
        Ok(Schedule {
            from: self.ramp_from,
            rate: self.rate,
            ramp_s: self.ramp_s,
            hold_s: self.duration_s,
        })
    }
}

/// Above zero (and not NaN).
fn positive(x: f64) -> bool {
    x > 0.0
}

/// Latency percentiles of the answered requests, milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

/// One second of a run, for the live view and the latency chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadProgress {
    pub elapsed_s: f64,
    /// The run's length, seconds.
    pub length_s: f64,
    /// The arrival rate due now.
    pub target_rps: f64,
    /// Requests sent so far.
    #[ts(type = "number")]
    pub sent: u64,
    /// Requests answered (or failed) so far.
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub errors: u64,
    /// Requests finished in the last second.
    pub rps: f64,
    /// Latency of the answers of the last second (zero when none came).
    pub latency_ms: Latency,
}

/// What a run measured (the JSON of `screening loadtest --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadResult {
    pub target_rps: f64,
    /// What the schedule asked on average over the run: the rate, or less with a ramp.
    #[serde(default)]
    pub scheduled_rps: f64,
    /// Requests finished per second of the run.
    pub achieved_rps: f64,
    #[ts(type = "number")]
    pub requests: u64,
    /// Failed requests by kind.
    #[ts(type = "Record<string, number>")]
    pub errors: BTreeMap<String, u64>,
    /// Of the answered requests, from when each was due.
    pub latency_ms: Latency,
    pub duration_s: f64,
    /// Cancelled before the end: a partial result.
    pub stopped: bool,
    /// Second by second.
    pub timeline: Vec<LoadProgress>,
}

impl LoadResult {
    /// Failed requests, all kinds.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    /// The share of requests that failed.
    pub fn error_rate(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.error_count() as f64 / self.requests as f64 }
    }
}

/// Microsecond histogram up to an hour, three significant digits.
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap_or_else(|_| Histogram::new(3).unwrap())
}

fn latency(h: &Histogram<u64>) -> Latency {
    if h.is_empty() {
        return Latency::default();
    }
    let ms = |us: u64| us as f64 / 1000.0;
    Latency {
        p50: ms(h.value_at_quantile(0.50)),
        p90: ms(h.value_at_quantile(0.90)),
        p95: ms(h.value_at_quantile(0.95)),
        p99: ms(h.value_at_quantile(0.99)),
        max: ms(h.max()),
    }
}

/// What the requests in flight write into.
struct Tally {
    all: Histogram<u64>,
    second: Histogram<u64>,
    errors: BTreeMap<String, u64>,
    done: u64,
    done_this_second: u64,
    sent: u64,
}

impl Tally {
    fn record(&mut self, outcome: Result<Duration, String>) {
        self.done += 1;
        self.done_this_second += 1;
        match outcome {
            Ok(latency) => {
                let us = (latency.as_micros() as u64).max(1);
                let _ = self.all.record(us);
                let _ = self.second.record(us);
            }
            Err(kind) => *self.errors.entry(kind).or_default() += 1,
        }
    }

    /// Where the run stands, the last `over_s` seconds' answers included.
    fn snapshot(
        &self,
        elapsed_s: f64,
        length_s: f64,
        target_rps: f64,
        over_s: f64,
    ) -> LoadProgress {
        LoadProgress {
            elapsed_s,
            length_s,
            target_rps,
            sent: self.sent,
            done: self.done,
            errors: self.errors.values().sum(),
            rps: self.done_this_second as f64 / over_s.max(1e-9),
            latency_ms: latency(&self.second),
        }
    }

    /// The second that just ended, and a fresh one begun.
    fn tick(
        &mut self,
        elapsed_s: f64,
        length_s: f64,
        target_rps: f64,
        over_s: f64,
    ) -> LoadProgress {
        let p = self.snapshot(elapsed_s, length_s, target_rps, over_s);
        self.second.reset();
        self.done_this_second = 0;
        p
    }
}

/// Loads `target` as `plan` says. `progress` hears every second; setting `cancel` to `true`
/// stops the arrivals and returns what was measured so far (`stopped`).
pub async fn run(
    target: Arc<dyn Target>,
    plan: &LoadPlan,
    progress: Arc<dyn Fn(&LoadProgress) + Send + Sync>,
    mut cancel: watch::Receiver<bool>,
) -> Result<LoadResult, LoadError> {
    let schedule = plan.check()?;
    let total = schedule.total();
    let tally = Arc::new(Mutex::new(Tally {
        all: histogram(),
        second: histogram(),
        errors: BTreeMap::new(),
        done: 0,
        done_this_second: 0,
        sent: 0,
    }));
    let timeline = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let length_s = schedule.length_s();

    // The clock: one progress report a second.
    let ticker = {
        let (tally, timeline, progress) = (tally.clone(), timeline.clone(), progress.clone());
        tokio::spawn(async move {
            let mut every =
                tokio::time::interval_at(start + Duration::from_secs(1), Duration::from_secs(1));
            let mut last = start;
            loop {
                let now = every.tick().await;
                let elapsed = now.duration_since(start).as_secs_f64();
                let p = match tally.lock() {
                    Ok(mut t) => t.tick(
                        elapsed,
                        length_s,
                        schedule.rate_at(elapsed),
                        now.duration_since(last).as_secs_f64(),
                    ),
                    Err(_) => return,
                };
                last = now;
                progress(&p);
                if let Ok(mut tl) = timeline.lock() {
                    tl.push(p);
                }
            }
        })
    };

    let slots = Arc::new(Semaphore::new(plan.concurrency as usize));
    let timeout = Duration::from_millis(plan.timeout_ms);
    let mut in_flight = tokio::task::JoinSet::new();
    let mut stopped = *cancel.borrow();
    for i in 0..total {
        if stopped {
            break;
        }
        let due = start + Duration::from_secs_f64(schedule.due(i));
        tokio::select! {
            () = tokio::time::sleep_until(due) => {}
            _ = cancel.changed() => { stopped = true; break; }
        }
        // A request waits for a free slot when too many are in flight; its wait counts in its
        // latency, measured from `due`.
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = cancel.changed() => { stopped = true; break; }
        };
        if let Ok(mut t) = tally.lock() {
            t.sent += 1;
        }
        let (target, tally) = (target.clone(), tally.clone());
        in_flight.spawn(async move {
            let outcome = match tokio::time::timeout(timeout, target.call(i)).await {
                Ok(Ok(())) => Ok(Instant::now().duration_since(due)),
                Ok(Err(kind)) => Err(kind),
                Err(_) => Err("timeout".to_owned()),
            };
            drop(permit);
            if let Ok(mut t) = tally.lock() {
                t.record(outcome);
            }
        });
        // Finished tasks are collected as we go, so the set stays the size of what is in flight.
        while in_flight.try_join_next().is_some() {}
    }
    while in_flight.join_next().await.is_some() {}
    ticker.abort();
    let elapsed = start.elapsed().as_secs_f64();

    let t = tally.lock().map_err(|_| LoadError::Invalid("a request task panicked".into()))?;
    let mut timeline = timeline.lock().map(|tl| tl.clone()).unwrap_or_default();
    // The last, partial second too.
    let since = timeline.last().map_or(0.0, |p| p.elapsed_s);
    if elapsed > since + 1e-3 {
        timeline.push(t.snapshot(elapsed, length_s, schedule.rate_at(elapsed), elapsed - since));
    }
    Ok(LoadResult {
        target_rps: plan.rate,
        scheduled_rps: total as f64 / length_s,
        achieved_rps: if elapsed > 0.0 { t.done as f64 / elapsed } else { 0.0 },
        requests: t.done,
        errors: t.errors.clone(),
        latency_ms: latency(&t.all),
        duration_s: elapsed,
        stopped,
        timeline,
    })
}

/// A step run: the rate goes from `start` up by `by` per step of `step_s` seconds to at most
/// `max`, while a step's error share stays ≤ `max_error_rate` and its p99 ≤ `max_p99_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepPlan {
    pub start: f64,
    pub by: f64,
    pub max: f64,
    pub step_s: f64,
    pub max_error_rate: f64,
    pub max_p99_ms: f64,
    pub concurrency: u32,
    pub timeout_ms: u64,
}

/// What a step run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepResult {
    pub steps: Vec<LoadResult>,
    /// The highest rate that held (none when even the first step did not).
    pub sustainable_rps: Option<f64>,
    /// Why it stopped: `errors`, `p99`, `max_rate` or `cancelled`.
    pub stopped_by: String,
}

/// Raises the rate as `plan` says until a step fails its thresholds; see [`StepPlan`].
pub async fn step(
    target: Arc<dyn Target>,
    plan: &StepPlan,
    progress: Arc<dyn Fn(&LoadProgress) + Send + Sync>,
    cancel: watch::Receiver<bool>,
) -> Result<StepResult, LoadError> {
    if !positive(plan.by) || !positive(plan.start) || plan.max < plan.start {
        return Err(LoadError::Invalid(
            "step: a start above 0, a step above 0 and a maximum from the start up".into(),
        ));
    }
    let steps_n = ((plan.max - plan.start) / plan.by).floor() as u64 + 1;
    if steps_n as f64 * plan.step_s > MAX_DURATION_S {
        return Err(LoadError::Invalid(format!(
            "step: {steps_n} steps of {} s are more than {MAX_DURATION_S} s",
            plan.step_s
        )));
    }
    let mut steps = Vec::new();
    let mut sustainable = None;
    let mut stopped_by = "max_rate".to_owned();
    for k in 0..steps_n {
        let rate = plan.start + plan.by * k as f64;
        let one = LoadPlan {
            rate,
            duration_s: plan.step_s,
            ramp_from: 0.0,
            ramp_s: 0.0,
            concurrency: plan.concurrency,
            timeout_ms: plan.timeout_ms,
        };
        let result = run(target.clone(), &one, progress.clone(), cancel.clone()).await?;
        let (errors, p99, stopped) = (result.error_rate(), result.latency_ms.p99, result.stopped);
        steps.push(result);
        if stopped {
            stopped_by = "cancelled".into();
            break;
        }
        if errors > plan.max_error_rate {
            stopped_by = "errors".into();
            break;
        }
        if p99 > plan.max_p99_ms {
            stopped_by = "p99".into();
            break;
        }
        sustainable = Some(rate);
    }
    Ok(StepResult { steps, sustainable_rps: sustainable, stopped_by })
}

/// Any candidate of a review (a Personalize campaign through the AWS SDK, a built-in model)
/// under load, asked with `requests` in turn; a failure's kind comes from its message.
pub struct CandidateTarget {
    candidate: Arc<dyn screening_sources::Candidate>,
    requests: Vec<screening_sources::RecommendRequest>,
}

impl CandidateTarget {
    pub fn new(
        candidate: Arc<dyn screening_sources::Candidate>,
        requests: Vec<screening_sources::RecommendRequest>,
    ) -> Result<CandidateTarget, LoadError> {
        if requests.is_empty() {
            return Err(LoadError::Invalid("personas: at least one to build requests from".into()));
        }
        Ok(CandidateTarget { candidate, requests })
    }
}

impl Target for CandidateTarget {
    fn call(&self, request: u64) -> BoxFuture<'_, Result<(), String>> {
        let r = &self.requests[(request % self.requests.len() as u64) as usize];
        Box::pin(async move {
            self.candidate.fetch(r).await.map(|_| ()).map_err(|f| failure_kind(&f.message))
        })
    }
}

/// The kind of a candidate's failure, from its message.
pub fn failure_kind(message: &str) -> String {
    let m = message.to_lowercase();
    let kind = if m.contains("throttl") || m.contains("rate exceeded") {
        "throttled"
    } else if m.contains("no answer within") || m.contains("timed out") || m.contains("timeout") {
        "timeout"
    } else if m.contains("access denied") || m.contains("not authorized") {
        "access_denied"
    } else if m.contains("cannot connect") {
        "connect"
    } else {
        "error"
    };
    kind.to_owned()
}
