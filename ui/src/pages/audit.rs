//! Auditoria (office mode): the server's audit trail — who changed which record when — filtered by user,
//! record kind and dates, with an entry's fields before and after side by side.

use crate::components::notice::ErrorBanner;
use crate::hooks::use_latest;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, AuditEntry, AuditQuery};
use desk_model::msg::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The record kinds a filter can pick, with their names.
const ENTITIES: [(&str, &str, &str); 8] = [
    ("customers", "Clientes", "Customers"),
    ("products", "Produtos", "Products"),
    ("documents", "Documentos", "Documents"),
    ("document_lines", "Linhas de documentos", "Document lines"),
    ("payments", "Pagamentos", "Payments"),
    ("companies", "Empresas", "Companies"),
    ("people", "Utilizadores", "Users"),
    ("memberships", "Acessos a empresas", "Company access"),
];

fn entity_label(entity: &str, lang: Lang) -> String {
    ENTITIES.iter().find(|e| e.0 == entity).map_or_else(|| entity.to_string(), |e| tr(lang, e.1, e.2).to_string())
}

fn action_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "INSERT" => tr(lang, "Criou", "Created"),
        "UPDATE" => tr(lang, "Alterou", "Changed"),
        _ => tr(lang, "Apagou", "Deleted"),
    }
}

/// A filter's value, or none when blank.
fn some(v: String) -> Option<String> {
    Some(v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The server's time as dd/mm/yyyy hh:mm:ss (UTC).
fn when(at: &str) -> String {
    let (date, time) = at.split_once('T').unwrap_or((at, ""));
    let mut d = date.split('-');
    let (y, m, day) = (d.next().unwrap_or(""), d.next().unwrap_or(""), d.next().unwrap_or(""));
    format!("{day}/{m}/{y} {}", time.get(..8).unwrap_or(time))
}

/// The audit page.
#[function_component(AuditPage)]
pub fn audit_page() -> Html {
    let lang = use_lang();
    let query = use_state(|| AuditQuery { limit: 200, ..Default::default() });
    let entries = use_state(Vec::<AuditEntry>::new);
    let error = use_state(|| None::<AppError>);
    let open = use_state(|| None::<i64>);
    let latest = use_latest();
    {
        let (entries, error, latest) = (entries.clone(), error.clone(), latest.clone());
        use_effect_with((*query).clone(), move |q| {
            let (q, ticket) = (q.clone(), latest.begin());
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::audit_list(&q).await;
                if !ticket.is_current() {
                    return;
                }
                match result {
                    Ok(list) => {
                        entries.set(list);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let set = |f: fn(&mut AuditQuery, String)| {
        let query = query.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            let mut q = (*query).clone();
            f(&mut q, value);
            query.set(q);
        })
    };
    let detail = open.and_then(|id| entries.iter().find(|e| e.id == id)).map(|e| {
        html! {
            <div class="audit-detail" id="audit-detail">
                <h2>{ format!("{} · {} · {}", action_label(&e.action, lang), entity_label(&e.entity, lang), e.row_id) }</h2>
                <p class="muted">{ format!("{} · {}", when(&e.at), e.user) }</p>
                <table class="list audit-fields" id="audit-fields">
                    <thead><tr><th>{ tr(lang, "Campo", "Field") }</th><th>{ tr(lang, "Antes", "Before") }</th><th>{ tr(lang, "Depois", "After") }</th></tr></thead>
                    <tbody>{ for e.fields.iter().map(|f| html! {
                        <tr class={classes!("audit-field", f.changed.then_some("changed"))} data-field={f.name.clone()}>
                            <td>{ f.name.clone() }</td>
                            <td class="before">{ f.before.clone().unwrap_or_else(|| "—".into()) }</td>
                            <td class="after">{ f.after.clone().unwrap_or_else(|| "—".into()) }</td>
                        </tr>
                    }) }</tbody>
                </table>
            </div>
        }
    });
    html! {
        <section class="page audit">
            <div class="page-head"><h1>{ tr(lang, "Auditoria", "Audit trail") }</h1></div>
            <div class="toolbar" id="audit-filters">
                <input id="audit-user" placeholder={tr(lang, "Utilizador", "User")} onchange={set(|q, v| q.user = some(v))} />
                <select id="audit-entity" onchange={set(|q, v| q.entity = some(v))} aria-label={tr(lang, "Registo", "Record")}>
                    <option value="">{ tr(lang, "Todos os registos", "All records") }</option>
                    { for ENTITIES.iter().map(|e| html! { <option value={e.0}>{ tr(lang, e.1, e.2) }</option> }) }
                </select>
                <label>{ tr(lang, "De", "From") }<input id="audit-from" type="date" onchange={set(|q, v| q.from = some(v))} /></label>
                <label>{ tr(lang, "Até", "To") }<input id="audit-to" type="date" onchange={set(|q, v| q.to = some(v))} /></label>
            </div>
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            <div class="audit-body">
                <table class="list" id="audit-list">
                    <thead><tr>
                        <th>{ tr(lang, "Quando", "When") }</th><th>{ tr(lang, "Utilizador", "User") }</th><th>{ tr(lang, "Ação", "Action") }</th>
                        <th>{ tr(lang, "Registo", "Record") }</th><th>{ tr(lang, "Alterações", "Changes") }</th>
                    </tr></thead>
                    <tbody>{ for entries.iter().map(|e| {
                        let id = e.id;
                        let onclick = { let open = open.clone(); Callback::from(move |_| open.set(Some(id))) };
                        let changed: Vec<&str> = e.fields.iter()
                            .filter(|f| f.changed && !matches!(f.name.as_str(), "rev" | "updated_at"))
                            .map(|f| f.name.as_str()).take(4).collect();
                        html! {
                            <tr class={classes!("audit-row", (*open == Some(id)).then_some("selected"))} data-user={e.user.clone()}
                                data-entity={e.entity.clone()} data-action={e.action.clone()} {onclick} tabindex="0">
                                <td>{ when(&e.at) }</td><td>{ e.user.clone() }</td><td>{ action_label(&e.action, lang) }</td>
                                <td>{ entity_label(&e.entity, lang) }</td>
                                <td class="muted">{ if e.action == "UPDATE" { changed.join(", ") } else { String::new() } }</td>
                            </tr>
                        }
                    }) }</tbody>
                </table>
                { detail.unwrap_or_default() }
            </div>
            if entries.is_empty() && error.is_none() { <p class="muted" id="audit-empty">{ tr(lang, "Nada registado com estes filtros.", "Nothing recorded with these filters.") }</p> }
        </section>
    }
}
