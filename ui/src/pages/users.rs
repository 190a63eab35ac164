//! Utilizadores (office mode, admins): the office's people with their role and state, adding a person (the
//! generated first password shown once), changing a role, resetting a password, deactivating.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, ServerRole, ServerUser};
use desk_model::msg::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const ROLES: [ServerRole; 3] = [ServerRole::Admin, ServerRole::Accountant, ServerRole::Viewer];

fn role_label(role: ServerRole, lang: Lang) -> &'static str {
    let (pt, en) = role.label();
    tr(lang, pt, en)
}

/// The Utilizadores page.
#[function_component(UsersPage)]
pub fn users_page() -> Html {
    let lang = use_lang();
    let users = use_state(|| None::<Vec<ServerUser>>);
    let error = use_state(|| None::<AppError>);
    let name = use_state(String::new);
    let role = use_state(|| ServerRole::Accountant);
    // The password just generated, shown once: (person, password).
    let shown = use_state(|| None::<(String, String)>);
    let reload = use_state(|| 0u32);
    let busy = use_state(|| false);
    {
        let (users, error) = (users.clone(), error.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::server_users().await {
                    Ok(list) => users.set(Some(list)),
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let done = {
        let (error, reload, busy) = (error.clone(), reload.clone(), busy.clone());
        move |result: Result<(), AppError>| {
            busy.set(false);
            match result {
                Ok(()) => {
                    error.set(None);
                    reload.set(*reload + 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    };
    let add = {
        let (name, role, shown, busy, done) = (name.clone(), role.clone(), shown.clone(), busy.clone(), done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (who, r, shown, name, done) =
                ((*name).trim().to_string(), *role, shown.clone(), name.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = ipc::server_user_add(&who, r).await.map(|created| {
                    shown.set(created.password.map(|p| (created.user.name, p)));
                    name.set(String::new());
                });
                done(result);
            });
        })
    };
    let rows = users.as_ref().map(|list| {
        list.iter()
            .map(|u| {
                let set_role = {
                    let (who, done) = (u.name.clone(), done.clone());
                    Callback::from(move |e: Event| {
                        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                        let Some(r) = ServerRole::parse(&value) else { return };
                        let (who, done) = (who.clone(), done.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            done(ipc::server_user_set_role(&who, r).await.map(|_| ()));
                        });
                    })
                };
                let reset = {
                    let (who, shown, done) = (u.name.clone(), shown.clone(), done.clone());
                    Callback::from(move |_| {
                        let (who, shown, done) = (who.clone(), shown.clone(), done.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let result = ipc::server_user_reset(&who).await.map(|r| {
                                shown.set(r.password.map(|p| (r.user.name, p)));
                            });
                            done(result);
                        });
                    })
                };
                let disable = {
                    let (who, done) = (u.name.clone(), done.clone());
                    Callback::from(move |_| {
                        let (who, done) = (who.clone(), done.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            done(ipc::server_user_disable(&who).await.map(|_| ()));
                        });
                    })
                };
                let companies: Vec<String> = u.companies.iter().map(|c| c.name.clone()).collect();
                html! {
                    <tr class={classes!("user-row", (!u.active).then_some("archived"))} data-name={u.name.clone()}>
                        <td class="user-name">{ u.name.clone() }</td>
                        <td>
                            <select class="user-role" data-name={u.name.clone()} onchange={set_role} disabled={!u.active}
                                aria-label={tr(lang, "Papel", "Role")}>
                                { for ROLES.iter().map(|r| html! {
                                    <option value={r.as_str()} selected={*r == u.role}>{ role_label(*r, lang) }</option>
                                }) }
                            </select>
                        </td>
                        <td class="user-state">{ if u.active { tr(lang, "Ativo", "Active") } else { tr(lang, "Desativado", "Disabled") } }</td>
                        <td class="muted">{ companies.join(", ") }</td>
                        <td class="row-actions">
                            if u.active {
                                <button type="button" class="link user-reset" data-name={u.name.clone()} onclick={reset}>
                                    { tr(lang, "Repor palavra-passe", "Reset password") }</button>
                                <button type="button" class="link user-disable" data-name={u.name.clone()} onclick={disable}>
                                    { tr(lang, "Desativar", "Deactivate") }</button>
                            }
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <section class="page users">
            <div class="page-head"><h1>{ tr(lang, "Utilizadores", "Users") }</h1></div>
            <p class="muted">{ tr(lang,
                "Cada pessoa entra no servidor do escritório com o seu utilizador. O papel decide o que pode fazer, e é a própria base de dados que o garante.",
                "Each person logs in to the office server with their own user. The role decides what they may do, and the database itself enforces it.") }</p>
            if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
            if let Some((who, password)) = &*shown {
                <div class="banner banner-ok" id="user-password" role="status">
                    { match lang {
                        Lang::Pt => format!("Palavra-passe inicial de {who} (mostrada só agora; entregue-a pessoalmente): "),
                        Lang::En => format!("First password of {who} (shown only now; hand it over in person): "),
                    } }
                    <code id="user-password-value">{ password.clone() }</code>
                    <button type="button" class="link" id="user-password-hide" onclick={let s = shown.clone(); Callback::from(move |_| s.set(None))}>
                        { tr(lang, "Ocultar", "Hide") }</button>
                </div>
            }
            <form class="toolbar" id="user-form" onsubmit={add}>
                <input id="user-name" placeholder={tr(lang, "Nome de utilizador (ex.: ana.silva)", "User name (e.g. ana.silva)")} value={(*name).clone()}
                    oninput={let n = name.clone(); Callback::from(move |e: InputEvent| n.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                <select id="user-role-new" aria-label={tr(lang, "Papel", "Role")}
                    onchange={let r = role.clone(); Callback::from(move |e: Event| {
                        if let Some(v) = ServerRole::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) { r.set(v) }
                    })}>
                    { for ROLES.iter().map(|r| html! { <option value={r.as_str()} selected={*r == *role}>{ role_label(*r, lang) }</option> }) }
                </select>
                <button type="submit" class="primary" id="user-add" disabled={*busy || name.trim().is_empty()}>
                    { tr(lang, "+ Adicionar utilizador", "+ Add user") }</button>
            </form>
            <table class="list" id="users-list">
                <thead><tr>
                    <th>{ tr(lang, "Utilizador", "User") }</th><th>{ tr(lang, "Papel", "Role") }</th><th>{ tr(lang, "Estado", "State") }</th>
                    <th>{ tr(lang, "Empresas", "Companies") }</th><th></th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </section>
    }
}
