//! Company commands: the switcher's list, switching, adding a company, and the current one's profile.

use super::{run, run_mut};
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// Every company of the data folder.
#[tauri::command]
pub async fn companies_list(state: State<'_, AppState>, args: call::CompaniesList) -> Reply<call::CompaniesList> {
    run(&state, args).await
}

/// The current company's profile.
#[tauri::command]
pub async fn company_profile(
    state: State<'_, AppState>,
    args: call::CompanyProfileGet,
) -> Reply<call::CompanyProfileGet> {
    run(&state, args).await
}

/// Saves the current company's profile.
#[tauri::command]
pub async fn company_save(state: State<'_, AppState>, args: call::CompanySave) -> Reply<call::CompanySave> {
    run_mut(&state, args).await
}

/// Adds a company and switches to it.
#[tauri::command]
pub async fn company_create(state: State<'_, AppState>, args: call::CompanyCreate) -> Reply<call::CompanyCreate> {
    run_mut(&state, args).await
}

/// Switches to another company.
#[tauri::command]
pub async fn company_switch(state: State<'_, AppState>, args: call::CompanySwitch) -> Reply<call::CompanySwitch> {
    run_mut(&state, args).await
}
