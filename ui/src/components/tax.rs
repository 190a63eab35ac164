//! The VAT choices of a document line and of a product: the fiscal zone, and the rates labelled from desk-model's
//! dated table for that zone on that day (never fixed "23 %/13 %/6 %": the Azores, Madeira and past dates differ).

use crate::i18n::tr;
use chrono::NaiveDate;
use desk_model::msg::Lang;
use desk_model::tax::{rate_labels, FiscalZone, RateClass};
use yew::prelude::*;

/// Today on this computer, as the rate table is read for a new product.
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

/// The zone a line or product holds (`PT`, `PT-AC`, `PT-MA`; blank or unknown read as the mainland).
pub fn zone_of(code: &str) -> FiscalZone {
    FiscalZone::parse(code).unwrap_or(FiscalZone::Pt)
}

/// The `<option>`s of a zone select, `selected` being the stored code.
pub fn zone_options(selected: &str, lang: Lang) -> Html {
    let current = zone_of(selected);
    html! { <>{ for FiscalZone::ALL.into_iter().map(|z| html! {
        <option value={z.code()} selected={z == current}>{ z.name(lang) }</option>
    }) }</> }
}

/// The `<option>`s of a rate select: normal, intermediate and reduced rates of `zone` in force on `date`, then
/// "Isento" ("Outros", a special regime, only on a line that has it). A class with no rate that day (the Azores
/// before 2015-07-01) keeps an option only when it is the one chosen, marked "—", so the select still shows what
/// is stored while the totals say what is wrong.
pub fn rate_options(zone: &str, date: NaiveDate, lang: Lang, selected: &str) -> Html {
    let labels = rate_labels(zone_of(zone), date, lang);
    let rates = [RateClass::Normal, RateClass::Intermediate, RateClass::Reduced].into_iter().filter_map(|class| {
        let code = class.code().as_str();
        let chosen = selected == code;
        match labels.iter().find(|l| l.class == class) {
            Some(l) => Some(html! {
                <option value={code} selected={chosen} title={l.long_label.clone()}>{ l.label.clone() }</option>
            }),
            None if chosen => Some(html! { <option value={code} selected=true>{ format!("{code} —") }</option> }),
            None => None,
        }
    });
    html! { <>
        { for rates }
        <option value="ISE" selected={selected == "ISE"}>{ tr(lang, "Isento", "Exempt") }</option>
        if selected == "OUT" { <option value="OUT" selected=true>{ tr(lang, "Outros", "Other") }</option> }
    </> }
}
