//! `screening`: the command-line face of Screening Room.
//!
//! Parsing lives in [`args`]; each subcommand is a function here that calls the library crates
//! and prints. User errors (bad files, unknown ids) go to stderr as one `error: …` line with exit
//! code 1, never as a panic backtrace; clap's own usage errors exit with 2.

mod args;
mod candidates;
mod loadtest;
mod models;
mod progress;
mod report;
mod serve;
mod server;
mod sync;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use screening_catalog::import::{self, Format, ImportOptions};
use screening_core::{CatalogInfo, Dataset, Persona};

use args::{Args, CatalogCommand, Command, DatasetArgs, FormatArg};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    match args.command {
        Command::Catalog { command: CatalogCommand::Info { dataset, json } } => {
            catalog_info(&dataset, json)
        }
        Command::Personas { json } => personas(json),
        Command::Evaluate(args) => models::evaluate_cmd(&args),
        Command::Recommend(args) => models::recommend_cmd(&args),
        Command::ServeModel(args) => serve::serve_model_cmd(&args),
        Command::Report(args) => report::report_cmd(&args),
        Command::Export(args) => report::export_cmd(&args),
        Command::Server(args) => server::server_cmd(args),
        Command::Sync(args) => sync::sync_cmd(&args),
        Command::Loadtest(args) => loadtest::loadtest_cmd(&args),
    }
}

fn catalog_info(dataset: &DatasetArgs, json: bool) -> Result<(), String> {
    let info = CatalogInfo::of(&load_dataset(dataset)?);
    if json { print_json(&info) } else { print_lines(&info_lines(&info)) }
}

/// Loads the dataset the flags name (the demo catalog by default); warnings go to stderr.
fn load_dataset(dataset: &DatasetArgs) -> Result<Dataset, String> {
    let (format, path) = match (&dataset.dataset, dataset.format) {
        (None, None | Some(FormatArg::Demo)) => (Format::Demo, None),
        (None, Some(f)) => return Err(format!("--format {f} needs --dataset PATH")),
        (Some(path), None) => (Format::detect(path), Some(path.as_path())),
        (Some(path), Some(f)) => (f.into(), Some(path.as_path())),
    };
    let options = ImportOptions {
        strict: dataset.strict,
        progress: std::io::stderr().is_terminal(),
        on_progress: None,
    };
    let loaded = import::load(path.unwrap_or(std::path::Path::new("")), format, &options)
        .map_err(|e| e.to_string())?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded.dataset)
}

fn info_lines(info: &CatalogInfo) -> Vec<String> {
    let mut lines = vec![
        format!("items         {}", info.items),
        format!("users         {}", info.users),
        format!("interactions  {}", info.interactions),
    ];
    if let (Some(first), Some(last)) = (info.first_timestamp, info.last_timestamp) {
        lines.push(format!("time range    {} .. {}", utc_date(first), utc_date(last)));
    }
    lines.push("content types".into());
    lines.extend(info.content_types.iter().map(|(k, n)| format!("  {k:<12}{n}")));
    let mut genres: Vec<_> = info.genres.iter().collect();
    genres.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    lines.push(format!("genres ({}; most common first)", genres.len()));
    lines.extend(genres.iter().take(15).map(|(k, n)| format!("  {k:<20}{n}")));
    lines.push("event types".into());
    lines.extend(info.event_types.iter().map(|(k, n)| format!("  {k:<12}{n}")));
    lines
}

fn personas(json: bool) -> Result<(), String> {
    let personas = screening_catalog::personas::sample_personas();
    if json {
        let rows: Vec<_> = personas.iter().map(persona_json).collect();
        return print_json(&rows);
    }
    let lines: Vec<String> = personas
        .iter()
        .map(|p| {
            format!("{:<20} {:<22} {:>3} plays  {}", p.id, p.name, p.history.len(), p.description)
        })
        .collect();
    print_lines(&lines)
}

/// The JSON shape of `screening personas --json`: history as a plain list of item ids.
fn persona_json(p: &Persona) -> serde_json::Value {
    serde_json::json!({
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "tags": p.tags,
        "history": p.history.iter().map(|h| h.item_id.as_str()).collect::<Vec<_>>(),
    })
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    print_lines(&[text])
}

/// Prints to stdout; a closed pipe (`screening … | head`) is not an error worth reporting.
fn print_lines(lines: &[String]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    for line in lines {
        if let Err(e) = writeln!(out, "{line}") {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(format!("writing to stdout: {e}"));
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` of a Unix timestamp (UTC), without a date crate.
fn utc_date(ts: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = ts.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::utc_date;

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_788_220_799), "2026-08-31");
        assert_eq!(utc_date(-1), "1969-12-31");
    }
}
