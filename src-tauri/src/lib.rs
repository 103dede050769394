//! The Screening Room desktop shell.
//!
//! [`app_builder`] wires state and commands onto any Tauri runtime, so tests boot the same app on
//! `tauri::test::mock_builder()`; [`run`] starts the real window. Commands live in [`commands`]
//! and are a few lines each over `screening-app` use cases.

pub mod commands;
mod data_dir;

use std::path::PathBuf;
use std::sync::Arc;

use screening_app::{Library, ModelCache, Reviews};
use screening_store::Store;
use tauri::{Manager, Runtime};

use commands::review::ReviewDesk;

pub use data_dir::{DATA_DIR_ENV, resolve_data_dir};

/// Where local data lives; managed once the app knows its platform directories.
pub struct DataDir(pub PathBuf);

/// The app's state and command handlers on `builder`, serving `library` (the embedded demo
/// catalog in [`run`]). The data directory is `data_dir`, else `SCREENING_DATA_DIR`, else the
/// platform's; it is created in `setup` (a bad one stops start-up with its path in the message)
/// and holds the local database and the trained-model cache.
pub fn app_builder<R: Runtime>(
    builder: tauri::Builder<R>,
    library: Library,
    data_dir: Option<PathBuf>,
) -> tauri::Builder<R> {
    let library = Arc::new(library);
    let builder = builder.manage(Arc::clone(&library));
    // With a known folder (tests) the desk opens now; otherwise once the platform's data
    // directory is known, in `setup` (Tauri runs it when the event loop starts).
    let builder = match data_dir {
        Some(dir) => builder.manage(desk_in(&dir, library)).manage(DataDir(dir)),
        None => builder.setup(move |app| {
            let dir = resolve_data_dir(std::env::var_os(DATA_DIR_ENV), app.path().app_data_dir())?;
            app.manage(desk_in(&dir, library));
            app.manage(DataDir(dir));
            Ok(())
        }),
    };
    builder.invoke_handler(tauri::generate_handler![
        commands::personas::list_personas,
        commands::personas::get_persona,
        commands::catalog::search_catalog,
        commands::catalog::catalog_info,
        commands::review::list_candidates,
        commands::review::list_sessions,
        commands::review::create_session,
        commands::review::get_session,
        commands::review::freeze_session,
        commands::review::get_board,
        commands::review::record_judgement,
        commands::review::reveal_persona,
        commands::review::session_summary,
    ])
}

/// The review desk over the local store in `dir`, or why it cannot open.
fn desk_in(dir: &std::path::Path, library: Arc<Library>) -> ReviewDesk {
    let open = async {
        let store = Store::open(dir).await?;
        let cache = ModelCache::new(Some(dir.join("models")));
        Reviews::open(store, library, cache, reviewer()).await
    };
    ReviewDesk(tauri::async_runtime::block_on(open).map(Arc::new))
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
