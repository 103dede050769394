//! Tauri's build step: embeds the config and capabilities, and generates one `allow-<command>`
//! permission per app command so `capabilities/default.json` can grant exactly those.

/// Every `#[tauri::command]` in `src/commands`; a command missing here cannot be invoked.
const COMMANDS: &[&str] = &[
    "list_personas",
    "get_persona",
    "save_persona",
    "duplicate_persona",
    "delete_persona",
    "list_users",
    "persona_from_user",
    "export_personas",
    "import_personas",
    "search_catalog",
    "catalog_info",
    "list_datasets",
    "set_active_dataset",
    "import_dataset",
    "list_candidates",
    "candidate_details",
    "save_candidate",
    "archive_candidate",
    "test_candidate",
    "import_candidates",
    "export_candidates",
    "list_sessions",
    "create_session",
    "get_session",
    "freeze_session",
    "get_board",
    "record_judgement",
    "reveal_persona",
    "session_summary",
    "session_report",
    "export_session",
    "set_session_gate",
    "sync_settings",
    "configure_sync",
    "sync_status",
    "sync_now",
    "publish_session",
    "team_report",
    "team_sessions",
    "join_session",
    "run_load_check",
    "cancel_load_check",
    "load_checks",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
