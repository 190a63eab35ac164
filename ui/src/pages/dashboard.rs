//! The dashboard: drafts waiting, unpaid and overdue totals, this month's sales — all from the local cache.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, CountAmount, Dashboard};
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
    {
        let data = data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { data.set(Some(ipc::dashboard().await)) });
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
        </section>
    }
}
