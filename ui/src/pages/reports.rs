//! Relatórios: sales by month, customer or product; the VAT summary per fiscal zone and rate for a period (what
//! the periodic VAT return needs); aged receivables and overdue documents per customer. Each a table, a chart
//! drawn in Rust (desk-model's `chart`, SVG in the page) and CSV/XLSX export. The period is kept as typed.

use crate::components::export::ExportButtons;
use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::{ipc, screen};
use chrono::{Datelike, NaiveDate};
use desk_model::chart::{bars, hbars, Series};
use desk_model::ipc::{AppError, ExportWhat, ReportData, ReportKind, ReportRequest, SalesBy, AGE_BUCKETS};
use desk_model::money::{format_money, Money};
use desk_model::msg::Lang;
use serde::{Deserialize, Serialize};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The form as kept: dates as typed (dd/mm/aaaa or aaaa-mm-dd).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Form {
    kind: ReportKind,
    from: String,
    to: String,
    by: SalesBy,
}

fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

impl Default for Form {
    fn default() -> Self {
        let t = today();
        let first = NaiveDate::from_ymd_opt(t.year(), 1, 1).unwrap_or(t);
        Form {
            kind: ReportKind::Sales,
            from: first.format("%d/%m/%Y").to_string(),
            to: t.format("%d/%m/%Y").to_string(),
            by: SalesBy::Month,
        }
    }
}

fn svg(markup: String) -> Html {
    Html::from_html_unchecked(AttrValue::from(markup))
}

fn money(m: Money, lang: Lang) -> Html {
    html! { <td class="num">{ format_money(m, lang) }</td> }
}

fn view(data: &ReportData, lang: Lang) -> Html {
    match data {
        ReportData::Sales(r) => {
            let chart = match r.by {
                SalesBy::Month => {
                    let labels: Vec<String> = r.rows.iter().map(|s| s.key.clone()).collect();
                    let series = vec![
                        Series {
                            name: tr(lang, "Total", "Total").into(),
                            class: "s0".into(),
                            values: r.rows.iter().map(|s| s.total).collect(),
                        },
                        Series {
                            name: tr(lang, "Líquido", "Net").into(),
                            class: "s1".into(),
                            values: r.rows.iter().map(|s| s.net).collect(),
                        },
                    ];
                    bars("report-chart", &labels, &series, lang)
                }
                _ => hbars(
                    "report-chart",
                    &r.rows.iter().take(15).map(|s| (s.label.clone(), s.net)).collect::<Vec<_>>(),
                    lang,
                ),
            };
            html! { <>
                { svg(chart) }
                if r.more { { more_rows(lang) } }
                <table class="list" id="report-table">
                    <thead><tr><th>{ match r.by { SalesBy::Month => tr(lang, "Mês", "Month"), SalesBy::Customer => tr(lang, "Cliente", "Customer"), SalesBy::Product => tr(lang, "Artigo", "Product") } }</th>
                        <th class="num">{ tr(lang, "Documentos", "Documents") }</th><th class="num">{ tr(lang, "Líquido", "Net") }</th>
                        if r.by != SalesBy::Product { <th class="num">{ tr(lang, "Total", "Total") }</th> }</tr></thead>
                    <tbody>{ for r.rows.iter().map(|s| html! { <tr><td>{ &s.label }</td><td class="num">{ s.documents }</td>{ money(s.net, lang) }
                        if r.by != SalesBy::Product { { money(s.total, lang) } }</tr> }) }</tbody>
                    <tfoot><tr id="report-total"><th>{ tr(lang, "Total", "Total") }</th><th class="num">{ r.documents }</th>{ money(r.net, lang) }
                        if r.by != SalesBy::Product { { money(r.total, lang) } }</tr></tfoot>
                </table>
            </> }
        }
        ReportData::Vat(r) => {
            let label = |z: &str, c: &str, p: &desk_model::money::Percent, e: &Option<String>| {
                format!("{z} {c} {}%{}", p.0.normalize(), e.as_ref().map(|e| format!(" {e}")).unwrap_or_default())
            };
            let chart_rows: Vec<(String, Money)> = r
                .rows
                .iter()
                .filter(|v| !v.vat.is_zero())
                .map(|v| (label(&v.zone, &v.code, &v.percent, &v.exemption), v.vat))
                .collect();
            html! { <>
                { svg(hbars("report-chart", &chart_rows, lang)) }
                <table class="list" id="report-table">
                    <thead><tr><th>{ tr(lang, "Zona", "Zone") }</th><th>{ tr(lang, "Código", "Code") }</th><th class="num">{ tr(lang, "Taxa", "Rate") }</th>
                        <th>{ tr(lang, "Isenção", "Exemption") }</th><th class="num">{ tr(lang, "Base tributável", "Taxable base") }</th><th class="num">{ tr(lang, "IVA", "VAT") }</th></tr></thead>
                    <tbody>{ for r.rows.iter().map(|v| html! { <tr>
                        <td>{ match v.zone.as_str() { "PT" => tr(lang, "Continente", "Mainland"), "PT-AC" => tr(lang, "Açores", "Azores"), _ => "Madeira" } }</td>
                        <td>{ &v.code }</td><td class="num">{ format!("{} %", v.percent.0.normalize()) }</td><td>{ v.exemption.clone().unwrap_or_default() }</td>
                        { money(v.base, lang) }{ money(v.vat, lang) }</tr> }) }</tbody>
                    <tfoot><tr id="report-total"><th colspan="4">{ format!("{} ({} {})", tr(lang, "Total", "Total"), r.documents, tr(lang, "documentos", "documents")) }</th>
                        { money(r.base, lang) }{ money(r.vat, lang) }</tr></tfoot>
                </table>
            </> }
        }
        ReportData::Aged(r) => {
            let labels: Vec<String> =
                AGE_BUCKETS.iter().map(|(pt, en)| if lang == Lang::Pt { pt } else { en }.to_string()).collect();
            let series = vec![Series {
                name: tr(lang, "Em dívida", "Open").into(),
                class: "s0".into(),
                values: r.buckets.to_vec(),
            }];
            html! { <>
                { svg(bars("report-chart", &labels, &series, lang)) }
                if r.more { { more_rows(lang) } }
                <table class="list" id="report-table">
                    <thead><tr><th>{ tr(lang, "Cliente", "Customer") }</th>{ for labels.iter().map(|l| html! { <th class="num">{ l }</th> }) }
                        <th class="num">{ tr(lang, "Total", "Total") }</th><th class="num">{ tr(lang, "Vencidos", "Overdue") }</th></tr></thead>
                    <tbody>{ for r.rows.iter().map(|a| html! { <tr><td>{ &a.customer }</td>{ for a.buckets.iter().map(|m| money(*m, lang)) }
                        { money(a.total, lang) }<td class="num">{ a.overdue_documents }</td></tr> }) }</tbody>
                    <tfoot><tr id="report-total"><th>{ tr(lang, "Total", "Total") }</th>{ for r.buckets.iter().map(|m| money(*m, lang)) }{ money(r.total, lang) }<th></th></tr></tfoot>
                </table>
            </> }
        }
    }
}

/// Rows a report shows on screen, the largest first (exports carry every row).
const SCREEN_ROWS: u32 = 300;

/// Under a table cut at [`SCREEN_ROWS`].
fn more_rows(lang: Lang) -> Html {
    html! { <p class="muted" id="report-more">{ match lang {
        Lang::Pt => format!("Mostra os {SCREEN_ROWS} maiores; o total conta todos. Exporte para ver a lista inteira."),
        Lang::En => format!("Showing the {SCREEN_ROWS} largest; the total counts them all. Export for the whole list."),
    } }</p> }
}

/// The reports page.
#[function_component(ReportsPage)]
pub fn reports_page() -> Html {
    let lang = use_lang();
    let form = use_state(|| None::<Form>);
    let data = use_state(|| None::<Result<ReportData, AppError>>);
    {
        let form = form.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                form.set(Some(screen::load::<Form>("reports").await.unwrap_or_default()));
            });
        });
    }
    let f = (*form).clone().unwrap_or_default();
    let parsed = (|| {
        let from = desk_model::ipc::parse_date(&f.from).ok().flatten()?;
        let to = desk_model::ipc::parse_date(&f.to).ok().flatten()?;
        Some(ReportRequest { kind: f.kind, from, to, by: f.by, limit: Some(SCREEN_ROWS) })
    })();
    {
        let data = data.clone();
        use_effect_with(parsed.clone(), move |req| {
            if let Some(req) = req.clone() {
                wasm_bindgen_futures::spawn_local(async move { data.set(Some(ipc::report_get(&req).await)) });
            }
        });
    }
    let change = {
        let form = form.clone();
        Callback::from(move |f: Form| {
            screen::save("reports", &f);
            form.set(Some(f));
        })
    };
    let tab = |kind: ReportKind, id: &'static str, label: &'static str| {
        let (change, f) = (change.clone(), f.clone());
        let active = f.kind == kind;
        html! { <button type="button" id={id} class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
        onclick={Callback::from(move |_| change.emit(Form { kind, ..f.clone() }))}>{ label }</button> }
    };
    let date_input = |id: &'static str, value: String, set: fn(&mut Form, String)| {
        let (change, f) = (change.clone(), f.clone());
        html! { <input id={id} class="date" value={value} placeholder="dd/mm/aaaa" oninput={Callback::from(move |e: InputEvent| {
            let mut f = f.clone();
            set(&mut f, e.target_unchecked_into::<HtmlInputElement>().value());
            change.emit(f);
        })} /> }
    };
    let on_by = {
        let (change, f) = (change.clone(), f.clone());
        Callback::from(move |e: Event| {
            let by = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "customer" => SalesBy::Customer,
                "product" => SalesBy::Product,
                _ => SalesBy::Month,
            };
            change.emit(Form { by, ..f.clone() });
        })
    };
    html! {
        <section class="page reports">
            <div class="page-head"><h1>{ tr(lang, "Relatórios", "Reports") }</h1>
                if let Some(req) = &parsed { <ExportButtons what={ExportWhat::Report { request: req.clone() }} /> }
            </div>
            if form.is_some() {
                <div class="tabs" role="group">
                    { tab(ReportKind::Sales, "report-sales", tr(lang, "Vendas", "Sales")) }
                    { tab(ReportKind::Vat, "report-vat", tr(lang, "Resumo do IVA", "VAT summary")) }
                    { tab(ReportKind::Aged, "report-aged", tr(lang, "Antiguidade de saldos", "Aged receivables")) }
                </div>
                <div class="toolbar">
                    if f.kind != ReportKind::Aged {
                        <label for="report-from">{ tr(lang, "De", "From") }</label>
                        { date_input("report-from", f.from.clone(), |f, v| f.from = v) }
                    }
                    <label for="report-to">{ if f.kind == ReportKind::Aged { tr(lang, "Em", "On") } else { tr(lang, "a", "to") } }</label>
                    { date_input("report-to", f.to.clone(), |f, v| f.to = v) }
                    if f.kind == ReportKind::Sales {
                        <select id="report-by" onchange={on_by}>
                            <option value="month" selected={f.by == SalesBy::Month}>{ tr(lang, "por mês", "by month") }</option>
                            <option value="customer" selected={f.by == SalesBy::Customer}>{ tr(lang, "por cliente", "by customer") }</option>
                            <option value="product" selected={f.by == SalesBy::Product}>{ tr(lang, "por artigo", "by product") }</option>
                        </select>
                    }
                </div>
                if parsed.is_none() {
                    <div class="banner banner-warn" id="report-dates">{ tr(lang, "Indique as datas como 31/12/2026.", "Give the dates as 31/12/2026.") }</div>
                }
                { match &*data {
                    None => html! {},
                    Some(Err(e)) => html! { <ErrorBanner error={e.clone()} /> },
                    Some(Ok(d)) => view(d, lang),
                } }
            }
        </section>
    }
}
