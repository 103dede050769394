//! Sync with the report server: settings, status, publishing, joining team sessions, the team
//! report.

use screening_app::{
    AppError, JoinResult, PublishResult, SyncSettings, SyncSettingsRequest, SyncStatus,
    TeamReportView, TeamSession,
};
use tauri::State;

use super::Desk;

#[tauri::command]
pub async fn sync_settings(desk: State<'_, Desk>) -> Result<SyncSettings, AppError> {
    desk.get().await?.sync.settings().await
}

#[tauri::command]
pub async fn configure_sync(
    desk: State<'_, Desk>,
    request: SyncSettingsRequest,
) -> Result<SyncStatus, AppError> {
    desk.get().await?.sync.configure(request).await
}

#[tauri::command]
pub async fn sync_status(desk: State<'_, Desk>) -> Result<SyncStatus, AppError> {
    desk.get().await?.sync.status().await
}

#[tauri::command]
pub async fn sync_now(desk: State<'_, Desk>) -> Result<SyncStatus, AppError> {
    desk.get().await?.sync.sync_now().await
}

#[tauri::command]
pub async fn publish_session(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<PublishResult, AppError> {
    desk.get().await?.sync.publish(&session_id).await
}

#[tauri::command]
pub async fn team_report(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<TeamReportView, AppError> {
    desk.get().await?.sync.team_report(&session_id).await
}

#[tauri::command]
pub async fn team_sessions(desk: State<'_, Desk>) -> Result<Vec<TeamSession>, AppError> {
    desk.get().await?.sync.team_sessions().await
}

#[tauri::command]
pub async fn join_session(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<JoinResult, AppError> {
    desk.get().await?.sync.join(&session_id).await
}
