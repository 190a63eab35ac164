//! The editor's Emitir action: a confirmation that shows what will be issued and that it cannot be undone, the
//! call to Moloni (the draft saved first), and, once issued, the fiscal block (number, ATCUD, "Emitido via
//! Moloni").

use super::saver::Saver;
use super::state::{Action, IssueStep};
use crate::i18n::tr;
use crate::ipc;
use desk_model::ipc::{Document, IssueOutcome};
use desk_model::money::format_money;
use desk_model::msg::Lang;
use yew::prelude::*;

/// The Emitir button of a draft (or of a document still queued).
pub fn button(doc: &Document, lang: Lang, dispatch: &Callback<Action>, step: IssueStep) -> Html {
    use desk_model::document::DocState;
    if !matches!(doc.state, DocState::Draft | DocState::IssueRequested) {
        return html! {};
    }
    let ask = dispatch.reform(|_: MouseEvent| Action::Issue(IssueStep::Confirming));
    let sending = step == IssueStep::Sending;
    html! {
        <button type="button" class="primary" id="doc-issue" onclick={ask} disabled={sending}>
            { if sending { tr(lang, "A emitir…", "Issuing…") } else { tr(lang, "Emitir", "Issue") } }
        </button>
    }
}

/// The confirmation, while asked for.
pub fn confirmation(doc: &Document, lang: Lang, dispatch: &Callback<Action>, saver: &Saver) -> Html {
    let (id, dispatch_yes, saver) = (doc.id, dispatch.clone(), saver.clone());
    let yes = Callback::from(move |_: MouseEvent| {
        let dispatch = dispatch_yes.clone();
        dispatch.emit(Action::Issue(IssueStep::Sending));
        // what is on screen is stored first: the issued document is what the user sees
        saver.flush_then(move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let reload = |dispatch: Callback<Action>| async move {
                    if let Ok(d) = ipc::document_get(id).await {
                        dispatch.emit(Action::Loaded(d));
                    }
                };
                match ipc::document_issue(id).await {
                    Ok(IssueOutcome::Issued { document }) => {
                        let number = document.number.clone();
                        dispatch.emit(Action::Loaded(*document));
                        dispatch.emit(Action::Notice(format!(
                            "{} {number}",
                            tr(lang, "Emitido via Moloni:", "Issued via Moloni:")
                        )));
                    }
                    Ok(
                        IssueOutcome::Retry { message }
                        | IssueOutcome::NeedsAttention { message }
                        | IssueOutcome::Refused { message },
                    ) => {
                        reload(dispatch.clone()).await;
                        dispatch.emit(Action::IssueMessage(Some(message.get(lang).to_string())));
                    }
                    Ok(IssueOutcome::Busy) => dispatch.emit(Action::IssueMessage(Some(
                        tr(
                            lang,
                            "Este documento está a ser emitido noutro posto; aguarde.",
                            "This document is being issued elsewhere; wait.",
                        )
                        .into(),
                    ))),
                    Err(e) => dispatch.emit(Action::Error(Some(e))),
                }
                dispatch.emit(Action::Issue(IssueStep::Idle));
            });
        });
    });
    let no = dispatch.reform(|_: MouseEvent| Action::Issue(IssueStep::Idle));
    let who = if doc.customer_name.is_empty() {
        tr(lang, "consumidor final", "final consumer").to_string()
    } else {
        doc.customer_name.clone()
    };
    html! {
        <div class="overlay">
            <div class="dialog" id="issue-confirm" role="alertdialog" aria-labelledby="issue-confirm-title">
                <h2 id="issue-confirm-title">{ tr(lang, "Emitir através do Moloni?", "Issue through Moloni?") }</h2>
                <p id="issue-confirm-what">
                    { format!("{} · {} · {}", doc.doc_type.name_in(lang), who, format_money(doc.total, lang)) }
                </p>
                <p>{ tr(lang,
                    "O Moloni dá-lhe o número, o ATCUD e a assinatura e comunica-o à AT. Depois de emitido não pode ser alterado nem apagado: corrige-se com uma nota de crédito.",
                    "Moloni gives it its number, ATCUD and signature and reports it to the Tax Authority. Once issued it cannot be changed or deleted: it is corrected with a credit note.") }</p>
                <div class="actions">
                    <button type="button" class="primary" id="issue-confirm-yes" onclick={yes}>{ tr(lang, "Emitir", "Issue") }</button>
                    <button type="button" class="secondary" id="issue-confirm-no" onclick={no}>{ tr(lang, "Cancelar", "Cancel") }</button>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FiscalProps {
    /// The document (nothing is shown unless Moloni issued it).
    pub doc: Document,
    /// The document after a change made here (cancelled).
    pub on_changed: Callback<Document>,
}

/// What identifies an issued document as Moloni recorded it, with Moloni's own PDF and the cancellation (with
/// its reason, where the rules allow it: the engine asks desk-model before Moloni).
#[function_component(FiscalBlock)]
pub fn fiscal_block(p: &FiscalProps) -> Html {
    use desk_model::document::{cancel_advice, DocState};
    let lang = crate::i18n::use_lang();
    let read_only = crate::access::use_read_only();
    let cancelling = use_state(|| false);
    let reason = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<desk_model::ipc::AppError>);
    let Some(f) = &p.doc.fiscal else { return html! {} };
    let id = p.doc.id;
    let moloni_pdf = {
        let (busy, error) = (busy.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (busy, error) = (busy.clone(), error.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                error.set(ipc::moloni_pdf_open(id).await.err());
                busy.set(false);
            });
        })
    };
    let confirm_cancel = {
        let (busy, error, reason, cancelling, on_changed) =
            (busy.clone(), error.clone(), reason.clone(), cancelling.clone(), p.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let (busy, error, cancelling, on_changed, text) =
                (busy.clone(), error.clone(), cancelling.clone(), on_changed.clone(), (*reason).clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::document_cancel(id, &text).await {
                    Ok(doc) => {
                        cancelling.set(false);
                        error.set(None);
                        on_changed.emit(doc);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let cancelled = p.doc.state == DocState::Cancelled;
    let can_ask_cancel = !cancelled && p.doc.state.is_issued() && !read_only;
    html! {
        <div class={classes!("fiscal", cancelled.then_some("cancelled"))} id="doc-fiscal">
            if cancelled {
                <span class="badge badge-err" id="doc-cancelled">{ tr(lang, "Anulado", "Cancelled") }</span>
            } else {
                <span class="badge ok">{ tr(lang, "Emitido via Moloni", "Issued via Moloni") }</span>
            }
            <span>{ tr(lang, "N.º ", "No. ") }<strong id="doc-fiscal-number">{ f.number.clone() }</strong></span>
            <span>{ "ATCUD " }<strong id="doc-atcud">{ f.atcud.clone() }</strong></span>
            if let Some(r) = &p.doc.cancel_reason { <span id="doc-cancel-reason">{ tr(lang, "Motivo: ", "Reason: ") }{ r.clone() }</span> }
            <button type="button" class="secondary" id="doc-moloni-pdf" onclick={moloni_pdf} disabled={*busy}
                title={tr(lang, "O PDF que o Moloni emitiu, guardado neste computador para abrir sem ligação.", "The PDF Moloni issued, kept on this computer to open offline.")}>
                { tr(lang, "PDF do Moloni", "Moloni PDF") }</button>
            if can_ask_cancel {
                <button type="button" class="link" id="doc-cancel" onclick={let c = cancelling.clone(); Callback::from(move |_| c.set(true))}>
                    { tr(lang, "Anular…", "Cancel document…") }</button>
            }
            if let Some(e) = &*error { <crate::components::notice::ErrorBanner error={e.clone()} /> }
            if *cancelling {
                <div class="overlay" onkeydown={let c = cancelling.clone(); Callback::from(move |e: KeyboardEvent| {
                    // Esc closes this question, not the editor behind it
                    if e.key() == "Escape" {
                        e.stop_propagation();
                        c.set(false);
                    }
                })}>
                    <div class="dialog" id="cancel-confirm" role="alertdialog" aria-labelledby="cancel-confirm-title">
                        <h2 id="cancel-confirm-title">{ tr(lang, "Anular este documento no Moloni?", "Cancel this document in Moloni?") }</h2>
                        <p id="cancel-advice">{ cancel_advice().get(lang).to_string() }</p>
                        <label>{ tr(lang, "Motivo (obrigatório)", "Reason (required)") }
                            <input id="cancel-reason" maxlength="50" value={(*reason).clone()} autocomplete="off"
                                oninput={let r = reason.clone(); Callback::from(move |e: InputEvent| {
                                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                    r.set(input.value());
                                })} />
                        </label>
                        <div class="actions">
                            <button type="button" class="primary danger" id="cancel-confirm-yes" onclick={confirm_cancel}
                                disabled={*busy || reason.trim().is_empty()}>{ tr(lang, "Anular documento", "Cancel document") }</button>
                            <button type="button" class="secondary" id="cancel-confirm-no"
                                onclick={let c = cancelling.clone(); Callback::from(move |_| c.set(false))}>{ tr(lang, "Voltar", "Back") }</button>
                        </div>
                    </div>
                </div>
            }
        </div>
    }
}
