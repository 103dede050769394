use std::sync::Arc;

use screening_app::{
    AppError, Board, CandidateInfo, FreezeReport, NewSessionRequest, RecordRequest, Reviews, Saved,
    SessionDetail, SessionSummary, SummaryRow,
};
use tauri::State;

/// The review desk, or why it could not open (e.g. the database is in use by another window):
/// then every review command answers with that error and the rest of the app still works.
pub struct ReviewDesk(pub Result<Arc<Reviews>, AppError>);

impl ReviewDesk {
    fn get(&self) -> Result<&Reviews, AppError> {
        self.0.as_deref().map_err(Clone::clone)
    }
}

#[tauri::command]
pub async fn list_candidates(desk: State<'_, ReviewDesk>) -> Result<Vec<CandidateInfo>, AppError> {
    desk.get()?.candidates().await
}

#[tauri::command]
pub async fn list_sessions(desk: State<'_, ReviewDesk>) -> Result<Vec<SessionSummary>, AppError> {
    desk.get()?.sessions().await
}

#[tauri::command]
pub async fn create_session(
    desk: State<'_, ReviewDesk>,
    request: NewSessionRequest,
) -> Result<SessionDetail, AppError> {
    desk.get()?.create_session(request).await
}

#[tauri::command]
pub async fn get_session(
    desk: State<'_, ReviewDesk>,
    session_id: String,
) -> Result<SessionDetail, AppError> {
    desk.get()?.session(&session_id).await
}

#[tauri::command]
pub async fn freeze_session(
    desk: State<'_, ReviewDesk>,
    session_id: String,
) -> Result<FreezeReport, AppError> {
    desk.get()?.freeze(&session_id).await
}

#[tauri::command]
pub async fn get_board(
    desk: State<'_, ReviewDesk>,
    session_id: String,
    persona_id: String,
) -> Result<Board, AppError> {
    desk.get()?.board(&session_id, &persona_id).await
}

#[tauri::command]
pub async fn record_judgement(
    desk: State<'_, ReviewDesk>,
    request: RecordRequest,
) -> Result<Saved, AppError> {
    desk.get()?.record(request).await
}

#[tauri::command]
pub async fn reveal_persona(
    desk: State<'_, ReviewDesk>,
    session_id: String,
    persona_id: String,
) -> Result<Board, AppError> {
    desk.get()?.reveal(&session_id, &persona_id).await
}

#[tauri::command]
pub async fn session_summary(
    desk: State<'_, ReviewDesk>,
    session_id: String,
) -> Result<Vec<SummaryRow>, AppError> {
    desk.get()?.summary(&session_id).await
}
