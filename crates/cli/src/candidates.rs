//! `screening recommend --candidates FILE.toml`: every configured candidate asked for one
//! persona's list at once, each list (or its error) printed.

use std::path::Path;
use std::sync::Arc;

use screening_app::ModelCache;
use screening_core::{Dataset, Persona};
use screening_recommenders::{ModelSpec, TrainInput};
use screening_sources::{
    BuiltinCandidate, Candidate, CandidateConfig, CandidateFile, Fetched, HistoryEvent,
    HttpCandidate, HttpConfig, PersonaRef, PersonalizeCandidate, PersonalizeSettings,
    RecommendRequest, SharedDataset, Unavailable, fan_out,
};
use serde_json::json;

use crate::print_json;
use crate::print_lines;
use crate::progress::Bars;

/// The request for a sample persona, or for a bare history (timestamps an hour apart, ending
/// now).
pub fn request(persona: Option<&Persona>, ids: &[String], k: usize) -> RecommendRequest {
    if let Some(p) = persona {
        return RecommendRequest::for_persona(p, "", k as u32);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    RecommendRequest {
        persona: PersonaRef { id: "history".into(), name: "the given history".into() },
        user_id: None,
        history: ids
            .iter()
            .enumerate()
            .map(|(i, id)| HistoryEvent {
                item_id: id.clone(),
                timestamp: now - 3600 * (ids.len() - i) as i64,
                event_type: "watch".into(),
            })
            .collect(),
        k: k as u32,
        context: Default::default(),
    }
}

/// Reads the candidates in `file`, asks them all for `request` and prints the lists.
pub fn recommend(
    file: &Path,
    dataset: &Dataset,
    input: &TrainInput<'_>,
    cache: &ModelCache,
    bars: &Bars,
    request: &RecommendRequest,
    as_json: bool,
) -> Result<(), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let configs =
        CandidateFile::parse(&text).map_err(|e| format!("{}: {e}", file.display()))?.candidate;
    if configs.is_empty() {
        return Err(format!("{}: no [[candidate]] in the file", file.display()));
    }
    let shared = Arc::new(dataset.clone());
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let candidates: Vec<Arc<dyn Candidate>> = configs
        .iter()
        .map(|c| match PersonalizeSettings::of(c) {
            Some(settings) => Arc::new(runtime.block_on(PersonalizeCandidate::new(settings)))
                as Arc<dyn Candidate>,
            None => build(c, &shared, input, cache, bars),
        })
        .collect();
    let fetched = runtime.block_on(fan_out(
        &candidates,
        &vec![vec![request.clone()]; candidates.len()],
        Arc::clone(&shared) as Arc<dyn screening_sources::Catalog>,
        Arc::new(|_, _| {}),
    ));
    let rows: Vec<(&CandidateConfig, &Fetched)> =
        configs.iter().zip(fetched.iter().map(|per| &per[0])).collect();
    if as_json {
        let out: Vec<_> = rows
            .iter()
            .map(|(c, f)| {
                let items: Vec<_> = f
                    .items
                    .iter()
                    .map(|i| {
                        json!({
                            "item_id": i.item_id,
                            "title": dataset.item(&i.item_id).map(|it| it.title.clone()),
                            "score": i.score,
                            "reason": i.reason,
                        })
                    })
                    .collect();
                json!({
                    "candidate": c.name(),
                    "kind": c.kind(),
                    "items": items,
                    "latency_ms": f.latency_ms,
                    "error": f.error,
                    "warnings": f.warnings,
                })
            })
            .collect();
        return print_json(&serde_json::Value::from(out));
    }
    let mut lines =
        vec![format!("{}: {} items watched", request.persona.name, request.history.len())];
    for (c, f) in rows {
        lines.push(String::new());
        lines.push(format!("{} ({}, {:.0} ms)", c.name(), c.kind(), f.latency_ms));
        if let Some(e) = &f.error {
            lines.push(format!("  error: {e}"));
        }
        for w in &f.warnings {
            lines.push(format!("  warning: {w}"));
        }
        for (n, i) in f.items.iter().enumerate() {
            let title = dataset.item(&i.item_id).map_or("(unknown item)", |it| it.title.as_str());
            lines.push(format!(
                "{:>3}. {:<40} {:>9}  {}",
                n + 1,
                format!("{title} [{}]", i.item_id),
                i.score.map_or_else(String::new, |s| format!("{s:.4}")),
                i.reason.as_deref().unwrap_or("")
            ));
        }
    }
    print_lines(&lines)
}

/// The candidate for a built-in or HTTP `config` (Personalize ones are built with the AWS
/// configuration, asynchronously); one that cannot be set up says why in its column.
fn build(
    config: &CandidateConfig,
    dataset: &Arc<Dataset>,
    input: &TrainInput<'_>,
    cache: &ModelCache,
    bars: &Bars,
) -> Arc<dyn Candidate> {
    match config {
        CandidateConfig::Builtin { model, .. } => match model.parse::<ModelSpec>() {
            Ok(spec) => {
                let trained = Arc::new(cache.get(&spec, input, bars).model);
                Arc::new(BuiltinCandidate::new(trained, Arc::clone(dataset) as SharedDataset))
            }
            Err(e) => Arc::new(Unavailable(e.to_string())),
        },
        CandidateConfig::Http { url, timeout_ms, headers, .. } => {
            let config =
                HttpConfig { url: url.clone(), timeout_ms: *timeout_ms, headers: headers.clone() };
            match HttpCandidate::new(config) {
                Ok(c) => Arc::new(c),
                Err(e) => Arc::new(Unavailable(e)),
            }
        }
        CandidateConfig::Personalize { .. } => Arc::new(Unavailable(
            "a Personalize candidate is set up with the AWS configuration".into(),
        )),
    }
}
