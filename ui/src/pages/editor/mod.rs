//! The document editor, keyboard-first: customer picker, lines with product autocomplete, live totals and VAT
//! summary computed by `desk-model` as the user types; payments and conversions once issued. It never loses
//! typing: every change is journalled at once, saved after a pause, and flushed on every way out (`saver.rs`);
//! its state is one reducer (`state.rs`); each line is a component (`line.rs`).

mod issue;
mod line;
pub mod saver;
pub mod state;

use crate::components::notice::ErrorBanner;
use crate::components::print_preview::PrintPreview;
use crate::components::tax::today;
use crate::hooks::use_latest;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use crate::leave;
use crate::pages::documents::state_badge;
use chrono::NaiveDate;
use desk_model::document::{
    compute_with, due_or_default, term_warning, DocRef, DocState, DocType, DraftDocument, PaymentTerms, RoundingMethod,
    Totals,
};
use desk_model::form::parse_date;
use desk_model::ipc::{Customer, CustomerQuery, Document, DocumentInput, ErrorKind, PaymentInput};
use desk_model::money::{format_money, format_percent};
use desk_model::msg::Lang;
use desk_model::unsaved::{missing_to_store, UnsavedForm};
use line::LineRow;
use saver::Saver;
use state::{now_hm, Action, EditorState, HeaderField, IssueStep, Leave, PaymentField, SaveStatus};
use std::rc::Rc;
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Told whenever an editor's journal row changes, so the shell can refresh its recovery offer.
#[derive(Clone, PartialEq, Default)]
pub struct UnsavedChanged(pub Callback<()>);

/// Props of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The document to open, or None for a new draft.
    pub id: Option<Uuid>,
    /// A journalled form to continue (its document, if it has one, is opened under it).
    #[prop_or_default]
    pub recover: Option<UnsavedForm>,
    /// The company's VAT rounding, so the live totals are the ones the engine will store.
    #[prop_or_default]
    pub rounding: RoundingMethod,
    /// Back to the list.
    pub on_close: Callback<()>,
    /// Open another document (after a conversion or a duplicate).
    pub on_open: Callback<Option<Uuid>>,
}

/// What the totals panel shows: the totals, or the first reason they cannot be computed yet. `source` is the
/// issued document this one comes from or corrects, as the engine adds it on save (a credit note is charged at its
/// invoice's rates).
fn live_totals(
    input: &DocumentInput,
    source: Option<&DocRef>,
    rounding: RoundingMethod,
    lang: Lang,
) -> Result<Totals, String> {
    let mut draft = input
        .to_draft()
        .map_err(|errors| errors.first().map(|e| e.message.get(lang).to_string()).unwrap_or_default())?;
    draft.references = source.into_iter().cloned().collect();
    compute_with(&draft, rounding).map_err(|e| e.message().get(lang).to_string())
}

/// A warning about the due date, never a refusal: beyond 60 days towards a business (DL 62/2013), counted on the due
/// date the engine will store (typed, else by the form's or the customer's terms).
fn due_warning(input: &DocumentInput, customer: Option<&Customer>, lang: Lang) -> Option<String> {
    let customer = customer?;
    // Only the dates and the type count: the warning shows before any line is typed.
    let mut draft = DraftDocument::new(input.doc_type, parse_date(&input.date).ok().flatten()?);
    draft.due_date = parse_date(&input.due_date).ok().flatten();
    let terms = input.payment_terms.or(customer.payment_terms_days.map(PaymentTerms::Days));
    draft.due_date = due_or_default(&draft, terms).ok()?;
    term_warning(&draft, &customer.party()).map(|p| p.message().get(lang).to_string())
}

/// The day whose VAT rates label the lines' selects: desk-model's tax date of the form (its date, or today while
/// the date is unreadable; a credit note's invoice date).
fn tax_date(input: &DocumentInput, source: Option<&DocRef>) -> NaiveDate {
    let mut draft = DraftDocument::new(input.doc_type, parse_date(&input.date).ok().flatten().unwrap_or_else(today));
    draft.references = source.into_iter().cloned().collect();
    draft.tax_date()
}

/// The status line: what is stored, what is being stored, or why not and what to do.
/// Why a document cannot be edited, and what to do instead.
fn locked_note(doc: &Document, lang: Lang) -> &'static str {
    use desk_model::document::DocState;
    match (doc.state, doc.doc_type) {
        (DocState::Cancelled, _) => tr(
            lang,
            "Documento anulado: fica guardado tal como foi emitido.",
            "Cancelled document: it is kept as it was issued.",
        ),
        (DocState::IssueRequested | DocState::Issuing, _) => tr(
            lang,
            "Na fila para emissão: retire-o da fila (Fila de emissão) para o voltar a editar.",
            "Queued for issue: withdraw it from the queue (Issue queue) to edit it again.",
        ),
        (_, DocType::Nc) => {
            tr(lang, "Nota de crédito emitida: não pode ser alterada.", "Issued credit note: it cannot be changed.")
        }
        (_, DocType::Rg) => tr(lang, "Recibo emitido: não pode ser alterado.", "Issued receipt: it cannot be changed."),
        _ => tr(
            lang,
            "Documento emitido: não pode ser alterado. Corrija-o com uma nota de crédito.",
            "Issued document: it cannot be changed. Correct it with a credit note.",
        ),
    }
}

fn status_line(st: &EditorState, lang: Lang) -> Html {
    let kept = tr(lang, "O que escreveu fica guardado neste computador.", "What you typed is kept on this computer.");
    let (class, text) = match &st.status {
        SaveStatus::Idle if st.doc.is_some() => {
            ("status-ok", tr(lang, "Rascunho guardado.", "Draft saved.").to_string())
        }
        SaveStatus::Idle => (
            "status-muted",
            tr(lang, "Novo rascunho: guarda-se sozinho enquanto escreve.", "New draft: it saves itself as you type.")
                .to_string(),
        ),
        SaveStatus::Pending => {
            ("status-muted", tr(lang, "Alterações por guardar…", "Changes not saved yet…").to_string())
        }
        SaveStatus::Saving => ("status-busy", tr(lang, "A guardar…", "Saving…").to_string()),
        SaveStatus::Saved(at) => (
            "status-ok",
            match lang {
                Lang::Pt => format!("Guardado às {at}"),
                Lang::En => format!("Saved at {at}"),
            },
        ),
        SaveStatus::Incomplete => {
            let missing: Vec<String> = missing_to_store(&st.input).iter().map(|m| m.get(lang).to_string()).collect();
            let missing = missing.join("; ");
            (
                "status-warn",
                match (lang, st.doc.is_some()) {
                    (Lang::Pt, false) => format!("Ainda não é um rascunho: {missing}. {kept}"),
                    (Lang::En, false) => format!("Not a draft yet: {missing}. {kept}"),
                    (Lang::Pt, true) => format!("Alterações por guardar até corrigir: {missing}. {kept}"),
                    (Lang::En, true) => format!("Changes not saved until you fix: {missing}. {kept}"),
                },
            )
        }
        SaveStatus::Failed(e) => {
            // A refusal names the fields: say which, rather than "correct the fields marked".
            let why = if e.fields.is_empty() {
                e.message.get(lang).to_string()
            } else {
                e.fields.iter().map(|f| f.message.get(lang).to_string()).collect::<Vec<_>>().join("; ")
            };
            (
                "status-err",
                match lang {
                    Lang::Pt => format!("Não guardado: {why} {kept}"),
                    Lang::En => format!("Not saved: {why} {kept}"),
                },
            )
        }
    };
    html! { <div class={classes!("save-status", class)} id="save-status" role="status" aria-live="polite">{ text }</div> }
}

/// The editor page.
#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let lang = use_lang();
    let read_only = crate::access::use_read_only();
    let doc_id = p.recover.as_ref().map_or(p.id, |f| f.document_id);
    let state = {
        let recover = p.recover.clone();
        use_reducer(move || {
            EditorState::new(lang, doc_id, recover.as_ref(), tr(lang, "Transferência bancária", "Bank transfer"))
        })
    };
    let dispatch = {
        let d = state.dispatcher();
        Callback::from(move |a: Action| d.dispatch(a))
    };
    let changed = use_context::<UnsavedChanged>().unwrap_or_default().0;
    let saver = {
        let (report, key) = (dispatch.reform(Action::Saver), state.key);
        (*use_memo((), move |_| Saver::new(key, doc_id, report, changed))).clone()
    };
    // With a Moloni company connected, a payment is recorded with one of its methods only.
    let methods = use_state(Vec::<String>::new);
    {
        let methods = methods.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(m) = ipc::moloni_payment_methods().await {
                    methods.set(m);
                }
            });
        });
    }
    let customer_results = use_state(Vec::<Customer>::new);
    let customer_latest = use_latest();
    // The document's customer as stored (address, country, terms): its warnings and defaults.
    let customer = use_state(|| None::<Customer>);
    let customer_fetch = use_latest();
    {
        let (customer, latest) = (customer.clone(), customer_fetch.clone());
        use_effect_with(state.input.customer_id, move |id| {
            let ticket = latest.begin();
            match *id {
                None => customer.set(None),
                Some(id) => wasm_bindgen_futures::spawn_local(async move {
                    let found = ipc::customer_get(id).await.ok();
                    if ticket.is_current() {
                        customer.set(found);
                    }
                }),
            }
        });
    }
    // The issued document this one comes from or corrects: its date is a credit note's tax date.
    let source = use_state(|| None::<DocRef>);
    let source_latest = use_latest();
    {
        let (source, latest) = (source.clone(), source_latest.clone());
        use_effect_with(state.input.source_id, move |id| {
            source.set(None);
            let ticket = latest.begin();
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(d) = ipc::document_get(id).await {
                        if let (Some(f), true) = (d.fiscal, ticket.is_current()) {
                            let r =
                                DocRef { doc_type: d.doc_type, number: f.number, date: d.date, reason: String::new() };
                            source.set(Some(r));
                        }
                    }
                });
            }
        });
    }

    // Open the stored document; offer back a journalled form of it, if one was left.
    {
        let (dispatch, saver, recovering) = (dispatch.clone(), saver.clone(), p.recover.is_some());
        use_effect_with(doc_id, move |id| {
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::document_get(id).await {
                        Ok(d) => {
                            let draft = d.state == DocState::Draft;
                            dispatch.emit(Action::Loaded(d));
                            if recovering && !draft {
                                // Issued meanwhile: it cannot take the form any more.
                                saver.discard();
                            } else if !recovering {
                                if let Ok(forms) = ipc::unsaved_forms_list().await {
                                    if let Some(f) = forms.into_iter().find(|f| f.document_id == Some(id)) {
                                        dispatch.emit(Action::Offer(f));
                                    }
                                }
                            }
                        }
                        Err(e) => {
                            if e.kind == ErrorKind::NotFound {
                                // Deleted meanwhile: what is on screen becomes a new draft.
                                saver.set_document(None);
                            }
                            dispatch.emit(Action::Error(Some(e)));
                        }
                    }
                });
            }
        });
    }

    // Every edit goes to the saver as it is on screen now (this render's state, keyed by the edit count).
    {
        let (saver, st) = (saver.clone(), state.clone());
        use_effect_with(state.rev, move |rev| {
            if *rev > 0 {
                saver.adopt_key(st.key);
                saver.edit(*rev, st.input.clone(), st.customer_text.clone());
            }
        });
    }

    // Leaving by any path stores what is on screen: the window closing or the app quitting asks every
    // registered flush; unmounting (the navigation, another company) flushes too.
    {
        let saver = saver.clone();
        use_effect_with((), move |_| {
            let for_close = saver.clone();
            let registration =
                leave::register_flush(Rc::new(move |done: Box<dyn FnOnce()>| for_close.flush_then(move |_| done())));
            move || {
                drop(registration);
                saver.flush();
            }
        });
    }

    // a viewer reads every document as if it were issued: no field, button or shortcut changes it
    let editable = state.editable() && !read_only;
    let totals = live_totals(&state.input, source.as_ref(), p.rounding, lang);
    let line_tax_date = tax_date(&state.input, source.as_ref());
    let due_hint = if editable { due_warning(&state.input, customer.as_ref(), lang) } else { None };

    // Esc, Fechar, Ctrl+S and the preview act after the render that follows them, once the edit effect above has
    // handed the saver every keystroke typed before.
    {
        let (saver, dispatch, on_close) = (saver.clone(), dispatch.clone(), p.on_close.clone());
        use_effect_with(state.leave, move |leave| match leave.map(|l| l.1) {
            Some(Leave::Close) => saver.flush_then(move |_| on_close.emit(())),
            Some(Leave::SaveNow) => saver.flush_then(move |all_stored| {
                if all_stored {
                    dispatch.emit(Action::Notice(match lang {
                        Lang::Pt => format!("Rascunho guardado às {}.", now_hm()),
                        Lang::En => format!("Draft saved at {}.", now_hm()),
                    }));
                }
            }),
            // A draft is stored first, so the preview shows what is on screen; issued documents print as stored.
            Some(Leave::Preview) => saver.flush_then(move |all_stored| {
                if all_stored {
                    dispatch.emit(Action::Preview(true));
                }
            }),
            None => {}
        });
    }
    let close = dispatch.reform(|_: ()| Action::Leave(Leave::Close));
    let save_now = dispatch.reform(|_: ()| Action::Leave(Leave::SaveNow));
    let preview = dispatch.reform(|_: MouseEvent| Action::Leave(Leave::Preview));

    let search_customers = {
        let (dispatch, customer_results, latest) =
            (dispatch.clone(), customer_results.clone(), customer_latest.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.emit(Action::CustomerText(text.clone()));
            let (customer_results, ticket) = (customer_results.clone(), latest.begin());
            wasm_bindgen_futures::spawn_local(async move {
                let q = CustomerQuery { text, limit: 8, ..Default::default() };
                if let Ok(page) = ipc::customers_list(&q).await {
                    if ticket.is_current() {
                        customer_results.set(page.items);
                    }
                }
            });
        })
    };
    let pick_customer = {
        let (dispatch, customer_results, latest) =
            (dispatch.clone(), customer_results.clone(), customer_latest.clone());
        Callback::from(move |c: Customer| {
            latest.cancel();
            customer_results.set(Vec::new());
            dispatch.emit(Action::PickCustomer(c));
        })
    };

    let onkeydown = {
        let (save_now, close) = (save_now.clone(), close.clone());
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "s" {
                e.prevent_default();
                if editable {
                    save_now.emit(());
                }
            } else if e.key() == "Escape" {
                close.emit(());
            }
        })
    };

    let failed = match &state.status {
        SaveStatus::Failed(e) => Some(e.clone()),
        _ => None,
    };
    // The per-line withholding column shows once anything is withheld (the document's rate or a line's own).
    let withholding = (!state.input.withholding.trim().is_empty()
        || state.input.lines.iter().any(|l| !l.withholding.trim().is_empty()))
    .then(|| state.input.withholding.trim().to_string());
    let line_rows = state.input.lines.iter().enumerate().map(|(i, l)| {
        let amount = totals.as_ref().ok().and_then(|t| t.lines.get(i)).map(|a| format_money(a.amount, lang)).unwrap_or_default();
        html! { <LineRow key={i} index={i} line={l.clone()} tax_date={line_tax_date} {amount} {editable} error={failed.clone()} on_action={dispatch.clone()}
            withholding={withholding.clone()} /> }
    });

    let receipt = state.doc.as_ref().filter(|d| d.doc_type == DocType::Rg);
    let totals_panel = match &totals {
        // a receipt has no lines: it shows what it settles
        _ if receipt.is_some() => html! {
            <div class="totals" id="totals">
                <div class="sum grand"><span>{ tr(lang, "Valor recebido", "Amount received") }</span>
                    <span id="total-total">{ format_money(receipt.map(|d| d.total).unwrap_or_default(), lang) }</span></div>
            </div>
        },
        Ok(t) => html! {
            <div class="totals" id="totals">
                <table>
                    <thead><tr><th>{ tr(lang, "Taxa", "Rate") }</th><th class="num">{ tr(lang, "Base", "Base") }</th><th class="num">{ tr(lang, "IVA", "VAT") }</th></tr></thead>
                    <tbody>
                    { for t.summary.iter().map(|r| html! {
                        <tr class="vat-row">
                            <td>{ match &r.tax.exemption { Some(code) => format!("{} ({})", format_percent(r.tax.percent, lang), code.as_str()), None => format_percent(r.tax.percent, lang) } }</td>
                            <td class="num">{ format_money(r.base, lang) }</td><td class="num">{ format_money(r.vat, lang) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                <div class="sum"><span>{ tr(lang, "Total ilíquido", "Net") }</span><span id="total-net">{ format_money(t.net, lang) }</span></div>
                <div class="sum"><span>{ tr(lang, "IVA", "VAT") }</span><span id="total-vat">{ format_money(t.vat, lang) }</span></div>
                <div class={if t.withholding_rows.is_empty() { "sum grand" } else { "sum" }}><span>{ tr(lang, "Total", "Total") }</span><span id="total-total">{ format_money(t.total, lang) }</span></div>
                { for t.withholding_rows.iter().map(|w| html! {
                    <div class="sum withholding"><span>{ format!("{} ({})", tr(lang, "Retenção na fonte", "Withholding tax"), format_percent(w.percent, lang)) }</span>
                        <span class="total-withholding">{ format!("−{}", format_money(w.amount, lang)) }</span></div>
                }) }
                if !t.withholding_rows.is_empty() {
                    <div class="sum grand"><span>{ tr(lang, "Total a pagar", "Amount payable") }</span><span id="total-payable">{ format_money(t.payable, lang) }</span></div>
                }
            </div>
        },
        Err(why) => html! { <div class="totals pending" id="totals"><p>{ why.clone() }</p></div> },
    };

    let select = |make: fn(String) -> Option<Action>| {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(a) = make(e.target_unchecked_into::<HtmlSelectElement>().value()) {
                dispatch.emit(a);
            }
        })
    };
    let header = |field: HeaderField| {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.emit(Action::Header(field, e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };

    let doc = state.doc.as_ref();
    let duplicate = doc.filter(|_| !read_only).map(|d| {
        let (saver, dispatch, on_open, src) = (saver.clone(), dispatch.clone(), p.on_open.clone(), d.id);
        Callback::from(move |_| {
            let (dispatch, on_open) = (dispatch.clone(), on_open.clone());
            saver.flush_then(move |_| {
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::document_duplicate(src).await {
                        Ok(new) => on_open.emit(Some(new.id)),
                        Err(e) => dispatch.emit(Action::Error(Some(e))),
                    }
                });
            });
        })
    });
    let delete = doc.filter(|d| d.state == DocState::Draft && !read_only).map(|d| {
        let (saver, dispatch, on_close, src) = (saver.clone(), dispatch.clone(), p.on_close.clone(), d.id);
        Callback::from(move |_| {
            let (dispatch, on_close) = (dispatch.clone(), on_close.clone());
            saver.discard();
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::document_delete(src).await {
                    Ok(()) => on_close.emit(()),
                    Err(e) => dispatch.emit(Action::Error(Some(e))),
                }
            });
        })
    });
    let actions = match doc {
        Some(d) if d.state.is_issued() && !read_only => {
            let convert = |to: DocType, label: &'static str, id_attr: &'static str| {
                let (saver, dispatch, on_open, src) = (saver.clone(), dispatch.clone(), p.on_open.clone(), d.id);
                let reason = tr(lang, "Correção da fatura", "Invoice correction");
                html! { <button type="button" class="secondary" id={id_attr} onclick={Callback::from(move |_| {
                    let (dispatch, on_open) = (dispatch.clone(), on_open.clone());
                    saver.flush_then(move |_| {
                        wasm_bindgen_futures::spawn_local(async move {
                            match ipc::document_convert(src, to, if to == DocType::Nc { reason } else { "" }).await {
                                Ok(new) => on_open.emit(Some(new.id)),
                                Err(e) => dispatch.emit(Action::Error(Some(e))),
                            }
                        });
                    });
                })}>{ label }</button> }
            };
            html! { <>
                if d.doc_type == DocType::Or { { convert(DocType::Ft, tr(lang, "Converter em fatura", "Convert to invoice"), "convert-invoice") } }
                if d.doc_type.is_invoice() { { convert(DocType::Nc, tr(lang, "Nota de crédito", "Credit note"), "convert-credit") } }
            </> }
        }
        _ => html! {},
    };

    let payment_form = match doc {
        Some(d) if d.state.is_issued() && d.doc_type.is_receivable() && !d.open_balance.is_zero() && !read_only => {
            // Moloni's methods when connected: the one typed before, if it is one of them, else the first
            let method = match methods.first() {
                Some(first) if !methods.contains(&state.payment.method) => first.clone(),
                _ => state.payment.method.clone(),
            };
            let record = {
                let (dispatch, document_id) = (dispatch.clone(), d.id);
                let form = crate::pages::editor::state::PaymentForm { method: method.clone(), ..state.payment.clone() };
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let input = PaymentInput {
                        document_id,
                        date: form.date.clone(),
                        amount: form.amount.clone(),
                        method: form.method.clone(),
                        notes: String::new(),
                        lang,
                    };
                    let dispatch = dispatch.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match ipc::payment_record(&input).await {
                            Ok(_) => {
                                dispatch.emit(Action::Error(None));
                                if let Ok(d) = ipc::document_get(document_id).await {
                                    dispatch.emit(Action::PaymentRecorded(d));
                                }
                                dispatch.emit(Action::Notice(
                                    tr(
                                        lang,
                                        "Pagamento registado; recibo preparado.",
                                        "Payment recorded; receipt prepared.",
                                    )
                                    .into(),
                                ));
                            }
                            Err(e) => dispatch.emit(Action::Error(Some(e))),
                        }
                    });
                })
            };
            let set = |field: PaymentField| {
                let dispatch = dispatch.clone();
                Callback::from(move |e: InputEvent| {
                    dispatch.emit(Action::Payment(field, e.target_unchecked_into::<HtmlInputElement>().value()))
                })
            };
            html! {
                <form class="payment" id="payment-form" onsubmit={record}>
                    <h3>{ tr(lang, "Registar pagamento", "Record a payment") }</h3>
                    <p>{ format!("{} {}", tr(lang, "Em dívida:", "Open:"), format_money(d.open_balance, lang)) }</p>
                    <input id="pay-amount" placeholder={tr(lang, "Valor", "Amount")} value={state.payment.amount.clone()} oninput={set(PaymentField::Amount)} inputmode="decimal" />
                    <input id="pay-date" value={state.payment.date.clone()} oninput={set(PaymentField::Date)} />
                    if methods.is_empty() {
                        <input id="pay-method" value={state.payment.method.clone()} oninput={set(PaymentField::Method)} />
                    } else {
                        <select id="pay-method" onchange={{
                            let dispatch = dispatch.clone();
                            Callback::from(move |e: Event| {
                                let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                                dispatch.emit(Action::Payment(PaymentField::Method, v))
                            })
                        }}>
                            { for methods.iter().map(|m| html! { <option value={m.clone()} selected={*m == method}>{ m.clone() }</option> }) }
                        </select>
                    }
                    <button type="submit" class="primary" id="pay-save">{ tr(lang, "Registar", "Record") }</button>
                </form>
            }
        }
        _ => html! {},
    };

    let offer = state.offer.as_ref().map(|f| {
        let (saver, key) = (saver.clone(), f.key);
        let discard = {
            let dispatch = dispatch.clone();
            Callback::from(move |_| {
            dispatch.emit(Action::DismissOffer);
            let changed = saver.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ipc::unsaved_form_clear(key).await;
                changed.journal_changed();
            });
        })
        };
        let recover = {
            let dispatch = dispatch.clone();
            Callback::from(move |_| dispatch.emit(Action::Recover))
        };
        html! {
            <div class="banner banner-warn recover" id="recover-offer" role="alert">
                <span>{ tr(lang, "Recuperar o documento não guardado?", "Recover the unsaved document?") }{ " " }<em>{ f.summary(lang) }</em></span>
                <button type="button" class="primary" id="recover-draft" onclick={recover}>{ tr(lang, "Recuperar", "Recover") }</button>
                <button type="button" class="link" id="recover-discard" onclick={discard}>{ tr(lang, "Descartar", "Discard") }</button>
            </div>
        }
    });

    let input = &state.input;
    html! {
        <section class="page editor" {onkeydown}>
            <div class="page-head">
                <h1>
                    <span id="doc-number">{ doc.map(|d| d.label(lang)).unwrap_or_else(|| tr(lang, "Novo rascunho", "New draft").to_string()) }</span>
                    { doc.map(|d| state_badge(lang, d.state)).unwrap_or_default() }
                </h1>
                <div class="actions">
                    if let Some(d) = doc {
                        <button type="button" class="secondary" id="doc-pdf" onclick={preview} accesskey="p" title="Alt+P">{ tr(lang, "PDF / Imprimir", "PDF / Print") }</button>
                        if state.previewing {
                            <PrintPreview id={d.id} on_close={dispatch.reform(|_: ()| Action::Preview(false))} />
                        }
                    }
                    { actions }
                    if let Some(d) = doc.filter(|_| !read_only) { { issue::button(d, lang, &dispatch, state.issuing) } }
                    if let Some(cb) = duplicate { <button type="button" class="secondary" id="doc-duplicate" onclick={cb}>{ tr(lang, "Duplicar", "Duplicate") }</button> }
                    if let Some(cb) = delete { <button type="button" class="link" id="doc-delete" onclick={cb}>{ tr(lang, "Apagar rascunho", "Delete draft") }</button> }
                    if editable {
                        <button type="button" class="primary" id="doc-save" onclick={save_now.reform(|_: MouseEvent| ())}
                            title="Ctrl+S">{ tr(lang, "Guardar rascunho", "Save draft") }</button>
                    }
                    <button type="button" class="secondary" id="doc-close" onclick={close.reform(|_: MouseEvent| ())}>
                        { tr(lang, "Fechar (Esc)", "Close (Esc)") }</button>
                </div>
            </div>
            if editable { { status_line(&state, lang) } }
            { offer.unwrap_or_default() }
            if let Some(s) = &state.notice { <div class="banner banner-ok" id="doc-status" role="status">{ s.clone() }</div> }
            if let Some(m) = &state.issue_message { <div class="banner banner-warn" id="issue-result" role="alert">{ m.clone() }</div> }
            if let (Some(d), IssueStep::Confirming) = (doc, state.issuing) { { issue::confirmation(d, lang, &dispatch, &saver) } }
            if let Some(d) = doc { <issue::FiscalBlock doc={d.clone()} on_changed={dispatch.reform(Action::Loaded)} /> }
            if let Some(e) = &state.error { <ErrorBanner error={e.clone()} /> }
            if read_only { <p class="note" id="doc-read-only">{ tr(lang, "Só consulta: o seu utilizador do escritório pode ler mas não alterar.", "Read only: your office user may read but not change.") }</p> }
            else if !editable { <p class="note" id="doc-locked">{ doc.map(|d| locked_note(d, lang)).unwrap_or_default() }</p> }
            <div class="doc-head">
                <label>{ tr(lang, "Tipo", "Type") }
                    <select id="doc-type" onchange={select(|v| DocType::parse(&v).map(Action::DocType))} disabled={!editable}>
                        // a correcting note keeps its type (it is made from its invoice, never chosen here)
                        { for [DocType::Ft, DocType::Fr, DocType::Fs, DocType::Or].into_iter()
                            .chain([DocType::Nc, DocType::Nd, DocType::Rg].into_iter().filter(|t| input.doc_type == *t))
                            .collect::<Vec<_>>().iter().map(|t| html! {
                            <option value={t.saft_code()} selected={input.doc_type == *t}>{ format!("{} — {}", t.saft_code(), t.name_in(lang)) }</option>
                        }) }
                    </select></label>
                <label class="customer">{ tr(lang, "Cliente", "Customer") }
                    <input id="doc-customer" value={state.customer_text.clone()} oninput={search_customers} disabled={!editable} autocomplete="off"
                        placeholder={tr(lang, "Nome ou NIF…", "Name or NIF…")} />
                    if !customer_results.is_empty() {
                        <ul class="suggest" id="customer-suggestions">
                        { for customer_results.iter().cloned().map(|c| {
                            let pick = pick_customer.clone();
                            let label = format!("{} · {}", c.name, c.nif.clone().unwrap_or_default());
                            html! { <li class="suggestion" onmousedown={Callback::from(move |_| pick.emit(c.clone()))}>{ label }</li> }
                        }) }
                        </ul>
                    }
                </label>
                <label>{ tr(lang, "Data", "Date") }<input id="doc-date" value={input.date.clone()} oninput={header(HeaderField::Date)} disabled={!editable} /></label>
                <label>{ tr(lang, "Vencimento", "Due date") }<input id="doc-due" value={input.due_date.clone()} oninput={header(HeaderField::Due)} disabled={!editable}
                    placeholder={tr(lang, "pelo prazo do cliente", "from customer terms")} />
                    if let Some(w) = due_hint { <div class="field-hint" id="doc-due-warning" role="status">{ w }</div> }</label>
                <label>{ tr(lang, "Desconto global %", "Global discount %") }<input id="doc-discount" class="short" value={input.global_discount.clone()}
                    oninput={header(HeaderField::Discount)} disabled={!editable} /></label>
                <label title={tr(lang, "Retenção na fonte de IRS/IRC (CIRS art. 101.º): 23 % nas profissões do art. 151.º, 11,5 %, 16,5 %, 25 % nas rendas", "IRS/IRC withholding (CIRS art. 101): 23 % for art. 151 professions, 11.5 %, 16.5 %, 25 % on rents")}>
                    { tr(lang, "Retenção %", "Withholding %") }<input id="doc-withholding" class="short" value={input.withholding.clone()}
                    oninput={header(HeaderField::Withholding)} disabled={!editable} placeholder={tr(lang, "sem", "none")} /></label>
                <label>{ tr(lang, "Data de prestação", "Date of supply") }<input id="doc-supply-date" value={input.supply_date.clone()}
                    oninput={header(HeaderField::Supply)} disabled={!editable} placeholder={tr(lang, "a da emissão", "the issue date")} /></label>
            </div>
            <table class="lines" id="lines">
                <thead><tr>
                    <th>{ tr(lang, "Descrição", "Description") }</th><th class="num">{ tr(lang, "Qtd.", "Qty") }</th><th class="num">{ tr(lang, "Preço unit.", "Unit price") }</th>
                    <th class="num">{ tr(lang, "Desc. %", "Disc. %") }</th><th>{ tr(lang, "IVA", "VAT") }</th>
                    if withholding.is_some() { <th class="num" title={tr(lang, "Retenção desta linha; em branco: a do documento; 0: sem retenção (bens)", "This line's withholding; blank: the document's; 0: none (goods)")}>{ tr(lang, "Ret. %", "WHT %") }</th> }
                    <th class="num">{ tr(lang, "Valor", "Amount") }</th><th></th>
                </tr></thead>
                <tbody>{ for line_rows }</tbody>
            </table>
            if editable { <button type="button" class="secondary" id="add-line" onclick={dispatch.reform(|_: MouseEvent| Action::AddLine)} accesskey="l">{ tr(lang, "+ Linha (Alt+L)", "+ Line (Alt+L)") }</button> }
            <div class="doc-foot">
                <label class="notes">{ tr(lang, "Notas", "Notes") }<textarea id="doc-notes" value={input.notes.clone()} disabled={!editable}
                    oninput={dispatch.reform(|e: InputEvent| Action::Header(HeaderField::Notes, e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))} /></label>
                { totals_panel }
            </div>
            { payment_form }
        </section>
    }
}
