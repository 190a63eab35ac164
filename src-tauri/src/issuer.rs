//! The background work in the app: desk-core's issuer, Moloni sync, office sync and the reports' month summaries
//! started once the workspace is open, and the switch that
//! wakes it (a new Moloni connection, a request left queued) so queued documents go as soon as they can.

use crate::state::AppState;
use std::sync::Arc;
use tokio::sync::Notify;

/// Wakes the background issuer.
#[derive(Default, Clone)]
pub struct IssuerWake(Arc<Notify>);

impl IssuerWake {
    /// Asks for a pass now (or as soon as the current one ends).
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Starts the worker on the open workspace (nothing to do when it could not be opened).
pub fn start(state: &AppState, wake: &IssuerWake) {
    let Some(cx) = tauri::async_runtime::block_on(async { state.read().await.ok().map(|ws| ws.cx().clone()) }) else {
        return;
    };
    let notify = wake.0.clone();
    tauri::async_runtime::spawn(desk_core::moloni::sync::background(cx.clone(), desk_core::moloni::issuer::owner()));
    tauri::async_runtime::spawn(desk_core::sync::office::background(cx.clone()));
    tauri::async_runtime::spawn(desk_core::reports::background(cx.clone()));
    tauri::async_runtime::spawn(desk_core::moloni::worker::run(cx, desk_core::moloni::issuer::owner(), notify));
}
