//! Products and services: search as you type and a form checked live by `desk-model`'s product rules.

use crate::components::export::ExportButtons;
use crate::components::field::TextField;
use crate::components::notice::ErrorBanner;
use crate::components::tax::{rate_options, today, zone_of, zone_options};
use crate::hooks::use_latest;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use crate::leave;
use desk_model::ipc::{AppError, Page, Product, ProductInput, ProductKind, ProductQuery};
use desk_model::money::format_unit_price;
use desk_model::msg::Lang;
use desk_model::product::validate;
use desk_model::tax::exemption::EXEMPTIONS;
use desk_model::tax::{rate_labels, ExemptionStatus, FiscalZone};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The list's VAT column: the rate in force today in the product's zone ("16 % Açores"), or its exemption code.
fn tax_label(p: &Product, lang: Lang) -> String {
    let rate = match &p.tax.exemption {
        Some(code) => code.as_str().to_string(),
        None => rate_labels(p.tax.zone, today(), lang)
            .into_iter()
            .find(|l| l.code == p.tax.code)
            .map(|l| l.label)
            .unwrap_or_else(|| p.tax.code.as_str().to_string()),
    };
    match p.tax.zone {
        FiscalZone::Pt => rate,
        zone => format!("{rate} {}", zone.name(lang)),
    }
}

/// The products page.
#[function_component(ProductsPage)]
pub fn products_page() -> Html {
    let lang = use_lang();
    let read_only = crate::access::use_read_only();
    let text = use_state(String::new);
    let page = use_state(|| None::<Page<Product>>);
    let error = use_state(|| None::<AppError>);
    let form = use_state(|| None::<ProductInput>);
    // The form as opened: leaving it changed (Cancelar, the navigation) asks first.
    let opened = use_state(|| None::<ProductInput>);
    let submitted = use_state(|| false);
    let reload = use_state(|| 0u32);
    let dirty = *form != *opened;
    leave::use_unsaved_guard(dirty);
    // Answers can arrive out of order while typing: only the newest request may fill the list.
    let latest = use_latest();
    {
        let (page, error, latest) = (page.clone(), error.clone(), latest.clone());
        let query = ProductQuery { text: (*text).clone(), limit: 100, ..Default::default() };
        let version = crate::app::use_data_version();
        use_effect_with((query, *reload, version), move |(query, _, _)| {
            let query = query.clone();
            let ticket = latest.begin();
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::products_list(&query).await;
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
    let open_new = {
        let (form, opened, submitted) = (form.clone(), opened.clone(), submitted.clone());
        Callback::from(move |_| {
            let (form, opened, submitted) = (form.clone(), opened.clone(), submitted.clone());
            leave::confirm_then(lang, move || {
                submitted.set(false);
                let blank = Some(ProductInput {
                    tax_zone: "PT".into(),
                    tax_code: "NOR".into(),
                    unit: "un".into(),
                    lang,
                    ..Default::default()
                });
                opened.set(blank.clone());
                form.set(blank);
            });
        })
    };
    let today = today();
    let form_html = form.as_ref().map(|input| {
        let local = validate(input, today);
        let errors = local.as_ref().err().cloned().unwrap_or_default();
        let message = |field: &str, value: &str| -> Option<AttrValue> {
            if let Some(m) = error.as_ref().and_then(|e| e.field(field)) {
                return Some(m.get(lang).to_string().into());
            }
            let show = *submitted || !value.trim().is_empty();
            errors.iter().find(|f| f.field == field).filter(|_| show).map(|f| f.message.get(lang).to_string().into())
        };
        let set = |apply: fn(&mut ProductInput, String)| {
            let (form, error) = (form.clone(), error.clone());
            Callback::from(move |v: String| {
                if let Some(mut next) = (*form).clone() {
                    apply(&mut next, v);
                    form.set(Some(next));
                    error.set(None);
                }
            })
        };
        let select = |apply: fn(&mut ProductInput, String)| {
            let form = form.clone();
            Callback::from(move |e: Event| {
                if let Some(mut next) = (*form).clone() {
                    apply(&mut next, e.target_unchecked_into::<HtmlSelectElement>().value());
                    form.set(Some(next));
                }
            })
        };
        let onsubmit = {
            let (form, opened, error, submitted, reload) = (form.clone(), opened.clone(), error.clone(), submitted.clone(), reload.clone());
            let (valid, body) = (local.is_ok(), input.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                submitted.set(true);
                if !valid {
                    return;
                }
                let (form, opened, error, reload, body) = (form.clone(), opened.clone(), error.clone(), reload.clone(), body.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::product_create(&body).await {
                        Ok(_) => {
                            opened.set(None);
                            form.set(None);
                            reload.set(*reload + 1);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        };
        html! {
            <form class="side-form" id="product-form" {onsubmit} novalidate=true>
                <h2>{ tr(lang, "Novo produto ou serviço", "New product or service") }</h2>
                <TextField id="pf-reference" label={tr(lang, "Referência", "Reference")} value={input.reference.clone()} oninput={set(|p, v| p.reference = v)}
                    error={message("reference", &input.reference)} autofocus=true />
                <TextField id="pf-name" label={tr(lang, "Nome", "Name")} value={input.name.clone()} oninput={set(|p, v| p.name = v)} error={message("name", &input.name)} />
                <div class="field"><label for="pf-kind">{ tr(lang, "Tipo", "Kind") }</label>
                    <select id="pf-kind" onchange={select(|p, v| p.kind = ProductKind::parse(&v).unwrap_or_default())}
                        title={tr(lang, "Uma fatura simplificada até 1.000 € só vende bens", "A simplified invoice up to €1,000 sells goods only")}>
                        <option value="product" selected={input.kind == ProductKind::Product}>{ tr(lang, "Produto (bens)", "Product (goods)") }</option>
                        <option value="service" selected={input.kind == ProductKind::Service}>{ tr(lang, "Serviço", "Service") }</option>
                    </select>
                </div>
                <div class="row2">
                    <TextField id="pf-price" label={tr(lang, "Preço sem IVA", "Price before VAT")} value={input.price.clone()} oninput={set(|p, v| p.price = v)}
                        error={message("price", &input.price)} inputmode="decimal" />
                    <TextField id="pf-unit" label={tr(lang, "Unidade", "Unit")} value={input.unit.clone()} oninput={set(|p, v| p.unit = v)} error={message("unit", &input.unit)} />
                </div>
                <div class="field"><label for="pf-zone">{ tr(lang, "Zona fiscal", "VAT zone") }</label>
                    <select id="pf-zone" onchange={select(|p, v| p.tax_zone = zone_of(&v).code().to_string())}>
                        { zone_options(&input.tax_zone, lang) }
                    </select>
                </div>
                <div class="field"><label for="pf-tax">{ tr(lang, "IVA", "VAT") }</label>
                    <select id="pf-tax" onchange={select(|p, v| { p.tax_code = v; if p.tax_code != "ISE" { p.exemption.clear(); } })}>
                        { rate_options(&input.tax_zone, today, lang, &input.tax_code) }
                    </select>
                    if input.tax_code == "ISE" {
                        <select id="pf-exemption" onchange={select(|p, v| p.exemption = v)}>
                            <option value="" selected={input.exemption.is_empty()}>{ tr(lang, "Motivo de isenção…", "Exemption reason…") }</option>
                            { for EXEMPTIONS.iter().filter(|x| x.status == ExemptionStatus::Active).map(|x| html! {
                                <option value={x.code} selected={input.exemption == x.code}>{ format!("{} — {}", x.code, x.mention) }</option> }) }
                        </select>
                    }
                    if let Some(m) = message("tax", "x") { <div class="field-error" id="pf-tax-error">{ m }</div> }
                </div>
                if input.kind == ProductKind::Service {
                    <TextField id="pf-withholding" label={tr(lang, "Retenção na fonte % (quando o cliente retém)", "Withholding % (when the customer withholds)")}
                        value={input.withholding.clone()} oninput={set(|p, v| p.withholding = v)} error={message("withholding", &input.withholding)}
                        inputmode="decimal" />
                }
                <TextField id="pf-category" label={tr(lang, "Categoria", "Category")} value={input.category.clone()} oninput={set(|p, v| p.category = v)}
                    error={message("category", &input.category)} />
                if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
                <div class="actions">
                    <button type="submit" class="primary" id="pf-save">{ tr(lang, "Guardar", "Save") }</button>
                    <button type="button" class="secondary" id="pf-cancel" onclick={let (f, o) = (form.clone(), opened.clone()); Callback::from(move |_| {
                        let (f, o) = (f.clone(), o.clone());
                        leave::confirm_then(lang, move || {
                            o.set(None);
                            f.set(None);
                        });
                    })}>{ tr(lang, "Cancelar", "Cancel") }</button>
                </div>
            </form>
        }
    });
    let rows = page.as_ref().map(|p| p.items.clone()).unwrap_or_default();
    html! {
        <section class="page products">
            <div class="page-head">
                <h1>{ tr(lang, "Produtos e serviços", "Products and services") }</h1>
                <ExportButtons what={desk_model::ipc::ExportWhat::Products {
                    query: desk_model::ipc::ProductQuery { text: (*text).clone(), ..Default::default() } }} />
                if !read_only {
                    <button type="button" class="primary" id="new-product" accesskey="n" onclick={open_new}>{ tr(lang, "+ Novo produto", "+ New product") }</button>
                }
            </div>
            <div class="toolbar">
                <input type="search" id="product-search" class="search" value={(*text).clone()} placeholder={tr(lang, "Procurar por referência ou nome…", "Search by reference or name…")}
                    oninput={let t = text.clone(); Callback::from(move |e: InputEvent| t.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                <span class="count">{ page.as_ref().map(|p| format!("{} {}", p.total, tr(lang, "produtos", "products"))).unwrap_or_default() }</span>
            </div>
            <div class="split">
                <table class="list" id="product-list">
                    <thead><tr><th>{ tr(lang, "Referência", "Reference") }</th><th>{ tr(lang, "Nome", "Name") }</th><th>{ tr(lang, "Unid.", "Unit") }</th>
                        <th class="num">{ tr(lang, "Preço", "Price") }</th><th>{ tr(lang, "IVA", "VAT") }</th></tr></thead>
                    <tbody>
                    { for rows.iter().map(|p| html! {
                        <tr class="product-row" data-reference={p.reference.clone()}>
                            <td>{ &p.reference }</td><td>{ &p.name }</td><td>{ &p.unit }</td>
                            <td class="num">{ format_unit_price(p.price, lang) }</td><td>{ tax_label(p, lang) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                { form_html.unwrap_or_default() }
            </div>
        </section>
    }
}
