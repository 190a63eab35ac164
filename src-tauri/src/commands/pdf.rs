//! PDF commands: preview, save as (system dialog), open in the system viewer, and a batch of the filtered list
//! that runs in the background while the app polls its progress and may cancel it. Rendering is desk-core's.

use super::run;
use crate::state::AppState;
use desk_core::pdf::BatchTarget;
use desk_core::printing;
use desk_model::ipc::call::{self, Reply};
use desk_model::ipc::{AppError, ErrorKind, PdfBatchStatus};
use desk_model::msg::Localized;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

/// The running (or last) batch: its progress and its cancel switch.
#[derive(Default)]
pub struct PdfJobs {
    status: Arc<Mutex<PdfBatchStatus>>,
    cancel: Arc<AtomicBool>,
    running: Arc<AtomicBool>,
}

fn lock(status: &Mutex<PdfBatchStatus>) -> std::sync::MutexGuard<'_, PdfBatchStatus> {
    // A poisoned lock only means a progress update panicked; the status itself is still readable.
    status.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn storage_error(pt: String, en: String) -> AppError {
    AppError::new(ErrorKind::Storage, Localized::new(pt, en))
}

/// The document as it will print.
#[tauri::command]
pub async fn pdf_preview(state: State<'_, AppState>, args: call::PdfPreviewGet) -> Reply<call::PdfPreviewGet> {
    run(&state, args).await
}

/// Asks where to save (system dialog, named after the document) and writes the PDF; `None` if the user cancels.
#[tauri::command]
pub async fn pdf_save_as(app: AppHandle, state: State<'_, AppState>, args: call::PdfSaveAs) -> Reply<call::PdfSaveAs> {
    let call::PdfSaveAs { id, lang } = args;
    let (view, rendered) = printing::render(&*state.read().await?, id, lang).await?;
    let mut dialog = app.dialog().file().add_filter("PDF", &["pdf"]).set_file_name(printing::file_name(&view));
    if let Some(dir) = dirs_documents() {
        dialog = dialog.set_directory(dir);
    }
    let Some(chosen) = dialog.blocking_save_file() else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|e| storage_error(format!("Caminho inválido ({e})."), format!("Invalid path ({e}).")))?;
    Ok(Some(printing::write(&rendered, &path)?))
}

/// Writes the PDF to a temporary folder and opens it in the system's PDF viewer (where it can also be printed).
#[tauri::command]
pub async fn pdf_open(app: AppHandle, state: State<'_, AppState>, args: call::PdfOpen) -> Reply<call::PdfOpen> {
    let call::PdfOpen { id, lang } = args;
    let (view, rendered) = printing::render(&*state.read().await?, id, lang).await?;
    let dir = std::env::temp_dir().join("desk-moloni");
    std::fs::create_dir_all(&dir).map_err(|e| {
        storage_error(
            format!("Não foi possível criar {} ({e}).", dir.display()),
            format!("Could not create {} ({e}).", dir.display()),
        )
    })?;
    let saved = printing::write(&rendered, &dir.join(printing::file_name(&view)))?;
    app.opener().open_path(&saved.path, None::<&str>).map_err(|e| {
        AppError::new(
            ErrorKind::Internal,
            Localized::new(
                format!("O PDF foi gravado em {}, mas não há visualizador de PDF para o abrir ({e}). Instale um (ex.: Evince).", saved.path),
                format!("The PDF was saved to {}, but no PDF viewer could open it ({e}). Install one (e.g. Evince).", saved.path),
            ),
        )
    })?;
    Ok(saved)
}

/// The user's documents folder (exports go there), or the home folder, or the temporary one.
pub(crate) fn documents_dir() -> PathBuf {
    dirs_documents().unwrap_or_else(std::env::temp_dir)
}

/// The user's documents folder, where save dialogs start.
fn dirs_documents() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from)?;
    [home.join("Documentos"), home.join("Documents")].into_iter().find(|d| d.is_dir()).or(Some(home))
}

/// Starts printing the filtered list in the background; refused while another batch runs.
#[tauri::command]
pub async fn pdf_batch_start(
    state: State<'_, AppState>,
    jobs: State<'_, PdfJobs>,
    args: call::PdfBatchStart,
) -> Reply<call::PdfBatchStart> {
    let call::PdfBatchStart { input } = args;
    let path = PathBuf::from(input.path.trim());
    if input.path.trim().is_empty() || !path.is_absolute() {
        return Err(AppError::validation(vec![desk_model::ipc::FieldError {
            field: "path".into(),
            message: Localized::new(
                "Escolha a pasta (ou o ficheiro) de destino, com o caminho completo.",
                "Choose the destination folder (or file), with its full path.",
            ),
        }]));
    }
    let ws = state.read().await?.clone();
    if jobs.running.swap(true, Ordering::SeqCst) {
        return Err(AppError::new(
            ErrorKind::Conflict,
            Localized::new(
                "Já está a imprimir um lote: espere que termine ou cancele-o.",
                "A batch is already printing: wait for it or cancel it.",
            ),
        ));
    }
    *lock(&jobs.status) = PdfBatchStatus::default();
    jobs.cancel.store(false, Ordering::SeqCst);
    let target = if input.merged { BatchTarget::Merged(path) } else { BatchTarget::Folder(path) };
    let (status, cancel, running) = (jobs.status.clone(), jobs.cancel.clone(), jobs.running.clone());
    tauri::async_runtime::spawn(async move {
        let progress_status = status.clone();
        let result = printing::batch(&ws, &input.query, input.lang, target, move |done, total| {
            let mut s = lock(&progress_status);
            (s.done, s.total) = (done, total);
            if cancel.load(Ordering::SeqCst) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .await;
        let mut s = lock(&status);
        match result {
            Ok(report) => {
                s.cancelled = report.cancelled;
                s.pages = report.pages;
                s.files = report.files.iter().map(|f| f.display().to_string()).collect();
                s.warnings = report.warnings.iter().map(|w| w.message()).collect();
            }
            Err(e) => s.error = Some(e.into()),
        }
        s.finished = true;
        running.store(false, Ordering::SeqCst);
    });
    Ok(lock(&jobs.status).clone())
}

/// How the batch is going.
#[tauri::command]
pub async fn pdf_batch_status(
    jobs: State<'_, PdfJobs>,
    args: call::PdfBatchStatusGet,
) -> Reply<call::PdfBatchStatusGet> {
    let call::PdfBatchStatusGet {} = args;
    Ok(lock(&jobs.status).clone())
}

/// Asks the running batch to stop after the document it is rendering.
#[tauri::command]
pub async fn pdf_batch_cancel(jobs: State<'_, PdfJobs>, args: call::PdfBatchCancel) -> Reply<call::PdfBatchCancel> {
    let call::PdfBatchCancel {} = args;
    jobs.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// A folder, chosen in the system dialog.
#[tauri::command]
pub async fn pick_folder(app: AppHandle, args: call::PickFolder) -> Reply<call::PickFolder> {
    let call::PickFolder {} = args;
    let mut dialog = app.dialog().file();
    if let Some(dir) = dirs_documents() {
        dialog = dialog.set_directory(dir);
    }
    Ok(dialog.blocking_pick_folder().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

/// A PNG or JPEG file, chosen in the system dialog.
#[tauri::command]
pub async fn pick_image(app: AppHandle, args: call::PickImage) -> Reply<call::PickImage> {
    let call::PickImage {} = args;
    let picked = app.dialog().file().add_filter("PNG / JPEG", &["png", "jpg", "jpeg"]).blocking_pick_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}
