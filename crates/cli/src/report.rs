//! `screening report` and `screening export`: a session's report and raw judgements, from the
//! app's database (read beside a running app) or from a judgement export.

use std::path::Path;

use screening_app::{ExportFormat, SessionEvents};
use screening_core::report::{JudgementEvent, ReportOptions, build_report, events};
use screening_report::Meta;
use screening_store::Store;

use crate::args::{ExportArgs, ExportFormatArg, ReportArgs, ReportFormat};
use crate::print_lines;

pub fn report_cmd(args: &ReportArgs) -> Result<(), String> {
    let (events, mut options, meta) = match (&args.source.db, &args.source.judgements) {
        (Some(db), _) => {
            let s = runtime()?.block_on(from_db(db, args.session.as_deref()))?;
            let options = s.options(args.seed).map_err(|e| e.to_string())?;
            let meta = meta(&s.session.name, Some(s.dataset.clone()), db);
            (s.events, options, meta)
        }
        (None, Some(file)) => {
            let (events, session) = from_jsonl(file, args.session.as_deref())?;
            let options = ReportOptions { seed: args.seed, ..ReportOptions::default() };
            (events, options, meta(&session, None, file))
        }
        (None, None) => return Err("give --db PATH or --judgements FILE.jsonl".into()),
    };
    options.rounds = args.rounds;
    if args.incumbent.is_some() {
        options.incumbent.clone_from(&args.incumbent);
    }
    if args.challenger.is_some() {
        options.challenger.clone_from(&args.challenger);
    }
    for (flag, name) in [("--incumbent", &options.incumbent), ("--challenger", &options.challenger)]
    {
        if let Some(name) = name
            && !events.iter().any(|e| mentions(e, name))
            && !options.candidates.contains(name)
        {
            return Err(format!("{flag} {name:?}: no judgement names this candidate"));
        }
    }
    let format = match args.format {
        ReportFormat::Json => ExportFormat::ReportJson,
        ReportFormat::Csv => ExportFormat::SummaryCsv,
        ReportFormat::Md => ExportFormat::Markdown,
        ReportFormat::Html => ExportFormat::Html,
    };
    let text = format.render(|| build_report(&events, &options), &events, &meta);
    write_out(&text, args.out.as_deref())
}

pub fn export_cmd(args: &ExportArgs) -> Result<(), String> {
    let s = runtime()?.block_on(from_db(&args.db, args.session.as_deref()))?;
    let format = match args.format {
        ExportFormatArg::Jsonl => ExportFormat::JudgementsJsonl,
        ExportFormatArg::Csv => ExportFormat::JudgementsCsv,
        ExportFormatArg::Battles => ExportFormat::Battles,
    };
    let meta = meta(&s.session.name, Some(s.dataset.clone()), &args.db);
    let options = s.options(screening_app::REPORT_SEED).map_err(|e| e.to_string())?;
    let text = format.render(|| build_report(&s.events, &options), &s.events, &meta);
    write_out(&text, Some(&args.out))
}

fn mentions(e: &JudgementEvent, name: &str) -> bool {
    e.candidate.as_deref() == Some(name) || e.shown.iter().flatten().any(|c| c == name)
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// The session `session` of the database at `db`, or its only session.
async fn from_db(db: &Path, session: Option<&str>) -> Result<SessionEvents, String> {
    let store = Store::open_for_reading(db).await.map_err(|e| e.to_string())?;
    let id = match session {
        Some(id) => id.to_owned(),
        None => {
            let all = store.sessions().await.map_err(|e| e.to_string())?;
            match all.as_slice() {
                [one] => one.id.clone(),
                [] => return Err(format!("{} holds no review session", db.display())),
                many => {
                    let list: Vec<String> =
                        many.iter().map(|s| format!("  {}  {}", s.id, s.name)).collect();
                    return Err(format!(
                        "{} holds {} sessions; choose one with --session ID:\n{}",
                        db.display(),
                        many.len(),
                        list.join("\n")
                    ));
                }
            }
        }
    };
    SessionEvents::load(&store, &id).await.map_err(|e| e.to_string())
}

/// The events of a judgement export, of one session; returns them with the session id.
fn from_jsonl(file: &Path, session: Option<&str>) -> Result<(Vec<JudgementEvent>, String), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let all = events::parse_jsonl(&text)
        .map_err(|e| format!("{}:{}: {}", file.display(), e.line, e.message))?;
    let mut sessions: Vec<&str> = Vec::new();
    for e in &all {
        if !sessions.contains(&e.session_id.as_str()) {
            sessions.push(&e.session_id);
        }
    }
    let id = match (session, sessions.as_slice()) {
        (Some(id), _) if sessions.contains(&id) => id.to_owned(),
        (Some(id), _) => {
            return Err(format!("{} has no judgements of session {id:?}", file.display()));
        }
        (None, [one]) => (*one).to_owned(),
        (None, []) => return Err(format!("{} holds no judgements", file.display())),
        (None, many) => {
            return Err(format!(
                "{} holds judgements of {} sessions ({}); choose one with --session ID",
                file.display(),
                many.len(),
                many.join(", ")
            ));
        }
    };
    let events = all.into_iter().filter(|e| e.session_id == id).collect();
    Ok((events, id))
}

fn meta(title: &str, dataset: Option<String>, source: &Path) -> Meta {
    Meta {
        title: title.to_owned(),
        dataset,
        generated_at_ms: screening_store::now_ms(),
        source: source.display().to_string(),
    }
}

/// Writes `text` to `out` (whole, as the app writes exports), or prints it.
fn write_out(text: &str, out: Option<&Path>) -> Result<(), String> {
    match out {
        None => print_lines(&[text.trim_end_matches('\n').to_owned()]),
        Some(path) => screening_app::write_file(path, text).map_err(|e| e.to_string()),
    }
}
