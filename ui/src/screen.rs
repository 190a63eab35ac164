//! Keeping what a screen's form holds as it is typed (the import wizard, the report period): every change is
//! written in order, the newest last, and a screen that opens again waits for writes still on their way before it
//! reads, so leaving the screen right after typing loses nothing.

use crate::ipc;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Default)]
struct Saver {
    /// The newest state not yet sent, per screen.
    pending: HashMap<String, String>,
    /// A write is on its way.
    busy: bool,
}

thread_local! {
    static SAVER: RefCell<Saver> = RefCell::new(Saver::default());
}

/// Keeps `state` as the screen's form (the newest call wins).
pub fn save<T: Serialize>(screen: &str, state: &T) {
    let Ok(json) = serde_json::to_string(state) else { return };
    let start = SAVER.with(|s| {
        let mut s = s.borrow_mut();
        s.pending.insert(screen.to_string(), json);
        !std::mem::replace(&mut s.busy, true)
    });
    if start {
        wasm_bindgen_futures::spawn_local(async {
            loop {
                let next = SAVER.with(|s| {
                    let mut s = s.borrow_mut();
                    let key = s.pending.keys().next().cloned();
                    match key.and_then(|k| s.pending.remove_entry(&k)) {
                        Some(item) => Some(item),
                        None => {
                            s.busy = false;
                            None
                        }
                    }
                });
                let Some((screen, json)) = next else { break };
                // a failed write leaves the previous state; the screen still shows what was typed
                let _ = ipc::screen_state_put(&screen, json).await;
            }
        });
    }
}

/// The screen's form as last kept, once every write on its way has landed.
pub async fn load<T: DeserializeOwned>(screen: &str) -> Option<T> {
    for _ in 0..100 {
        if !SAVER.with(|s| s.borrow().busy) {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    let json = ipc::screen_state_get(screen).await.ok().flatten()?;
    serde_json::from_str(&json).ok()
}
