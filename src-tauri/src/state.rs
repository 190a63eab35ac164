//! What the shell keeps between commands: the open workspace, or why it could not be opened (shown in the UI).

use desk_core::Workspace;
use desk_model::ipc::AppError;
use std::path::PathBuf;
use tokio::sync::RwLock;

/// The app's managed state.
pub struct AppState {
    workspace: RwLock<Result<Workspace, AppError>>,
}

impl AppState {
    /// Opens the data folder; a failure is kept and returned by every command so the window can explain it.
    pub async fn open(dir: Option<PathBuf>) -> AppState {
        let ws = Workspace::open(dir).await.map_err(AppError::from);
        if let Err(e) = &ws {
            eprintln!("desk-moloni: {}", e.message.en);
        }
        AppState { workspace: RwLock::new(ws) }
    }

    /// The workspace for reading and ordinary edits.
    pub async fn read(&self) -> Result<tokio::sync::RwLockReadGuard<'_, Workspace>, AppError> {
        let guard = self.workspace.read().await;
        match &*guard {
            Ok(_) => Ok(tokio::sync::RwLockReadGuard::map(guard, |r| r.as_ref().expect("checked above"))),
            Err(e) => Err(e.clone()),
        }
    }

    /// The workspace for changes to its context (company, first run).
    pub async fn write(&self) -> Result<tokio::sync::RwLockMappedWriteGuard<'_, Workspace>, AppError> {
        let guard = self.workspace.write().await;
        match &*guard {
            Ok(_) => Ok(tokio::sync::RwLockWriteGuard::map(guard, |r| r.as_mut().expect("checked above"))),
            Err(e) => Err(e.clone()),
        }
    }
}
