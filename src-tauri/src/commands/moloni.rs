//! Moloni commands: the connection (Definições › Moloni: status, connect, pick the company, disconnect) and
//! issuing (a document now, the queue).

use super::run;
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// The connection's state.
#[tauri::command]
pub async fn moloni_status(state: State<'_, AppState>, args: call::MoloniStatusGet) -> Reply<call::MoloniStatusGet> {
    run(&state, args).await
}

/// Tests and stores the credentials (secrets in the OS keyring).
#[tauri::command]
pub async fn moloni_connect(state: State<'_, AppState>, args: call::MoloniConnect) -> Reply<call::MoloniConnect> {
    run(&state, args).await
}

/// Chooses the Moloni company.
#[tauri::command]
pub async fn moloni_pick_company(
    state: State<'_, AppState>,
    args: call::MoloniPickCompany,
) -> Reply<call::MoloniPickCompany> {
    run(&state, args).await
}

/// Forgets the connection.
#[tauri::command]
pub async fn moloni_disconnect(
    state: State<'_, AppState>,
    args: call::MoloniDisconnect,
) -> Reply<call::MoloniDisconnect> {
    run(&state, args).await
}

/// Issues a document through Moloni now.
#[tauri::command]
pub async fn document_issue(state: State<'_, AppState>, args: call::DocumentIssue) -> Reply<call::DocumentIssue> {
    run(&state, args).await
}

/// The issue queue.
#[tauri::command]
pub async fn issue_queue(state: State<'_, AppState>, args: call::IssueQueueGet) -> Reply<call::IssueQueueGet> {
    run(&state, args).await
}
