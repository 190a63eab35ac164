//! Customer commands: list/search, get, create, edit, archive.

use crate::state::AppState;
use desk_core::customers;
use desk_model::ipc::{AppError, Customer, CustomerInput, CustomerQuery, Page};
use tauri::State;
use uuid::Uuid;

/// A page of customers.
#[tauri::command]
pub async fn customers_list(state: State<'_, AppState>, query: CustomerQuery) -> Result<Page<Customer>, AppError> {
    crate::test_delay::before("customers_list", &query.text).await;
    Ok(customers::list(&*state.read().await?, &query).await?)
}

/// One customer.
#[tauri::command]
pub async fn customer_get(state: State<'_, AppState>, id: Uuid) -> Result<Customer, AppError> {
    Ok(customers::get(&*state.read().await?, id).await?)
}

/// Creates a customer.
#[tauri::command]
pub async fn customer_create(state: State<'_, AppState>, input: CustomerInput) -> Result<Customer, AppError> {
    Ok(customers::create(&*state.read().await?, &input).await?)
}

/// Edits a customer.
#[tauri::command]
pub async fn customer_update(state: State<'_, AppState>, id: Uuid, input: CustomerInput) -> Result<Customer, AppError> {
    Ok(customers::update(&*state.read().await?, id, &input).await?)
}

/// Archives or restores a customer.
#[tauri::command]
pub async fn customer_set_archived(state: State<'_, AppState>, id: Uuid, archived: bool) -> Result<Customer, AppError> {
    Ok(customers::set_archived(&*state.read().await?, id, archived).await?)
}
