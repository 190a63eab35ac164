//! The document editor, keyboard-first: customer picker, lines with product autocomplete, live totals and VAT
//! summary computed by `desk-model` as the user types, autosave of drafts; payments and conversions once issued.

use crate::components::notice::ErrorBanner;
use crate::components::print_preview::PrintPreview;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use crate::pages::documents::state_badge;
use desk_model::document::{compute, DocState, DocType, Totals};
use desk_model::ipc::{
    AppError, Customer, CustomerQuery, Document, DocumentInput, LineInput, PaymentInput, Product, ProductQuery,
};
use desk_model::money::{format_money, format_percent, format_quantity, format_unit_price};
use desk_model::msg::Lang;
use desk_model::print::format_date;
use desk_model::tax::exemption::EXEMPTIONS;
use desk_model::tax::ExemptionStatus;
use gloo_timers::callback::Timeout;
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The document to open, or None for a new draft.
    pub id: Option<Uuid>,
    /// Back to the list.
    pub on_close: Callback<()>,
    /// Open another document (after a conversion or a duplicate).
    pub on_open: Callback<Option<Uuid>>,
}

fn today_text() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}/{:02}/{}", d.get_date(), d.get_month() + 1, d.get_full_year())
}

fn empty_line() -> LineInput {
    LineInput {
        quantity: "1".into(),
        tax_code: "NOR".into(),
        tax_zone: "PT".into(),
        ..Default::default()
    }
}

fn new_input(lang: Lang) -> DocumentInput {
    let mut input = DocumentInput::new(DocType::Ft, &today_text());
    input.lines.push(empty_line());
    input.lang = lang;
    input
}

/// The form for a stored document, with numbers written the way the user's language writes them.
fn input_from(doc: &Document, lang: Lang) -> DocumentInput {
    let mut input = doc.to_input();
    input.lang = lang;
    input.date = format_date(doc.date, Lang::Pt);
    input.due_date = doc.due_date.map(|d| format_date(d, Lang::Pt)).unwrap_or_default();
    input.global_discount = if doc.global_discount.0.is_zero() {
        String::new()
    } else {
        format_percent(doc.global_discount, lang)
    };
    for (field, line) in input.lines.iter_mut().zip(&doc.lines) {
        field.quantity = format_quantity(line.quantity, lang);
        field.unit_price = format_unit_price(line.unit_price, lang);
        field.discount = if line.discount.0.is_zero() {
            String::new()
        } else {
            format_percent(line.discount, lang)
        };
    }
    input
}

/// What the totals panel shows: the totals, or the first reason they cannot be computed yet.
fn live_totals(input: &DocumentInput, lang: Lang) -> Result<Totals, String> {
    let draft = input.to_draft().map_err(|errors| {
        errors
            .first()
            .map(|e| e.message.get(lang).to_string())
            .unwrap_or_default()
    })?;
    compute(&draft).map_err(|e| e.message().get(lang).to_string())
}

/// The editor page.
#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let lang = use_lang();
    let id = use_state(|| p.id);
    let doc = use_state(|| None::<Document>);
    let input = use_state(|| new_input(lang));
    let customer_label = use_state(String::new);
    let customer_results = use_state(Vec::<Customer>::new);
    let suggestions = use_state(|| None::<(usize, Vec<Product>)>);
    let error = use_state(|| None::<AppError>);
    let status = use_state(|| None::<String>);
    let autosave = use_mut_ref(|| None::<Timeout>);
    let payment = use_state(|| {
        (
            String::new(),
            today_text(),
            tr(lang, "Transferência bancária", "Bank transfer").to_string(),
        )
    });

    {
        let (doc, input, customer_label, error) = (doc.clone(), input.clone(), customer_label.clone(), error.clone());
        use_effect_with(p.id, move |id| {
            if let Some(id) = *id {
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::document_get(id).await {
                        Ok(d) => {
                            input.set(input_from(&d, lang));
                            customer_label.set(d.customer_name.clone());
                            doc.set(Some(d));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
        });
    }

    let editable = doc.as_ref().map(|d| d.state == DocState::Draft).unwrap_or(true);
    let totals = live_totals(&input, lang);
    let previewing = use_state(|| false);
    // A draft is saved first, so the preview shows what is on screen; issued documents print as stored.
    let preview = {
        let (id, input, previewing, error, doc) = (*id, input.clone(), previewing.clone(), error.clone(), doc.clone());
        Callback::from(move |_| {
            let (previewing, error, doc) = (previewing.clone(), error.clone(), doc.clone());
            let body = (*input).clone();
            wasm_bindgen_futures::spawn_local(async move {
                if editable {
                    match ipc::document_save(id, &body).await {
                        Ok(d) => doc.set(Some(d)),
                        Err(e) => return error.set(Some(e)),
                    }
                }
                previewing.set(true);
            });
        })
    };

    let save = {
        let (id, doc, input, error, status) = (id.clone(), doc.clone(), input.clone(), error.clone(), status.clone());
        Callback::from(move |manual: bool| {
            let (id, doc, error, status) = (id.clone(), doc.clone(), error.clone(), status.clone());
            let body = (*input).clone();
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::document_save(*id, &body).await {
                    Ok(d) => {
                        id.set(Some(d.id));
                        let time = js_sys::Date::new_0();
                        let at = format!("{:02}:{:02}", time.get_hours(), time.get_minutes());
                        status.set(Some(match (manual, lang) {
                            (true, Lang::Pt) => format!("Rascunho guardado ({at})."),
                            (true, Lang::En) => format!("Draft saved ({at})."),
                            (false, Lang::Pt) => format!("Guardado automaticamente ({at})."),
                            (false, Lang::En) => format!("Saved automatically ({at})."),
                        }));
                        error.set(None);
                        doc.set(Some(d));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    // Every change schedules an autosave 1.5 s later, once the draft is complete enough to store.
    let change = {
        let (input, autosave, save, status) = (input.clone(), autosave.clone(), save.clone(), status.clone());
        Callback::from(move |next: DocumentInput| {
            let ready = next.customer_id.is_some() && next.to_draft().is_ok();
            input.set(next);
            status.set(None);
            let timer = ready.then(|| {
                let save = save.clone();
                Timeout::new(1500, move || save.emit(false))
            });
            *autosave.borrow_mut() = timer;
        })
    };

    let set_line = |i: usize, apply: fn(&mut LineInput, String)| {
        let (input, change) = (input.clone(), change.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = (*input).clone();
            if let Some(line) = next.lines.get_mut(i) {
                apply(line, e.target_unchecked_into::<HtmlInputElement>().value());
            }
            change.emit(next);
        })
    };

    let search_customers = {
        let (customer_label, customer_results) = (customer_label.clone(), customer_results.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            customer_label.set(text.clone());
            let customer_results = customer_results.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let q = CustomerQuery {
                    text,
                    limit: 8,
                    ..Default::default()
                };
                if let Ok(page) = ipc::customers_list(&q).await {
                    customer_results.set(page.items);
                }
            });
        })
    };
    let pick_customer = {
        let (input, change, customer_label, customer_results) = (
            input.clone(),
            change.clone(),
            customer_label.clone(),
            customer_results.clone(),
        );
        Callback::from(move |c: Customer| {
            let mut next = (*input).clone();
            next.customer_id = Some(c.id);
            next.payment_terms = c.payment_terms_days.map(desk_model::document::PaymentTerms::Days);
            customer_label.set(c.name.clone());
            customer_results.set(Vec::new());
            change.emit(next);
        })
    };

    let describe = |i: usize| {
        let (input, change, suggestions) = (input.clone(), change.clone(), suggestions.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = (*input).clone();
            if let Some(line) = next.lines.get_mut(i) {
                line.description = text.clone();
                line.product_id = None;
            }
            change.emit(next);
            let suggestions = suggestions.clone();
            if text.trim().chars().count() < 2 {
                suggestions.set(None);
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let q = ProductQuery {
                    text,
                    limit: 6,
                    ..Default::default()
                };
                if let Ok(page) = ipc::products_list(&q).await {
                    suggestions.set((!page.items.is_empty()).then_some((i, page.items)));
                }
            });
        })
    };
    let pick_product = {
        let (input, change, suggestions) = (input.clone(), change.clone(), suggestions.clone());
        Callback::from(move |(i, product): (usize, Product)| {
            let mut next = (*input).clone();
            if let Some(line) = next.lines.get_mut(i) {
                line.product_id = Some(product.id);
                line.description = product.name.clone();
                line.unit = product.unit.clone();
                line.unit_price = format_unit_price(product.price, lang);
                line.tax_zone = product.tax.zone.code().to_string();
                line.tax_code = product.tax.code.as_str().to_string();
                line.exemption = product
                    .tax
                    .exemption
                    .as_ref()
                    .map(|e| e.as_str().to_string())
                    .unwrap_or_default();
            }
            suggestions.set(None);
            change.emit(next);
        })
    };
    let add_line = {
        let (input, change) = (input.clone(), change.clone());
        Callback::from(move |_| {
            let mut next = (*input).clone();
            next.lines.push(empty_line());
            change.emit(next);
        })
    };

    let onkeydown = {
        let (save, on_close) = (save.clone(), p.on_close.clone());
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "s" {
                e.prevent_default();
                save.emit(true);
            } else if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };

    let line_rows = input.lines.iter().enumerate().map(|(i, l)| {
        let amount = totals.as_ref().ok().and_then(|t| t.lines.get(i)).map(|a| format_money(a.amount, lang)).unwrap_or_default();
        let field_error = |f: &str| error.as_ref().and_then(|e| e.field(&format!("lines[{i}].{f}"))).map(|m| m.get(lang).to_string());
        let on_tax = {
            let (input, change) = (input.clone(), change.clone());
            Callback::from(move |e: Event| {
                let mut next = (*input).clone();
                if let Some(line) = next.lines.get_mut(i) {
                    line.tax_code = e.target_unchecked_into::<HtmlSelectElement>().value();
                    if line.tax_code != "ISE" {
                        line.exemption.clear();
                    }
                }
                change.emit(next);
            })
        };
        let on_exemption = {
            let (input, change) = (input.clone(), change.clone());
            Callback::from(move |e: Event| {
                let mut next = (*input).clone();
                if let Some(line) = next.lines.get_mut(i) {
                    line.exemption = e.target_unchecked_into::<HtmlSelectElement>().value();
                }
                change.emit(next);
            })
        };
        let remove = {
            let (input, change) = (input.clone(), change.clone());
            Callback::from(move |_| {
                let mut next = (*input).clone();
                if next.lines.len() > 1 {
                    next.lines.remove(i);
                }
                change.emit(next);
            })
        };
        let tax_option = |code: &'static str, label: &'static str| html! { <option value={code} selected={l.tax_code == code}>{ label }</option> };
        html! {
            <tr class="line" data-line={i.to_string()}>
                <td class="desc">
                    <input id={format!("line-{i}-description")} value={l.description.clone()} oninput={describe(i)} disabled={!editable}
                        placeholder={tr(lang, "Produto ou descrição…", "Product or description…")} autocomplete="off" />
                    if let Some((at, products)) = suggestions.as_ref().filter(|(at, _)| *at == i) {
                        <ul class="suggest" id={format!("line-{at}-suggestions")}>
                        { for products.iter().cloned().map(|pr| {
                            let pick = pick_product.clone();
                            let label = format!("{} · {} · {}", pr.reference, pr.name, format_unit_price(pr.price, lang));
                            let at = *at;
                            html! { <li class="suggestion" onmousedown={Callback::from(move |_| pick.emit((at, pr.clone())))}>{ label }</li> }
                        }) }
                        </ul>
                    }
                    if let Some(m) = field_error("description") { <div class="field-error">{ m }</div> }
                </td>
                <td><input class="num" id={format!("line-{i}-quantity")} value={l.quantity.clone()} oninput={set_line(i, |l, v| l.quantity = v)} disabled={!editable} inputmode="decimal" />
                    if let Some(m) = field_error("quantity") { <div class="field-error">{ m }</div> }</td>
                <td><input class="num" id={format!("line-{i}-price")} value={l.unit_price.clone()} oninput={set_line(i, |l, v| l.unit_price = v)} disabled={!editable} inputmode="decimal" />
                    if let Some(m) = field_error("unit_price") { <div class="field-error">{ m }</div> }</td>
                <td><input class="num short" id={format!("line-{i}-discount")} value={l.discount.clone()} oninput={set_line(i, |l, v| l.discount = v)} disabled={!editable} placeholder="0" /></td>
                <td>
                    <select id={format!("line-{i}-tax")} onchange={on_tax} disabled={!editable}>
                        { tax_option("NOR", "23 %") }{ tax_option("INT", "13 %") }{ tax_option("RED", "6 %") }
                        { tax_option("ISE", tr(lang, "Isento", "Exempt")) }
                    </select>
                    if l.tax_code == "ISE" {
                        <select id={format!("line-{i}-exemption")} onchange={on_exemption} disabled={!editable} class={classes!(l.exemption.is_empty().then_some("missing"))}>
                            <option value="" selected={l.exemption.is_empty()}>{ tr(lang, "Motivo…", "Reason…") }</option>
                            { for EXEMPTIONS.iter().filter(|x| x.status == ExemptionStatus::Active).map(|x| html! {
                                <option value={x.code} selected={l.exemption == x.code}>{ format!("{} — {}", x.code, x.mention) }</option>
                            }) }
                        </select>
                    }
                    if let Some(m) = field_error("tax") { <div class="field-error">{ m }</div> }
                </td>
                <td class="num amount" id={format!("line-{i}-amount")}>{ amount }</td>
                <td>if editable { <button type="button" class="link" title={tr(lang, "Apagar linha", "Delete line")} onclick={remove}>{ "×" }</button> }</td>
            </tr>
        }
    });

    let totals_panel = match &totals {
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
                <div class="sum grand"><span>{ tr(lang, "Total", "Total") }</span><span id="total-total">{ format_money(t.total, lang) }</span></div>
            </div>
        },
        Err(why) => html! { <div class="totals pending" id="totals"><p>{ why.clone() }</p></div> },
    };

    let on_type = {
        let (input, change) = (input.clone(), change.clone());
        Callback::from(move |e: Event| {
            let mut next = (*input).clone();
            if let Some(t) = DocType::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                next.doc_type = t;
            }
            change.emit(next);
        })
    };
    let set_text = |apply: fn(&mut DocumentInput, String)| {
        let (input, change) = (input.clone(), change.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = (*input).clone();
            apply(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            change.emit(next);
        })
    };

    let duplicate = doc.as_ref().map(|d| {
        let (error, on_open, src) = (error.clone(), p.on_open.clone(), d.id);
        Callback::from(move |_| {
            let (error, on_open) = (error.clone(), on_open.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::document_duplicate(src).await {
                    Ok(new) => on_open.emit(Some(new.id)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    });
    let delete = doc.as_ref().filter(|d| d.state == DocState::Draft).map(|d| {
        let (error, on_close, src) = (error.clone(), p.on_close.clone(), d.id);
        Callback::from(move |_| {
            let (error, on_close) = (error.clone(), on_close.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::document_delete(src).await {
                    Ok(()) => on_close.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    });
    let actions = match doc.as_ref() {
        Some(d) if d.state.is_issued() => {
            let convert = |to: DocType, label: &'static str, id_attr: &'static str| {
                let (error, on_open, src) = (error.clone(), p.on_open.clone(), d.id);
                let reason = tr(lang, "Correção da fatura", "Invoice correction");
                html! { <button type="button" class="secondary" id={id_attr} onclick={Callback::from(move |_| {
                    let (error, on_open) = (error.clone(), on_open.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match ipc::document_convert(src, to, if to == DocType::Nc { reason } else { "" }).await {
                            Ok(new) => on_open.emit(Some(new.id)),
                            Err(e) => error.set(Some(e)),
                        }
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

    let payment_form = match doc.as_ref() {
        Some(d) if d.state.is_issued() && d.doc_type.is_receivable() && !d.open_balance.is_zero() => {
            let record = {
                let (payment, doc, error, status) = (payment.clone(), doc.clone(), error.clone(), status.clone());
                let document_id = d.id;
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let (amount, date, method) = (*payment).clone();
                    let input = PaymentInput {
                        document_id,
                        date,
                        amount,
                        method,
                        notes: String::new(),
                        lang,
                    };
                    let (doc, error, status) = (doc.clone(), error.clone(), status.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match ipc::payment_record(&input).await {
                            Ok(_) => {
                                status.set(Some(
                                    tr(
                                        lang,
                                        "Pagamento registado; recibo preparado.",
                                        "Payment recorded; receipt prepared.",
                                    )
                                    .into(),
                                ));
                                if let Ok(d) = ipc::document_get(document_id).await {
                                    doc.set(Some(d));
                                }
                            }
                            Err(e) => error.set(Some(e)),
                        }
                    });
                })
            };
            let (amount, date, method) = (*payment).clone();
            let set = |which: u8| {
                let payment = payment.clone();
                Callback::from(move |e: InputEvent| {
                    let v = e.target_unchecked_into::<HtmlInputElement>().value();
                    let mut next = (*payment).clone();
                    match which {
                        0 => next.0 = v,
                        1 => next.1 = v,
                        _ => next.2 = v,
                    }
                    payment.set(next);
                })
            };
            html! {
                <form class="payment" id="payment-form" onsubmit={record}>
                    <h3>{ tr(lang, "Registar pagamento", "Record a payment") }</h3>
                    <p>{ format!("{} {}", tr(lang, "Em dívida:", "Open:"), format_money(d.open_balance, lang)) }</p>
                    <input id="pay-amount" placeholder={tr(lang, "Valor", "Amount")} value={amount} oninput={set(0)} inputmode="decimal" />
                    <input id="pay-date" value={date} oninput={set(1)} />
                    <input id="pay-method" value={method} oninput={set(2)} />
                    <button type="submit" class="primary" id="pay-save">{ tr(lang, "Registar", "Record") }</button>
                </form>
            }
        }
        _ => html! {},
    };

    html! {
        <section class="page editor" {onkeydown}>
            <div class="page-head">
                <h1>
                    { doc.as_ref().map(|d| d.number.clone()).unwrap_or_else(|| tr(lang, "Novo rascunho", "New draft").to_string()) }
                    { doc.as_ref().map(|d| state_badge(lang, d.state)).unwrap_or_default() }
                </h1>
                <div class="actions">
                    if let Some(d) = doc.as_ref() {
                        <button type="button" class="secondary" id="doc-pdf" onclick={preview} accesskey="p" title="Alt+P">{ tr(lang, "PDF / Imprimir", "PDF / Print") }</button>
                        if *previewing {
                            <PrintPreview id={d.id} on_close={let x = previewing.clone(); Callback::from(move |_| x.set(false))} />
                        }
                    }
                    { actions }
                    if let Some(cb) = duplicate { <button type="button" class="secondary" id="doc-duplicate" onclick={cb}>{ tr(lang, "Duplicar", "Duplicate") }</button> }
                    if let Some(cb) = delete { <button type="button" class="link" id="doc-delete" onclick={cb}>{ tr(lang, "Apagar rascunho", "Delete draft") }</button> }
                    if editable {
                        <button type="button" class="primary" id="doc-save" onclick={let s = save.clone(); Callback::from(move |_| s.emit(true))}
                            title="Ctrl+S">{ tr(lang, "Guardar rascunho", "Save draft") }</button>
                    }
                    <button type="button" class="secondary" id="doc-close" onclick={let c = p.on_close.clone(); Callback::from(move |_| c.emit(()))}>
                        { tr(lang, "Fechar (Esc)", "Close (Esc)") }</button>
                </div>
            </div>
            if let Some(s) = &*status { <div class="banner banner-ok" id="doc-status" role="status">{ s.clone() }</div> }
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            if !editable { <p class="note">{ tr(lang, "Documento emitido: não pode ser alterado. Corrija-o com uma nota de crédito.", "Issued document: it cannot be changed. Correct it with a credit note.") }</p> }
            <div class="doc-head">
                <label>{ tr(lang, "Tipo", "Type") }
                    <select id="doc-type" onchange={on_type} disabled={!editable}>
                        { for [DocType::Ft, DocType::Fr, DocType::Fs, DocType::Or].iter().map(|t| html! {
                            <option value={t.saft_code()} selected={input.doc_type == *t}>{ format!("{} — {}", t.saft_code(), t.name_in(lang)) }</option>
                        }) }
                    </select></label>
                <label class="customer">{ tr(lang, "Cliente", "Customer") }
                    <input id="doc-customer" value={(*customer_label).clone()} oninput={search_customers} disabled={!editable} autocomplete="off"
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
                <label>{ tr(lang, "Data", "Date") }<input id="doc-date" value={input.date.clone()} oninput={set_text(|d, v| d.date = v)} disabled={!editable} /></label>
                <label>{ tr(lang, "Vencimento", "Due date") }<input id="doc-due" value={input.due_date.clone()} oninput={set_text(|d, v| d.due_date = v)} disabled={!editable}
                    placeholder={tr(lang, "pelo prazo do cliente", "from customer terms")} /></label>
                <label>{ tr(lang, "Desconto global %", "Global discount %") }<input id="doc-discount" class="short" value={input.global_discount.clone()}
                    oninput={set_text(|d, v| d.global_discount = v)} disabled={!editable} /></label>
            </div>
            <table class="lines" id="lines">
                <thead><tr>
                    <th>{ tr(lang, "Descrição", "Description") }</th><th class="num">{ tr(lang, "Qtd.", "Qty") }</th><th class="num">{ tr(lang, "Preço unit.", "Unit price") }</th>
                    <th class="num">{ tr(lang, "Desc. %", "Disc. %") }</th><th>{ tr(lang, "IVA", "VAT") }</th><th class="num">{ tr(lang, "Valor", "Amount") }</th><th></th>
                </tr></thead>
                <tbody>{ for line_rows }</tbody>
            </table>
            if editable { <button type="button" class="secondary" id="add-line" onclick={add_line} accesskey="l">{ tr(lang, "+ Linha (Alt+L)", "+ Line (Alt+L)") }</button> }
            <div class="doc-foot">
                <label class="notes">{ tr(lang, "Notas", "Notes") }<textarea id="doc-notes" value={input.notes.clone()} disabled={!editable}
                    oninput={let (input, change) = (input.clone(), change.clone()); Callback::from(move |e: InputEvent| {
                        let mut next = (*input).clone();
                        next.notes = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value();
                        change.emit(next);
                    })} /></label>
                { totals_panel }
            </div>
            { payment_form }
        </section>
    }
}
