//! Moloni commands: the connection (Definições › Moloni: status, connect, pick the company, disconnect),
//! issuing (a document now, the queue, retry, withdraw), cancelling, and Moloni's own PDF.

use super::run;
use crate::issuer::IssuerWake;
use crate::state::AppState;
use desk_model::ipc::call::{self, Reply};
use desk_model::ipc::{AppError, ErrorKind};
use desk_model::msg::Localized;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

/// The connection's state.
#[tauri::command]
pub async fn moloni_status(state: State<'_, AppState>, args: call::MoloniStatusGet) -> Reply<call::MoloniStatusGet> {
    run(&state, args).await
}

/// Tests and stores the credentials (secrets in the OS keyring); the queue is worked at once.
#[tauri::command]
pub async fn moloni_connect(
    state: State<'_, AppState>,
    wake: State<'_, IssuerWake>,
    args: call::MoloniConnect,
) -> Reply<call::MoloniConnect> {
    let status = run(&state, args).await?;
    wake.wake();
    Ok(status)
}

/// Chooses the Moloni company; the queue is worked at once.
#[tauri::command]
pub async fn moloni_pick_company(
    state: State<'_, AppState>,
    wake: State<'_, IssuerWake>,
    args: call::MoloniPickCompany,
) -> Reply<call::MoloniPickCompany> {
    let status = run(&state, args).await?;
    wake.wake();
    Ok(status)
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

/// The queue at a glance (the badge).
#[tauri::command]
pub async fn issue_queue_summary(
    state: State<'_, AppState>,
    args: call::IssueQueueSummaryGet,
) -> Reply<call::IssueQueueSummaryGet> {
    run(&state, args).await
}

/// Takes a request out of the queue.
#[tauri::command]
pub async fn issue_withdraw(state: State<'_, AppState>, args: call::IssueWithdraw) -> Reply<call::IssueWithdraw> {
    run(&state, args).await
}

/// Tries a request again now.
#[tauri::command]
pub async fn issue_retry(state: State<'_, AppState>, args: call::IssueRetry) -> Reply<call::IssueRetry> {
    run(&state, args).await
}

/// Cancels an issued document, with its reason.
#[tauri::command]
pub async fn document_cancel(state: State<'_, AppState>, args: call::DocumentCancel) -> Reply<call::DocumentCancel> {
    run(&state, args).await
}

/// Moloni's PDF of an issued document (downloaded once, then kept), opened in the system's PDF viewer.
#[tauri::command]
pub async fn moloni_pdf_open(
    app: AppHandle,
    state: State<'_, AppState>,
    args: call::MoloniPdfOpen,
) -> Reply<call::MoloniPdfOpen> {
    let saved = run(&state, args).await?;
    app.opener().open_path(&saved.path, None::<&str>).map_err(|e| {
        AppError::new(
            ErrorKind::Internal,
            Localized::new(
                format!("O PDF do Moloni está em {}, mas não há visualizador de PDF para o abrir ({e}). Instale um (ex.: Evince).", saved.path),
                format!("Moloni's PDF is at {}, but no PDF viewer could open it ({e}). Install one (e.g. Evince).", saved.path),
            ),
        )
    })?;
    Ok(saved)
}

/// The sync the window asked for: its progress while it runs (one at a time).
#[derive(Default)]
pub struct SyncJob {
    status: std::sync::Arc<std::sync::Mutex<desk_model::ipc::MoloniSyncStatus>>,
}

fn lock(
    s: &std::sync::Mutex<desk_model::ipc::MoloniSyncStatus>,
) -> std::sync::MutexGuard<'_, desk_model::ipc::MoloniSyncStatus> {
    // a poisoned lock only means a progress update panicked; the status is still readable
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Syncs with Moloni now (Sincronizar agora), keeping its progress for `moloni_sync_status`: the window awaits
/// the answer without waiting on it, and polls the progress meanwhile.
#[tauri::command]
pub async fn moloni_sync(
    state: State<'_, AppState>,
    job: State<'_, SyncJob>,
    args: call::MoloniSync,
) -> Reply<call::MoloniSync> {
    let ws = state.read().await?.clone();
    *lock(&job.status) = desk_model::ipc::MoloniSyncStatus { running: true, progress: None };
    let status = job.status.clone();
    let mut progress = move |p: desk_model::ipc::SyncProgress| lock(&status).progress = Some(p);
    let report = desk_core::moloni::sync::run(&ws, args.full, &desk_core::moloni::issuer::owner(), &mut progress).await;
    lock(&job.status).running = false;
    Ok(report?)
}

/// How far the sync the window asked for is.
#[tauri::command]
pub async fn moloni_sync_status(
    job: State<'_, SyncJob>,
    args: call::MoloniSyncStatusGet,
) -> Reply<call::MoloniSyncStatusGet> {
    let call::MoloniSyncStatusGet {} = args;
    Ok(lock(&job.status).clone())
}

/// Which kinds the sync covers and how often.
#[tauri::command]
pub async fn moloni_sync_settings(
    state: State<'_, AppState>,
    args: call::MoloniSyncSettingsGet,
) -> Reply<call::MoloniSyncSettingsGet> {
    run(&state, args).await
}

/// Changes which kinds the sync covers and how often.
#[tauri::command]
pub async fn moloni_sync_settings_set(
    state: State<'_, AppState>,
    args: call::MoloniSyncSettingsSet,
) -> Reply<call::MoloniSyncSettingsSet> {
    run(&state, args).await
}

/// The sync log.
#[tauri::command]
pub async fn moloni_sync_log(state: State<'_, AppState>, args: call::MoloniSyncLog) -> Reply<call::MoloniSyncLog> {
    run(&state, args).await
}

/// The payment methods the editor offers (the connected Moloni company's).
#[tauri::command]
pub async fn moloni_payment_methods(
    state: State<'_, AppState>,
    args: call::MoloniPaymentMethods,
) -> Reply<call::MoloniPaymentMethods> {
    run(&state, args).await
}
