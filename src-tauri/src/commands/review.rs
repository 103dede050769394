use screening_app::{
    AppError, Board, CandidateInfo, FreezeProgress, FreezeReport, NewSessionRequest, RecordRequest,
    Saved, SessionDetail, SessionSummary, SummaryRow,
};
use tauri::State;
use tauri::ipc::Channel;

use super::Desk;

#[tauri::command]
pub async fn list_candidates(desk: State<'_, Desk>) -> Result<Vec<CandidateInfo>, AppError> {
    desk.get().await?.reviews.candidates().await
}

#[tauri::command]
pub async fn list_sessions(desk: State<'_, Desk>) -> Result<Vec<SessionSummary>, AppError> {
    desk.get().await?.reviews.sessions().await
}

#[tauri::command]
pub async fn create_session(
    desk: State<'_, Desk>,
    request: NewSessionRequest,
) -> Result<SessionDetail, AppError> {
    desk.get().await?.reviews.create_session(request).await
}

#[tauri::command]
pub async fn get_session(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<SessionDetail, AppError> {
    desk.get().await?.reviews.session(&session_id).await
}

/// Freezes a session's lists, streaming [`FreezeProgress`] to `on_progress` (a lost message is
/// only a missed bar update, so send errors are ignored).
#[tauri::command]
pub async fn freeze_session(
    desk: State<'_, Desk>,
    session_id: String,
    on_progress: Channel<FreezeProgress>,
) -> Result<FreezeReport, AppError> {
    desk.get()
        .await?
        .reviews
        .freeze(&session_id, move |p| {
            let _ = on_progress.send(p);
        })
        .await
}

#[tauri::command]
pub async fn get_board(
    desk: State<'_, Desk>,
    session_id: String,
    persona_id: String,
) -> Result<Board, AppError> {
    desk.get().await?.reviews.board(&session_id, &persona_id).await
}

#[tauri::command]
pub async fn record_judgement(
    desk: State<'_, Desk>,
    request: RecordRequest,
) -> Result<Saved, AppError> {
    desk.get().await?.reviews.record(request).await
}

#[tauri::command]
pub async fn reveal_persona(
    desk: State<'_, Desk>,
    session_id: String,
    persona_id: String,
) -> Result<Board, AppError> {
    desk.get().await?.reviews.reveal(&session_id, &persona_id).await
}

#[tauri::command]
pub async fn session_summary(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<Vec<SummaryRow>, AppError> {
    desk.get().await?.reviews.summary(&session_id).await
}
