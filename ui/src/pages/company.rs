//! The company's details (the issuer block of its documents: address, share capital, registry, IBAN, logo),
//! and the same form for adding another company. Checked live with desk-model's rules, again by the engine.

use crate::components::field::TextField;
use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::company::{validate, CompanyInput};
use desk_model::ipc::{AppError, AppInfo};
use uuid::Uuid;
use yew::prelude::*;

/// Props of [`CompanyPage`].
#[derive(Properties, PartialEq)]
pub struct CompanyProps {
    /// True: a new company (the form starts empty); false: the current company's details.
    pub create: bool,
    /// Called with the header's new info after a save.
    pub on_saved: Callback<AppInfo>,
}

/// The company form.
#[function_component(CompanyPage)]
pub fn company_page(p: &CompanyProps) -> Html {
    let lang = use_lang();
    let input = use_state(|| CompanyInput { lang, ..CompanyInput::default() });
    let server_error = use_state(|| None::<AppError>);
    let saved = use_state(|| false);
    let touched = use_state(|| false);
    {
        let (input, server_error) = (input.clone(), server_error.clone());
        use_effect_with(p.create, move |create| {
            if !*create {
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::company_profile().await {
                        Ok(profile) => input.set(profile.to_input(lang)),
                        Err(e) => server_error.set(Some(e)),
                    }
                });
            }
        });
    }
    // Leaving through the navigation with changes not saved asks first.
    crate::leave::use_unsaved_guard(*touched && !*saved);
    let live = if *touched { validate(Uuid::nil(), &input).err().unwrap_or_default() } else { Vec::new() };
    let error_of = |field: &str| -> Option<AttrValue> {
        live.iter()
            .find(|e| e.field == field)
            .map(|e| e.message.get(lang).to_string())
            .or_else(|| server_error.as_ref().and_then(|e| e.field(field)).map(|m| m.get(lang).to_string()))
            .map(AttrValue::from)
    };
    let set = |apply: fn(&mut CompanyInput, String)| {
        let (input, saved, touched) = (input.clone(), saved.clone(), touched.clone());
        Callback::from(move |v: String| {
            let mut next = (*input).clone();
            apply(&mut next, v);
            next.lang = lang;
            input.set(next);
            saved.set(false);
            touched.set(true);
        })
    };
    let pick_logo = {
        let (input, server_error) = (input.clone(), server_error.clone());
        Callback::from(move |_| {
            let (input, server_error) = (input.clone(), server_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::pick_image().await {
                    Ok(Some(path)) => input.set(CompanyInput { logo_path: path, ..(*input).clone() }),
                    Ok(None) => {}
                    Err(e) => server_error.set(Some(e)),
                }
            });
        })
    };
    let onsubmit = {
        let (input, server_error, saved, touched, on_saved, create) =
            (input.clone(), server_error.clone(), saved.clone(), touched.clone(), p.on_saved.clone(), p.create);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            touched.set(true);
            let body = CompanyInput { lang, ..(*input).clone() };
            if validate(Uuid::nil(), &body).is_err() {
                return;
            }
            let (server_error, saved, on_saved) = (server_error.clone(), saved.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = if create {
                    ipc::company_create(&body).await
                } else {
                    match ipc::company_save(&body).await {
                        Ok(_) => ipc::app_info().await,
                        Err(e) => Err(e),
                    }
                };
                match result {
                    Ok(info) => {
                        server_error.set(None);
                        saved.set(true);
                        on_saved.emit(info);
                    }
                    Err(e) => server_error.set(Some(e)),
                }
            });
        })
    };
    let i = &*input;
    html! {
        <section class="page company">
            <div class="page-head">
                <h1>{ if p.create { tr(lang, "Nova empresa", "New company") } else { tr(lang, "Dados da empresa", "Company details") } }</h1>
            </div>
            <p class="note">{ tr(lang,
                "Estes dados aparecem como emitente nos documentos impressos.",
                "These details print as the issuer on the company's documents.") }</p>
            if let Some(e) = server_error.as_ref().filter(|e| e.fields.is_empty()) { <ErrorBanner error={e.clone()} /> }
            if *saved && !p.create { <div class="banner banner-ok" id="company-saved" role="status">{ tr(lang, "Dados guardados.", "Details saved.") }</div> }
            <form class="side-form wide" id="company-form" {onsubmit} novalidate=true>
                <div class="row2">
                    <TextField id="company-name-input" label={tr(lang, "Nome da empresa", "Company name")} value={i.name.clone()}
                        oninput={set(|c, v| c.name = v)} error={error_of("name")} autofocus=true maxlength="100" />
                    <TextField id="company-nif" label="NIF" value={i.nif.clone()} inputmode="numeric"
                        oninput={set(|c, v| c.nif = v)} error={error_of("nif")} />
                </div>
                <TextField id="company-address" label={tr(lang, "Morada", "Address")} value={i.address.clone()}
                    oninput={set(|c, v| c.address = v)} error={error_of("address")} />
                <div class="row2">
                    <TextField id="company-postal" label={tr(lang, "Código postal", "Postal code")} value={i.postal_code.clone()}
                        oninput={set(|c, v| c.postal_code = v)} error={error_of("postal_code")} />
                    <TextField id="company-city" label={tr(lang, "Localidade", "Town")} value={i.city.clone()}
                        oninput={set(|c, v| c.city = v)} error={error_of("city")} />
                    <TextField id="company-country" label={tr(lang, "País", "Country")} value={i.country.clone()}
                        oninput={set(|c, v| c.country = v)} error={error_of("country")} maxlength="2" />
                </div>
                <div class="row2">
                    <TextField id="company-capital" label={tr(lang, "Capital social (€)", "Share capital (€)")} value={i.share_capital.clone()}
                        inputmode="decimal" oninput={set(|c, v| c.share_capital = v)} error={error_of("share_capital")} />
                    <TextField id="company-registry" label={tr(lang, "Registo comercial", "Commercial registry")} value={i.registry.clone()}
                        oninput={set(|c, v| c.registry = v)} error={error_of("registry")} />
                </div>
                <div class="row2">
                    <TextField id="company-iban" label="IBAN" value={i.iban.clone()}
                        oninput={set(|c, v| c.iban = v)} error={error_of("iban")} />
                    <TextField id="company-payment" label={tr(lang, "Forma de pagamento", "Payment method")} value={i.payment_method.clone()}
                        oninput={set(|c, v| c.payment_method = v)} error={error_of("payment_method")} />
                </div>
                <div class="row2">
                    <TextField id="company-logo" label={tr(lang, "Logótipo (PNG ou JPEG)", "Logo (PNG or JPEG)")} value={i.logo_path.clone()}
                        oninput={set(|c, v| c.logo_path = v)} error={error_of("logo_path")} />
                    <button type="button" class="secondary" id="company-logo-pick" onclick={pick_logo}>{ tr(lang, "Escolher…", "Choose…") }</button>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="company-save">{
                        if p.create { tr(lang, "Criar empresa", "Create company") } else { tr(lang, "Guardar", "Save") }
                    }</button>
                </div>
            </form>
        </section>
    }
}
