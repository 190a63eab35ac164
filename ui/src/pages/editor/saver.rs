//! The editor's saver: stores exactly what is on screen, one save at a time. Every edit is journalled at once
//! (the engine commits it durably, so even a form that is not a valid draft survives a crash); after a pause in
//! typing, at the latest a few seconds into continuous typing, and at once when the editor closes, the newest
//! form is saved as the draft. Edits made while a save runs are saved right after it, with the id it returned,
//! so a new draft is created once however fast the user types.
//!
//! The saver holds the newest form it was given, never a component's state handle: timers and late answers read
//! the saver, not a render's copy of the state.

use crate::ipc;
use desk_model::ipc::{AppError, Document, DocumentInput};
use desk_model::unsaved::{missing_to_store, UnsavedForm};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use uuid::Uuid;
use yew::Callback;

/// Quiet time after the last keystroke before saving.
pub const PAUSE_MS: u32 = 800;
/// Longest time typing may go on without a save.
pub const MAX_WAIT_MS: u32 = 3000;

/// What the saver tells the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum SaverEvent {
    /// A save of edit `rev` started.
    Saving(u64),
    /// Edit `rev` is stored as `doc`.
    Stored(u64, Box<Document>),
    /// Saving edit `rev` failed; the form stays journalled.
    Failed(u64, AppError),
    /// Edit `rev` is not a valid draft yet: journalled only.
    Incomplete(u64),
}

enum JournalOp {
    Put(Box<UnsavedForm>),
    Clear,
}

struct Inner {
    key: Uuid,
    id: Option<Uuid>,
    latest: Option<(u64, DocumentInput, String)>,
    stored_rev: u64,
    in_flight: bool,
    journal_busy: bool,
    journal_next: Option<JournalOp>,
    pause: Option<Timeout>,
    max_wait: Option<Timeout>,
    /// When the current burst of typing began (ms since the epoch): a burst longer than the maximum wait saves
    /// from the keystroke itself, so a busy or throttled page whose timers fire late still saves while typing.
    burst_started: Option<f64>,
    waiters: Vec<Box<dyn FnOnce(bool)>>,
    discarded: bool,
    report: Callback<SaverEvent>,
    journal_changed: Callback<()>,
}

/// The editor's saver (cheap to clone: one shared queue).
#[derive(Clone)]
pub struct Saver(Rc<RefCell<Inner>>);

impl PartialEq for Saver {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Saver {
    /// A saver for the editor journalled under `key`, editing the stored draft `id` (None: a new draft).
    pub fn new(key: Uuid, id: Option<Uuid>, report: Callback<SaverEvent>, journal_changed: Callback<()>) -> Saver {
        Saver(Rc::new(RefCell::new(Inner {
            key,
            id,
            latest: None,
            stored_rev: 0,
            in_flight: false,
            journal_busy: false,
            journal_next: None,
            pause: None,
            max_wait: None,
            burst_started: None,
            waiters: Vec::new(),
            discarded: false,
            report,
            journal_changed,
        })))
    }

    /// Continue a journalled form: its row is the one written from now on.
    pub fn adopt_key(&self, key: Uuid) {
        self.0.borrow_mut().key = key;
    }

    /// The stored draft this editor saves to, once there is one.
    pub fn set_document(&self, id: Option<Uuid>) {
        self.0.borrow_mut().id = id;
    }

    /// The form as it is on screen after edit `rev`: journal it now, save it after a pause.
    pub fn edit(&self, rev: u64, input: DocumentInput, customer_text: String) {
        let overdue = {
            let mut s = self.0.borrow_mut();
            if s.discarded {
                return;
            }
            let form = UnsavedForm {
                key: s.key,
                document_id: s.id,
                customer_text: customer_text.clone(),
                input: input.clone(),
                updated_at: None,
            };
            s.latest = Some((rev, input, customer_text));
            s.journal_next = Some(JournalOp::Put(Box::new(form)));
            let me = self.clone();
            s.pause = Some(Timeout::new(PAUSE_MS, move || me.flush()));
            if s.max_wait.is_none() {
                let me = self.clone();
                s.max_wait = Some(Timeout::new(MAX_WAIT_MS, move || me.flush()));
            }
            let now = js_sys::Date::now();
            let started = *s.burst_started.get_or_insert(now);
            now - started >= f64::from(MAX_WAIT_MS)
        };
        self.pump_journal();
        if overdue {
            self.flush();
        }
    }

    /// Saves the newest form now (if it is a valid draft and not stored yet).
    pub fn flush(&self) {
        let (start, report) = {
            let mut s = self.0.borrow_mut();
            s.pause = None;
            s.max_wait = None;
            s.burst_started = None;
            let start = match &s.latest {
                Some((rev, input, _)) if *rev > s.stored_rev && !s.in_flight && !s.discarded => {
                    if missing_to_store(input).is_empty() {
                        Ok((*rev, input.clone(), s.id))
                    } else {
                        Err(Some(*rev))
                    }
                }
                _ => Err(None),
            };
            if start.is_ok() {
                s.in_flight = true;
            }
            (start, s.report.clone())
        };
        // Events go out with no borrow held: the editor may re-render (and call back) at once.
        match start {
            Ok((rev, input, id)) => {
                report.emit(SaverEvent::Saving(rev));
                let me = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = ipc::document_save(id, &input).await;
                    me.saved(rev, result);
                });
            }
            Err(Some(rev)) => report.emit(SaverEvent::Incomplete(rev)),
            Err(None) => {}
        }
        self.check_idle();
    }

    /// Saves now, then calls `then` with whether everything on screen is stored (what is not stays journalled).
    pub fn flush_then(&self, then: impl FnOnce(bool) + 'static) {
        self.0.borrow_mut().waiters.push(Box::new(then));
        self.flush();
    }

    /// Tells the shell the journal changed (after a row was cleared elsewhere).
    pub fn journal_changed(&self) {
        let changed = self.0.borrow().journal_changed.clone();
        changed.emit(());
    }

    /// The user threw the form away (or deleted the draft): no more saves, and the journal row goes.
    pub fn discard(&self) {
        {
            let mut s = self.0.borrow_mut();
            s.discarded = true;
            s.pause = None;
            s.max_wait = None;
            s.latest = None;
            s.journal_next = Some(JournalOp::Clear);
        }
        self.pump_journal();
    }

    fn saved(&self, rev: u64, result: Result<Document, AppError>) {
        let (retry, report) = {
            let mut s = self.0.borrow_mut();
            s.in_flight = false;
            let newest = s.latest.as_ref().map(|l| l.0).unwrap_or(0);
            if let Ok(doc) = &result {
                s.id = Some(doc.id);
                s.stored_rev = s.stored_rev.max(rev);
                if newest <= rev && !s.discarded {
                    // What is stored is what is on screen: the journal row has done its job.
                    s.journal_next = Some(JournalOp::Clear);
                }
            }
            // Edits made while this save ran are saved right after it.
            (newest > rev, s.report.clone())
        };
        report.emit(match result {
            Ok(doc) => SaverEvent::Stored(rev, Box::new(doc)),
            Err(e) => SaverEvent::Failed(rev, e),
        });
        self.pump_journal();
        if retry {
            self.flush();
        } else {
            self.check_idle();
        }
    }

    fn pump_journal(&self) {
        let op = {
            let mut s = self.0.borrow_mut();
            if s.journal_busy {
                return;
            }
            match s.journal_next.take() {
                Some(op) => {
                    s.journal_busy = true;
                    (op, s.key)
                }
                None => return,
            }
        };
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // A failed journal write is not shown: the save itself reports storage trouble, and the next edit
            // writes the journal again.
            let _ = match op {
                (JournalOp::Put(form), _) => ipc::unsaved_form_put(&form).await,
                (JournalOp::Clear, key) => ipc::unsaved_form_clear(key).await,
            };
            let changed = {
                let mut s = me.0.borrow_mut();
                s.journal_busy = false;
                s.journal_changed.clone()
            };
            changed.emit(());
            me.pump_journal();
            me.check_idle();
        });
    }

    /// Runs the waiting continuations once nothing is being saved or journalled.
    fn check_idle(&self) {
        let (waiters, all_stored) = {
            let mut s = self.0.borrow_mut();
            if s.in_flight || s.journal_busy || s.journal_next.is_some() || s.waiters.is_empty() {
                return;
            }
            let all_stored = s.discarded || s.latest.as_ref().is_none_or(|l| l.0 <= s.stored_rev);
            (std::mem::take(&mut s.waiters), all_stored)
        };
        for w in waiters {
            w(all_stored);
        }
    }
}
