//! The app shell: loads the workspace info, then shows the first-run screen or the header, navigation and page.

use crate::components::notice::ErrorBanner;
use crate::i18n::{system_lang, tr, UiLang};
use crate::ipc;
use crate::pages::customers::CustomersPage;
use crate::pages::first_run::FirstRun;
use desk_model::ipc::{AppError, AppInfo, Mode};
use desk_model::msg::Lang;
use yew::prelude::*;

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let info = use_state(|| None::<Result<AppInfo, AppError>>);
    let lang = use_state(system_lang);
    {
        let info = info.clone();
        let lang = lang.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::app_info().await;
                if let Ok(Some(chosen)) = result.as_ref().map(|i| i.lang) {
                    lang.set(chosen);
                }
                info.set(Some(result));
            });
        });
    }
    {
        let lang = *lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = root.set_attribute("lang", lang.tag());
            }
        });
    }
    let switch_lang = {
        let lang = lang.clone();
        Callback::from(move |to: Lang| {
            lang.set(to);
            wasm_bindgen_futures::spawn_local(async move {
                // Remembering the choice is a convenience; the switch itself already happened.
                let _ = ipc::set_language(to).await;
            });
        })
    };
    let on_first_run_done = {
        let info = info.clone();
        Callback::from(move |i: AppInfo| info.set(Some(Ok(i))))
    };

    let body = match &*info {
        None => html! { <div class="loading">{ tr(*lang, "A carregar…", "Loading…") }</div> },
        Some(Err(e)) => html! {
            <main class="fatal">
                <h1>{ tr(*lang, "Não foi possível abrir os dados", "Could not open the data") }</h1>
                <ErrorBanner error={e.clone()} />
            </main>
        },
        Some(Ok(i)) if i.first_run => html! { <FirstRun info={i.clone()} on_done={on_first_run_done} /> },
        Some(Ok(i)) => html! { <Shell info={i.clone()} on_lang={switch_lang.clone()} /> },
    };
    html! { <ContextProvider<UiLang> context={UiLang(*lang)}>{ body }</ContextProvider<UiLang>> }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    info: AppInfo,
    on_lang: Callback<Lang>,
}

/// Header (company, mode, language) and navigation around the page. Only what exists is shown.
#[function_component(Shell)]
fn shell(p: &ShellProps) -> Html {
    let lang = crate::i18n::use_lang();
    let (badge, badge_title) = match p.info.mode {
        Mode::Solo => (
            tr(lang, "Local · modo solo", "Local · solo mode"),
            tr(
                lang,
                "Sem servidor central: os dados ficam só neste computador.",
                "No central server: the data stays on this computer only.",
            ),
        ),
        Mode::Office => (tr(lang, "Escritório", "Office"), ""),
    };
    let lang_button = |to: Lang, label: &'static str| {
        let on_lang = p.on_lang.clone();
        html! {
            <button type="button" class={classes!("lang", (lang == to).then_some("active"))} id={format!("lang-{}", to.tag())}
                aria-pressed={(lang == to).to_string()} onclick={Callback::from(move |_| on_lang.emit(to))}>{ label }</button>
        }
    };
    html! {
        <div class="shell">
            <header class="topbar">
                <div class="brand"><img src="icon.png" alt="" width="24" height="24" />{ "desk-moloni" }</div>
                <div class="company" id="company-name" title={p.info.company.nif.clone().unwrap_or_default()}>{ p.info.company.name.clone() }</div>
                <div class="spacer"></div>
                <span class="badge badge-local" id="mode-badge" title={badge_title}>{ badge }</span>
                <div class="langs" role="group" aria-label="Idioma / Language">
                    { lang_button(Lang::Pt, "PT") }
                    { lang_button(Lang::En, "EN") }
                </div>
            </header>
            <nav class="sidebar">
                <a class="nav-item active" href="#" aria-current="page" id="nav-customers">{ tr(lang, "Clientes", "Customers") }</a>
            </nav>
            <main class="content"><CustomersPage /></main>
        </div>
    }
}
