//! Document commands: list, get, save a draft, duplicate, delete, convert; payments; the dashboard.

use super::run;
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// A page of documents.
#[tauri::command]
pub async fn documents_list(state: State<'_, AppState>, args: call::DocumentsList) -> Reply<call::DocumentsList> {
    run(&state, args).await
}

/// One document.
#[tauri::command]
pub async fn document_get(state: State<'_, AppState>, args: call::DocumentGet) -> Reply<call::DocumentGet> {
    run(&state, args).await
}

/// Saves a whole draft; no id creates it.
#[tauri::command]
pub async fn document_save(state: State<'_, AppState>, args: call::DocumentSave) -> Reply<call::DocumentSave> {
    crate::test_delay::before("document_save", "").await;
    run(&state, args).await
}

/// Copies a document into a new draft dated today.
#[tauri::command]
pub async fn document_duplicate(
    state: State<'_, AppState>,
    args: call::DocumentDuplicate,
) -> Reply<call::DocumentDuplicate> {
    run(&state, args).await
}

/// Removes a draft.
#[tauri::command]
pub async fn document_delete(state: State<'_, AppState>, args: call::DocumentDelete) -> Reply<call::DocumentDelete> {
    run(&state, args).await
}

/// Makes a new draft of another type from a document.
#[tauri::command]
pub async fn document_convert(state: State<'_, AppState>, args: call::DocumentConvert) -> Reply<call::DocumentConvert> {
    run(&state, args).await
}

/// Records a payment against an issued invoice.
#[tauri::command]
pub async fn payment_record(state: State<'_, AppState>, args: call::PaymentRecord) -> Reply<call::PaymentRecord> {
    run(&state, args).await
}

/// The dashboard's figures for today.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, args: call::Dashboard) -> Reply<call::Dashboard> {
    run(&state, args).await
}
