//! The Screening Room desktop shell.
//!
//! [`app_builder`] wires state and commands onto any Tauri runtime, so tests boot the same app on
//! `tauri::test::mock_builder()`; [`run`] starts the real window. Commands live in [`commands`]
//! and are a few lines each over `screening-app` use cases.

pub mod commands;
mod data_dir;

use std::path::PathBuf;
use std::sync::Arc;

use screening_app::Library;
use tauri::{Manager, Runtime};

use commands::Desk;

pub use data_dir::{DATA_DIR_ENV, resolve_data_dir};

/// How often the app syncs with the report server in the background.
const SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Where local data lives; managed once the app knows its platform directories.
pub struct DataDir(pub PathBuf);

/// The app's state, plugins and command handlers on `builder`, with `demo` as the built-in
/// dataset (the embedded demo catalog in [`run`]). The data directory is `data_dir`, else
/// `SCREENING_DATA_DIR`, else the platform's; it is created in `setup` (a bad one stops
/// start-up with its path in the message) and holds the local database, imported datasets and
/// the trained-model cache.
pub fn app_builder<R: Runtime>(
    builder: tauri::Builder<R>,
    demo: Library,
    data_dir: Option<PathBuf>,
) -> tauri::Builder<R> {
    let demo = Arc::new(demo);
    // With a known folder (tests) the desk opens now; otherwise once the platform's data
    // directory is known, in `setup` (Tauri runs it when the event loop starts).
    let builder = match data_dir {
        Some(dir) => builder.manage(desk_in(&dir, demo)).manage(DataDir(dir)),
        None => builder.setup(move |app| {
            let dir = resolve_data_dir(std::env::var_os(DATA_DIR_ENV), app.path().app_data_dir())?;
            app.manage(desk_in(&dir, demo));
            app.manage(DataDir(dir));
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let desk = handle.state::<Desk>();
                desk.sync_in_background(SYNC_EVERY).await;
            });
            Ok(())
        }),
    };
    builder.plugin(tauri_plugin_dialog::init()).invoke_handler(tauri::generate_handler![
        commands::personas::list_personas,
        commands::personas::get_persona,
        commands::personas::save_persona,
        commands::personas::duplicate_persona,
        commands::personas::delete_persona,
        commands::personas::list_users,
        commands::personas::persona_from_user,
        commands::personas::export_personas,
        commands::personas::import_personas,
        commands::catalog::search_catalog,
        commands::catalog::catalog_info,
        commands::catalog::list_datasets,
        commands::catalog::set_active_dataset,
        commands::catalog::import_dataset,
        commands::review::list_candidates,
        commands::candidates::candidate_details,
        commands::candidates::save_candidate,
        commands::candidates::archive_candidate,
        commands::candidates::test_candidate,
        commands::candidates::import_candidates,
        commands::candidates::export_candidates,
        commands::review::list_sessions,
        commands::review::create_session,
        commands::review::get_session,
        commands::review::freeze_session,
        commands::review::get_board,
        commands::review::record_judgement,
        commands::review::reveal_persona,
        commands::review::session_summary,
        commands::report::session_report,
        commands::report::export_session,
        commands::report::set_session_gate,
        commands::sync::sync_settings,
        commands::sync::configure_sync,
        commands::sync::sync_status,
        commands::sync::sync_now,
        commands::sync::publish_session,
        commands::sync::team_report,
        commands::sync::team_sessions,
        commands::sync::join_session,
        commands::load::run_load_check,
        commands::load::cancel_load_check,
        commands::load::load_checks,
    ])
}

/// The workspace in `dir`, or why it cannot open (yet).
fn desk_in(dir: &std::path::Path, demo: Arc<Library>) -> Desk {
    Desk::open(dir.to_owned(), demo, reviewer())
}

/// Who judges: `$SCREENING_REVIEWER`, else the login name.
fn reviewer() -> String {
    ["SCREENING_REVIEWER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "reviewer".to_owned())
}

/// Starts the desktop app; returns when the last window closes.
pub fn run() {
    app_builder(tauri::Builder::default(), Library::demo(), None)
        .run(tauri::generate_context!())
        .expect("error while running Screening Room");
}
