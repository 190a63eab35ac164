//! Data in and answers out (issue 17): the import's preview and profiles, its commit as a background job with
//! progress and cancel, the review list, reports, the dashboard's sales, screen forms kept as typed, and
//! exports written to the user's documents folder. The work is desk-core's.

use super::run;
use crate::state::AppState;
use desk_core::import;
use desk_model::ipc::call::{self, Reply};
use desk_model::ipc::{AppError, ErrorKind, ImportProgress, ImportStatus};
use desk_model::msg::Localized;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

/// The running (or last) import: its status and its cancel switch.
#[derive(Default)]
pub struct ImportJobs {
    status: Arc<Mutex<ImportStatus>>,
    cancel: Arc<AtomicBool>,
    running: Arc<AtomicBool>,
}

fn lock(status: &Mutex<ImportStatus>) -> std::sync::MutexGuard<'_, ImportStatus> {
    // A poisoned lock only means a progress update panicked; the status itself is still readable.
    status.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The dry run.
#[tauri::command]
pub async fn import_preview(state: State<'_, AppState>, args: call::ImportPreviewGet) -> Reply<call::ImportPreviewGet> {
    run(&state, args).await
}

/// Starts the commit in the background; refused while another import runs.
#[tauri::command]
pub async fn import_start(
    state: State<'_, AppState>,
    jobs: State<'_, ImportJobs>,
    args: call::ImportStart,
) -> Reply<call::ImportStart> {
    let ws = state.read().await?.clone();
    if jobs.running.swap(true, Ordering::SeqCst) {
        return Err(AppError::new(
            ErrorKind::Conflict,
            Localized::new(
                "Já está a decorrer uma importação: espere que termine ou cancele-a.",
                "An import is already running: wait for it or cancel it.",
            ),
        ));
    }
    *lock(&jobs.status) = ImportStatus::default();
    jobs.cancel.store(false, Ordering::SeqCst);
    let (status, cancel, running) = (jobs.status.clone(), jobs.cancel.clone(), jobs.running.clone());
    let request = args.request;
    tauri::async_runtime::spawn(async move {
        let progress_status = status.clone();
        let progress = move |p: ImportProgress| lock(&progress_status).progress = p;
        let result = import::commit(&ws, &request, &progress, &cancel).await;
        let mut s = lock(&status);
        match result {
            Ok(o) => s.outcome = Some(o),
            Err(e) => s.error = Some(e.to_app_error()),
        }
        s.finished = true;
        running.store(false, Ordering::SeqCst);
    });
    Ok(lock(&jobs.status).clone())
}

/// The running import's progress.
#[tauri::command]
pub async fn import_status(jobs: State<'_, ImportJobs>, args: call::ImportStatusGet) -> Reply<call::ImportStatusGet> {
    let call::ImportStatusGet {} = args;
    Ok(lock(&jobs.status).clone())
}

/// Cancels the running import (rolled back whole).
#[tauri::command]
pub async fn import_cancel(jobs: State<'_, ImportJobs>, args: call::ImportCancel) -> Reply<call::ImportCancel> {
    let call::ImportCancel {} = args;
    jobs.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The profiles for a kind.
#[tauri::command]
pub async fn import_profiles(
    state: State<'_, AppState>,
    args: call::ImportProfilesList,
) -> Reply<call::ImportProfilesList> {
    run(&state, args).await
}

/// Saves a mapping as a profile.
#[tauri::command]
pub async fn import_profile_save(
    state: State<'_, AppState>,
    args: call::ImportProfileSave,
) -> Reply<call::ImportProfileSave> {
    run(&state, args).await
}

/// A file to import, chosen in the system dialog.
#[tauri::command]
pub async fn pick_import_file(app: AppHandle, args: call::PickImportFile) -> Reply<call::PickImportFile> {
    let call::PickImportFile {} = args;
    let chosen = app
        .dialog()
        .file()
        .add_filter("CSV, Excel, SAF-T", &["csv", "txt", "xlsx", "xls", "ods", "xml"])
        .blocking_pick_file();
    Ok(chosen.and_then(|f| f.into_path().ok()).map(|p| p.display().to_string()))
}

/// Keeps a screen's form as typed.
#[tauri::command]
pub async fn screen_state_put(state: State<'_, AppState>, args: call::ScreenStatePut) -> Reply<call::ScreenStatePut> {
    run(&state, args).await
}

/// A screen's form as kept.
#[tauri::command]
pub async fn screen_state_get(state: State<'_, AppState>, args: call::ScreenStateGet) -> Reply<call::ScreenStateGet> {
    run(&state, args).await
}

/// The review list.
#[tauri::command]
pub async fn review_list(state: State<'_, AppState>, args: call::ReviewList) -> Reply<call::ReviewList> {
    run(&state, args).await
}

/// Settles a review item.
#[tauri::command]
pub async fn review_resolve(state: State<'_, AppState>, args: call::ReviewResolve) -> Reply<call::ReviewResolve> {
    run(&state, args).await
}

/// A report.
#[tauri::command]
pub async fn report_get(state: State<'_, AppState>, args: call::ReportGet) -> Reply<call::ReportGet> {
    run(&state, args).await
}

/// The dashboard's sales against last year's.
#[tauri::command]
pub async fn sales_overview(state: State<'_, AppState>, args: call::SalesOverviewGet) -> Reply<call::SalesOverviewGet> {
    run(&state, args).await
}

/// Writes a list or report into the user's documents folder (`desk-moloni` in it).
#[tauri::command]
pub async fn export_list(state: State<'_, AppState>, args: call::ExportList) -> Reply<call::ExportList> {
    let dir = super::pdf::documents_dir().join("desk-moloni");
    Ok(desk_core::export::to_folder(&*state.read().await?, &args.input, &dir).await?)
}
