//! Unsaved editor forms (the journal the editor writes as the user types) and the window's close handshake.

use crate::state::AppState;
use desk_core::unsaved;
use desk_model::ipc::AppError;
use desk_model::unsaved::UnsavedForm;
use tauri::State;
use uuid::Uuid;

/// Journals an editor's form; durable when it answers.
#[tauri::command]
pub async fn unsaved_form_put(state: State<'_, AppState>, form: UnsavedForm) -> Result<(), AppError> {
    Ok(unsaved::put(&*state.read().await?, &form).await?)
}

/// Forgets an editor's form.
#[tauri::command]
pub async fn unsaved_form_clear(state: State<'_, AppState>, key: Uuid) -> Result<(), AppError> {
    Ok(unsaved::clear(&*state.read().await?, key).await?)
}

/// The current company's journalled forms, newest first.
#[tauri::command]
pub async fn unsaved_forms_list(state: State<'_, AppState>) -> Result<Vec<UnsavedForm>, AppError> {
    Ok(unsaved::list(&*state.read().await?).await?)
}

/// The page has stored what was on screen after a close request: close the window now.
#[tauri::command]
pub fn window_close_ready(window: tauri::Window, gate: State<'_, crate::close::CloseGate>) -> Result<(), AppError> {
    gate.release(&window);
    Ok(())
}
