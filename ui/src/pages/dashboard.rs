//! The dashboard: drafts waiting, unpaid and overdue totals, this month's and this year's sales against last
//! year's, the year's top customers and a monthly chart drawn in Rust (SVG) — all from the local cache.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use chrono::Datelike;
use desk_model::chart::{bars, hbars_width, Series};
use desk_model::ipc::{AppError, CountAmount, Dashboard, SalesOverview};
use desk_model::money::format_money;
use desk_model::msg::Lang;
use yew::prelude::*;

fn tile(lang: Lang, id: &'static str, title: &'static str, c: CountAmount, note: String) -> Html {
    html! {
        <div class="tile" id={id}>
            <div class="tile-title">{ title }</div>
            <div class="tile-amount">{ format_money(c.amount, lang) }</div>
            <div class="tile-note">{ note }</div>
        </div>
    }
}

/// The dashboard page.
#[function_component(DashboardPage)]
pub fn dashboard_page() -> Html {
    let lang = use_lang();
    let data = use_state(|| None::<Result<Dashboard, AppError>>);
    let sales = use_state(|| None::<Result<SalesOverview, AppError>>);
    {
        let (data, sales) = (data.clone(), sales.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(ipc::dashboard().await));
                sales.set(Some(ipc::sales_overview().await));
            });
        });
    }
    let docs = |n: u64| match lang {
        Lang::Pt => format!("{n} documento{}", if n == 1 { "" } else { "s" }),
        Lang::En => format!("{n} document{}", if n == 1 { "" } else { "s" }),
    };
    html! {
        <section class="page dashboard">
            <div class="page-head"><h1>{ tr(lang, "Resumo", "Dashboard") }</h1></div>
            { match &*data {
                None => html! { <p class="loading">{ tr(lang, "A carregar…", "Loading…") }</p> },
                Some(Err(e)) => html! { <ErrorBanner error={e.clone()} /> },
                Some(Ok(d)) => html! {
                    <div class="tiles">
                        { tile(lang, "tile-drafts", tr(lang, "Rascunhos por emitir", "Drafts waiting"), d.drafts, docs(d.drafts.count)) }
                        { tile(lang, "tile-unpaid", tr(lang, "Por receber", "Unpaid"), d.unpaid, docs(d.unpaid.count)) }
                        { tile(lang, "tile-overdue", tr(lang, "Vencido", "Overdue"), d.overdue, docs(d.overdue.count)) }
                        <div class="tile" id="tile-month">
                            <div class="tile-title">{ tr(lang, "Vendas deste mês", "This month's sales") }</div>
                            <div class="tile-amount">{ format_money(d.month_sales_total, lang) }</div>
                            <div class="tile-note">{ format!("{} {}", tr(lang, "sem IVA:", "before VAT:"), format_money(d.month_sales_net, lang)) }</div>
                        </div>
                    </div>
                },
            } }
            { match &*sales {
                Some(Ok(s)) => overview(lang, s),
                Some(Err(e)) => html! { <ErrorBanner error={e.clone()} /> },
                None => html! {},
            } }
        </section>
    }
}

/// "+12 % on last year" (or nothing when last year had no sales).
fn against(lang: Lang, now: desk_model::money::Money, before: desk_model::money::Money) -> String {
    let label = match lang {
        Lang::Pt => "no ano anterior",
        Lang::En => "last year",
    };
    match desk_model::chart::change_percent(now, before) {
        Some(pct) => format!("{}{pct} % · {label}: {}", if pct < 0 { "" } else { "+" }, format_money(before, lang)),
        None => format!("{label}: {}", format_money(before, lang)),
    }
}

fn overview(lang: Lang, s: &SalesOverview) -> Html {
    let labels: Vec<String> = s.months.iter().map(|m| m.month.get(5..7).unwrap_or(&m.month).to_string()).collect();
    let year = s.today.format("%Y").to_string();
    let last = (s.today.year_ce().1 - 1).to_string();
    let series = vec![
        Series { name: year, class: "s0".into(), values: s.months.iter().map(|m| m.this_year).collect() },
        Series { name: last, class: "s1".into(), values: s.months.iter().map(|m| m.last_year).collect() },
    ];
    let top: Vec<(String, desk_model::money::Money)> =
        s.top_customers.iter().map(|c| (c.label.clone(), c.net)).collect();
    html! { <>
        <div class="tiles">
            <div class="tile" id="tile-month-vs">
                <div class="tile-title">{ tr(lang, "Este mês", "This month") }</div>
                <div class="tile-amount">{ format_money(s.month, lang) }</div>
                <div class="tile-note">{ against(lang, s.month, s.month_last_year) }</div>
            </div>
            <div class="tile" id="tile-year">
                <div class="tile-title">{ tr(lang, "Este ano", "This year") }</div>
                <div class="tile-amount">{ format_money(s.year, lang) }</div>
                <div class="tile-note">{ against(lang, s.year, s.year_last_year) }</div>
            </div>
        </div>
        <div class="charts">
            <div class="chart-box" id="dashboard-chart">
                <h2>{ tr(lang, "Vendas por mês (com IVA)", "Sales by month (with VAT)") }</h2>
                { Html::from_html_unchecked(AttrValue::from(bars("sales-months", &labels, &series, lang))) }
            </div>
            <div class="chart-box" id="top-customers">
                <h2>{ tr(lang, "Melhores clientes do ano (sem IVA)", "The year's top customers (before VAT)") }</h2>
                if top.is_empty() { <p class="empty">{ tr(lang, "Sem vendas este ano.", "No sales this year.") }</p> }
                else { { Html::from_html_unchecked(AttrValue::from(hbars_width("top-customers-chart", &top, lang, 440))) } }
            </div>
        </div>
    </> }
}
