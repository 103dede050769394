use std::path::PathBuf;

use screening_app::{
    AppError, FromUserRequest, PersonaDetail, PersonaImportReport, PersonaSummary, UserQuery,
    UserSummary,
};
use screening_core::Persona;
use tauri::State;

use super::Desk;

#[tauri::command]
pub async fn list_personas(desk: State<'_, Desk>) -> Result<Vec<PersonaSummary>, AppError> {
    desk.get().await?.personas.list().await
}

#[tauri::command]
pub async fn get_persona(desk: State<'_, Desk>, id: String) -> Result<PersonaDetail, AppError> {
    desk.get().await?.personas.get(&id).await
}

#[tauri::command]
pub async fn save_persona(
    desk: State<'_, Desk>,
    persona: Persona,
) -> Result<PersonaDetail, AppError> {
    desk.get().await?.personas.save(persona).await
}

#[tauri::command]
pub async fn duplicate_persona(
    desk: State<'_, Desk>,
    id: String,
) -> Result<PersonaDetail, AppError> {
    desk.get().await?.personas.duplicate(&id).await
}

#[tauri::command]
pub async fn delete_persona(desk: State<'_, Desk>, id: String) -> Result<(), AppError> {
    desk.get().await?.personas.delete(&id).await
}

#[tauri::command]
pub async fn list_users(
    desk: State<'_, Desk>,
    query: UserQuery,
) -> Result<Vec<UserSummary>, AppError> {
    desk.get().await?.personas.users(query).await
}

#[tauri::command]
pub async fn persona_from_user(
    desk: State<'_, Desk>,
    request: FromUserRequest,
) -> Result<PersonaDetail, AppError> {
    desk.get().await?.personas.from_user(request).await
}

#[tauri::command]
pub async fn export_personas(
    desk: State<'_, Desk>,
    path: PathBuf,
    ids: Option<Vec<String>>,
) -> Result<u32, AppError> {
    desk.get().await?.personas.export_to(&path, ids).await
}

#[tauri::command]
pub async fn import_personas(
    desk: State<'_, Desk>,
    path: PathBuf,
) -> Result<PersonaImportReport, AppError> {
    desk.get().await?.personas.import_from(&path).await
}
