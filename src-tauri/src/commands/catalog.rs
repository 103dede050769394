use std::sync::Arc;

use screening_app::{AppError, CatalogPage, CatalogQuery, Library};
use screening_core::CatalogInfo;
use tauri::State;

#[tauri::command]
pub async fn search_catalog(
    library: State<'_, Arc<Library>>,
    query: CatalogQuery,
) -> Result<CatalogPage, AppError> {
    library.search(&query)
}

#[tauri::command]
pub async fn catalog_info(library: State<'_, Arc<Library>>) -> Result<CatalogInfo, AppError> {
    Ok(library.info().clone())
}
