//! `screening sync`: drains the desktop app's outbox to the report server without the window
//! (a big backlog, over ssh), or only tells how syncing stands. The sync itself is the app's
//! (`screening_app::Syncer`), on the same data directory with the server settings saved there.

use std::cell::Cell;
use std::io::IsTerminal;
use std::sync::{Arc, OnceLock};

use indicatif::{ProgressBar, ProgressStyle};
use screening_app::{AppError, Library, SyncProgress, SyncState, SyncStatus, Workspace};
use screening_store::DB_FILE;

use crate::args::SyncArgs;
use crate::print_lines;

pub fn sync_cmd(args: &SyncArgs) -> Result<(), String> {
    // Opening would create the directory: a mistyped path must not become an empty workspace.
    if !args.data.join(DB_FILE).is_file() {
        return Err(format!(
            "{} is not a Screening Room data directory (no {DB_FILE}); give the app's",
            args.data.display()
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let reviewer = args.reviewer.clone().unwrap_or_else(reviewer);
    let (status, sent) = runtime.block_on(run(args, reviewer)).map_err(|e| e.message)?;
    print_lines(&[status_line(&status, sent)])?;
    match status.state {
        SyncState::Offline | SyncState::Error => {
            Err(format!("not synced: {} judgement(s) wait in the outbox", status.pending))
        }
        SyncState::Off if !args.status => {
            Err("no report server is set up in this data directory (Settings in the app)".into())
        }
        // A drain ends synced, offline or refused; still pending, it had no token to send with.
        SyncState::Pending if !args.status => Err(format!(
            "not synced: no token for {} is readable here (Settings in the app saves it)",
            status.server_url.as_deref().unwrap_or("the report server")
        )),
        _ => Ok(()),
    }
}

/// Opens the app's workspace (its lock refuses while the app runs) and drains the outbox once,
/// or only reads the status; with how many judgements this run sent.
async fn run(args: &SyncArgs, reviewer: String) -> Result<(SyncStatus, Option<u32>), AppError> {
    let ws = Workspace::open(&args.data, Arc::new(Library::demo()), reviewer).await?;
    if args.status {
        return Ok((ws.sync.status().await?, None));
    }
    let (bar, sent) = (Bar::stderr(), Cell::new(0));
    let status = ws
        .sync
        .sync_with(|p| {
            sent.set(p.sent);
            bar.show(p);
        })
        .await;
    bar.finish();
    Ok((status?, Some(sent.get())))
}

/// `synced: 100000 sent, 0 pending`, `offline: cannot reach …: … (0 sent, 5 pending)`.
fn status_line(s: &SyncStatus, sent: Option<u32>) -> String {
    let state = match s.state {
        SyncState::Off => "off",
        SyncState::Synced => "synced",
        SyncState::Pending => "pending",
        SyncState::Offline => "offline",
        SyncState::Error => "error",
    };
    let mut counts: Vec<String> = sent.map(|n| format!("{n} sent")).into_iter().collect();
    counts.push(format!("{} pending", s.pending));
    if s.local_only > 0 {
        counts.push(format!("{} in sessions not published", s.local_only));
    }
    let counts = counts.join(", ");
    let server = match (&s.server_url, sent) {
        (Some(url), None) => format!(" (server {url})"),
        _ => String::new(),
    };
    match &s.message {
        Some(m) => format!("{state}: {m} ({counts})"),
        None if s.state == SyncState::Off => format!("{state}: no report server set up ({counts})"),
        None => format!("{state}: {counts}{server}"),
    }
}

/// Who judges, as the app decides it: `$SCREENING_REVIEWER`, else the login name.
fn reviewer() -> String {
    ["SCREENING_REVIEWER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "reviewer".to_owned())
}

/// `sent N of M` on stderr, drawn only if stderr is a terminal (as in [`crate::progress`]).
struct Bar {
    show: bool,
    bar: OnceLock<ProgressBar>,
}

impl Bar {
    fn stderr() -> Self {
        Bar { show: std::io::stderr().is_terminal(), bar: OnceLock::new() }
    }

    fn show(&self, p: SyncProgress) {
        if !self.show {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let style = ProgressStyle::with_template(
                "{msg:>28} [{bar:32}] sent {pos} of {len} ({eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            ProgressBar::new(u64::from(p.total))
                .with_style(style)
                .with_message("syncing judgements")
        });
        bar.set_length(u64::from(p.total));
        bar.set_position(u64::from(p.sent));
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
