//! The app shell: loads the workspace info, then shows the first-run screen or the header, navigation and page.

use crate::components::notice::ErrorBanner;
use crate::i18n::{system_lang, tr, UiLang};
use crate::ipc;
use crate::pages::customers::CustomersPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::documents::DocumentsPage;
use crate::pages::editor::Editor;
use uuid::Uuid;
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

/// Which screen is on.
#[derive(Clone, Copy, PartialEq)]
enum Route {
    Dashboard,
    Documents,
    Editor(Option<Uuid>),
    Customers,
}

/// Header (company, mode, language) and navigation around the page. Only what exists is shown.
#[function_component(Shell)]
fn shell(p: &ShellProps) -> Html {
    let lang = crate::i18n::use_lang();
    let route = use_state(|| Route::Customers);
    let go = |to: Route| {
        let route = route.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            route.set(to);
        })
    };
    let open_doc = {
        let route = route.clone();
        Callback::from(move |id: Option<Uuid>| route.set(Route::Editor(id)))
    };
    let nav = |to: Route, id: &'static str, label: &'static str| {
        let active = *route == to || (to == Route::Documents && matches!(*route, Route::Editor(_)));
        html! { <a class={classes!("nav-item", active.then_some("active"))} href="#" id={id} aria-current={active.then_some("page")}
            onclick={go(to)}>{ label }</a> }
    };
    let page = match *route {
        Route::Dashboard => html! { <DashboardPage /> },
        Route::Documents => html! { <DocumentsPage on_open={open_doc.clone()} /> },
        Route::Editor(id) => {
            let route = route.clone();
            html! { <Editor key={id.map(|i| i.to_string()).unwrap_or_default()} {id} on_open={open_doc.clone()}
                on_close={Callback::from(move |_| route.set(Route::Documents))} /> }
        }
        Route::Customers => html! { <CustomersPage /> },
    };
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
                { nav(Route::Dashboard, "nav-dashboard", tr(lang, "Resumo", "Dashboard")) }
                { nav(Route::Documents, "nav-documents", tr(lang, "Documentos", "Documents")) }
                { nav(Route::Customers, "nav-customers", tr(lang, "Clientes", "Customers")) }
            </nav>
            <main class="content">{ page }</main>
        </div>
    }
}
