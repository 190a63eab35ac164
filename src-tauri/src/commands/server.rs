//! Office commands: the connection (status, join, leave), the office's people (Utilizadores) and the server's
//! audit trail. Each is one engine call.

use super::{run, run_mut};
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use tauri::State;

/// The office connection; `check` asks the server.
#[tauri::command]
pub async fn server_status(state: State<'_, AppState>, args: call::ServerStatusGet) -> Reply<call::ServerStatusGet> {
    run(&state, args).await
}

/// Joins an office.
#[tauri::command]
pub async fn server_join(state: State<'_, AppState>, args: call::ServerJoin) -> Reply<call::ServerJoin> {
    run_mut(&state, args).await
}

/// Leaves the office.
#[tauri::command]
pub async fn server_leave(state: State<'_, AppState>, args: call::ServerLeave) -> Reply<call::ServerLeave> {
    run(&state, args).await
}

/// The office's people.
#[tauri::command]
pub async fn server_users(state: State<'_, AppState>, args: call::ServerUsersList) -> Reply<call::ServerUsersList> {
    run(&state, args).await
}

/// Adds a person.
#[tauri::command]
pub async fn server_user_add(state: State<'_, AppState>, args: call::ServerUserAdd) -> Reply<call::ServerUserAdd> {
    run(&state, args).await
}

/// Changes a person's role.
#[tauri::command]
pub async fn server_user_set_role(
    state: State<'_, AppState>,
    args: call::ServerUserSetRole,
) -> Reply<call::ServerUserSetRole> {
    run(&state, args).await
}

/// Resets a person's password.
#[tauri::command]
pub async fn server_user_reset(
    state: State<'_, AppState>,
    args: call::ServerUserReset,
) -> Reply<call::ServerUserReset> {
    run(&state, args).await
}

/// Deactivates a person.
#[tauri::command]
pub async fn server_user_disable(
    state: State<'_, AppState>,
    args: call::ServerUserDisable,
) -> Reply<call::ServerUserDisable> {
    run(&state, args).await
}

/// The audit trail.
#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, args: call::AuditList) -> Reply<call::AuditList> {
    run(&state, args).await
}

/// Office sync's state.
#[tauri::command]
pub async fn office_sync_status(
    state: State<'_, AppState>,
    args: call::OfficeSyncStatusGet,
) -> Reply<call::OfficeSyncStatusGet> {
    run(&state, args).await
}

/// One sync round now.
#[tauri::command]
pub async fn office_sync_now(state: State<'_, AppState>, args: call::OfficeSyncNow) -> Reply<call::OfficeSyncNow> {
    run(&state, args).await
}

/// The conflict queue.
#[tauri::command]
pub async fn office_conflicts(
    state: State<'_, AppState>,
    args: call::OfficeConflictsList,
) -> Reply<call::OfficeConflictsList> {
    run(&state, args).await
}

/// Decides a conflict.
#[tauri::command]
pub async fn office_conflict_resolve(
    state: State<'_, AppState>,
    args: call::OfficeConflictResolve,
) -> Reply<call::OfficeConflictResolve> {
    run(&state, args).await
}

/// Sends a refused edit again.
#[tauri::command]
pub async fn office_rejection_retry(
    state: State<'_, AppState>,
    args: call::OfficeRejectionRetry,
) -> Reply<call::OfficeRejectionRetry> {
    run(&state, args).await
}

/// Takes a refused edit off the list.
#[tauri::command]
pub async fn office_rejection_dismiss(
    state: State<'_, AppState>,
    args: call::OfficeRejectionDismiss,
) -> Reply<call::OfficeRejectionDismiss> {
    run(&state, args).await
}
