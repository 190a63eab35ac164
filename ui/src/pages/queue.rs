//! Fila de emissão (the issue queue): each request's document, state, attempts and last error in words that say
//! what to do; try again, or withdraw while it is not yet issued; the background issuer's last pass. Refreshed
//! every few seconds while on screen.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, IssueOutcome, IssueQueueSummary, IssueRequestInfo};
use desk_model::money::format_money;
use desk_model::msg::Lang;
use gloo_timers::callback::Interval;
use uuid::Uuid;
use yew::prelude::*;

/// How often the page reads the queue again.
const REFRESH_MS: u32 = 3_000;

/// A request's state in words.
fn state_words(lang: Lang, state: &str) -> &'static str {
    match state {
        "pending" => tr(lang, "Na fila", "Queued"),
        "drafted" => tr(lang, "Rascunho no Moloni", "Draft in Moloni"),
        "needs_attention" => tr(lang, "Parado para revisão", "Stopped for review"),
        "done" => tr(lang, "Emitido", "Issued"),
        "withdrawn" => tr(lang, "Retirado", "Withdrawn"),
        _ => tr(lang, "Desconhecido", "Unknown"),
    }
}

/// A UTC instant as people here read it: 30/11/2026 14:05, in the computer's time zone.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Props of [`QueuePage`].
#[derive(Properties, PartialEq)]
pub struct QueueProps {
    /// Opens a document in the editor.
    pub on_open: Callback<Option<Uuid>>,
}

/// The queue page.
#[function_component(QueuePage)]
pub fn queue_page(p: &QueueProps) -> Html {
    let lang = use_lang();
    let list = use_state(|| None::<Vec<IssueRequestInfo>>);
    let summary = use_state(|| None::<IssueQueueSummary>);
    let error = use_state(|| None::<AppError>);
    let message = use_state(|| None::<String>);
    let busy = use_state(|| None::<Uuid>);
    let reload = {
        let (list, summary, error) = (list.clone(), summary.clone(), error.clone());
        Callback::from(move |_: ()| {
            let (list, summary, error) = (list.clone(), summary.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match (ipc::issue_queue().await, ipc::issue_queue_summary().await) {
                    (Ok(l), Ok(s)) => {
                        list.set(Some(l));
                        summary.set(Some(s));
                    }
                    (Err(e), _) | (_, Err(e)) => error.set(Some(e)),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| {
            reload.emit(());
            let timer = Interval::new(REFRESH_MS, move || reload.emit(()));
            move || drop(timer)
        });
    }
    let act = |retry: bool, id: Uuid| {
        let (busy, message, error, reload) = (busy.clone(), message.clone(), error.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (busy, message, error, reload) = (busy.clone(), message.clone(), error.clone(), reload.clone());
            busy.set(Some(id));
            wasm_bindgen_futures::spawn_local(async move {
                let said = if retry {
                    match ipc::issue_retry(id).await {
                        Ok(IssueOutcome::Issued { document }) => {
                            Ok(format!("{} {}", tr(lang, "Emitido via Moloni:", "Issued via Moloni:"), document.number))
                        }
                        Ok(
                            IssueOutcome::Retry { message }
                            | IssueOutcome::NeedsAttention { message }
                            | IssueOutcome::Refused { message },
                        ) => Ok(message.get(lang).to_string()),
                        Ok(IssueOutcome::Busy) => Ok(tr(
                            lang,
                            "Este documento está a ser emitido neste momento; aguarde.",
                            "This document is being issued right now; wait.",
                        )
                        .to_string()),
                        Err(e) => Err(e),
                    }
                } else {
                    ipc::issue_withdraw(id)
                        .await
                        .map(|d| format!("{} {}", d.label(lang), tr(lang, "voltou a rascunho.", "is a draft again.")))
                };
                match said {
                    Ok(m) => {
                        error.set(None);
                        message.set(Some(m));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(None);
                reload.emit(());
            });
        })
    };
    let pass_line = summary.as_ref().and_then(|s| s.last_pass.clone()).map(|p| {
        let counts = match lang {
            Lang::Pt => format!("{} emitido(s), {} por repetir, {} parado(s)", p.issued, p.retried, p.stopped),
            Lang::En => format!("{} issued, {} to retry, {} stopped", p.issued, p.retried, p.stopped),
        };
        let next = match lang {
            Lang::Pt => format!("próxima tentativa dentro de {} s", p.next_in_secs),
            Lang::En => format!("next attempt within {} s", p.next_in_secs),
        };
        html! {
            <p class="note" id="queue-last-pass">
                { tr(lang, "Última passagem: ", "Last pass: ") }{ local_time(p.at) }{ " · " }{ counts }{ " · " }{ next }
                if let Some(e) = &p.error { <br /><span class="warn">{ e.get(lang).to_string() }</span> }
            </p>
        }
    });
    let rows = list.as_ref().map(|l| {
        l.iter()
            .map(|r| {
                let id = r.document_id;
                let open = p.on_open.reform(move |_: MouseEvent| Some(id));
                let waiting = r.is_waiting();
                let sending = *busy == Some(id);
                html! {
                    <tr class={classes!("queue-row", format!("queue-{}", r.state))} data-document={id.to_string()} data-state={r.state.clone()}>
                        <td><a href="#" class="queue-open" onclick={open}>{ r.number.clone() }</a></td>
                        <td>{ r.customer_name.clone() }</td>
                        <td class="num">{ format_money(r.total, lang) }</td>
                        <td class="queue-state">{ state_words(lang, &r.state) }</td>
                        <td class="num queue-attempts">{ r.attempts }</td>
                        <td class="queue-error">{ r.last_message.as_ref().map(|m| m.get(lang).to_string()).unwrap_or_default() }</td>
                        <td class="row-actions">
                            if waiting {
                                <button type="button" class="secondary queue-retry" onclick={act(true, id)} disabled={sending}>
                                    { if sending { tr(lang, "A emitir…", "Issuing…") } else { tr(lang, "Tentar agora", "Try now") } }</button>
                                <button type="button" class="link queue-withdraw" onclick={act(false, id)} disabled={sending}>
                                    { tr(lang, "Retirar da fila", "Withdraw") }</button>
                            }
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <section class="page queue">
            <div class="page-head"><h1>{ tr(lang, "Fila de emissão", "Issue queue") }</h1></div>
            <p class="note">{ tr(lang,
                "Os documentos pedidos para emissão seguem para o Moloni logo que haja ligação; os que ficaram sem ligação são enviados automaticamente quando ela voltar.",
                "Documents asked to be issued go to Moloni as soon as it can be reached; those queued offline are sent automatically when the connection returns.") }</p>
            { pass_line.unwrap_or_default() }
            if let Some(m) = &*message { <div class="banner banner-ok" id="queue-message" role="status">{ m.clone() }</div> }
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            { match rows {
                None => html! { <p class="loading">{ tr(lang, "A carregar…", "Loading…") }</p> },
                Some(_) if list.as_ref().is_some_and(|l| l.is_empty()) => html! {
                    <p class="empty" id="queue-empty">{ tr(lang, "Nada na fila: todos os pedidos de emissão foram tratados.", "Nothing queued: every issue request has been dealt with.") }</p>
                },
                Some(rows) => html! {
                    <table class="list" id="queue-list">
                        <thead><tr>
                            <th>{ tr(lang, "Documento", "Document") }</th>
                            <th>{ tr(lang, "Cliente", "Customer") }</th>
                            <th class="num">{ tr(lang, "Total", "Total") }</th>
                            <th>{ tr(lang, "Estado", "State") }</th>
                            <th class="num">{ tr(lang, "Tentativas", "Attempts") }</th>
                            <th>{ tr(lang, "Último erro", "Last error") }</th>
                            <th></th>
                        </tr></thead>
                        <tbody>{ rows }</tbody>
                    </table>
                },
            } }
        </section>
    }
}
