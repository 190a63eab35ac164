//! Printing the current filtered list: to a folder (one PDF per document) or one merged PDF, with a progress
//! bar and cancel. The batch runs in the engine; this dialog polls its progress.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, DocumentQuery, PdfBatchInput, PdfBatchStatus};
use desk_model::msg::Lang;
use gloo_timers::callback::Interval;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`PdfBatch`].
#[derive(Properties, PartialEq)]
pub struct PdfBatchProps {
    /// The list's filter, as on screen.
    pub query: DocumentQuery,
    /// How many documents it selects, as the list shows it ("3.430", "mais de 10.000").
    pub count: AttrValue,
    /// The filter selects nothing.
    pub empty: bool,
    /// Close the dialog.
    pub on_close: Callback<()>,
}

fn summary(lang: Lang, s: &PdfBatchStatus, merged: bool, path: &str) -> String {
    match (lang, s.cancelled) {
        (Lang::Pt, true) => {
            format!("Cancelado: {} de {} documentos impressos.", s.done, s.total)
                + if merged { " O PDF único não foi gravado." } else { " Os ficheiros já gravados ficam na pasta." }
        }
        (Lang::En, true) => {
            format!("Cancelled: {} of {} documents printed.", s.done, s.total)
                + if merged { " The merged PDF was not written." } else { " Files already written stay in the folder." }
        }
        (Lang::Pt, false) => format!("{} documentos, {} páginas, em {path}.", s.done, s.pages),
        (Lang::En, false) => format!("{} documents, {} pages, in {path}.", s.done, s.pages),
    }
}

type Poll = std::rc::Rc<std::cell::RefCell<Option<Interval>>>;

/// Polls the running batch every 200 ms into `status` until it has finished.
fn follow(status: &UseStateHandle<Option<PdfBatchStatus>>, error: &UseStateHandle<Option<AppError>>, poll: &Poll) {
    let (status, error, handle) = (status.clone(), error.clone(), poll.clone());
    *poll.borrow_mut() = Some(Interval::new(200, move || {
        let (status, error, handle) = (status.clone(), error.clone(), handle.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match ipc::pdf_batch_status().await {
                Ok(s) => {
                    if s.finished {
                        // Dropping the interval stops the polling.
                        handle.borrow_mut().take();
                        if let Some(e) = &s.error {
                            error.set(Some(e.clone()));
                        }
                    }
                    status.set(Some(s));
                }
                Err(e) => {
                    handle.borrow_mut().take();
                    error.set(Some(e));
                }
            }
        });
    }));
}

/// The batch dialog.
#[function_component(PdfBatch)]
pub fn pdf_batch(p: &PdfBatchProps) -> Html {
    let lang = use_lang();
    let merged = use_state(|| false);
    let path = use_state(String::new);
    let status = use_state(|| None::<PdfBatchStatus>);
    let error = use_state(|| None::<AppError>);
    let poll = use_mut_ref(|| None::<Interval>);
    let running = status.as_ref().is_some_and(|s| !s.finished);
    {
        // Closing the dialog stops the polling (the batch itself goes on and can be seen by reopening it).
        let poll = poll.clone();
        use_effect_with((), move |_| move || drop(poll.borrow_mut().take()));
    }
    {
        // Reopened while a batch runs: show it and follow it instead of offering a second one.
        let (status, error, poll) = (status.clone(), error.clone(), poll.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = ipc::pdf_batch_status().await {
                    if !s.finished && (s.total > 0 || s.done > 0) {
                        status.set(Some(s));
                        follow(&status, &error, &poll);
                    }
                }
            });
        });
    }

    let choose = {
        let (path, merged, error) = (path.clone(), merged.clone(), error.clone());
        Callback::from(move |_| {
            let (path, merged, error) = (path.clone(), *merged, error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::pick_folder().await {
                    Ok(Some(dir)) if merged => path.set(format!(
                        "{}/{}",
                        dir.trim_end_matches('/'),
                        tr(lang, "documentos.pdf", "documents.pdf")
                    )),
                    Ok(Some(dir)) => path.set(dir),
                    Ok(None) => {}
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let start = {
        let (path, merged, status, error, poll, query) =
            (path.clone(), *merged, status.clone(), error.clone(), poll.clone(), p.query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = PdfBatchInput { query: query.clone(), merged, path: (*path).clone(), lang };
            let (status, error, poll) = (status.clone(), error.clone(), poll.clone());
            wasm_bindgen_futures::spawn_local(async move {
                error.set(None);
                match ipc::pdf_batch_start(&input).await {
                    Ok(s) => {
                        status.set(Some(s));
                        follow(&status, &error, &poll);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let cancel = {
        let error = error.clone();
        Callback::from(move |_| {
            let error = error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = ipc::pdf_batch_cancel().await {
                    error.set(Some(e));
                }
            });
        })
    };
    let close = {
        let on_close = p.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let set_merged = |value: bool| {
        let (merged, path) = (merged.clone(), path.clone());
        Callback::from(move |_| {
            merged.set(value);
            path.set(String::new());
        })
    };
    let on_path = {
        let path = path.clone();
        Callback::from(move |e: InputEvent| path.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let count_text = match lang {
        Lang::Pt => format!("{} documentos da lista filtrada, pela ordem da lista (até 10.000 de cada vez).", p.count),
        Lang::En => {
            format!("{} documents of the filtered list, in the list's order (up to 10,000 at a time).", p.count)
        }
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="batch-heading">
            <form class="dialog" id="pdf-batch" onsubmit={start}>
                <h2 id="batch-heading">{ tr(lang, "Exportar PDF", "Export PDF") }</h2>
                <p class="note">{ count_text }</p>
                <fieldset class="choice" disabled={running}>
                    <label class="check"><input type="radio" name="batch-kind" id="batch-folder" checked={!*merged} onchange={set_merged(false)} />
                        { tr(lang, " Um PDF por documento, numa pasta", " One PDF per document, in a folder") }</label>
                    <label class="check"><input type="radio" name="batch-kind" id="batch-merged" checked={*merged} onchange={set_merged(true)} />
                        { tr(lang, " Um único PDF com todos", " One PDF with all of them") }</label>
                </fieldset>
                <div class="row2">
                    <div class="field">
                        <label for="batch-path">{ if *merged { tr(lang, "Ficheiro", "File") } else { tr(lang, "Pasta", "Folder") } }</label>
                        <input id="batch-path" value={(*path).clone()} oninput={on_path} disabled={running}
                            placeholder={if *merged { "/home/…/documentos.pdf" } else { "/home/…/Faturas" }} />
                    </div>
                    <button type="button" class="secondary" id="batch-choose" onclick={choose} disabled={running}>{ tr(lang, "Escolher…", "Choose…") }</button>
                </div>
                if let Some(s) = &*status {
                    <progress id="batch-progress" max={s.total.max(1).to_string()} value={s.done.to_string()}></progress>
                    <div class="count" id="batch-count">{ if s.total == 0 && !s.finished {
                        tr(lang, "A ler a lista…", "Reading the list…").to_string()
                    } else { format!("{} / {}", s.done, s.total) } }</div>
                    if s.finished && s.error.is_none() {
                        <div class="banner banner-ok" id="batch-done" role="status">{ summary(lang, s, *merged, &path) }</div>
                        { for s.warnings.iter().map(|w| html! { <div class="banner banner-warn">{ w.get(lang).to_string() }</div> }) }
                    }
                }
                if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
                <div class="actions">
                    if running {
                        <button type="button" class="secondary" id="batch-cancel" onclick={cancel}>{ tr(lang, "Cancelar", "Cancel") }</button>
                    } else {
                        <button type="submit" class="primary" id="batch-start" disabled={p.empty}>{ tr(lang, "Exportar", "Export") }</button>
                        <button type="button" class="secondary" id="batch-close" onclick={close}>{ tr(lang, "Fechar", "Close") }</button>
                    }
                </div>
            </form>
        </div>
    }
}
