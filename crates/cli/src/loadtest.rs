//! `screening loadtest`: the load check of one candidate endpoint (`screening_load`), with a live
//! line on a terminal, Ctrl-C keeping what was measured, and a warning (and `--yes`) before
//! loading an Amazon Personalize campaign.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use screening_load::{
    CandidateTarget, HttpTarget, LoadPlan, LoadProgress, LoadResult, StepPlan, StepResult, Target,
};
use screening_sources::{CandidateConfig, CandidateFile, PersonalizeCandidate, RecommendRequest};
use tokio::sync::watch;

use crate::args::{LoadtestArgs, parse_ramp};
use crate::{print_json, print_lines};

pub fn loadtest_cmd(args: &LoadtestArgs) -> Result<(), String> {
    let requests = requests(args.personas.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let target = runtime.block_on(target(args, &requests))?;
    let (stop, cancel) = watch::channel(false);
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping: the requests in flight finish, then what was measured is printed");
            let _ = stop.send(true);
        }
    });
    let live = std::io::stderr().is_terminal() && !args.json;
    let progress: Arc<dyn Fn(&LoadProgress) + Send + Sync> = Arc::new(move |p: &LoadProgress| {
        if live {
            eprint!(
                "\r{:>5.0}/{:.0} s  {:>6.0} req/s (target {:.0})  p99 {:>8.1} ms  errors {}   ",
                p.elapsed_s, p.length_s, p.rps, p.target_rps, p.latency_ms.p99, p.errors
            );
        }
    });
    match (args.step, args.max_rate) {
        (Some(by), Some(max)) => {
            let plan = StepPlan {
                start: args.rate,
                by,
                max,
                step_s: args.duration,
                max_error_rate: args.max_error_rate,
                max_p99_ms: args.max_p99_ms,
                concurrency: args.concurrency,
                timeout_ms: args.timeout_ms,
            };
            let result = runtime
                .block_on(screening_load::step(target, &plan, progress, cancel))
                .map_err(|e| e.to_string())?;
            if live {
                eprintln!();
            }
            if args.json { print_json(&result) } else { print_lines(&step_lines(&result)) }
        }
        _ => {
            let (ramp_from, ramp_s) = match &args.ramp {
                Some(r) => parse_ramp(r)?,
                None => (0.0, 0.0),
            };
            let plan = LoadPlan {
                rate: args.rate,
                duration_s: args.duration,
                ramp_from,
                ramp_s,
                concurrency: args.concurrency,
                timeout_ms: args.timeout_ms,
            };
            let result = runtime
                .block_on(screening_load::run(target, &plan, progress, cancel))
                .map_err(|e| e.to_string())?;
            if live {
                eprintln!();
            }
            if args.json { print_json(&result) } else { print_lines(&result_lines(&result)) }
        }
    }
}

/// One request per chosen sample persona (all six by default), k = 10.
fn requests(ids: Option<&str>) -> Result<Vec<RecommendRequest>, String> {
    let all = screening_catalog::personas::sample_personas();
    let chosen: Vec<_> = match ids {
        None => all.iter().collect(),
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| {
                all.iter().find(|p| p.id == id).ok_or_else(|| {
                    let known: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
                    format!("--personas: no sample persona {id:?} (there are {})", known.join(", "))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(chosen.iter().map(|p| RecommendRequest::for_persona(p, "loadtest", 10)).collect())
}

/// The target the flags name: a URL, or a candidate of a candidates file.
async fn target(
    args: &LoadtestArgs,
    requests: &[RecommendRequest],
) -> Result<Arc<dyn Target>, String> {
    let timeout = Duration::from_millis(args.timeout_ms);
    let concurrency = args.concurrency as usize;
    if let Some(url) = &args.url {
        let t = HttpTarget::new(url, &Default::default(), requests, timeout, concurrency)
            .map_err(|e| e.to_string())?;
        return Ok(Arc::new(t));
    }
    let (Some(file), Some(name)) = (&args.candidates, &args.candidate) else {
        return Err("give --url URL, or --candidates FILE.toml --candidate NAME".into());
    };
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let configs =
        CandidateFile::parse(&text).map_err(|e| format!("{}: {e}", file.display()))?.candidate;
    let config = configs.iter().find(|c| c.name() == name).ok_or_else(|| {
        let names: Vec<&str> = configs.iter().map(CandidateConfig::name).collect();
        format!("{}: no candidate {name:?} (there are {})", file.display(), names.join(", "))
    })?;
    match config {
        CandidateConfig::Http { url, headers, .. } => {
            let t = HttpTarget::new(url, headers, requests, timeout, concurrency)
                .map_err(|e| format!("candidate {name:?}: {e}"))?;
            Ok(Arc::new(t))
        }
        CandidateConfig::Personalize { .. } => {
            eprintln!("warning: {}", screening_load::PERSONALIZE_WARNING);
            if !args.yes {
                return Err(format!(
                    "candidate {name:?} is an Amazon Personalize campaign: run again with --yes to load it at {} requests/s",
                    args.rate
                ));
            }
            let settings = screening_sources::PersonalizeSettings::of(config)
                .ok_or_else(|| format!("candidate {name:?}: not a Personalize candidate"))?;
            let candidate = Arc::new(PersonalizeCandidate::new(settings).await);
            let t =
                CandidateTarget::new(candidate, requests.to_vec()).map_err(|e| e.to_string())?;
            Ok(Arc::new(t))
        }
        CandidateConfig::Builtin { .. } => Err(format!(
            "candidate {name:?} is a built-in model, which runs inside the app: serve it over HTTP \
             with `screening serve-model` and load that URL"
        )),
    }
}

fn result_lines(r: &LoadResult) -> Vec<String> {
    let l = &r.latency_ms;
    let mut lines = vec![
        format!(
            "{} requests in {:.1} s: {:.1} req/s achieved of {:.1} targeted{}",
            r.requests,
            r.duration_s,
            r.achieved_rps,
            r.target_rps,
            if r.stopped { " (stopped early)" } else { "" }
        ),
        format!(
            "latency ms (from when each request was due)  p50 {:.1}  p90 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
            l.p50, l.p90, l.p95, l.p99, l.max
        ),
    ];
    if r.errors.is_empty() {
        lines.push("errors: none".into());
    } else {
        let kinds: Vec<String> = r.errors.iter().map(|(k, n)| format!("{k} {n}")).collect();
        lines.push(format!(
            "errors: {} ({:.2}%): {}",
            r.error_count(),
            100.0 * r.error_rate(),
            kinds.join(", ")
        ));
    }
    lines
}

fn step_lines(s: &StepResult) -> Vec<String> {
    let mut lines: Vec<String> = s
        .steps
        .iter()
        .map(|r| {
            format!(
                "{:>8.1} req/s targeted: {:>8.1} achieved, p99 {:>8.1} ms, errors {:.2}%",
                r.target_rps,
                r.achieved_rps,
                r.latency_ms.p99,
                100.0 * r.error_rate()
            )
        })
        .collect();
    lines.push(match s.sustainable_rps {
        Some(rate) => format!("sustainable: {rate} req/s (stopped by {})", s.stopped_by),
        None => format!("sustainable: none — the first step failed ({})", s.stopped_by),
    });
    lines
}
