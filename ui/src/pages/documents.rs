//! The documents list: filter by type, state and overdue, newest first, with keyset pages.

use crate::components::export::ExportButtons;
use crate::components::notice::ErrorBanner;
use crate::components::pdf_batch::PdfBatch;
use crate::hooks::use_latest;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{AppError, DocumentQuery, DocumentRow, Page};
use desk_model::money::format_money;
use desk_model::msg::Lang;
use desk_model::print::format_date;
use uuid::Uuid;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of [`DocumentsPage`].
#[derive(Properties, PartialEq)]
pub struct DocumentsProps {
    /// Open a document (None: a new draft).
    pub on_open: Callback<Option<Uuid>>,
}

/// The state badge of a document (drafts never look fiscal).
pub fn state_badge(lang: Lang, state: DocState) -> Html {
    let class = match state {
        DocState::Draft => "badge-muted",
        DocState::Paid => "badge-ok",
        DocState::Cancelled => "badge-err",
        DocState::Unpaid | DocState::PartiallyPaid => "badge-warn",
        _ => "badge-local",
    };
    html! { <span class={classes!("badge", class)}>{ state.name().get(lang).to_string() }</span> }
}

/// The documents list.
#[function_component(DocumentsPage)]
pub fn documents_page(p: &DocumentsProps) -> Html {
    let lang = use_lang();
    let read_only = crate::access::use_read_only();
    let doc_type = use_state(|| None::<DocType>);
    let overdue = use_state(|| false);
    let page = use_state(|| None::<Page<DocumentRow>>);
    let error = use_state(|| None::<AppError>);
    let exporting = use_state(|| false);
    let query = DocumentQuery {
        doc_types: doc_type.iter().copied().collect(),
        overdue: *overdue,
        limit: 100,
        ..Default::default()
    };
    // Answers in order: a slow answer to an older filter never replaces the newer one's.
    let latest = use_latest();
    {
        let (page, error, latest) = (page.clone(), error.clone(), latest.clone());
        let version = crate::app::use_data_version();
        use_effect_with((query.clone(), version), move |(query, _)| {
            let query = query.clone();
            let ticket = latest.begin();
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::documents_list(&query).await;
                if !ticket.is_current() {
                    return;
                }
                match result {
                    Ok(p) => page.set(Some(p)),
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let on_type = {
        let doc_type = doc_type.clone();
        Callback::from(move |e: Event| {
            doc_type.set(DocType::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()))
        })
    };
    let new_doc = {
        let on_open = p.on_open.clone();
        Callback::from(move |_| on_open.emit(None))
    };
    let rows = page.as_ref().map(|p| p.items.clone()).unwrap_or_default();
    html! {
        <section class="page documents">
            <div class="page-head">
                <h1>{ tr(lang, "Documentos", "Documents") }</h1>
                <div class="actions">
                    <ExportButtons what={desk_model::ipc::ExportWhat::Documents { query: query.clone() }} />
                    <button type="button" class="secondary" id="export-pdf" disabled={rows.is_empty()}
                        onclick={let x = exporting.clone(); Callback::from(move |_| x.set(true))}>{ tr(lang, "Exportar PDF…", "Export PDF…") }</button>
                    if !read_only {
                        <button type="button" class="primary" id="new-document" accesskey="n" onclick={new_doc}>{ tr(lang, "+ Novo documento", "+ New document") }</button>
                    }
                </div>
            </div>
            if *exporting {
                <PdfBatch query={query.clone()} count={page.as_ref().map(|p| p.total_text(lang)).unwrap_or_default()}
                    empty={rows.is_empty()}
                    on_close={let x = exporting.clone(); Callback::from(move |_| x.set(false))} />
            }
            <div class="toolbar">
                <select id="filter-type" onchange={on_type}>
                    <option value="" selected={doc_type.is_none()}>{ tr(lang, "Todos os tipos", "All types") }</option>
                    { for DocType::ALL.iter().map(|t| html! {
                        <option value={t.saft_code()} selected={*doc_type == Some(*t)}>{ format!("{} — {}", t.saft_code(), t.name_in(lang)) }</option>
                    }) }
                </select>
                <label class="check"><input type="checkbox" id="filter-overdue" checked={*overdue}
                    onchange={let o = overdue.clone(); Callback::from(move |_| o.set(!*o))} />{ tr(lang, " Só vencidos", " Overdue only") }</label>
                <span class="count">{ page.as_ref().map(|p| format!("{} {}", p.total_text(lang), tr(lang, "documentos", "documents"))).unwrap_or_default() }</span>
            </div>
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            <table class="list" id="document-list">
                <thead><tr>
                    <th>{ tr(lang, "Documento", "Document") }</th><th>{ tr(lang, "Data", "Date") }</th><th>{ tr(lang, "Cliente", "Customer") }</th>
                    <th>{ tr(lang, "Estado", "State") }</th><th class="num">{ tr(lang, "Total", "Total") }</th><th class="num">{ tr(lang, "Em dívida", "Open") }</th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|d| {
                    let open = { let on_open = p.on_open.clone(); let id = d.id; Callback::from(move |_| on_open.emit(Some(id))) };
                    html! {
                        <tr class={classes!("document-row", d.overdue.then_some("overdue"))} data-id={d.id.to_string()} onclick={open} tabindex="0">
                            <td>{ d.label(lang) }</td>
                            <td>{ format_date(d.date, Lang::Pt) }</td>
                            <td>{ &d.customer_name }</td>
                            <td>{ state_badge(lang, d.state) }</td>
                            <td class="num">{ format_money(d.total, lang) }</td>
                            <td class="num">{ format_money(d.open_balance, lang) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            if rows.is_empty() && page.is_some() {
                <p class="empty">{ tr(lang, "Sem documentos. Crie um rascunho com «+ Novo documento».", "No documents. Create a draft with «+ New document».") }</p>
            }
        </section>
    }
}
