use std::path::PathBuf;

use screening_app::{
    AppError, CandidateConfig, CandidateDetail, CandidateImportReport, ConnectionTest,
};
use tauri::State;

use super::Desk;

#[tauri::command]
pub async fn candidate_details(
    desk: State<'_, Desk>,
    archived: bool,
) -> Result<Vec<CandidateDetail>, AppError> {
    desk.get().await?.candidates.list(archived).await
}

#[tauri::command]
pub async fn save_candidate(
    desk: State<'_, Desk>,
    id: Option<String>,
    config: CandidateConfig,
) -> Result<CandidateDetail, AppError> {
    desk.get().await?.candidates.save(id, config).await
}

#[tauri::command]
pub async fn archive_candidate(
    desk: State<'_, Desk>,
    id: String,
    archived: bool,
) -> Result<(), AppError> {
    desk.get().await?.candidates.archive(&id, archived).await
}

#[tauri::command]
pub async fn test_candidate(
    desk: State<'_, Desk>,
    config: CandidateConfig,
) -> Result<ConnectionTest, AppError> {
    desk.get().await?.reviews.test_candidate(config).await
}

#[tauri::command]
pub async fn import_candidates(
    desk: State<'_, Desk>,
    path: PathBuf,
) -> Result<CandidateImportReport, AppError> {
    desk.get().await?.candidates.import_from(&path).await
}

#[tauri::command]
pub async fn export_candidates(desk: State<'_, Desk>, path: PathBuf) -> Result<u32, AppError> {
    desk.get().await?.candidates.export_to(&path).await
}
