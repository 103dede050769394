//! `screening evaluate` and `screening recommend`: built-in models over a dataset.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use screening_app::{ModelCache, ModelList, history_indices, model_list};
use screening_core::{Dataset, Persona};
use screening_recommenders::metrics::Metrics;
use screening_recommenders::recs_file::parse_recs;
use screening_recommenders::{
    ModelSpec, Options, Split, SplitOptions, TrainInput, check_ks, evaluate, genre_ids,
    list_length, split,
};
use serde_json::json;

use crate::args::{CacheArgs, EvaluateArgs, RecommendArgs};
use crate::progress::Bars;
use crate::{load_dataset, print_json, print_lines};

/// The model cache `args` ask for.
pub fn cache(args: &CacheArgs) -> ModelCache {
    if args.no_cache {
        ModelCache::new(None)
    } else {
        ModelCache::new(args.cache_dir.clone().or_else(ModelCache::default_dir))
    }
}

/// One evaluated model (or recs file): its name, parameters, timings and metrics.
struct Row {
    model: String,
    params: serde_json::Value,
    train_seconds: f64,
    eval_seconds: f64,
    cached: bool,
    metrics: Metrics,
}

pub fn evaluate_cmd(args: &EvaluateArgs) -> Result<(), String> {
    check_ks(&args.k).map_err(|e| e.to_string())?;
    let specs = match (&args.models, &args.recs) {
        (Some(list), _) => ModelSpec::parse_list(list).map_err(|e| e.to_string())?,
        (None, Some(_)) => Vec::new(),
        (None, None) => {
            ModelSpec::parse_list("popularity,item-knn,ease").map_err(|e| e.to_string())?
        }
    };
    if specs.is_empty() && args.recs.is_none() {
        return Err("--models names no model (and there is no --recs file)".into());
    }
    let dataset = load_dataset(&args.dataset)?;
    let recs = args.recs.as_deref().map(|p| read_recs(p, &dataset)).transpose()?;
    let listed = match (&args.test_users, &recs) {
        (Some(file), _) => Some(read_text(file)?),
        (None, Some(r)) => Some(r.users_text()),
        (None, None) => None,
    };
    let options = SplitOptions {
        seed: args.seed,
        test_fraction: args.test_fraction,
        test_users: listed.as_deref(),
    };
    let split = split(&dataset, &options).map_err(|e| e.to_string())?;
    let genres = genre_ids(&dataset.items);
    let bars = Bars::stderr();
    let input = TrainInput { catalog: &dataset.items, data: &split.train };
    let cache = cache(&args.cache);
    let len = list_length(&args.k);
    let mut rows = Vec::new();
    for spec in &specs {
        let trained = cache.get(spec, &input, &bars);
        let start = Instant::now();
        let model = &trained.model;
        let metrics = evaluate(
            &split,
            &args.k,
            &genres,
            |t| model.rank(&t.input, len, Options::default()),
            &bars,
        )
        .map_err(|e| e.to_string())?;
        rows.push(Row {
            model: spec.name().to_owned(),
            params: spec.params_json(),
            train_seconds: trained.seconds,
            eval_seconds: start.elapsed().as_secs_f64(),
            cached: trained.cached,
            metrics,
        });
    }
    if let (Some(recs), Some(path)) = (&recs, &args.recs) {
        rows.push(recs.evaluate(path, &split, &args.k, &genres, &bars)?);
    }
    let seed = if options.test_users.is_some() { None } else { Some(args.seed) };
    if args.json {
        let models: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "model": r.model,
                    "params": r.params,
                    "train_seconds": r.train_seconds,
                    "eval_seconds": r.eval_seconds,
                    "cached": r.cached,
                    "metrics": r.metrics,
                })
            })
            .collect();
        return print_json(&json!({
            "dataset": {
                "items": dataset.items.len(),
                "users": dataset.users.len(),
                "interactions": dataset.interactions.len(),
            },
            "split": {
                "test_users": split.test.len(),
                "train_users": split.train.n_users(),
                "seed": seed,
                "test_fraction": if seed.is_some() { Some(args.test_fraction) } else { None },
                "holdout_fraction": screening_recommenders::HOLDOUT_FRACTION,
            },
            "models": models,
        }));
    }
    print_lines(&metric_table(&split, seed, &rows))
}

/// Metrics down, models across.
fn metric_table(split: &Split, seed: Option<u64>, rows: &[Row]) -> Vec<String> {
    let drawn = seed.map_or_else(|| "listed".to_owned(), |s| format!("drawn with seed {s}"));
    let mut lines = vec![
        format!(
            "{} test users ({drawn}), {} training users; newest 10% of each test user's items hidden",
            split.test.len(),
            split.train.n_users()
        ),
        String::new(),
    ];
    let mut header = format!("{:<18}", "metric");
    for r in rows {
        header.push_str(&format!("{:>12}", r.model));
    }
    lines.push(header);
    let mut line = |name: &str, value: &dyn Fn(&Row) -> String| {
        let mut l = format!("{name:<18}");
        for r in rows {
            l.push_str(&format!("{:>12}", value(r)));
        }
        lines.push(l);
    };
    line("train seconds", &|r| {
        if r.cached { "cached".into() } else { format!("{:.2}", r.train_seconds) }
    });
    line("eval seconds", &|r| format!("{:.2}", r.eval_seconds));
    let names: Vec<String> = rows
        .first()
        .map(|r| r.metrics.0.iter().map(|(n, _)| n.clone()).collect())
        .unwrap_or_default();
    for name in names {
        line(&name, &|r| r.metrics.get(&name).map_or_else(String::new, |v| format!("{v:.4}")));
    }
    lines
}

/// Lists read from a `--recs` file, by user index.
struct Recs {
    lists: HashMap<u32, Vec<u32>>,
    users: Vec<String>,
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_recs(path: &Path, dataset: &Dataset) -> Result<Recs, String> {
    let name = path.display().to_string();
    let parsed = parse_recs(&name, &read_text(path)?).map_err(|e| e.to_string())?;
    let mut recs = Recs { lists: HashMap::new(), users: Vec::new() };
    for list in parsed {
        let user = dataset.user_idx(&list.user_id).ok_or_else(|| {
            format!(
                "{name}:{}: unknown user {:?} (not in the interactions)",
                list.line, list.user_id
            )
        })?;
        let items = list
            .items
            .iter()
            .map(|id| {
                dataset.item_idx(id).ok_or_else(|| {
                    format!("{name}:{}: unknown item {id:?} (not in the catalog)", list.line)
                })
            })
            .collect::<Result<Vec<u32>, String>>()?;
        recs.lists.insert(user, items);
        recs.users.push(list.user_id);
    }
    Ok(recs)
}

impl Recs {
    fn users_text(&self) -> String {
        self.users.join("\n")
    }

    fn evaluate(
        &self,
        path: &Path,
        split: &Split,
        ks: &[usize],
        genres: &[Vec<u32>],
        bars: &Bars,
    ) -> Result<Row, String> {
        let missing = split.test.iter().filter(|t| !self.lists.contains_key(&t.user)).count();
        if missing > 0 {
            eprintln!(
                "warning: {missing} test users have no list in {}; they score 0",
                path.display()
            );
        }
        let test: std::collections::HashSet<u32> = split.test.iter().map(|t| t.user).collect();
        let extra = self.lists.keys().filter(|u| !test.contains(u)).count();
        if extra > 0 {
            eprintln!(
                "warning: {extra} lists in {} are for users who are not test users; ignored",
                path.display()
            );
        }
        let start = Instant::now();
        let metrics = evaluate(
            split,
            ks,
            genres,
            |t| self.lists.get(&t.user).cloned().unwrap_or_default(),
            bars,
        )
        .map_err(|e| e.to_string())?;
        Ok(Row {
            model: "recs".into(),
            params: json!({ "file": path.display().to_string() }),
            train_seconds: 0.0,
            eval_seconds: start.elapsed().as_secs_f64(),
            cached: false,
            metrics,
        })
    }
}

pub fn recommend_cmd(args: &RecommendArgs) -> Result<(), String> {
    if args.k == 0 {
        return Err("--k must be at least 1".into());
    }
    let specs = ModelSpec::parse_list(&args.models).map_err(|e| e.to_string())?;
    if specs.is_empty() {
        return Err("--models names no model".into());
    }
    let (dataset, personas) = if args.dataset.dataset.is_some() {
        if args.persona.is_some() {
            return Err("--persona picks a sample persona of the demo catalog; with --dataset, give --history ID,ID…".into());
        }
        (load_dataset(&args.dataset)?, Vec::new())
    } else {
        screening_catalog::demo::demo_with_personas()
    };
    let persona = args.persona.as_deref().map(|p| find_persona(&personas, p)).transpose()?;
    let (who, ids): (String, Vec<String>) = match (persona, &args.history) {
        (Some(persona), _) => {
            (persona.name.clone(), persona.history.iter().map(|h| h.item_id.clone()).collect())
        }
        (None, Some(h)) => (
            "the given history".into(),
            h.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        ),
        (None, None) => return Err("give --persona NAME or --history ID,ID…".into()),
    };
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let history = history_indices(&dataset, &id_refs).map_err(|e| e.message)?;
    let data = screening_recommenders::TrainData::from_dataset(&dataset);
    let input = TrainInput { catalog: &dataset.items, data: &data };
    let cache = cache(&args.cache);
    let bars = Bars::stderr();
    if let Some(file) = &args.candidates {
        let request = crate::candidates::request(persona, &ids, args.k);
        return crate::candidates::recommend(
            file, &dataset, &input, &cache, &bars, &request, args.json,
        );
    }
    let lists: Vec<ModelList> = specs
        .iter()
        .map(|spec| {
            model_list(&cache.get(spec, &input, &bars).model, &dataset.items, &history, args.k)
        })
        .collect();
    if args.json {
        return print_json(&json!({ "history": ids, "k": args.k, "models": lists }));
    }
    let mut lines = vec![format!("{who}: {} items watched", history.len())];
    for list in &lists {
        lines.push(String::new());
        lines.push(format!("{}  ({})", list.model, list.spec));
        for (n, item) in list.items.iter().enumerate() {
            lines.push(format!(
                "{:>3}. {:<40} {:>9.4}  {}",
                n + 1,
                format!("{} [{}]", item.title, item.item_id),
                item.score,
                item.reason
            ));
        }
    }
    print_lines(&lines)
}

fn find_persona<'a>(personas: &'a [Persona], wanted: &str) -> Result<&'a Persona, String> {
    personas.iter().find(|p| p.id == wanted || p.name.eq_ignore_ascii_case(wanted)).ok_or_else(
        || {
            let ids: Vec<&str> = personas.iter().map(|p| p.id.as_str()).collect();
            format!("unknown persona {wanted:?}; the sample personas are {}", ids.join(", "))
        },
    )
}
