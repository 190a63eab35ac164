//! Customer commands: list/search, get, create, edit, archive.

use super::run;
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// A page of customers.
#[tauri::command]
pub async fn customers_list(state: State<'_, AppState>, args: call::CustomersList) -> Reply<call::CustomersList> {
    crate::test_delay::before("customers_list", &args.query.text).await;
    run(&state, args).await
}

/// One customer.
#[tauri::command]
pub async fn customer_get(state: State<'_, AppState>, args: call::CustomerGet) -> Reply<call::CustomerGet> {
    run(&state, args).await
}

/// Creates a customer.
#[tauri::command]
pub async fn customer_create(state: State<'_, AppState>, args: call::CustomerCreate) -> Reply<call::CustomerCreate> {
    run(&state, args).await
}

/// Edits a customer.
#[tauri::command]
pub async fn customer_update(state: State<'_, AppState>, args: call::CustomerUpdate) -> Reply<call::CustomerUpdate> {
    run(&state, args).await
}

/// Archives or restores a customer.
#[tauri::command]
pub async fn customer_set_archived(
    state: State<'_, AppState>,
    args: call::CustomerSetArchived,
) -> Reply<call::CustomerSetArchived> {
    run(&state, args).await
}
