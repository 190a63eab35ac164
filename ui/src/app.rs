//! The app shell: loads the workspace info, then shows the first-run screen or the header, navigation and page.

use crate::access::ReadOnly;
use crate::components::notice::ErrorBanner;
use crate::hooks::{use_latest, Bump};
use crate::i18n::{system_lang, tr, UiLang};
use crate::ipc;
use crate::leave;
use crate::pages::audit::AuditPage;
use crate::pages::company::CompanyPage;
use crate::pages::customers::CustomersPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::documents::DocumentsPage;
use crate::pages::editor::{Editor, UnsavedChanged};
use crate::pages::first_run::FirstRun;
use crate::pages::import::ImportPage;
use crate::pages::office_sync::OfficeSyncPage;
use crate::pages::products::ProductsPage;
use crate::pages::queue::QueuePage;
use crate::pages::reports::ReportsPage;
use crate::pages::review::ReviewPage;
use crate::pages::settings::SettingsPage;
use crate::pages::users::UsersPage;
use desk_model::ipc::{AppError, AppInfo, CompanySummary, IssueQueueSummary, Mode, ServerRole, ServerStatus};
use desk_model::msg::Lang;
use desk_model::unsaved::UnsavedForm;
use uuid::Uuid;
use yew::prelude::*;

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let info = use_state(|| None::<Result<AppInfo, AppError>>);
    let lang = use_state(system_lang);
    // Closing the window or quitting first stores what the editors have on screen.
    use_effect_with((), |_| leave::install_close_listener());
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
    /// An editor on a journalled form (by its key), offered back after a close, a crash or a restart.
    Recover(Uuid),
    Customers,
    Products,
    /// The current company's details.
    Company,
    /// Adding a company.
    NewCompany,
    /// Definições: the Moloni connection.
    Settings,
    /// Fila de emissão: the issue requests.
    Queue,
    /// Importar: customers and products from a file.
    Import,
    /// Revisão: differing values waiting for a decision.
    Review,
    /// Relatórios.
    Reports,
    /// Utilizadores: the office's people (admins).
    Users,
    /// Auditoria: the server's audit trail (admins, accountants).
    Audit,
    /// Sincronização: office sync, the conflict queue and refused edits (office mode).
    OfficeSync,
}

/// Header (company, mode, language) and navigation around the page. Only what exists is shown.
#[function_component(Shell)]
fn shell(p: &ShellProps) -> Html {
    let lang = crate::i18n::use_lang();
    let route = use_state(|| Route::Customers);
    // Leaving a form with unsaved changes asks first; editors store their work on their own when they unmount.
    let go_to = {
        let route = route.clone();
        Callback::from(move |to: Route| {
            let route = route.clone();
            leave::confirm_then(lang, move || route.set(to));
        })
    };
    let go = |to: Route| {
        let go_to = go_to.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            go_to.emit(to);
        })
    };
    let open_doc = {
        let route = route.clone();
        Callback::from(move |id: Option<Uuid>| route.set(Route::Editor(id)))
    };

    // Office mode: whether the server answers, and the role it gives this desktop's user (remembered while it is
    // away), which decides what the screens offer.
    let office = use_state(|| None::<ServerStatus>);
    {
        let office = office.clone();
        use_effect_with((p.info.mode, p.info.company.id), move |(mode, _)| {
            if *mode == Mode::Office {
                let office = office.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    // the stored state first (at once), then the server's answer
                    if let Ok(s) = ipc::server_status(false).await {
                        office.set(Some(s));
                    }
                    if let Ok(s) = ipc::server_status(true).await {
                        office.set(Some(s));
                    }
                });
            }
        });
    }
    // Office sync's state, read every few seconds: the badge of the sync centre, and the data version every list
    // re-reads on, so what another desktop changed appears without a click.
    let office_sync = use_state(|| None::<desk_model::ipc::OfficeSyncStatus>);
    {
        let office_sync = office_sync.clone();
        use_effect_with(p.info.mode, move |mode| {
            let timer = (*mode == Mode::Office).then(|| {
                let read = move || {
                    let office_sync = office_sync.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(s) = ipc::office_sync_status().await {
                            if office_sync.as_ref() != Some(&s) {
                                office_sync.set(Some(s));
                            }
                        }
                    });
                };
                read();
                gloo_timers::callback::Interval::new(1_000, read)
            });
            move || drop(timer)
        });
    }
    let data_version = DataVersion(office_sync.as_ref().map_or(0, |s| s.cursor));
    let sync_attention = office_sync.as_ref().map_or(0, |s| s.conflicts + s.rejected.len() as i64);
    let role = office.as_ref().and_then(|s| s.session.as_ref()).and_then(|s| s.role);
    let read_only = p.info.mode == Mode::Office && role.is_none_or(|r| !r.can_edit());

    // Forms journalled and not stored (after a close that could not store them, a crash or a restart).
    let unsaved = use_state(Vec::<UnsavedForm>::new);
    let unsaved_tick = use_reducer(Bump::default);
    let unsaved_latest = use_latest();
    {
        let (unsaved, latest) = (unsaved.clone(), unsaved_latest.clone());
        use_effect_with((*route, unsaved_tick.0, p.info.company.id), move |_| {
            let ticket = latest.begin();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(list) = ipc::unsaved_forms_list().await {
                    if ticket.is_current() {
                        unsaved.set(list);
                    }
                }
            });
        });
    }
    let unsaved_changed = {
        let tick = unsaved_tick.dispatcher();
        UnsavedChanged(Callback::from(move |_| tick.dispatch(())))
    };
    // The form being recovered, kept apart from the list (which drops it once the editor has stored it).
    let recovering = use_state(|| None::<UnsavedForm>);
    let in_editor = matches!(*route, Route::Editor(_) | Route::Recover(_));
    let recover_banner = unsaved.first().filter(|_| !in_editor).map(|f| {
        let recover = {
            let (route, recovering, form) = (route.clone(), recovering.clone(), f.clone());
            Callback::from(move |_| {
                let (route, recovering, form) = (route.clone(), recovering.clone(), form.clone());
                leave::confirm_then(lang, move || {
                    recovering.set(Some(form.clone()));
                    route.set(Route::Recover(form.key));
                });
            })
        };
        let discard = {
            let (tick, key) = (unsaved_tick.dispatcher(), f.key);
            Callback::from(move |_| {
                let tick = tick.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = ipc::unsaved_form_clear(key).await;
                    tick.dispatch(());
                });
            })
        };
        let more = unsaved.len() - 1;
        html! {
            <div class="banner banner-warn recover" id="recover-offer" role="alert">
                <span>{ tr(lang, "Recuperar o documento não guardado?", "Recover the unsaved document?") }{ " " }<em id="recover-summary">{ f.summary(lang) }</em>
                    if more > 0 { { match lang { Lang::Pt => format!(" (+{more} por recuperar)"), Lang::En => format!(" (+{more} more)") } } }</span>
                <button type="button" class="primary" id="recover-draft" onclick={recover}>{ tr(lang, "Recuperar", "Recover") }</button>
                <button type="button" class="link" id="recover-discard" onclick={discard}>{ tr(lang, "Descartar", "Discard") }</button>
            </div>
        }
    });

    // The badge of the issue queue: requests still waiting (queued or stopped for review), read every few seconds
    // and whenever the screen changes.
    let queue_summary = use_state(IssueQueueSummary::default);
    {
        let summary = queue_summary.clone();
        use_effect_with((*route, p.info.company.id), move |_| {
            let read = move || {
                let summary = summary.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(s) = ipc::issue_queue_summary().await {
                        summary.set(s);
                    }
                });
            };
            read();
            let timer = gloo_timers::callback::Interval::new(5_000, read);
            move || drop(timer)
        });
    }
    let waiting = queue_summary.waiting + queue_summary.attention;

    // The "leave without saving?" question, in the page.
    let asking = use_state(|| false);
    let pending_leave = use_mut_ref(|| None::<Box<dyn FnOnce()>>);
    {
        let (asking, pending) = (asking.clone(), pending_leave.clone());
        use_effect_with((), move |_| {
            leave::set_asker(Some(std::rc::Rc::new(move |then: Box<dyn FnOnce()>| {
                *pending.borrow_mut() = Some(then);
                asking.set(true);
            })));
            || leave::set_asker(None)
        });
    }
    let leave_question = asking.then(|| {
        let answer = |go: bool| {
            let (asking, pending) = (asking.clone(), pending_leave.clone());
            Callback::from(move |_: MouseEvent| {
                asking.set(false);
                let then = pending.borrow_mut().take();
                if let Some(then) = then.filter(|_| go) {
                    then();
                }
            })
        };
        html! {
            <div class="modal-backdrop">
                <div class="modal" role="alertdialog" id="leave-question" aria-labelledby="leave-question-text">
                    <p id="leave-question-text">{ tr(lang, "Há alterações por guardar. Sair sem as guardar?", "There are unsaved changes. Leave without saving them?") }</p>
                    <div class="actions">
                        <button type="button" class="primary" id="leave-stay" onclick={answer(false)}>{ tr(lang, "Continuar a editar", "Keep editing") }</button>
                        <button type="button" class="secondary" id="leave-discard" onclick={answer(true)}>{ tr(lang, "Sair sem guardar", "Leave without saving") }</button>
                    </div>
                </div>
            </div>
        }
    });

    let nav = |to: Route, id: &'static str, label: &'static str| {
        let active = *route == to || (to == Route::Documents && in_editor);
        html! { <a class={classes!("nav-item", active.then_some("active"))} href="#" id={id} aria-current={active.then_some("page")}
        onclick={go(to)}>{ label }</a> }
    };
    let page = match *route {
        Route::Dashboard => html! { <DashboardPage /> },
        Route::Documents => html! { <DocumentsPage on_open={open_doc.clone()} /> },
        Route::Editor(id) => {
            let route = route.clone();
            html! { <Editor key={id.map(|i| i.to_string()).unwrap_or_default()} {id} rounding={p.info.rounding} on_open={open_doc.clone()}
            on_close={Callback::from(move |_| route.set(Route::Documents))} /> }
        }
        Route::Recover(key) => match recovering.as_ref().filter(|f| f.key == key) {
            Some(form) => {
                let route = route.clone();
                html! { <Editor key={format!("recover-{key}")} id={form.document_id} rounding={p.info.rounding} recover={Some(form.clone())} on_open={open_doc.clone()}
                on_close={Callback::from(move |_| route.set(Route::Documents))} /> }
            }
            None => html! { <DocumentsPage on_open={open_doc.clone()} /> },
        },
        Route::Customers => html! { <CustomersPage /> },
        Route::Products => html! { <ProductsPage /> },
        Route::Settings => html! { <SettingsPage /> },
        Route::Queue => html! { <QueuePage on_open={open_doc.clone()} /> },
        Route::Import => html! { <ImportPage /> },
        Route::Review => html! { <ReviewPage /> },
        Route::Reports => html! { <ReportsPage /> },
        Route::Users => html! { <UsersPage /> },
        Route::Audit => html! { <AuditPage /> },
        Route::OfficeSync => html! { <OfficeSyncPage /> },
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
        Mode::Office => match office.as_ref() {
            Some(s) if s.reachable => (tr(lang, "Escritório · ligado", "Office · connected"), ""),
            Some(_) => (
                tr(lang, "Escritório · sem ligação", "Office · not connected"),
                tr(
                    lang,
                    "O servidor do escritório não responde: o trabalho fica guardado neste computador.",
                    "The office server does not answer: your work stays saved on this computer.",
                ),
            ),
            None => (tr(lang, "Escritório", "Office"), ""),
        },
    };
    let badge_title = match (office.as_ref().and_then(|s| s.session.as_ref()), p.info.mode) {
        (Some(session), Mode::Office) => {
            let (pt, en) = session.role.map_or(("sem papel", "no role"), |r| r.label());
            format!("{} · {} · {}", badge_title, session.user, tr(lang, pt, en)).trim_start_matches(" · ").to_string()
        }
        _ => badge_title.to_string(),
    };
    let lang_button = |to: Lang, label: &'static str| {
        let on_lang = p.on_lang.clone();
        html! {
            <button type="button" class={classes!("lang", (lang == to).then_some("active"))} id={format!("lang-{}", to.tag())}
                aria-pressed={(lang == to).to_string()} onclick={Callback::from(move |_| on_lang.emit(to))}>{ label }</button>
        }
    };
    html! {
        <div class={classes!("shell", read_only.then_some("read-only"))}>
            <header class="topbar">
                <div class="brand"><img src="icon.png" alt="" width="24" height="24" />{ "desk-moloni" }</div>
                <CompanySwitcher info={p.info.clone()} on_info={p.on_info.clone()} {read_only}
                    on_route={let route = route.clone(); Callback::from(move |r: Route| route.set(r))} />
                <div class="spacer"></div>
                <span class={classes!("badge", if office.as_ref().is_some_and(|s| !s.reachable) { "badge-warn" } else { "badge-local" })}
                    id="mode-badge" title={badge_title}>{ badge }</span>
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
                if !read_only {
                <a class={classes!("nav-item", (*route == Route::Queue).then_some("active"))} href="#" id="nav-queue"
                    aria-current={(*route == Route::Queue).then_some("page")} onclick={go(Route::Queue)}>
                    { tr(lang, "Fila de emissão", "Issue queue") }
                    if waiting > 0 {
                        <span class="count-badge" id="queue-badge" title={tr(lang, "Pedidos de emissão por tratar", "Issue requests waiting")}>{ waiting }</span>
                    }
                </a>
                }
                { nav(Route::Reports, "nav-reports", tr(lang, "Relatórios", "Reports")) }
                if !read_only { { nav(Route::Import, "nav-import", tr(lang, "Importar", "Import")) } }
                if !read_only { { nav(Route::Review, "nav-review", tr(lang, "Revisão", "Review")) } }
                if role == Some(ServerRole::Admin) { { nav(Route::Users, "nav-users", tr(lang, "Utilizadores", "Users")) } }
                if matches!(role, Some(ServerRole::Admin | ServerRole::Accountant)) { { nav(Route::Audit, "nav-audit", tr(lang, "Auditoria", "Audit trail")) } }
                if p.info.mode == Mode::Office {
                <a class={classes!("nav-item", (*route == Route::OfficeSync).then_some("active"))} href="#" id="nav-sync"
                    aria-current={(*route == Route::OfficeSync).then_some("page")} onclick={go(Route::OfficeSync)}>
                    { tr(lang, "Sincronização", "Sync") }
                    if sync_attention > 0 {
                        <span class="count-badge" id="sync-badge" title={tr(lang, "Conflitos e alterações recusadas", "Conflicts and refused changes")}>{ sync_attention }</span>
                    }
                </a>
                }
                if !read_only { { nav(Route::Settings, "nav-settings", tr(lang, "Definições", "Settings")) } }
            </nav>
            <main class="content" key={p.info.company.id.to_string()}>
                { leave_question.unwrap_or_default() }
                { recover_banner.unwrap_or_default() }
                <ContextProvider<DataVersion> context={data_version}>
                <ContextProvider<ReadOnly> context={ReadOnly(read_only)}>
                    <ContextProvider<UnsavedChanged> context={unsaved_changed}>{ page }</ContextProvider<UnsavedChanged>>
                </ContextProvider<ReadOnly>>
                </ContextProvider<DataVersion>>
            </main>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SwitcherProps {
    info: AppInfo,
    /// A viewer may switch companies but not change or add one.
    read_only: bool,
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
            // An open editor stores its work under the company it belongs to before the switch.
            leave::confirm_then(lang, move || {
                leave::flush_all(Box::new(move || {
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
                }))
            });
        })
    };
    let go = |to: Route| {
        let (open, on_route) = (open.clone(), p.on_route.clone());
        Callback::from(move |_| {
            open.set(false);
            let on_route = on_route.clone();
            leave::confirm_then(lang, move || on_route.emit(to));
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
                    if !p.read_only {
                        <hr />
                        <button type="button" role="menuitem" class="menu-item" id="company-details" onclick={go(Route::Company)}>
                            { tr(lang, "Dados da empresa…", "Company details…") }</button>
                        <button type="button" role="menuitem" class="menu-item" id="company-new" onclick={go(Route::NewCompany)}>
                            { tr(lang, "+ Nova empresa…", "+ New company…") }</button>
                    }
                    if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
                </div>
            }
        </div>
    }
}

/// What the lists re-read on: office sync's cursor, which moves when rows from other desktops arrive (0 alone).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct DataVersion(pub i64);

/// The data version (0 outside the shell).
#[hook]
pub fn use_data_version() -> i64 {
    use_context::<DataVersion>().unwrap_or_default().0
}
