//! Leaving without losing work. Editors register a flush (store what is on screen, then continue); forms with
//! unsaved changes register a guard, and navigation asks before leaving them. When the window is closed or the
//! app quits, the shell holds the close and sends `desk://close-requested`: every flush runs, then the page
//! tells the shell it may close (`window_close_ready`).

use crate::i18n::tr;
use crate::ipc;
use desk_model::msg::Lang;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Stores what is on screen, then calls the continuation (whether or not everything could be stored: what could
/// not is kept in the local journal).
pub type Flush = Rc<dyn Fn(Box<dyn FnOnce()>)>;

thread_local! {
    static FLUSHES: RefCell<Vec<(u64, Flush)>> = const { RefCell::new(Vec::new()) };
    static GUARDS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    static NEXT: Cell<u64> = const { Cell::new(0) };
}

fn next_id() -> u64 {
    NEXT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

/// Registers an editor's flush until the returned handle is dropped.
pub fn register_flush(flush: Flush) -> Registration {
    let id = next_id();
    FLUSHES.with(|f| f.borrow_mut().push((id, flush)));
    Registration(id)
}

/// Unregisters on drop.
pub struct Registration(u64);

impl Drop for Registration {
    fn drop(&mut self) {
        let id = self.0;
        FLUSHES.with(|f| f.borrow_mut().retain(|(i, _)| *i != id));
        GUARDS.with(|g| g.borrow_mut().retain(|i| *i != id));
    }
}

/// Runs every registered flush, then `done` once all have finished.
pub fn flush_all(done: Box<dyn FnOnce()>) {
    let flushes: Vec<Flush> = FLUSHES.with(|f| f.borrow().iter().map(|(_, x)| x.clone()).collect());
    if flushes.is_empty() {
        return done();
    }
    let left = Rc::new(Cell::new(flushes.len()));
    let done = Rc::new(RefCell::new(Some(done)));
    for flush in flushes {
        let (left, done) = (left.clone(), done.clone());
        flush(Box::new(move || {
            left.set(left.get() - 1);
            if left.get() == 0 {
                if let Some(d) = done.borrow_mut().take() {
                    d();
                }
            }
        }));
    }
}

/// While the component lives and `dirty` is true, leaving through the navigation asks first.
#[hook]
pub fn use_unsaved_guard(dirty: bool) {
    use_effect_with(dirty, |dirty| {
        let reg = dirty.then(|| {
            let id = next_id();
            GUARDS.with(|g| g.borrow_mut().push(id));
            Registration(id)
        });
        move || drop(reg)
    });
}

/// Shows the "leave without saving?" question and runs the continuation if the user agrees.
pub type Asker = Rc<dyn Fn(Box<dyn FnOnce()>)>;

thread_local! {
    static ASKER: RefCell<Option<Asker>> = const { RefCell::new(None) };
}

/// The shell shows the question (in the page, so it looks like the app and tests can answer it).
pub fn set_asker(asker: Option<Asker>) {
    ASKER.with(|a| *a.borrow_mut() = asker);
}

/// Runs `then` at once if nothing unsaved is on screen; otherwise only once the user agrees to leave it.
pub fn confirm_then(lang: Lang, then: impl FnOnce() + 'static) {
    if GUARDS.with(|g| g.borrow().is_empty()) {
        return then();
    }
    match ASKER.with(|a| a.borrow().clone()) {
        Some(ask) => ask(Box::new(then)),
        None => {
            let question = tr(
                lang,
                "Há alterações por guardar. Sair sem as guardar?",
                "There are unsaved changes. Leave without saving them?",
            );
            if web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(true) {
                then();
            }
        }
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], catch)]
    async fn listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;
}

/// Listens for the shell's close request for the life of the page: flush everything, then let the window close.
pub fn install_close_listener() {
    let handler = Closure::<dyn FnMut(JsValue)>::new(|_| {
        flush_all(Box::new(|| {
            wasm_bindgen_futures::spawn_local(async {
                // If this fails the shell closes the window after its grace period anyway.
                let _ = ipc::window_close_ready().await;
            });
        }));
    });
    wasm_bindgen_futures::spawn_local(async move {
        if listen("desk://close-requested", &handler).await.is_ok() {
            // The listener lives as long as the page.
            handler.forget();
        }
    });
}
