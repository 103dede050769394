//! The report view: a session's statistics, its gate thresholds, and exports to a file.

use screening_app::{AppError, ExportRequest, ExportResult, GateRequest, SessionReport};
use tauri::State;

use super::Desk;

#[tauri::command]
pub async fn session_report(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<SessionReport, AppError> {
    desk.get().await?.reviews.report(&session_id).await
}

#[tauri::command]
pub async fn export_session(
    desk: State<'_, Desk>,
    request: ExportRequest,
) -> Result<ExportResult, AppError> {
    desk.get().await?.reviews.export(request).await
}

#[tauri::command]
pub async fn set_session_gate(
    desk: State<'_, Desk>,
    request: GateRequest,
) -> Result<SessionReport, AppError> {
    desk.get().await?.reviews.set_gate(request).await
}
