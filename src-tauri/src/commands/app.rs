//! App-level commands: header info, the first-run screen, the UI language.

use super::{run, run_mut};
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// What the header and the first-run screen need.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>, args: call::AppInfo) -> Reply<call::AppInfo> {
    run(&state, args).await
}

/// Completes the first-run screen.
#[tauri::command]
pub async fn first_run(state: State<'_, AppState>, args: call::FirstRun) -> Reply<call::FirstRun> {
    run_mut(&state, args).await
}

/// Remembers the UI language.
#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, args: call::SetLanguage) -> Reply<call::SetLanguage> {
    run(&state, args).await
}
