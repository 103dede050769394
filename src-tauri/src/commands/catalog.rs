use screening_app::{AppError, CatalogPage, CatalogQuery, Library};
use screening_core::CatalogInfo;
use tauri::State;

#[tauri::command]
pub async fn search_catalog(
    library: State<'_, Library>,
    query: CatalogQuery,
) -> Result<CatalogPage, AppError> {
    library.search(&query)
}

#[tauri::command]
pub async fn catalog_info(library: State<'_, Library>) -> Result<CatalogInfo, AppError> {
    Ok(library.info().clone())
}
