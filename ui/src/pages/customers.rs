//! Customers: search as you type, pages, and a side form with live validation from `desk-model`.

use crate::components::export::ExportButtons;
use crate::components::field::TextField;
use crate::components::notice::ErrorBanner;
use crate::components::tax::today;
use crate::hooks::use_latest;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use crate::leave;
use desk_model::customer::{validate, warnings};
use desk_model::ipc::{count_text, AppError, Customer, CustomerInput, CustomerQuery, Page};
use desk_model::msg::Lang;
use desk_model::party::Nif;
use desk_model::print::format_date;
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The form being edited: a new customer (`id` None) or an existing one.
#[derive(Clone, PartialEq)]
struct Editing {
    id: Option<Uuid>,
    archived: bool,
    input: CustomerInput,
}

/// The customers list and its form.
#[function_component(CustomersPage)]
pub fn customers_page() -> Html {
    let lang = use_lang();
    let read_only = crate::access::use_read_only();
    let text = use_state(String::new);
    let show_archived = use_state(|| false);
    let page = use_state(|| None::<Page<Customer>>);
    let error = use_state(|| None::<AppError>);
    let editing = use_state(|| None::<Editing>);
    let flash = use_state(|| None::<&'static str>);
    let reload = use_state(|| 0u32);
    // Answers can arrive out of order while typing: only the newest request may fill the list.
    let latest = use_latest();

    {
        let (page, error, latest) = (page.clone(), error.clone(), latest.clone());
        let query = CustomerQuery { text: (*text).clone(), include_archived: *show_archived, after: None, limit: 50 };
        // rows another desktop changed arrive with office sync: the list reads again
        let version = crate::app::use_data_version();
        use_effect_with((query, *reload, version), move |(query, _, _)| {
            let ticket = latest.begin();
            let query = query.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::customers_list(&query).await;
                if !ticket.is_current() {
                    return;
                }
                match result {
                    Ok(p) => {
                        page.set(Some(p));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }

    let load_more = {
        let (page, error, text, show_archived, latest) =
            (page.clone(), error.clone(), text.clone(), show_archived.clone(), latest.clone());
        Callback::from(move |_| {
            let Some(current) = (*page).clone() else { return };
            let query = CustomerQuery {
                text: (*text).clone(),
                include_archived: *show_archived,
                after: current.next.clone(),
                limit: 50,
            };
            let (page, error, ticket) = (page.clone(), error.clone(), latest.begin());
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::customers_list(&query).await;
                if !ticket.is_current() {
                    return;
                }
                match result {
                    Ok(mut more) => {
                        let mut items = current.items;
                        items.append(&mut more.items);
                        more.items = items;
                        page.set(Some(more));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let open_new = {
        let (editing, flash) = (editing.clone(), flash.clone());
        Callback::from(move |_| {
            let (editing, flash) = (editing.clone(), flash.clone());
            leave::confirm_then(lang, move || {
                flash.set(None);
                editing.set(Some(Editing {
                    id: None,
                    archived: false,
                    input: CustomerInput { country: "PT".into(), lang, ..Default::default() },
                }));
            });
        })
    };
    let on_saved = {
        let (editing, flash, reload) = (editing.clone(), flash.clone(), reload.clone());
        Callback::from(move |msg: &'static str| {
            editing.set(None);
            flash.set(Some(msg));
            reload.set(*reload + 1);
        })
    };
    let on_close = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(None))
    };

    let rows = page.as_ref().map(|p| p.items.clone()).unwrap_or_default();
    let total = page.as_ref().map(|p| (p.total, p.total_is_lower_bound)).unwrap_or((0, false));
    let has_more = page.as_ref().is_some_and(|p| p.next.is_some());

    html! {
        <section class="page customers">
            <div class="page-head">
                <h1>{ tr(lang, "Clientes", "Customers") }</h1>
                <ExportButtons what={desk_model::ipc::ExportWhat::Customers {
                    query: CustomerQuery { text: (*text).clone(), include_archived: *show_archived, after: None, limit: 0 } }} />
                if !read_only {
                    <button type="button" class="primary" id="new-customer" accesskey="n" onclick={open_new}
                        title={tr(lang, "Novo cliente (Alt+N)", "New customer (Alt+N)")}>{ tr(lang, "+ Novo cliente", "+ New customer") }</button>
                }
            </div>
            <div class="toolbar">
                <input type="search" id="customer-search" class="search" value={(*text).clone()}
                    placeholder={tr(lang, "Procurar por nome, NIF, e-mail ou localidade…", "Search by name, NIF, e-mail or town…")}
                    oninput={let t = text.clone(); Callback::from(move |e: InputEvent| t.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                <label class="check">
                    <input type="checkbox" id="show-archived" checked={*show_archived}
                        onchange={let s = show_archived.clone(); Callback::from(move |e: Event| s.set(e.target_unchecked_into::<HtmlInputElement>().checked()))} />
                    { tr(lang, " Mostrar arquivados", " Show archived") }
                </label>
                <span class="count" id="customer-count">{ count_label(lang, total.0, total.1) }</span>
            </div>
            if let Some(m) = *flash { <div class="banner banner-ok" id="flash" role="status">{ m }</div> }
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            <div class="split">
                <table class="list" id="customer-list">
                    <thead><tr>
                        <th>{ tr(lang, "Nome", "Name") }</th><th>{ "NIF" }</th><th>{ tr(lang, "Localidade", "Town") }</th>
                        <th>{ tr(lang, "E-mail", "E-mail") }</th><th>{ tr(lang, "Cliente desde", "Customer since") }</th>
                    </tr></thead>
                    <tbody>
                    { for rows.iter().map(|c| row(lang, read_only, c, editing.clone(), flash.clone())) }
                    </tbody>
                </table>
                if let Some(ed) = &*editing {
                    <CustomerForm key={ed.id.map(|i| i.to_string()).unwrap_or_default()} editing={ed.clone()} on_saved={on_saved} on_close={on_close} />
                }
            </div>
            if rows.is_empty() && page.is_some() {
                <p class="empty" id="customers-empty">{ if text.is_empty() {
                    tr(lang, "Ainda não há clientes. Crie o primeiro com «+ Novo cliente».", "No customers yet. Create the first with «+ New customer».")
                } else { tr(lang, "Nenhum cliente corresponde à pesquisa.", "No customer matches the search.") } }</p>
            }
            if has_more {
                <button type="button" class="secondary" id="load-more" onclick={load_more}>{ tr(lang, "Mostrar mais", "Show more") }</button>
            }
        </section>
    }
}

/// "1 cliente", "3.430 clientes", "mais de 10.000 clientes" (the engine stops counting at 10,000).
fn count_label(lang: Lang, total: u64, lower_bound: bool) -> String {
    let n = count_text(total, lower_bound, lang);
    match (lang, total, lower_bound) {
        (Lang::Pt, 1, false) => "1 cliente".into(),
        (Lang::Pt, _, _) => format!("{n} clientes"),
        (Lang::En, 1, false) => "1 customer".into(),
        (Lang::En, _, _) => format!("{n} customers"),
    }
}

fn row(
    lang: Lang,
    read_only: bool,
    c: &Customer,
    editing: UseStateHandle<Option<Editing>>,
    flash: UseStateHandle<Option<&'static str>>,
) -> Html {
    let open = {
        let ed = Editing { id: Some(c.id), archived: c.archived, input: CustomerInput::for_form(c, lang) };
        Callback::from(move |()| {
            // a viewer reads the list; the form (an editing control) never opens
            if read_only {
                return;
            }
            let (editing, flash, ed) = (editing.clone(), flash.clone(), ed.clone());
            leave::confirm_then(lang, move || {
                flash.set(None);
                editing.set(Some(ed));
            });
        })
    };
    html! {
        <tr class={classes!("customer-row", c.archived.then_some("archived"))} data-nif={c.nif.clone().unwrap_or_default()}
            onclick={open.reform(|_: MouseEvent| ())} tabindex="0"
            onkeydown={Callback::from(move |e: KeyboardEvent| if e.key() == "Enter" { open.emit(()) })}>
            <td class="name">{ &c.name }
                if c.archived { <span class="badge badge-muted">{ tr(lang, "arquivado", "archived") }</span> }</td>
            <td class="nif">{ c.nif.clone().unwrap_or_default() }</td>
            <td>{ c.city.clone().unwrap_or_default() }</td>
            <td>{ c.email.clone().unwrap_or_default() }</td>
            <td>{ format_date(c.created_at.date_naive(), Lang::Pt) }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    editing: Editing,
    on_saved: Callback<&'static str>,
    on_close: Callback<()>,
}

/// The customer form: rules from `desk-model` run on every keystroke; the engine runs them again on save.
#[function_component(CustomerForm)]
fn customer_form(p: &FormProps) -> Html {
    let lang = use_lang();
    let input = use_state(|| p.editing.input.clone());
    let submitted = use_state(|| false);
    let server_error = use_state(|| None::<AppError>);
    let busy = use_state(|| false);
    // Leaving with changes not saved (Esc, Cancelar, another row, the navigation) asks first.
    let dirty = *input != p.editing.input;
    leave::use_unsaved_guard(dirty);
    let close = {
        let close = p.on_close.clone();
        Callback::from(move |_: ()| {
            let close = close.clone();
            leave::confirm_then(lang, move || close.emit(()));
        })
    };

    let local = validate(&input);
    let local_errors = local.as_ref().err().cloned().unwrap_or_default();
    // A field's message shows once it has text (live) or after a save attempt; the server's wins if present.
    let message = |field: &str, value: &str| -> Option<AttrValue> {
        if let Some(m) = server_error.as_ref().and_then(|e| e.field(field)) {
            return Some(m.get(lang).to_string().into());
        }
        let show = *submitted || !value.trim().is_empty();
        local_errors.iter().find(|f| f.field == field).filter(|_| show).map(|f| f.message.get(lang).to_string().into())
    };
    // Warnings never refuse: a valid customer's unusual choices (B2B terms beyond 60 days, DL 62/2013).
    let warning = |field: &str| -> Option<AttrValue> {
        let found = local.as_ref().ok().map(|v| warnings(v, today())).unwrap_or_default();
        found.into_iter().find(|w| w.field == field).map(|w| w.message.get(lang).to_string().into())
    };
    let nif_hint = Nif::parse(&input.nif)
        .ok()
        .and_then(|n| n.warning())
        .map(|w| AttrValue::from(w.message().get(lang).to_string()));

    let set = |apply: fn(&mut CustomerInput, String)| {
        let (input, server_error) = (input.clone(), server_error.clone());
        Callback::from(move |v: String| {
            let mut next = (*input).clone();
            apply(&mut next, v);
            input.set(next);
            server_error.set(None);
        })
    };

    let onsubmit = {
        let (input, submitted, server_error, busy, on_saved) =
            (input.clone(), submitted.clone(), server_error.clone(), busy.clone(), p.on_saved.clone());
        let id = p.editing.id;
        let valid = local.is_ok();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submitted.set(true);
            if !valid || *busy {
                return;
            }
            busy.set(true);
            let (input, server_error, busy, on_saved) =
                ((*input).clone(), server_error.clone(), busy.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match id {
                    None => ipc::customer_create(&input).await,
                    Some(id) => ipc::customer_update(id, &input).await,
                };
                busy.set(false);
                match result {
                    Ok(_) => on_saved.emit(tr(lang, "Cliente guardado.", "Customer saved.")),
                    Err(e) => server_error.set(Some(e)),
                }
            });
        })
    };
    let toggle_archive = p.editing.id.map(|id| {
        let (archived, on_saved, server_error) = (p.editing.archived, p.on_saved.clone(), server_error.clone());
        Callback::from(move |_| {
            let (on_saved, server_error) = (on_saved.clone(), server_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::customer_set_archived(id, !archived).await {
                    Ok(_) => on_saved.emit(if archived {
                        tr(lang, "Cliente reposto.", "Customer restored.")
                    } else {
                        tr(lang, "Cliente arquivado.", "Customer archived.")
                    }),
                    Err(e) => server_error.set(Some(e)),
                }
            });
        })
    });
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(())
            }
        })
    };

    html! {
        <form class="side-form" id="customer-form" {onsubmit} {onkeydown} novalidate=true>
            <h2>{ if p.editing.id.is_some() { tr(lang, "Editar cliente", "Edit customer") } else { tr(lang, "Novo cliente", "New customer") } }</h2>
            <TextField id="cf-name" label={tr(lang, "Nome", "Name")} value={input.name.clone()} oninput={set(|c, v| c.name = v)}
                error={message("name", &input.name)} autofocus=true maxlength="300" />
            <div class="row2">
                <TextField id="cf-nif" label={tr(lang, "NIF", "Tax number (NIF)")} value={input.nif.clone()} oninput={set(|c, v| c.nif = v)}
                    error={message("nif", &input.nif)} hint={nif_hint} inputmode="numeric" />
                <TextField id="cf-country" label={tr(lang, "País", "Country")} value={input.country.clone()} oninput={set(|c, v| c.country = v)}
                    error={message("country", &input.country)} maxlength="2" />
            </div>
            <TextField id="cf-email" kind="email" label={tr(lang, "E-mail", "E-mail")} value={input.email.clone()} oninput={set(|c, v| c.email = v)}
                error={message("email", &input.email)} />
            <TextField id="cf-phone" kind="tel" label={tr(lang, "Telefone", "Phone")} value={input.phone.clone()} oninput={set(|c, v| c.phone = v)}
                error={message("phone", &input.phone)} />
            <TextField id="cf-address" label={tr(lang, "Morada", "Address")} value={input.address.clone()} oninput={set(|c, v| c.address = v)}
                error={message("address", &input.address)} />
            <div class="row2">
                <TextField id="cf-postal" label={tr(lang, "Código postal", "Postal code")} value={input.postal_code.clone()} oninput={set(|c, v| c.postal_code = v)}
                    error={message("postal_code", &input.postal_code)} />
                <TextField id="cf-city" label={tr(lang, "Localidade", "Town")} value={input.city.clone()} oninput={set(|c, v| c.city = v)}
                    error={message("city", &input.city)} />
            </div>
            <TextField id="cf-terms" label={tr(lang, "Prazo de pagamento (dias)", "Payment terms (days)")} value={input.payment_terms_days.clone()}
                oninput={set(|c, v| c.payment_terms_days = v)} error={message("payment_terms_days", &input.payment_terms_days)}
                hint={warning("payment_terms_days")} inputmode="numeric" />
            <TextField id="cf-withholding" label={tr(lang, "Retenção na fonte % (se o cliente retém)", "Withholding tax % (if the customer withholds)")}
                value={input.withholding.clone()} oninput={set(|c, v| c.withholding = v)} error={message("withholding", &input.withholding)}
                hint={warning("withholding")} inputmode="decimal" />
            <TextField id="cf-notes" label={tr(lang, "Notas", "Notes")} value={input.notes.clone()} oninput={set(|c, v| c.notes = v)}
                error={message("notes", &input.notes)} />
            if let Some(e) = &*server_error { <ErrorBanner error={e.clone()} /> }
            <div class="actions">
                <button type="submit" class="primary" id="cf-save" disabled={*busy}>{ tr(lang, "Guardar", "Save") }</button>
                <button type="button" class="secondary" id="cf-cancel" onclick={close.reform(|_: MouseEvent| ())}>
                    { tr(lang, "Cancelar (Esc)", "Cancel (Esc)") }</button>
                if let Some(toggle) = toggle_archive {
                    <button type="button" class="link" id="cf-archive" onclick={toggle}>
                        { if p.editing.archived { tr(lang, "Repor", "Restore") } else { tr(lang, "Arquivar", "Archive") } }</button>
                }
            </div>
        </form>
    }
}
