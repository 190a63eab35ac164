//! The app shell: loads the workspace info, then shows the first-run screen or the header, navigation and page.

use crate::components::notice::ErrorBanner;
use crate::i18n::{system_lang, tr, UiLang};
use crate::ipc;
use crate::pages::company::CompanyPage;
use crate::pages::customers::CustomersPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::documents::DocumentsPage;
use crate::pages::editor::Editor;
use crate::pages::first_run::FirstRun;
use crate::pages::products::ProductsPage;
use desk_model::ipc::{AppError, AppInfo, CompanySummary, Mode};
use desk_model::msg::Lang;
use uuid::Uuid;
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
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
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
        Some(Ok(i)) => {
            html! { <Shell info={i.clone()} on_lang={switch_lang.clone()} on_info={on_first_run_done.clone()} /> }
        }
    };
    html! { <ContextProvider<UiLang> context={UiLang(*lang)}>{ body }</ContextProvider<UiLang>> }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    info: AppInfo,
    on_lang: Callback<Lang>,
    /// New header info after a company switch or a change to its details.
    on_info: Callback<AppInfo>,
}

/// Which screen is on.
#[derive(Clone, Copy, PartialEq)]
enum Route {
    Dashboard,
    Documents,
    Editor(Option<Uuid>),
    Customers,
    Products,
    /// The current company's details.
    Company,
    /// Adding a company.
    NewCompany,
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
        Route::Products => html! { <ProductsPage /> },
        Route::Company | Route::NewCompany => {
            let (on_info, route, create) = (p.on_info.clone(), route.clone(), *route == Route::NewCompany);
            html! { <CompanyPage key={create.to_string()} {create} on_saved={Callback::from(move |i: AppInfo| {
                on_info.emit(i);
                if create { route.set(Route::Dashboard) }
            })} /> }
        }
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
                <CompanySwitcher info={p.info.clone()} on_info={p.on_info.clone()}
                    on_route={let route = route.clone(); Callback::from(move |r: Route| route.set(r))} />
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
                { nav(Route::Products, "nav-products", tr(lang, "Produtos", "Products")) }
            </nav>
            <main class="content" key={p.info.company.id.to_string()}>{ page }</main>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SwitcherProps {
    info: AppInfo,
    on_info: Callback<AppInfo>,
    on_route: Callback<Route>,
}

/// The company on screen, as a menu: the other companies to switch to, its details, and adding one.
#[function_component(CompanySwitcher)]
fn company_switcher(p: &SwitcherProps) -> Html {
    let lang = crate::i18n::use_lang();
    let open = use_state(|| false);
    let companies = use_state(Vec::<CompanySummary>::new);
    let error = use_state(|| None::<AppError>);
    let toggle = {
        let (open, companies, error) = (open.clone(), companies.clone(), error.clone());
        Callback::from(move |_| {
            if !*open {
                let (companies, error) = (companies.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::companies_list().await {
                        Ok(list) => companies.set(list),
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
            open.set(!*open);
        })
    };
    let switch = |id: uuid::Uuid| {
        let (open, error, on_info, on_route) = (open.clone(), error.clone(), p.on_info.clone(), p.on_route.clone());
        Callback::from(move |_| {
            let (open, error, on_info, on_route) = (open.clone(), error.clone(), on_info.clone(), on_route.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::company_switch(id).await {
                    Ok(info) => {
                        open.set(false);
                        on_route.emit(Route::Dashboard);
                        on_info.emit(info);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let go = |to: Route| {
        let (open, on_route) = (open.clone(), p.on_route.clone());
        Callback::from(move |_| {
            open.set(false);
            on_route.emit(to);
        })
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let current = &p.info.company;
    html! {
        <div class="switcher" {onkeydown}>
            <button type="button" class="company" id="company-menu-button" aria-haspopup="menu" aria-expanded={open.to_string()}
                title={current.nif.clone().map(|n| format!("NIF {n}")).unwrap_or_default()} onclick={toggle}>
                <span id="company-name">{ current.name.clone() }</span><span class="caret" aria-hidden="true">{ " ▾" }</span>
            </button>
            if *open {
                <div class="menu" role="menu" id="company-menu">
                    { for companies.iter().map(|c| {
                        let is_current = c.id == current.id;
                        html! {
                            <button type="button" role="menuitemradio" aria-checked={is_current.to_string()} class={classes!("menu-item", is_current.then_some("current"))}
                                data-company={c.name.clone()} onclick={switch(c.id)} disabled={is_current}>
                                <span>{ c.name.clone() }</span>
                                <span class="muted">{ c.nif.clone().unwrap_or_default() }</span>
                            </button>
                        }
                    }) }
                    <hr />
                    <button type="button" role="menuitem" class="menu-item" id="company-details" onclick={go(Route::Company)}>
                        { tr(lang, "Dados da empresa…", "Company details…") }</button>
                    <button type="button" role="menuitem" class="menu-item" id="company-new" onclick={go(Route::NewCompany)}>
                        { tr(lang, "+ Nova empresa…", "+ New company…") }</button>
                    if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
                </div>
            }
        </div>
    }
}
