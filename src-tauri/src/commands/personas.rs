use std::sync::Arc;

use screening_app::{AppError, Library, PersonaDetail, PersonaSummary};
use tauri::State;

#[tauri::command]
pub async fn list_personas(
    library: State<'_, Arc<Library>>,
) -> Result<Vec<PersonaSummary>, AppError> {
    Ok(library.personas())
}

#[tauri::command]
pub async fn get_persona(
    library: State<'_, Arc<Library>>,
    id: String,
) -> Result<PersonaDetail, AppError> {
    library.persona(&id)
}
