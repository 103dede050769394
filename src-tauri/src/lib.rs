//! The Screening Room desktop shell.
//!
//! [`app_builder`] wires state and commands onto any Tauri runtime, so tests boot the same app on
//! `tauri::test::mock_builder()`; [`run`] starts the real window. Commands live in [`commands`]
//! and are a few lines each over `screening-app` use cases.

pub mod commands;
mod data_dir;

use std::path::PathBuf;

use screening_app::Library;
use tauri::{Manager, Runtime};

pub use data_dir::{DATA_DIR_ENV, resolve_data_dir};

/// Where local data lives; managed once the app knows its platform directories.
pub struct DataDir(pub PathBuf);

/// The app's state and command handlers on `builder`, serving `library` (the embedded demo
/// catalog in [`run`]). The data directory is resolved and created in `setup`, so a bad
/// `SCREENING_DATA_DIR` stops start-up with its path in the message.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, library: Library) -> tauri::Builder<R> {
    builder
        .manage(library)
        .setup(|app| {
            let default_dir = app.path().app_data_dir();
            let data_dir = resolve_data_dir(std::env::var_os(DATA_DIR_ENV), default_dir)?;
            app.manage(DataDir(data_dir));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::personas::list_personas,
            commands::personas::get_persona,
            commands::catalog::search_catalog,
            commands::catalog::catalog_info,
        ])
}

/// Starts the desktop app; returns when the last window closes.
pub fn run() {
    app_builder(tauri::Builder::default(), Library::demo())
        .run(tauri::generate_context!())
        .expect("error while running Screening Room");
}
