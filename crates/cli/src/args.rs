//! Command-line arguments (clap derive). Only parsing lives here.

use std::fmt;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use screening_catalog::import::Format;

/// Screening Room: editorial review of recommender systems.
///
/// Without --dataset, commands work on the embedded demo catalog of a fictional
/// free-TV streaming service and its six sample personas.
#[derive(Debug, Parser)]
#[command(name = "screening", version)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect a catalog and its interaction log.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// List the sample personas and how many titles each has watched.
    Personas {
        /// Print a JSON array of {id, name, description, tags, history} instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Offline metrics of built-in models (or of lists made elsewhere) on a Personalize-style
    /// split: a random 10% of users are test users; the newest 10% of each one's items are hidden.
    Evaluate(EvaluateArgs),
    /// Each model's list for a persona or a watch history, with scores and reasons.
    Recommend(RecommendArgs),
    /// Serve built-in models over the HTTP candidate contract v1 (`POST /recommend/<model>`,
    /// `GET /health`) until interrupted.
    ServeModel(ServeModelArgs),
    /// The report over a session's judgements: means with cluster-bootstrap CIs, Bradley–Terry
    /// strengths, P(challenger beats incumbent), Krippendorff's α, position bias, flags and the
    /// release gate.
    Report(ReportArgs),
    /// A session's raw judgements (every event, superseded ones included) or its preferences as
    /// pairwise battles.
    Export(ExportArgs),
    /// The report server: desktops sync judgements to it, PMs read the team report and decide
    /// (`screening server --db … --listen …`); `add-user` and `revoke` manage its users.
    Server(ServerArgs),
    /// Send the judgements waiting on this device to the report server set up in the app's
    /// Settings, without the window (a big backlog, over ssh); `--status` only tells how it stands.
    ///
    /// Sends in batches, each marked sent once the server confirmed it, so an interrupted run
    /// resumes where it stopped. Prints `synced: N sent, 0 pending`, or the state and why
    /// (`offline: cannot reach …`, exit code 1). The app must be closed: both use the same data
    /// directory.
    Sync(SyncArgs),
    /// Load check of a candidate endpoint before a release: open-loop requests at a fixed
    /// arrival rate (latency measured from when each request was due, so a slow endpoint cannot
    /// hide its queue), built from the sample personas' histories; latency percentiles from an
    /// HDR histogram and errors by kind. `--step` raises the rate until errors or the p99 cross
    /// a threshold and reports the highest rate that held. Ctrl-C stops and prints what was
    /// measured. Caps: 2,000 requests/s, 600 s, 1,024 in flight.
    Loadtest(LoadtestArgs),
}

/// `screening loadtest`.
#[derive(Debug, clap::Args)]
pub struct LoadtestArgs {
    /// The endpoint (HTTP contract v1), e.g. http://127.0.0.1:8080/recommend/ease.
    #[arg(long, value_name = "URL", conflicts_with_all = ["candidates", "candidate"])]
    pub url: Option<String>,
    /// A candidates file (TOML) holding the candidate to check.
    #[arg(long, value_name = "FILE.toml", requires = "candidate")]
    pub candidates: Option<PathBuf>,
    /// The candidate's name in the candidates file.
    #[arg(long, value_name = "NAME", requires = "candidates")]
    pub candidate: Option<String>,
    /// Arrival rate, requests/s (the start rate with --step).
    #[arg(long)]
    pub rate: f64,
    /// How long at the rate (each step's length with --step): 30s, 2m, 500ms.
    #[arg(long, value_name = "TIME", value_parser = parse_seconds)]
    pub duration: f64,
    /// Requests in flight at most; a request due while all are busy waits, and its wait counts
    /// in its latency.
    #[arg(long, default_value_t = 64)]
    pub concurrency: u32,
    /// Comma-separated sample persona ids to build requests from, in turn (default: all six).
    #[arg(long, value_name = "IDS")]
    pub personas: Option<String>,
    /// Ramp up first: FROM:TIME, e.g. 0:60s climbs from 0 requests/s to --rate over 60 s.
    #[arg(long, value_name = "FROM:TIME")]
    pub ramp: Option<String>,
    /// Each request's timeout.
    #[arg(long, default_value_t = 5_000)]
    pub timeout_ms: u64,
    /// Step mode: raise the rate by this much per step, up to --max-rate.
    #[arg(long, value_name = "RPS", requires = "max_rate")]
    pub step: Option<f64>,
    /// Step mode: the highest rate to try.
    #[arg(long, value_name = "RPS", requires = "step")]
    pub max_rate: Option<f64>,
    /// Step mode: a step fails above this share of errors.
    #[arg(long, default_value_t = 0.01)]
    pub max_error_rate: f64,
    /// Step mode: a step fails above this p99, ms.
    #[arg(long, default_value_t = 500.0)]
    pub max_p99_ms: f64,
    /// Run against an Amazon Personalize candidate (it costs money and uses the campaign's
    /// quota): required to go ahead.
    #[arg(long)]
    pub yes: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `30s`, `2m`, `500ms` or plain seconds.
fn parse_seconds(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v * scale),
        _ => Err(format!("a time such as 30s, 2m or 500ms, not {text:?}")),
    }
}

/// `FROM:TIME` of `--ramp`.
pub fn parse_ramp(text: &str) -> Result<(f64, f64), String> {
    let (from, time) = text
        .split_once(':')
        .ok_or_else(|| format!("--ramp: FROM:TIME such as 0:60s, not {text:?}"))?;
    let from = from
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("--ramp: the start rate is a number, not {from:?}"))?;
    Ok((from, parse_seconds(time).map_err(|e| format!("--ramp: {e}"))?))
}

/// `screening sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The app's data directory, which holds `screening.db` ($SCREENING_DATA_DIR, else the
    /// platform's app-data folder, e.g. ~/.local/share/room.screening.desktop on Linux).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Open the data directory as this reviewer, as the app's $SCREENING_REVIEWER (default:
    /// that, else the login name). Recorded judgements keep theirs; the server credits them to
    /// the token's user.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Only print how syncing stands (state, judgements pending, server); send nothing.
    #[arg(long)]
    pub status: bool,
}

/// `screening server`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServerArgs {
    #[command(subcommand)]
    pub command: Option<ServerCommand>,
    /// `sqlite://PATH` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Address to listen on; port 0 picks a free port (printed as `listening on http://…`).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8787")]
    pub listen: String,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Add a user; prints their new token once, alone on the last line.
    AddUser {
        #[arg(long, value_name = "URL")]
        db: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The token stops working after this many days (default: until revoked).
        #[arg(long, value_name = "DAYS")]
        expires_days: Option<u32>,
    },
    /// Revoke every token of a user.
    Revoke {
        #[arg(long, value_name = "URL")]
        db: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Judges and publishes sessions.
    Reviewer,
    /// Also records approve/reject decisions.
    Approver,
    /// Everything.
    Admin,
}

/// Where judgements come from: the app's database or a judgement export.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct JudgementSource {
    /// The app's database file (`screening.db`) or its data directory. It may be open in the
    /// app at the same time.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// A judgement export (JSON Lines, one event per line).
    #[arg(long, value_name = "FILE.jsonl")]
    pub judgements: Option<PathBuf>,
}

/// `screening report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub source: JudgementSource,
    /// The session (needed when the source holds more than one).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Seed of the bootstrap (the app uses the same default, so both give the same numbers).
    #[arg(long, value_name = "N", default_value_t = screening_app::REPORT_SEED)]
    pub seed: u64,
    /// Bootstrap rounds.
    #[arg(long, value_name = "N", default_value_t = screening_core::report::DEFAULT_ROUNDS)]
    pub rounds: u32,
    #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
    pub format: ReportFormat,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The incumbent by name (default: the session's).
    #[arg(long, value_name = "NAME")]
    pub incumbent: Option<String>,
    /// The challenger by name (default: the session's; with two candidates, the other one).
    #[arg(long, value_name = "NAME")]
    pub challenger: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// The report as JSON.
    Json,
    /// The report's numbers as one CSV table.
    Csv,
    /// Markdown tables (pastes into a wiki).
    Md,
    /// One self-contained HTML file with charts.
    Html,
}

/// `screening export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The app's database file (`screening.db`) or its data directory.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// The session (needed when the database holds more than one).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    #[arg(long, value_enum)]
    pub format: ExportFormatArg,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Every judgement event, JSON Lines.
    Jsonl,
    /// Every judgement event, CSV (RFC 4180, formula-injection safe).
    Csv,
    /// Preferences as pairwise battles, JSON Lines.
    Battles,
}

/// `screening serve-model`.
#[derive(Debug, clap::Args)]
pub struct ServeModelArgs {
    /// Comma-separated models (see `evaluate --models`), served under their names
    /// (`/recommend/ease`); one parameter set per model name.
    #[arg(long, value_name = "LIST", default_value = "popularity,item-knn,ease")]
    pub models: String,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Address to listen on; port 0 picks a free port (printed as `listening on http://…`).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub listen: String,
}

/// `screening evaluate`.
#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// Comma-separated models, each `name[:key=value…]`: popularity, trending, item-knn, ease,
    /// content, random (e.g. `ease:lambda=500:min-count=5`). Default: popularity,item-knn,ease,
    /// or none when --recs is given.
    #[arg(long, value_name = "LIST")]
    pub models: Option<String>,
    /// Cut-offs for precision@K and ndcg@K (MRR is always @25).
    #[arg(long, value_name = "K,K…", value_delimiter = ',', default_value = "5,10,25")]
    pub k: Vec<usize>,
    /// Seeds the draw of test users.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Share of users drawn as test users.
    #[arg(long, default_value_t = 0.1)]
    pub test_fraction: f64,
    /// A file with one user id per line: these are the test users (instead of a random draw).
    #[arg(long, value_name = "FILE")]
    pub test_users: Option<PathBuf>,
    /// Also score lists produced elsewhere: Amazon Personalize batch-inference output or
    /// `{"user_id":…,"items":[…]}` lines. Without --test-users, its users are the test users.
    #[arg(long, value_name = "FILE")]
    pub recs: Option<PathBuf>,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Print JSON: {dataset, split, models: [{model, params, train_seconds, metrics}]}.
    #[arg(long)]
    pub json: bool,
}

/// `screening recommend`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["persona", "history"])))]
pub struct RecommendArgs {
    /// A sample persona of the demo catalog, by id or name (`reality-fan`, "New viewer").
    #[arg(long)]
    pub persona: Option<String>,
    /// Item ids watched, oldest first, comma-separated (may be empty: `--history ""`).
    #[arg(long, value_name = "ID,ID…")]
    pub history: Option<String>,
    /// Comma-separated models (see `evaluate --models`). Default: all six with their defaults.
    #[arg(
        long,
        value_name = "LIST",
        default_value = "popularity,trending,item-knn,ease,content,random"
    )]
    pub models: String,
    /// A candidates file (TOML `[[candidate]]` tables: builtin, http, personalize) to ask
    /// instead of --models, all in parallel.
    #[arg(long, value_name = "FILE.toml", conflicts_with = "models")]
    pub candidates: Option<PathBuf>,
    /// List length.
    #[arg(long, default_value_t = 20)]
    pub k: usize,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Print JSON: {history, k, models: [{model, spec, items: [{item_id, title, score, reason}]}]};
    /// with --candidates: [{candidate, items: [{item_id, title, score, reason}], latency_ms,
    /// error, warnings}].
    #[arg(long)]
    pub json: bool,
}

/// Where trained models are kept.
#[derive(Debug, clap::Args)]
pub struct CacheArgs {
    /// Directory of trained models. Default: $SCREENING_CACHE_DIR, else
    /// $XDG_CACHE_HOME/screening-room/models, else ~/.cache/screening-room/models.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Train every model now; read and write no cache.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Count items, users, interactions, content types, genres and the time range.
    Info {
        #[command(flatten)]
        dataset: DatasetArgs,
        /// Print JSON (keys: items, users, interactions, content_types, genres,
        /// event_types, first_timestamp, last_timestamp).
        #[arg(long)]
        json: bool,
    },
}

/// Which dataset to load.
#[derive(Debug, clap::Args)]
pub struct DatasetArgs {
    /// A dataset folder (or a Personalize interactions CSV). Default: the demo catalog.
    #[arg(long, value_name = "PATH")]
    pub dataset: Option<PathBuf>,
    /// The dataset's layout. Default: movielens if the folder has ratings.csv or u.data,
    /// else personalize.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Treat irregularities that are only counted as warnings (such as interactions naming
    /// items missing from the items file) as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The embedded demo catalog.
    Demo,
    /// Amazon Personalize dataset CSVs (interactions, items, users).
    Personalize,
    /// MovieLens ml-latest-small (ratings.csv, movies.csv) or ml-100k (u.data, u.item).
    Movielens,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Demo => Format::Demo,
            FormatArg::Personalize => Format::Personalize,
            FormatArg::Movielens => Format::Movielens,
        }
    }
}

impl fmt::Display for FormatArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
        f.write_str(&name)
    }
}
