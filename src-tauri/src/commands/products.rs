//! Product commands: search (the editor's autocomplete) and create.

use crate::state::AppState;
use desk_core::products;
use desk_model::ipc::{AppError, Page, Product, ProductInput, ProductQuery};
use tauri::State;

/// A page of products.
#[tauri::command]
pub async fn products_list(state: State<'_, AppState>, query: ProductQuery) -> Result<Page<Product>, AppError> {
    crate::test_delay::before("products_list", &query.text).await;
    Ok(products::list(&*state.read().await?, &query).await?)
}

/// Creates a product.
#[tauri::command]
pub async fn product_create(state: State<'_, AppState>, input: ProductInput) -> Result<Product, AppError> {
    Ok(products::create(&*state.read().await?, &input).await?)
}
