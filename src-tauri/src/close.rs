//! Closing the window or quitting never drops typing: the close is held, the page is told to store what is on
//! screen (`desk://close-requested`), and it answers with `window_close_ready`. If the page does not answer
//! within [`GRACE`] (it failed to load, or hangs), the window closes anyway.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tauri::{Emitter, Manager, Runtime, Window};

/// The event the page listens to.
pub const CLOSE_REQUESTED: &str = "desk://close-requested";

/// How long the page has to store its work before the window closes without it.
pub const GRACE: Duration = Duration::from_secs(5);

/// Whether the page has finished its work and the window may close.
#[derive(Default)]
pub struct CloseGate {
    released: AtomicBool,
    asked: AtomicBool,
}

impl CloseGate {
    /// A close or quit was requested: true if it must wait for the page (then the page has been asked).
    pub fn hold<R: Runtime>(&self, window: &Window<R>) -> bool {
        if self.released.load(Ordering::SeqCst) {
            return false;
        }
        if !self.asked.swap(true, Ordering::SeqCst) {
            if window.emit(CLOSE_REQUESTED, ()).is_err() {
                self.released.store(true, Ordering::SeqCst);
                return false;
            }
            let window = window.clone();
            std::thread::spawn(move || {
                std::thread::sleep(GRACE);
                if let Some(gate) = window.try_state::<CloseGate>() {
                    gate.release(&window);
                }
            });
        }
        true
    }

    /// The page is done (or out of time): close the window for good. If it cannot be closed (already gone),
    /// the app ends, so a held quit never leaves it running without a window.
    pub fn release<R: Runtime>(&self, window: &Window<R>) {
        if !self.released.swap(true, Ordering::SeqCst) {
            if let Err(e) = window.destroy() {
                eprintln!("desk-moloni: cannot close the window ({e}); quitting");
                window.app_handle().exit(0);
            }
        }
    }
}
