use screening_app::{AppError, Library, PersonaDetail, PersonaSummary};
use tauri::State;

#[tauri::command]
pub async fn list_personas(library: State<'_, Library>) -> Result<Vec<PersonaSummary>, AppError> {
    Ok(library.personas())
}

#[tauri::command]
pub async fn get_persona(
    library: State<'_, Library>,
    id: String,
) -> Result<PersonaDetail, AppError> {
    library.persona(&id)
}
