//! Sincronização do escritório (office sync centre): the last round, edits waiting, Sincronizar agora; the
//! conflict queue — each field both sides changed differently, base, mine and theirs side by side: keep mine,
//! keep theirs, or edit — and the edits the server refused, with its reason: send again or dismiss. Read again
//! every few seconds while on screen.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, ConflictChoice, OfficeConflict, OfficeSyncStatus};
use desk_model::msg::Lang;
use gloo_timers::callback::Interval;
use uuid::Uuid;
use yew::prelude::*;

/// How often the page reads the state again.
const REFRESH_MS: u32 = 2_000;

/// A table's name for people.
fn entity_words(lang: Lang, entity: &str) -> &'static str {
    match entity {
        "customers" => tr(lang, "Cliente", "Customer"),
        "products" => tr(lang, "Produto", "Product"),
        "documents" => tr(lang, "Documento", "Document"),
        "document_lines" => tr(lang, "Linha", "Line"),
        "payments" => tr(lang, "Pagamento", "Payment"),
        _ => tr(lang, "Registo", "Record"),
    }
}

/// A field's name for people.
fn field_words(lang: Lang, field: &str) -> String {
    let (pt, en) = match field {
        "name" => ("Nome", "Name"),
        "email" => ("E-mail", "E-mail"),
        "phone" => ("Telefone", "Phone"),
        "city" => ("Localidade", "Town"),
        "address" => ("Morada", "Address"),
        "postal_code" => ("Código postal", "Postcode"),
        "notes" => ("Observações", "Notes"),
        "price" => ("Preço", "Price"),
        "description" => ("Descrição", "Description"),
        "quantity" => ("Quantidade", "Quantity"),
        other => return other.to_string(),
    };
    tr(lang, pt, en).to_string()
}

/// "3 alterações por enviar · 1 conflito · 0 recusadas", singular where it is one.
fn counts(lang: Lang, pending: i64, conflicts: i64, refused: usize) -> String {
    let one = |n: i64, pt: (&str, &str), en: (&str, &str)| match lang {
        Lang::Pt => format!("{n} {}", if n == 1 { pt.0 } else { pt.1 }),
        Lang::En => format!("{n} {}", if n == 1 { en.0 } else { en.1 }),
    };
    [
        one(pending, ("alteração por enviar", "alterações por enviar"), ("change to send", "changes to send")),
        one(conflicts, ("conflito", "conflitos"), ("conflict", "conflicts")),
        one(refused as i64, ("recusada", "recusadas"), ("refused", "refused")),
    ]
    .join(" · ")
}

/// The sync centre.
#[function_component(OfficeSyncPage)]
pub fn office_sync_page() -> Html {
    let lang = use_lang();
    let status = use_state(|| None::<OfficeSyncStatus>);
    let conflicts = use_state(Vec::<OfficeConflict>::new);
    let error = use_state(|| None::<AppError>);
    let message = use_state(|| None::<String>);
    let editing = use_state(|| None::<(Uuid, String)>);
    let reload = {
        let (status, conflicts, error) = (status.clone(), conflicts.clone(), error.clone());
        Callback::from(move |_: ()| {
            let (status, conflicts, error) = (status.clone(), conflicts.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match (ipc::office_sync_status().await, ipc::office_conflicts().await) {
                    (Ok(s), Ok(c)) => {
                        status.set(Some(s));
                        conflicts.set(c);
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
    let sync_now = {
        let (reload, error, message) = (reload.clone(), error.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, error, message) = (reload.clone(), error.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::office_sync_now().await {
                    Ok(r) => {
                        error.set(None);
                        message.set(Some(match lang {
                            Lang::Pt => format!("Enviadas {} alterações, recebidas {}.", r.pushed, r.pulled),
                            Lang::En => format!("Sent {} changes, received {}.", r.pushed, r.pulled),
                        }));
                    }
                    Err(e) => error.set(Some(e)),
                }
                reload.emit(());
            });
        })
    };
    let decide = |id: Uuid, choice: ConflictChoice, value: Option<String>| {
        let (reload, error, editing) = (reload.clone(), error.clone(), editing.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, error, editing, value) = (reload.clone(), error.clone(), editing.clone(), value.clone());
            let value = value.or_else(|| editing.as_ref().filter(|(e, _)| *e == id).map(|(_, v)| v.clone()));
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::office_conflict_resolve(id, choice, value).await {
                    Ok(_) => {
                        editing.set(None);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
                reload.emit(());
            });
        })
    };
    let rejection_action = |id: i64, retry: bool| {
        let (reload, error) = (reload.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, error) = (reload.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r =
                    if retry { ipc::office_rejection_retry(id).await } else { ipc::office_rejection_dismiss(id).await };
                if let Err(e) = r {
                    error.set(Some(e));
                }
                reload.emit(());
            });
        })
    };

    let summary = match status.as_ref() {
        None => html! {},
        Some(s) => {
            let last = s.last_sync.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map_or_else(
                || tr(lang, "nunca", "never").to_string(),
                |t| crate::pages::queue::local_time(t.with_timezone(&chrono::Utc)),
            );
            html! {
                <div class="sync-summary">
                    <p id="sync-last">{ tr(lang, "Última sincronização: ", "Last sync: ") }{ last }
                        if s.running { <span class="muted">{ tr(lang, " (a sincronizar…)", " (syncing…)") }</span> }</p>
                    <p id="sync-pending">{ counts(lang, s.pending, s.conflicts, s.rejected.len()) }</p>
                    if let Some((done, of)) = s.pull_progress {
                        <p id="sync-progress-line">{ tr(lang, "A receber do escritório: ", "Receiving from the office: ") }
                            <progress id="sync-progress" max={of.to_string()} value={done.to_string()}></progress>
                            { format!(" {done} / {of}") }</p>
                    }
                    if let Some(p) = &s.problem { <p class="field-error" id="sync-problem">{ p.get(lang) }</p> }
                </div>
            }
        }
    };
    let conflict_rows = conflicts.iter().map(|c| {
        let id = c.id;
        let decided = c.choice.is_some();
        let editable = matches!(c.entity.as_str(), "customers" | "products");
        let is_editing = editing.as_ref().is_some_and(|(e, _)| *e == id);
        let on_edit = {
            let (editing, mine) = (editing.clone(), c.mine.clone());
            Callback::from(move |_: MouseEvent| editing.set(Some((id, mine.clone()))))
        };
        let on_input = {
            let editing = editing.clone();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                editing.set(Some((id, v)));
            })
        };
        html! {
            <tr class="conflict-row" data-id={id.to_string()} data-field={c.field.clone()}>
                <td>{ entity_words(lang, &c.entity) }{ " " }<strong class="conflict-label">{ c.label.clone() }</strong></td>
                <td class="conflict-field">{ field_words(lang, &c.field) }</td>
                <td class="conflict-base">{ if c.base.is_empty() { "—".to_string() } else { c.base.clone() } }</td>
                <td class="conflict-mine" title={c.by.clone()}>{ c.mine.clone() }</td>
                <td class="conflict-theirs">{ c.theirs.clone() }</td>
                <td class="actions">
                    if decided {
                        <span class="muted conflict-decided">{ tr(lang, "Decidido: enviado na próxima sincronização", "Decided: sent with the next sync") }</span>
                    } else if is_editing {
                        <input class="conflict-value" value={editing.as_ref().map(|(_, v)| v.clone()).unwrap_or_default()} oninput={on_input} />
                        <button type="button" class="primary conflict-save" onclick={decide(id, ConflictChoice::Edited, None)}>{ tr(lang, "Guardar", "Save") }</button>
                    } else {
                        if editable {
                            <button type="button" class="secondary conflict-keep-mine" onclick={decide(id, ConflictChoice::Mine, None)}>{ tr(lang, "Manter o meu", "Keep mine") }</button>
                        }
                        <button type="button" class="secondary conflict-keep-theirs" onclick={decide(id, ConflictChoice::Theirs, None)}>{ tr(lang, "Manter o do escritório", "Keep theirs") }</button>
                        if editable {
                            <button type="button" class="link conflict-edit" onclick={on_edit}>{ tr(lang, "Editar", "Edit") }</button>
                        }
                    }
                </td>
            </tr>
        }
    });
    let rejected = status.as_ref().map(|s| s.rejected.clone()).unwrap_or_default();
    let rejection_rows = rejected.iter().map(|r| {
        html! {
            <tr class="rejection-row" data-id={r.id.to_string()}>
                <td>{ entity_words(lang, &r.entity) }</td>
                <td class="rejection-reason">{ r.reason.clone() }</td>
                <td class="rejection-values"><code>{ r.values.clone() }</code></td>
                <td class="actions">
                    <button type="button" class="secondary rejection-retry" onclick={rejection_action(r.id, true)}>{ tr(lang, "Enviar de novo", "Send again") }</button>
                    <button type="button" class="link rejection-dismiss" onclick={rejection_action(r.id, false)}>{ tr(lang, "Dispensar", "Dismiss") }</button>
                </td>
            </tr>
        }
    });
    html! {
        <section class="page" id="office-sync">
            <div class="page-head">
                <h1>{ tr(lang, "Sincronização do escritório", "Office sync") }</h1>
                <button type="button" class="primary" id="sync-now" onclick={sync_now}>{ tr(lang, "Sincronizar agora", "Sync now") }</button>
            </div>
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            if let Some(m) = &*message { <p class="banner banner-ok" id="sync-message">{ m.clone() }</p> }
            { summary }
            <h2>{ tr(lang, "Conflitos", "Conflicts") }</h2>
            if conflicts.is_empty() {
                <p class="muted" id="conflicts-empty">{ tr(lang, "Nenhum conflito: tudo o que foi alterado nos dois lados ficou junto.", "No conflicts: everything changed on both sides merged.") }</p>
            } else {
                <table class="list" id="conflicts-list">
                    <thead><tr>
                        <th>{ tr(lang, "Registo", "Record") }</th><th>{ tr(lang, "Campo", "Field") }</th>
                        <th>{ tr(lang, "Antes", "Base") }</th><th>{ tr(lang, "O meu", "Mine") }</th>
                        <th>{ tr(lang, "No escritório", "Theirs") }</th><th></th>
                    </tr></thead>
                    <tbody>{ for conflict_rows }</tbody>
                </table>
            }
            if !rejected.is_empty() {
                <h2>{ tr(lang, "Alterações recusadas pelo servidor", "Changes the server refused") }</h2>
                <table class="list" id="rejections-list"><tbody>{ for rejection_rows }</tbody></table>
            }
        </section>
    }
}
