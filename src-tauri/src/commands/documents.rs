//! Document commands: list, get, save a draft, duplicate, delete, convert; payments; the dashboard.

use crate::state::AppState;
use desk_core::{dashboard, documents, payments};
use desk_model::document::DocType;
use desk_model::ipc::{AppError, Dashboard, Document, DocumentInput, DocumentQuery, DocumentRow, Page, Payment, PaymentInput};
use tauri::State;
use uuid::Uuid;

/// A page of documents.
#[tauri::command]
pub async fn documents_list(state: State<'_, AppState>, query: DocumentQuery) -> Result<Page<DocumentRow>, AppError> {
    Ok(documents::list(&*state.read().await?, &query).await?)
}

/// One document.
#[tauri::command]
pub async fn document_get(state: State<'_, AppState>, id: Uuid) -> Result<Document, AppError> {
    Ok(documents::get(&*state.read().await?, id).await?)
}

/// Saves a whole draft; `id` None creates it.
#[tauri::command]
pub async fn document_save(state: State<'_, AppState>, id: Option<Uuid>, input: DocumentInput) -> Result<Document, AppError> {
    crate::test_delay::before("document_save", "").await;
    Ok(documents::save_draft(&*state.read().await?, id, &input).await?)
}

/// Copies a document into a new draft dated today.
#[tauri::command]
pub async fn document_duplicate(state: State<'_, AppState>, id: Uuid) -> Result<Document, AppError> {
    Ok(documents::duplicate(&*state.read().await?, id, None).await?)
}

/// Removes a draft.
#[tauri::command]
pub async fn document_delete(state: State<'_, AppState>, id: Uuid) -> Result<(), AppError> {
    Ok(documents::delete_draft(&*state.read().await?, id).await?)
}

/// Makes a new draft of type `to` from an issued document.
#[tauri::command]
pub async fn document_convert(state: State<'_, AppState>, id: Uuid, to: DocType, reason: String) -> Result<Document, AppError> {
    Ok(documents::convert(&*state.read().await?, id, to, &reason, None).await?)
}

/// Records a payment against an issued invoice.
#[tauri::command]
pub async fn payment_record(state: State<'_, AppState>, input: PaymentInput) -> Result<Payment, AppError> {
    Ok(payments::record(&*state.read().await?, &input).await?)
}

/// The dashboard's figures for today.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Result<Dashboard, AppError> {
    Ok(dashboard::get(&*state.read().await?, None).await?)
}
