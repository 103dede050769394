use screening_app::{
    AppError, CatalogPage, CatalogQuery, DatasetInfo, ImportProgress, ImportReport, ImportRequest,
};
use screening_core::CatalogInfo;
use tauri::State;
use tauri::ipc::Channel;

use super::Desk;

#[tauri::command]
pub async fn search_catalog(
    desk: State<'_, Desk>,
    query: CatalogQuery,
) -> Result<CatalogPage, AppError> {
    desk.get().await?.catalogs.active().await?.search(&query)
}

#[tauri::command]
pub async fn catalog_info(desk: State<'_, Desk>) -> Result<CatalogInfo, AppError> {
    Ok(desk.get().await?.catalogs.active().await?.info().clone())
}

#[tauri::command]
pub async fn list_datasets(desk: State<'_, Desk>) -> Result<Vec<DatasetInfo>, AppError> {
    desk.get().await?.catalogs.list().await
}

#[tauri::command]
pub async fn set_active_dataset(
    desk: State<'_, Desk>,
    id: String,
) -> Result<DatasetInfo, AppError> {
    desk.get().await?.catalogs.set_active(&id).await
}

/// Imports a dataset, streaming [`ImportProgress`] to `on_progress` (a lost message is only a
/// missed bar update, so send errors are ignored).
#[tauri::command]
pub async fn import_dataset(
    desk: State<'_, Desk>,
    request: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, AppError> {
    desk.get()
        .await?
        .catalogs
        .import(request, move |p| {
            let _ = on_progress.send(p);
        })
        .await
}
