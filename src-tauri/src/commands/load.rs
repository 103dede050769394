//! Load checks of a session's candidates: run one (progress every second), stop it, list them.

use screening_app::{AppError, LoadCheck, LoadCheckRequest, LoadProgress};
use tauri::State;
use tauri::ipc::Channel;

use super::Desk;

/// Runs a load check, streaming [`LoadProgress`] each second to `on_progress` (a lost message
/// is only a missed chart point, so send errors are ignored).
#[tauri::command]
pub async fn run_load_check(
    desk: State<'_, Desk>,
    request: LoadCheckRequest,
    on_progress: Channel<LoadProgress>,
) -> Result<LoadCheck, AppError> {
    desk.get()
        .await?
        .reviews
        .run_load_check(request, move |p| {
            let _ = on_progress.send(p.clone());
        })
        .await
}

/// Stops the running load check; it keeps what it measured.
#[tauri::command]
pub async fn cancel_load_check(desk: State<'_, Desk>) -> Result<(), AppError> {
    desk.get().await?.reviews.cancel_load_check();
    Ok(())
}

#[tauri::command]
pub async fn load_checks(
    desk: State<'_, Desk>,
    session_id: String,
) -> Result<Vec<LoadCheck>, AppError> {
    desk.get().await?.reviews.load_checks(&session_id).await
}
