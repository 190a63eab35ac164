//! App-level commands: header info, the first-run screen, the UI language.

use crate::state::AppState;
use desk_model::ipc::{AppError, AppInfo, FirstRunInput};
use desk_model::msg::Lang;
use tauri::State;

/// What the header and the first-run screen need.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    Ok(state.read().await?.info().await?)
}

/// Completes the first-run screen.
#[tauri::command]
pub async fn first_run(state: State<'_, AppState>, input: FirstRunInput) -> Result<AppInfo, AppError> {
    Ok(state.write().await?.complete_first_run(&input).await?)
}

/// Remembers the UI language.
#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), AppError> {
    Ok(state.read().await?.set_language(lang).await?)
}
