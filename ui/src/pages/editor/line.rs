//! One line of the document form: description with product autocomplete (answers in order), quantity, price,
//! discount, VAT (zone, rate labelled from the dated table, exemption), and its amount. It sends [`Action`]s; the
//! editor's reducer owns the values.

use super::state::{Action, LineField};
use crate::components::tax::{rate_options, zone_options};
use crate::hooks::use_latest;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use chrono::NaiveDate;
use desk_model::ipc::{AppError, LineInput, Product, ProductQuery};
use desk_model::money::format_unit_price;
use desk_model::tax::exemption::EXEMPTIONS;
use desk_model::tax::ExemptionStatus;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`LineRow`].
#[derive(Properties, PartialEq)]
pub struct LineProps {
    /// Position in the form (element ids use it: `#line-0-description`).
    pub index: usize,
    /// The line's values.
    pub line: LineInput,
    /// The day whose VAT rates the line is charged at (the document's date; a credit note's invoice date).
    pub tax_date: NaiveDate,
    /// Its amount as computed by desk-model, or blank.
    pub amount: String,
    /// A draft (editable) or not.
    pub editable: bool,
    /// The last save's error, for the messages under the fields.
    pub error: Option<AppError>,
    /// Sends changes to the editor.
    pub on_action: Callback<Action>,
    /// When anything is withheld: the document's rate (the line's placeholder); `None` hides the column.
    #[prop_or_default]
    pub withholding: Option<String>,
}

/// A line of the form.
#[function_component(LineRow)]
pub fn line_row(p: &LineProps) -> Html {
    let lang = use_lang();
    let i = p.index;
    let suggestions = use_state(Vec::<Product>::new);
    let latest = use_latest();
    let l = &p.line;

    let text = |field: LineField| {
        let on_action = p.on_action.clone();
        Callback::from(move |e: InputEvent| {
            on_action.emit(Action::Line(i, field, e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let select = |field: LineField| {
        let on_action = p.on_action.clone();
        Callback::from(move |e: Event| {
            on_action.emit(Action::Line(i, field, e.target_unchecked_into::<HtmlSelectElement>().value()))
        })
    };
    let describe = {
        let (on_action, suggestions, latest) = (p.on_action.clone(), suggestions.clone(), latest.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            on_action.emit(Action::Line(i, LineField::Description, text.clone()));
            let ticket = latest.begin();
            if text.trim().chars().count() < 2 {
                suggestions.set(Vec::new());
                return;
            }
            let suggestions = suggestions.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let q = ProductQuery { text, limit: 6, ..Default::default() };
                if let Ok(page) = ipc::products_list(&q).await {
                    if ticket.is_current() {
                        suggestions.set(page.items);
                    }
                }
            });
        })
    };
    let pick = {
        let (on_action, suggestions, latest) = (p.on_action.clone(), suggestions.clone(), latest.clone());
        Callback::from(move |product: Product| {
            latest.cancel();
            suggestions.set(Vec::new());
            on_action.emit(Action::PickProduct(i, product));
        })
    };
    let remove = {
        let on_action = p.on_action.clone();
        Callback::from(move |_| on_action.emit(Action::RemoveLine(i)))
    };
    let field_error =
        |f: &str| p.error.as_ref().and_then(|e| e.field(&format!("lines[{i}].{f}"))).map(|m| m.get(lang).to_string());
    let editable = p.editable;
    html! {
        <tr class="line" data-line={i.to_string()}>
            <td class="desc">
                <input id={format!("line-{i}-description")} value={l.description.clone()} oninput={describe} disabled={!editable}
                    placeholder={tr(lang, "Produto ou descrição…", "Product or description…")} autocomplete="off" />
                if !suggestions.is_empty() {
                    <ul class="suggest" id={format!("line-{i}-suggestions")}>
                    { for suggestions.iter().cloned().map(|pr| {
                        let pick = pick.clone();
                        let label = format!("{} · {} · {}", pr.reference, pr.name, format_unit_price(pr.price, lang));
                        html! { <li class="suggestion" onmousedown={Callback::from(move |_| pick.emit(pr.clone()))}>{ label }</li> }
                    }) }
                    </ul>
                }
                if let Some(m) = field_error("description") { <div class="field-error">{ m }</div> }
            </td>
            <td><input class="num" id={format!("line-{i}-quantity")} value={l.quantity.clone()} oninput={text(LineField::Quantity)} disabled={!editable} inputmode="decimal" />
                if let Some(m) = field_error("quantity") { <div class="field-error">{ m }</div> }</td>
            <td><input class="num" id={format!("line-{i}-price")} value={l.unit_price.clone()} oninput={text(LineField::Price)} disabled={!editable} inputmode="decimal" />
                if let Some(m) = field_error("unit_price") { <div class="field-error">{ m }</div> }</td>
            <td><input class="num short" id={format!("line-{i}-discount")} value={l.discount.clone()} oninput={text(LineField::Discount)} disabled={!editable} placeholder="0" /></td>
            <td>
                <div class="tax-pick">
                <select id={format!("line-{i}-zone")} class="zone" onchange={select(LineField::Zone)} disabled={!editable}
                    title={tr(lang, "Onde a operação se localiza para o IVA (escolhe as taxas)", "Where the supply takes place for VAT (it picks the rates)")}>
                    { zone_options(&l.tax_zone, lang) }
                </select>
                <select id={format!("line-{i}-tax")} onchange={select(LineField::Tax)} disabled={!editable}>
                    { rate_options(&l.tax_zone, p.tax_date, lang, &l.tax_code) }
                </select>
                </div>
                if l.tax_code == "ISE" {
                    <select id={format!("line-{i}-exemption")} onchange={select(LineField::Exemption)} disabled={!editable} class={classes!(l.exemption.is_empty().then_some("missing"))}>
                        <option value="" selected={l.exemption.is_empty()}>{ tr(lang, "Motivo…", "Reason…") }</option>
                        { for EXEMPTIONS.iter().filter(|x| x.status == ExemptionStatus::Active).map(|x| html! {
                            <option value={x.code} selected={l.exemption == x.code}>{ format!("{} — {}", x.code, x.mention) }</option>
                        }) }
                    </select>
                }
                if let Some(m) = field_error("tax") { <div class="field-error">{ m }</div> }
            </td>
            if let Some(doc_rate) = &p.withholding {
                <td><input class="num short" id={format!("line-{i}-withholding")} value={l.withholding.clone()} oninput={text(LineField::Withholding)}
                    disabled={!editable} inputmode="decimal" placeholder={if doc_rate.is_empty() { "0".to_string() } else { doc_rate.clone() }} />
                    if let Some(m) = field_error("withholding") { <div class="field-error">{ m }</div> }</td>
            }
            <td class="num amount" id={format!("line-{i}-amount")}>{ p.amount.clone() }</td>
            <td>if editable { <button type="button" class="link" id={format!("line-{i}-remove")} title={tr(lang, "Apagar linha", "Delete line")} onclick={remove}>{ "×" }</button> }</td>
        </tr>
    }
}
