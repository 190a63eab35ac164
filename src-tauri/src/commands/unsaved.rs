//! Unsaved editor forms (the journal the editor writes as the user types) and the window's close handshake.

use super::run;
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// Journals an editor's form; durable when it answers.
#[tauri::command]
pub async fn unsaved_form_put(state: State<'_, AppState>, args: call::UnsavedFormPut) -> Reply<call::UnsavedFormPut> {
    run(&state, args).await
}

/// Forgets an editor's form.
#[tauri::command]
pub async fn unsaved_form_clear(
    state: State<'_, AppState>,
    args: call::UnsavedFormClear,
) -> Reply<call::UnsavedFormClear> {
    run(&state, args).await
}

/// The current company's journalled forms, newest first.
#[tauri::command]
pub async fn unsaved_forms_list(
    state: State<'_, AppState>,
    args: call::UnsavedFormsList,
) -> Reply<call::UnsavedFormsList> {
    run(&state, args).await
}

/// The page has stored what was on screen after a close request: close the window now.
#[tauri::command]
pub fn window_close_ready(
    window: tauri::Window,
    gate: State<'_, crate::close::CloseGate>,
    args: call::WindowCloseReady,
) -> Reply<call::WindowCloseReady> {
    let call::WindowCloseReady {} = args;
    gate.release(&window);
    Ok(())
}
