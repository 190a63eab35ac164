//! Definições (Settings) › Escritório: joining the office's server (host, port, database, user, TLS, CA file;
//! the password kept only in the OS keyring) and leaving it. Definições › Moloni: connect the current company to Moloni (test the credentials, keep the
//! secrets in the OS keyring), pick the Moloni company when the user has several, see the state, disconnect.

use crate::components::field::TextField;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{
    AppError, MoloniConnectInput, MoloniStatus, MoloniSyncReport, MoloniSyncSettings, ServerStatus, SyncProgress,
};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The settings page.
#[function_component(SettingsPage)]
pub fn settings_page() -> Html {
    let lang = use_lang();
    html! {
        <section class="page settings">
            <div class="page-head"><h1>{ tr(lang, "Definições", "Settings") }</h1></div>
            <OfficeSettings />
            <MoloniSettings />
        </section>
    }
}

/// The Moloni section.
#[function_component(MoloniSettings)]
fn moloni_settings() -> Html {
    let lang = use_lang();
    let status = use_state(|| None::<MoloniStatus>);
    let input = use_state(MoloniConnectInput::default);
    let error = use_state(|| None::<AppError>);
    let busy = use_state(|| false);
    {
        let (status, error, input) = (status.clone(), error.clone(), input.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::moloni_status(false).await {
                    Ok(s) => {
                        input.set(MoloniConnectInput {
                            url: s.url.clone().unwrap_or_default(),
                            client_id: s.client_id.clone().unwrap_or_default(),
                            user: s.user.clone().unwrap_or_default(),
                            ..MoloniConnectInput::default()
                        });
                        status.set(Some(s));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let set = |apply: fn(&mut MoloniConnectInput, String)| {
        let input = input.clone();
        Callback::from(move |v: String| {
            let mut next = (*input).clone();
            apply(&mut next, v);
            input.set(next);
        })
    };
    let answer = {
        let (status, error, busy, input) = (status.clone(), error.clone(), busy.clone(), input.clone());
        move |result: Result<MoloniStatus, AppError>| {
            busy.set(false);
            match result {
                Ok(s) => {
                    error.set(None);
                    // The secrets are in the keyring now: they do not stay in the page.
                    input.set(MoloniConnectInput {
                        client_secret: String::new(),
                        password: String::new(),
                        ..(*input).clone()
                    });
                    status.set(Some(s));
                }
                Err(e) => error.set(Some(e)),
            }
        }
    };
    let onsubmit = {
        let (input, busy, answer) = (input.clone(), busy.clone(), answer.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let (body, answer) = ((*input).clone(), answer.clone());
            wasm_bindgen_futures::spawn_local(async move { answer(ipc::moloni_connect(&body).await) });
        })
    };
    let on_pick = {
        let (busy, answer) = (busy.clone(), answer.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(id) = select.value().parse::<i64>() {
                busy.set(true);
                let answer = answer.clone();
                wasm_bindgen_futures::spawn_local(async move { answer(ipc::moloni_pick_company(id).await) });
            }
        })
    };
    let on_disconnect = {
        let (busy, answer, input) = (busy.clone(), answer.clone(), input.clone());
        Callback::from(move |_| {
            busy.set(true);
            input.set(MoloniConnectInput::default());
            let answer = answer.clone();
            wasm_bindgen_futures::spawn_local(async move { answer(ipc::moloni_disconnect().await) });
        })
    };
    let field_error = |name: &str| -> Option<AttrValue> {
        error.as_ref().and_then(|e| e.field(name)).map(|m| AttrValue::from(m.get(lang).to_string()))
    };
    let s = status.as_ref().cloned().unwrap_or_default();
    let (state_text, state_class) = if s.connected {
        (tr(lang, "Ligado", "Connected"), "ok")
    } else if s.url.is_some() {
        (tr(lang, "Escolha a empresa do Moloni", "Choose the Moloni company"), "warn")
    } else {
        (tr(lang, "Não ligado", "Not connected"), "off")
    };
    let i = &*input;
    html! {
        <div class="settings-section" id="moloni-settings">
            <h2>{ "Moloni" }</h2>
            <p class="note">{ tr(lang,
                "O Moloni (programa certificado n.º 2860) numera, assina e comunica os documentos à AT. As credenciais ficam só no cofre de senhas do sistema.",
                "Moloni (certified software no. 2860) numbers, signs and reports the documents to the Tax Authority. The credentials are kept only in the system's password store.") }</p>
            <p class="moloni-state">
                <span class={classes!("badge", format!("badge-{state_class}"))} id="moloni-status">{ state_text }</span>
                if let (Some(user), Some(c)) = (&s.user, &s.company) {
                    <span class="muted" id="moloni-summary">{ format!(" {user} · {} (NIF {})", c.name, c.vat) }</span>
                }
            </p>
            if let Some(e) = &*error {
                <div class="banner banner-error" role="alert" id="moloni-error">{ e.message.get(lang).to_string() }</div>
            }
            if !s.companies.is_empty() {
                <div class="field">
                    <label for="moloni-company">{ tr(lang, "Empresa no Moloni", "Company in Moloni") }</label>
                    <select id="moloni-company" onchange={on_pick} disabled={*busy}>
                        if s.company.is_none() { <option value="" selected=true>{ tr(lang, "— escolha —", "— choose —") }</option> }
                        { for s.companies.iter().map(|c| {
                            let selected = s.company.as_ref().is_some_and(|x| x.id == c.id);
                            html! { <option value={c.id.to_string()} {selected}>{ format!("{} (NIF {})", c.name, c.vat) }</option> }
                        }) }
                    </select>
                </div>
            }
            <form class="side-form wide" id="moloni-form" {onsubmit} novalidate=true>
                <TextField id="moloni-url" label={tr(lang, "Endereço da API (vazio: https://api.moloni.pt/v1)", "API address (blank: https://api.moloni.pt/v1)")}
                    value={i.url.clone()} oninput={set(|c, v| c.url = v)} error={field_error("url")} />
                <div class="row2">
                    <TextField id="moloni-client-id" label="Client ID" value={i.client_id.clone()}
                        oninput={set(|c, v| c.client_id = v)} error={field_error("client_id")} />
                    <TextField id="moloni-client-secret" label="Client Secret" kind="password" value={i.client_secret.clone()}
                        oninput={set(|c, v| c.client_secret = v)} error={field_error("client_secret")} />
                </div>
                <div class="row2">
                    <TextField id="moloni-user" label={tr(lang, "Utilizador (e-mail)", "User (e-mail)")} kind="email" value={i.user.clone()}
                        oninput={set(|c, v| c.user = v)} error={field_error("user")} />
                    <TextField id="moloni-password" label={tr(lang, "Palavra-passe", "Password")} kind="password" value={i.password.clone()}
                        oninput={set(|c, v| c.password = v)} error={field_error("password")} />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="moloni-connect" disabled={*busy}>{
                        if *busy { tr(lang, "A ligar…", "Connecting…") } else { tr(lang, "Testar e ligar", "Test and connect") }
                    }</button>
                    if s.url.is_some() {
                        <button type="button" class="secondary" id="moloni-disconnect" onclick={on_disconnect} disabled={*busy}>
                            { tr(lang, "Desligar", "Disconnect") }</button>
                    }
                </div>
            </form>
            if s.connected { <MoloniSyncSection /> }
        </div>
    }
}

/// A kind of record as the screen names it.
fn kind_name(lang: desk_model::msg::Lang, kind: &str) -> &'static str {
    match kind {
        "customers" => tr(lang, "Clientes", "Customers"),
        "products" => tr(lang, "Artigos", "Products"),
        "documents" => tr(lang, "Documentos", "Documents"),
        _ => tr(lang, "Dados do Moloni", "Moloni's settings"),
    }
}

type Poll = std::rc::Rc<std::cell::RefCell<Option<gloo_timers::callback::Interval>>>;

/// Reads the running sync's progress every 250 ms until stopped (the run itself goes on in the shell: the screen
/// stays usable meanwhile).
fn watch(poll: &Poll, progress: UseStateHandle<Option<SyncProgress>>) {
    *poll.borrow_mut() = Some(gloo_timers::callback::Interval::new(250, move || {
        let progress = progress.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(s) = ipc::moloni_sync_status().await {
                if s.running {
                    progress.set(s.progress);
                }
            }
        });
    }));
}

/// Sincronização: which kinds sync and how often, the last runs (when, counts per kind, problems with what to do),
/// "Sincronizar agora" and its progress.
#[function_component(MoloniSyncSection)]
fn moloni_sync_section() -> Html {
    let lang = use_lang();
    let log = use_state(Vec::<MoloniSyncReport>::new);
    let running = use_state(|| false);
    let error = use_state(|| None::<AppError>);
    let settings = use_state(|| None::<MoloniSyncSettings>);
    let progress = use_state(|| None::<SyncProgress>);
    let poll: Poll = use_mut_ref(|| None);
    {
        let (log, settings, running, progress, poll) =
            (log.clone(), settings.clone(), running.clone(), progress.clone(), poll.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(l) = ipc::moloni_sync_log(5).await {
                    log.set(l);
                }
                if let Ok(s) = ipc::moloni_sync_settings().await {
                    settings.set(Some(s));
                }
            });
            let stop = poll.clone();
            // a sync started before this screen opened: show its progress too
            wasm_bindgen_futures::spawn_local(async move {
                if matches!(ipc::moloni_sync_status().await, Ok(s) if s.running) {
                    running.set(true);
                    watch(&poll, progress);
                }
            });
            move || drop(stop.borrow_mut().take())
        });
    }
    let sync_now = {
        let (log, running, error, progress, poll) =
            (log.clone(), running.clone(), error.clone(), progress.clone(), poll.clone());
        Callback::from(move |_: MouseEvent| {
            let (log, running, error, progress, poll) =
                (log.clone(), running.clone(), error.clone(), progress.clone(), poll.clone());
            running.set(true);
            progress.set(None);
            watch(&poll, progress.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::moloni_sync(false).await {
                    Ok(_) => error.set(None),
                    Err(e) => error.set(Some(e)),
                }
                poll.borrow_mut().take();
                if let Ok(l) = ipc::moloni_sync_log(5).await {
                    log.set(l);
                }
                progress.set(None);
                running.set(false);
            });
        })
    };
    // What the screen holds, changed at once by every click or field, and whether a save is under way: changes made
    // while one is sent go in the next save, so a quick second change never sends the first one's stale settings.
    let wanted = use_mut_ref(|| None::<MoloniSyncSettings>);
    let saving = use_mut_ref(|| false);
    if wanted.borrow().is_none() {
        *wanted.borrow_mut() = (*settings).clone();
    }
    let change = {
        let (settings, error, wanted, saving) = (settings.clone(), error.clone(), wanted.clone(), saving.clone());
        // `edit` sets the field from the input; false: nothing to send yet (an emptied number field)
        move |edit: fn(&mut MoloniSyncSettings, &web_sys::HtmlInputElement) -> bool| -> Callback<Event> {
            let (settings, error, wanted, saving) = (settings.clone(), error.clone(), wanted.clone(), saving.clone());
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                {
                    let mut w = wanted.borrow_mut();
                    let Some(next) = w.as_mut() else { return };
                    if !edit(next, &input) {
                        return;
                    }
                    // shown at once: a render while the save runs must not put the old value back in the fields
                    settings.set(Some(next.clone()));
                }
                if *saving.borrow() {
                    return; // the save under way sends this too
                }
                *saving.borrow_mut() = true;
                let (settings, error, wanted, saving) =
                    (settings.clone(), error.clone(), wanted.clone(), saving.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    loop {
                        let Some(next) = wanted.borrow().clone() else { break };
                        match ipc::moloni_sync_settings_set(next.clone()).await {
                            Ok(s) => {
                                error.set(None);
                                if wanted.borrow().as_ref() == Some(&next) {
                                    *wanted.borrow_mut() = Some(s.clone());
                                    settings.set(Some(s));
                                    break;
                                }
                            }
                            Err(e) => {
                                // what is stored stays on screen
                                if let Ok(s) = ipc::moloni_sync_settings().await {
                                    *wanted.borrow_mut() = Some(s.clone());
                                    settings.set(Some(s));
                                }
                                error.set(Some(e));
                                break;
                            }
                        }
                    }
                    *saving.borrow_mut() = false;
                });
            })
        }
    };
    // What is typed in the interval until it is committed (Yew puts the rendered value back on every render, and
    // the sync's progress renders this section while someone types).
    let interval_text = use_state(|| None::<String>);
    let on_interval_input = {
        let interval_text = interval_text.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            interval_text.set(Some(input.value()));
        })
    };
    let on_interval_change = {
        // an emptied field is not committed (below); a number out of range is refused by the store
        let commit = change(|s, i| {
            s.interval_minutes = i.value().trim().parse().unwrap_or(u32::MAX);
            true
        });
        let interval_text = interval_text.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if input.value().trim().is_empty() {
                return; // an emptied field stays empty while the person types the new number
            }
            commit.emit(e);
            interval_text.set(None);
        })
    };
    let counts = |r: &MoloniSyncReport| match lang {
        desk_model::msg::Lang::Pt => format!(
            "{} recebidos, {} enviados, {} ligados, {} para rever, {} com erro",
            r.pulled, r.pushed, r.linked, r.review, r.failed
        ),
        desk_model::msg::Lang::En => format!(
            "{} pulled, {} pushed, {} linked, {} to review, {} failed",
            r.pulled, r.pushed, r.linked, r.review, r.failed
        ),
    };
    let by_kind = |r: &MoloniSyncReport| {
        r.by_kind
            .iter()
            .map(|k| match lang {
                desk_model::msg::Lang::Pt => {
                    format!("{}: {} recebidos, {} enviados", kind_name(lang, &k.kind), k.pulled, k.pushed)
                }
                desk_model::msg::Lang::En => {
                    format!("{}: {} pulled, {} pushed", kind_name(lang, &k.kind), k.pulled, k.pushed)
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let last = log.first().cloned();
    type Set = fn(&mut MoloniSyncSettings, &web_sys::HtmlInputElement) -> bool;
    let kind_box = |id: &'static str, label: &'static str, on: bool, set: Set| {
        let onchange = change(set);
        html! {
            <label class="check"><input type="checkbox" id={id} checked={on} {onchange} />{ " " }{ label }</label>
        }
    };
    html! {
        <div class="settings-subsection" id="moloni-sync">
            <h3>{ tr(lang, "Sincronização", "Sync") }</h3>
            <p class="note">{ tr(lang,
                "Traz do Moloni as taxas, as séries, os clientes, os artigos e os documentos emitidos lá (só para consulta), e envia os clientes e artigos criados ou alterados aqui. Um campo alterado dos dois lados fica em Revisão, nunca é substituído.",
                "Brings Moloni's taxes, series, customers, products and the documents issued there (read-only), and sends the customers and products made or changed here. A field changed on both sides waits in Review; it is never overwritten.") }</p>
            if let Some(s) = &*settings {
                <fieldset class="sync-kinds" id="moloni-sync-kinds">
                    <legend>{ tr(lang, "O que sincronizar", "What to sync") }</legend>
                    { kind_box("moloni-sync-kind-customers", tr(lang, "Clientes", "Customers"), s.customers, |s, i| { s.customers = i.checked(); true }) }
                    { kind_box("moloni-sync-kind-products", tr(lang, "Artigos", "Products"), s.products, |s, i| { s.products = i.checked(); true }) }
                    { kind_box("moloni-sync-kind-documents", tr(lang, "Documentos emitidos no Moloni", "Documents issued in Moloni"), s.documents, |s, i| { s.documents = i.checked(); true }) }
                    <label class="field-inline">{ tr(lang, "Sincronizar a cada ", "Sync every ") }
                        <input type="number" id="moloni-sync-interval" min="0" max="1440" step="1"
                            value={(*interval_text).clone().unwrap_or_else(|| s.interval_minutes.to_string())}
                            oninput={on_interval_input} onchange={on_interval_change} />
                        { tr(lang, " minutos (0: só quando pedir)", " minutes (0: only when asked)") }</label>
                </fieldset>
            }
            if let Some(r) = &last {
                <p id="moloni-sync-last">
                    { tr(lang, "Última: ", "Last: ") }{ crate::pages::queue::local_time(r.started_at) }{ " · " }<span id="moloni-sync-counts">{ counts(r) }</span>
                </p>
                if !r.by_kind.is_empty() { <p class="muted" id="moloni-sync-by-kind">{ by_kind(r) }</p> }
                if !r.issues.is_empty() {
                    <ul class="sync-issues" id="moloni-sync-issues">
                        { for r.issues.iter().map(|i| html! { <li><strong>{ i.record.clone() }</strong>{ " — " }{ i.message.get(lang).to_string() }</li> }) }
                    </ul>
                }
            } else {
                <p id="moloni-sync-last" class="muted">{ tr(lang, "Ainda não sincronizou.", "Not synced yet.") }</p>
            }
            if let Some(e) = &*error { <div class="banner banner-error" role="alert">{ e.message.get(lang).to_string() }</div> }
            if *running {
                <div class="progress" id="moloni-sync-progress">
                    { match &*progress {
                        Some(p) => {
                            let total = p.total.unwrap_or(0);
                            let pct = (p.done * 100).checked_div(total).unwrap_or(0);
                            html! { <>
                                <progress max="100" value={pct.to_string()}></progress>
                                <span>{ format!("{}: {} / {}", kind_name(lang, &p.kind), p.done, total) }</span>
                            </> }
                        }
                        None => html! { <>
                            <progress></progress>
                            <span>{ tr(lang, "A ler do Moloni…", "Reading from Moloni…") }</span>
                        </> },
                    } }
                </div>
            }
            <button type="button" class="primary" id="moloni-sync-now" onclick={sync_now} disabled={*running}>
                { if *running { tr(lang, "A sincronizar…", "Syncing…") } else { tr(lang, "Sincronizar agora", "Sync now") } }</button>
        </div>
    }
}

/// The office connection form's fields.
#[derive(Clone, PartialEq, Default)]
struct OfficeForm {
    host: String,
    port: String,
    database: String,
    user: String,
    sslmode: String,
    ca_file: String,
    password: String,
}

impl OfficeForm {
    /// The server address the engine reads (never with the password).
    fn url(&self) -> String {
        let port = if self.port.trim().is_empty() { "5432" } else { self.port.trim() };
        let mut url = format!("postgres://{}@{}:{port}/{}", self.user.trim(), self.host.trim(), self.database.trim());
        let mut sep = '?';
        if !self.sslmode.is_empty() && self.sslmode != "prefer" {
            url.push_str(&format!("{sep}sslmode={}", self.sslmode));
            sep = '&';
        }
        if !self.ca_file.trim().is_empty() {
            url.push_str(&format!("{sep}sslrootcert={}", self.ca_file.trim()));
        }
        url
    }
}

/// The Escritório section.
#[function_component(OfficeSettings)]
fn office_settings() -> Html {
    let lang = use_lang();
    let status = use_state(|| None::<ServerStatus>);
    let form = use_state(|| OfficeForm { port: "5432".into(), sslmode: "prefer".into(), ..Default::default() });
    let error = use_state(|| None::<AppError>);
    let busy = use_state(|| false);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = ipc::server_status(true).await {
                    status.set(Some(s));
                }
            });
        });
    }
    let set = |f: fn(&mut OfficeForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, error, busy) = (form.clone(), error.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (f, error, busy) = ((*form).clone(), error.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::server_join(&f.url(), &f.password).await {
                    // the company may have taken the server's id and the mode changed: start the page afresh
                    Ok(_) => reload(),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let on_leave = {
        let (error, busy) = (error.clone(), busy.clone());
        Callback::from(move |_| {
            let (error, busy) = (error.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::server_leave().await {
                    Ok(_) => reload(),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let f = (*form).clone();
    let joined = status.as_ref().filter(|s| s.joined);
    html! {
        <div class="settings-section" id="office-settings">
            <h2>{ tr(lang, "Escritório", "Office") }</h2>
            <p class="note">{ tr(lang,
                "Ligue este computador ao servidor PostgreSQL do escritório com o seu utilizador. A palavra-passe fica só no cofre de senhas do sistema.",
                "Join this computer to the office's PostgreSQL server with your own user. The password is kept only in the system's password store.") }</p>
            if let Some(s) = joined {
                <p class="moloni-state">
                    <span class={classes!("badge", if s.reachable { "badge-ok" } else { "badge-warn" })} id="office-status">
                        { if s.reachable { tr(lang, "Ligado", "Connected") } else { tr(lang, "Sem ligação", "Not connected") } }</span>
                    <span class="muted" id="office-summary">{ format!(" {}", s.url.clone().unwrap_or_default()) }</span>
                </p>
                if let Some(p) = &s.problem { <div class="banner banner-warn" role="status">{ p.get(lang).to_string() }</div> }
                <div class="actions">
                    <button type="button" class="secondary" id="office-leave" onclick={on_leave} disabled={*busy}>
                        { tr(lang, "Sair do escritório", "Leave the office") }</button>
                </div>
            } else {
                if let Some(e) = &*error { <div class="banner banner-error" role="alert" id="office-error">{ e.message.get(lang).to_string() }</div> }
                <form class="side-form wide" id="office-form" {onsubmit} novalidate=true>
                    <div class="row2">
                        <TextField id="office-host" label={tr(lang, "Servidor", "Host")} value={f.host.clone()} oninput={set(|f, v| f.host = v)} />
                        <TextField id="office-port" label={tr(lang, "Porta", "Port")} value={f.port.clone()} oninput={set(|f, v| f.port = v)} inputmode="numeric" />
                    </div>
                    <div class="row2">
                        <TextField id="office-database" label={tr(lang, "Base de dados", "Database")} value={f.database.clone()} oninput={set(|f, v| f.database = v)} />
                        <TextField id="office-user" label={tr(lang, "Utilizador", "User")} value={f.user.clone()} oninput={set(|f, v| f.user = v)} />
                    </div>
                    <div class="row2">
                        <div class="field"><label for="office-sslmode">{ tr(lang, "Ligação segura (sslmode)", "Secure connection (sslmode)") }</label>
                            <select id="office-sslmode" onchange={let s = set(|f, v| f.sslmode = v); Callback::from(move |e: Event| s.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))}>
                                { for ["prefer", "require", "verify-ca", "verify-full", "disable"].iter().map(|m| html! {
                                    <option value={*m} selected={f.sslmode == *m}>{ *m }</option>
                                }) }
                            </select></div>
                        <TextField id="office-ca" label={tr(lang, "Certificado da CA (ficheiro, opcional)", "CA certificate (file, optional)")} value={f.ca_file.clone()} oninput={set(|f, v| f.ca_file = v)} />
                    </div>
                    <TextField id="office-password" label={tr(lang, "Palavra-passe", "Password")} kind="password" value={f.password.clone()} oninput={set(|f, v| f.password = v)} />
                    <div class="actions">
                        <button type="submit" class="primary" id="office-join" disabled={*busy}>{ tr(lang, "Ligar ao escritório", "Join the office") }</button>
                    </div>
                </form>
            }
        </div>
    }
}

/// Starts the page afresh (after joining or leaving, the header, the company and the menus all change).
fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
