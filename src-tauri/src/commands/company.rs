//! Company commands: the switcher's list, switching, adding a company, and the current one's profile.

use crate::state::AppState;
use desk_model::company::{CompanyInput, CompanyProfile};
use desk_model::ipc::{AppError, AppInfo, CompanySummary};
use tauri::State;
use uuid::Uuid;

/// Every company of the data folder.
#[tauri::command]
pub async fn companies_list(state: State<'_, AppState>) -> Result<Vec<CompanySummary>, AppError> {
    Ok(state.read().await?.companies().await?)
}

/// The current company's profile.
#[tauri::command]
pub async fn company_profile(state: State<'_, AppState>) -> Result<CompanyProfile, AppError> {
    Ok(state.read().await?.company_profile().await?)
}

/// Saves the current company's profile.
#[tauri::command]
pub async fn company_save(state: State<'_, AppState>, input: CompanyInput) -> Result<CompanyProfile, AppError> {
    Ok(state.write().await?.update_company(&input).await?)
}

/// Adds a company and switches to it.
#[tauri::command]
pub async fn company_create(state: State<'_, AppState>, input: CompanyInput) -> Result<AppInfo, AppError> {
    let mut ws = state.write().await?;
    ws.create_company(&input).await?;
    Ok(ws.info().await?)
}

/// Switches to another company.
#[tauri::command]
pub async fn company_switch(state: State<'_, AppState>, id: Uuid) -> Result<AppInfo, AppError> {
    Ok(state.write().await?.switch_company(id).await?)
}
