//! Product commands: search (the editor's autocomplete) and create.

use super::run;
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// A page of products.
#[tauri::command]
pub async fn products_list(state: State<'_, AppState>, args: call::ProductsList) -> Reply<call::ProductsList> {
    crate::test_delay::before("products_list", &args.query.text).await;
    run(&state, args).await
}

/// Creates a product.
#[tauri::command]
pub async fn product_create(state: State<'_, AppState>, args: call::ProductCreate) -> Reply<call::ProductCreate> {
    run(&state, args).await
}
