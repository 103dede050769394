//! Model timings, compared with Python references by `bench/reference.py` and `bench/compare.py`.
//!
//! On ml-latest-small (`$SCREENING_ML_SMALL`, else `../../../shared/datasets/ml-latest-small`
//! from this crate), split with the default options:
//!
//! - `ease_train`: `Model::train` of `ease:lambda=250:min-count=5`, with its stages (gram,
//!   inverse, weights) timed through the progress callbacks;
//! - `knn_train_top20`: training `item-knn:neighbours=20:shrink=0` plus the top 20 of every test
//!   user (the work `implicit`'s `CosineRecommender(K=20)` does in the reference);
//! - `evaluate/<model>`: evaluation of each built-in model with default parameters, training
//!   excluded, with its ndcg@10.
//!
//! On the demo catalog: `recommend_persona_all_models`, one call = `recommend(history, 20)` of
//! the next persona on all six default models; p50/p95/p99.
//!
//! Writes `target/bench/rust.json` and, for the reference, the split as CSV under
//! `target/bench/split/` (`train.csv`, `test.csv`, `meta.json`) with the Rust kNN lists
//! (`knn_top20.csv`) and a few EASE weight rows (`ease_rows.csv`) to check agreement.
//!
//! Run: `cargo bench -p screening-recommenders --bench models` (or `make bench` for the
//! comparison).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use screening_catalog::demo::demo_with_personas;
use screening_catalog::import::{self, Format, ImportOptions};
use screening_recommenders::{
    MODEL_NAMES, Model, ModelSpec, Options, Progress, Silent, Split, SplitOptions, TrainData,
    TrainInput, evaluate, genre_ids, list_length, split,
};

const RUNS: usize = 7;
const EASE_SPEC: &str = "ease:lambda=250:min-count=5";
const EASE_MIN_COUNT: u32 = 5;
const KNN_SPEC: &str = "item-knn:neighbours=20:shrink=0";
const KS: [usize; 3] = [5, 10, 25];
const PERSONA_CALLS: usize = 2000;
/// EASE rows exported for the weight check.
const EASE_ROWS: usize = 5;

/// `<target>/bench`: `$CARGO_TARGET_DIR` (a relative one taken from the workspace root, as
/// `bench/*.py` do), else the workspace's `target/`.
fn out_dir() -> PathBuf {
    let krate = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The workspace root is two levels above this crate.
    let root = krate.ancestors().nth(2).unwrap_or(krate);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    };
    target.join("bench")
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Median of `xs` (the mean of the middle two for an even count).
fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn min(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Nearest-rank percentile of sorted `v`.
fn percentile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn fmt_s(s: f64) -> String {
    if s >= 1.0 { format!("{s:.3} s") } else { format!("{:.1} ms", s * 1e3) }
}

/// Records when each progress step ends, to time a model's stages without reaching into it.
#[derive(Default)]
struct StageClock {
    marks: Mutex<Vec<(String, Instant)>>,
}

impl StageClock {
    fn mark(&self, label: String) {
        if let Ok(mut m) = self.marks.lock() {
            m.push((label, Instant::now()));
        }
    }

    /// The time between consecutive marks of the stage labelled `label` (`begin` excluded):
    /// one duration per `advance`.
    fn steps(&self, label: &str) -> Vec<f64> {
        let Ok(marks) = self.marks.lock() else { return Vec::new() };
        let Some(start) = marks.iter().position(|(l, _)| l == &format!("begin {label}")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut last = marks[start].1;
        for (l, t) in &marks[start + 1..] {
            if l != "advance" {
                break;
            }
            out.push(secs(*t - last));
            last = *t;
        }
        out
    }

    /// When the stage labelled `label` began.
    fn began(&self, label: &str) -> Option<Instant> {
        let marks = self.marks.lock().ok()?;
        marks.iter().find(|(l, _)| l == &format!("begin {label}")).map(|(_, t)| *t)
    }
}

impl Progress for StageClock {
    fn begin(&self, label: &str, _total: u64) {
        self.mark(format!("begin {label}"));
    }
    fn advance(&self, _n: u64) {
        self.mark("advance".to_owned());
    }
    fn end(&self) {
        self.mark("end".to_owned());
    }
}

const EASE_STAGE_LABEL: &str = "ease: gram, inverse, weights";
const EASE_STAGES: [&str; 3] = ["gram", "inverse", "weights"];

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("warning: cannot write {}: {e}", path.display());
    }
}

/// The split as CSV for the Python reference: training rows and test inputs as item indices.
fn export_split(dir: &Path, s: &Split) {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("warning: cannot create {}: {e}", dir.display());
        return;
    }
    let mut train = String::from("row,item\n");
    for u in 0..s.train.n_users() {
        for &i in s.train.user_items(u) {
            let _ = writeln!(train, "{u},{i}");
        }
    }
    write(&dir.join("train.csv"), &train);
    let mut test = String::from("test_row,item\n");
    for (r, t) in s.test.iter().enumerate() {
        for &i in &t.input {
            let _ = writeln!(test, "{r},{i}");
        }
    }
    write(&dir.join("test.csv"), &test);
    let meta = json!({
        "n_items": s.train.n_items(),
        "n_train_users": s.train.n_users(),
        "n_test": s.test.len(),
    });
    write(&dir.join("meta.json"), &format!("{meta:#}\n"));
}

fn ease_bench(input: &TrainInput<'_>, split_dir: &Path) -> Value {
    let spec: ModelSpec = EASE_SPEC.parse().expect("EASE spec");
    let n_model = input.data.item_counts().iter().filter(|&&c| c >= EASE_MIN_COUNT).count();
    // Warm-up: the rayon pool, page faults of the first big allocations.
    let mut model = Model::train(&spec, input, &Silent);
    let mut runs = Vec::new();
    let mut stages: Vec<Vec<f64>> = vec![Vec::new(); EASE_STAGES.len() + 1];
    for _ in 0..RUNS {
        let clock = StageClock::default();
        let t0 = Instant::now();
        let trained = black_box(Model::train(&spec, input, &clock));
        runs.push(secs(t0.elapsed()));
        // Dropping the previous model (B is ~50 MB) is not part of training.
        model = trained;
        let steps = clock.steps(EASE_STAGE_LABEL);
        if steps.len() == EASE_STAGES.len() {
            if let Some(b) = clock.began(EASE_STAGE_LABEL) {
                stages[0].push(secs(b - t0));
            }
            for (k, s) in steps.into_iter().enumerate() {
                stages[k + 1].push(s);
            }
        }
    }
    // (name, median), in the order the stages run.
    let mut stage_medians: Vec<(&str, f64)> = Vec::new();
    if stages.iter().all(|s| s.len() == RUNS) {
        stage_medians.push(("setup", median(&stages[0])));
        for (k, name) in EASE_STAGES.iter().enumerate() {
            stage_medians.push((name, median(&stages[k + 1])));
        }
    }
    let stage_json: serde_json::Map<String, Value> =
        stage_medians.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
    export_ease_rows(&model, input.data, n_model, split_dir);
    println!(
        "{:<34} {:>10} {:>10}  {} model items; stages (median): {}",
        "ease_train",
        fmt_s(median(&runs)),
        fmt_s(min(&runs)),
        n_model,
        if stage_medians.is_empty() {
            "n/a (progress labels changed)".to_owned()
        } else {
            stage_medians
                .iter()
                .map(|(k, v)| format!("{k} {}", fmt_s(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    json!({
        "spec": EASE_SPEC,
        "median_s": median(&runs),
        "min_s": min(&runs),
        "runs_s": runs,
        "n_model_items": n_model,
        "stages_median_s": stage_json,
    })
}

/// A few rows of `B` (the scores of a one-item history, watched items kept) for the reference
/// to compare with NumPy's: `item,col_item,weight` over catalog indices.
fn export_ease_rows(model: &Model, data: &TrainData, n_model: usize, dir: &Path) {
    let counts = data.item_counts();
    let cols: Vec<u32> =
        (0..counts.len() as u32).filter(|&i| counts[i as usize] >= EASE_MIN_COUNT).collect();
    if cols.is_empty() {
        return;
    }
    let keep = Options { exclude_watched: false };
    let mut out = String::from("item,col_item,weight\n");
    for r in 0..EASE_ROWS {
        let item = cols[r * (cols.len() - 1) / (EASE_ROWS - 1).max(1)];
        for rec in model.recommend(&[item], n_model, keep) {
            let _ = writeln!(out, "{item},{},{:e}", rec.item, rec.score);
        }
    }
    write(&dir.join("ease_rows.csv"), &out);
}

fn knn_bench(input: &TrainInput<'_>, s: &Split, split_dir: &Path) -> Value {
    let spec: ModelSpec = KNN_SPEC.parse().expect("kNN spec");
    // Returns the lists and the seconds spent training.
    let run = || {
        let t0 = Instant::now();
        let model = Model::train(&spec, input, &Silent);
        let trained = secs(t0.elapsed());
        let lists: Vec<Vec<u32>> =
            s.test.iter().map(|t| model.rank(&t.input, 20, Options::default())).collect();
        (lists, trained)
    };
    let (mut lists, _) = run();
    let (mut runs, mut train_runs, mut rank_runs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let (l, trained) = black_box(run());
        let total = secs(t0.elapsed());
        lists = l;
        runs.push(total);
        train_runs.push(trained);
        rank_runs.push(total - trained);
    }
    let (train_median, rank_median) = (median(&train_runs), median(&rank_runs));
    let mut out = String::from("test_row,rank,item\n");
    for (r, list) in lists.iter().enumerate() {
        for (k, i) in list.iter().enumerate() {
            let _ = writeln!(out, "{r},{k},{i}");
        }
    }
    write(&split_dir.join("knn_top20.csv"), &out);
    println!(
        "{:<34} {:>10} {:>10}  train + top 20 for {} test users; stages (median): train {}, \
         rank {}",
        "knn_train_top20",
        fmt_s(median(&runs)),
        fmt_s(min(&runs)),
        s.test.len(),
        fmt_s(train_median),
        fmt_s(rank_median),
    );
    json!({
        "spec": KNN_SPEC,
        "median_s": median(&runs),
        "min_s": min(&runs),
        "runs_s": runs,
        "n_test": s.test.len(),
        "stages_median_s": { "train": train_median, "rank": rank_median },
    })
}

fn evaluate_bench(input: &TrainInput<'_>, s: &Split, out: &mut serde_json::Map<String, Value>) {
    let genres = genre_ids(input.catalog);
    let len = list_length(&KS);
    for name in MODEL_NAMES {
        let spec = ModelSpec::default_for(name).expect("built-in model");
        let model = Model::train(&spec, input, &Silent);
        let t0 = Instant::now();
        let metrics =
            evaluate(s, &KS, &genres, |t| model.rank(&t.input, len, Options::default()), &Silent);
        let elapsed = secs(t0.elapsed());
        let key = format!("evaluate/{name}");
        match metrics {
            Ok(m) => {
                let ndcg = m.get("ndcg@10").unwrap_or(f64::NAN);
                println!("{key:<34} {:>10} {:>10}  ndcg@10 {ndcg:.4} ({spec})", fmt_s(elapsed), "",);
                out.insert(
                    key,
                    json!({ "spec": spec.to_string(), "seconds": elapsed, "ndcg@10": ndcg }),
                );
            }
            Err(e) => eprintln!("note: {key}: evaluation failed: {e}"),
        }
    }
}

fn persona_bench() -> Value {
    let (dataset, personas) = demo_with_personas();
    let data = TrainData::from_dataset(&dataset);
    let input = TrainInput { catalog: &dataset.items, data: &data };
    let models: Vec<Model> = MODEL_NAMES
        .iter()
        .map(|name| {
            Model::train(&ModelSpec::default_for(name).expect("built-in model"), &input, &Silent)
        })
        .collect();
    let histories: Vec<Vec<u32>> = personas
        .iter()
        .map(|p| p.history.iter().filter_map(|h| dataset.item_idx(&h.item_id)).collect())
        .collect();
    if histories.is_empty() {
        eprintln!("note: skipping recommend_persona_all_models: the demo has no personas");
        return Value::Null;
    }
    let mut calls = Vec::with_capacity(PERSONA_CALLS);
    let mut per_model: Vec<Vec<f64>> = vec![Vec::with_capacity(PERSONA_CALLS); models.len()];
    // A short warm-up, not timed.
    for h in &histories {
        for m in &models {
            black_box(m.recommend(h, 20, Options::default()));
        }
    }
    for c in 0..PERSONA_CALLS {
        let history = &histories[c % histories.len()];
        let t0 = Instant::now();
        for (m, times) in models.iter().zip(per_model.iter_mut()) {
            let t = Instant::now();
            black_box(m.recommend(history, 20, Options::default()));
            times.push(secs(t.elapsed()) * 1e3);
        }
        calls.push(secs(t0.elapsed()) * 1e3);
    }
    calls.sort_by(f64::total_cmp);
    let (p50, p95, p99) =
        (percentile(&calls, 50.0), percentile(&calls, 95.0), percentile(&calls, 99.0));
    let mut model_json = serde_json::Map::new();
    let mut model_text = Vec::new();
    for (name, mut times) in MODEL_NAMES.iter().zip(per_model) {
        times.sort_by(f64::total_cmp);
        let (m50, m95) = (percentile(&times, 50.0), percentile(&times, 95.0));
        model_json.insert((*name).into(), json!({ "p50_ms": m50, "p95_ms": m95 }));
        model_text.push(format!("{name} {m95:.2}"));
    }
    println!(
        "{:<34} {:>10} {:>10}  p50 {p50:.2} ms, p95 {p95:.2} ms, p99 {p99:.2} ms over {} calls \
         ({} personas, {} items)",
        "recommend_persona_all_models",
        format!("{p95:.2} ms"),
        "",
        calls.len(),
        histories.len(),
        dataset.items.len(),
    );
    println!("{:<34} per model p95 (ms): {}", "", model_text.join(", "));
    json!({
        "calls": calls.len(),
        "personas": histories.len(),
        "n_items": dataset.items.len(),
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "max_ms": calls.last().copied().unwrap_or(f64::NAN),
        "per_model": model_json,
    })
}

fn main() {
    // `cargo bench` passes `--bench`; accept and ignore the harness arguments.
    let out = out_dir();
    let split_dir = out.join("split");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!("screening-recommenders models bench ({threads} threads available)");
    println!("{:<34} {:>10} {:>10}  notes", "measurement", "median", "min");
    let mut measurements = serde_json::Map::new();
    let mut ml = Value::Null;

    if let Some(dir) = screening_catalog::samples::ml_latest_small() {
        match import::load(&dir, Format::Movielens, &ImportOptions::default()) {
            Ok(loaded) => {
                let dataset = loaded.dataset;
                match split(&dataset, &SplitOptions::default()) {
                    Ok(s) => {
                        // Stale files from an earlier run must not be taken for this one's.
                        let _ = std::fs::remove_dir_all(&split_dir);
                        export_split(&split_dir, &s);
                        ml = json!({
                            "path": dir.display().to_string(),
                            "n_items": s.train.n_items(),
                            "n_train_users": s.train.n_users(),
                            "n_test": s.test.len(),
                            "split_dir": split_dir.display().to_string(),
                        });
                        let input = TrainInput { catalog: &dataset.items, data: &s.train };
                        measurements.insert("ease_train".into(), ease_bench(&input, &split_dir));
                        measurements
                            .insert("knn_train_top20".into(), knn_bench(&input, &s, &split_dir));
                        evaluate_bench(&input, &s, &mut measurements);
                    }
                    Err(e) => eprintln!("note: skipping the MovieLens benches: split failed: {e}"),
                }
            }
            Err(e) => eprintln!("note: skipping the MovieLens benches: the importer failed: {e}"),
        }
    } else {
        eprintln!(
            "note: skipping the MovieLens benches: ml-latest-small not found (set SCREENING_ML_SMALL)"
        );
        let _ = std::fs::remove_dir_all(&split_dir);
    }

    let persona = persona_bench();
    if !persona.is_null() {
        measurements.insert("recommend_persona_all_models".into(), persona);
    }

    let report = json!({
        "threads": threads,
        "ml_small": ml,
        "measurements": measurements,
    });
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("warning: cannot create {}: {e}", out.display());
    }
    let path = out.join("rust.json");
    write(&path, &format!("{report:#}\n"));
    println!("wrote {}", path.display());
}
