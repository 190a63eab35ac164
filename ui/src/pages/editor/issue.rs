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

/// What identifies an issued document, as Moloni recorded it.
pub fn fiscal_block(doc: &Document, lang: Lang) -> Html {
    let Some(f) = &doc.fiscal else { return html! {} };
    html! {
        <div class="fiscal" id="doc-fiscal">
            <span class="badge ok">{ tr(lang, "Emitido via Moloni", "Issued via Moloni") }</span>
            <span>{ tr(lang, "N.º ", "No. ") }<strong id="doc-fiscal-number">{ f.number.clone() }</strong></span>
            <span>{ "ATCUD " }<strong id="doc-atcud">{ f.atcud.clone() }</strong></span>
        </div>
    }
}
