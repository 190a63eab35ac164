//! The first-run screen: name the company, optionally load sample customers.

use crate::components::field::TextField;
use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, AppInfo, FirstRunInput};
use desk_model::party::Nif;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`FirstRun`].
#[derive(Properties, PartialEq)]
pub struct FirstRunProps {
    /// The current info (its company name is the starting value).
    pub info: AppInfo,
    /// Called with the new info once saved.
    pub on_done: Callback<AppInfo>,
}

/// Welcome screen shown once per data folder.
#[function_component(FirstRun)]
pub fn first_run(p: &FirstRunProps) -> Html {
    let lang = use_lang();
    let name = use_state(|| p.info.company.name.clone());
    let nif = use_state(|| p.info.company.nif.clone().unwrap_or_default());
    let sample = use_state(|| true);
    let error = use_state(|| None::<AppError>);
    let busy = use_state(|| false);

    let nif_error = (!nif.trim().is_empty())
        .then(|| Nif::parse(&nif).err())
        .flatten()
        .map(|e| AttrValue::from(e.message().get(lang).to_string()));
    let name_error =
        error.as_ref().and_then(|e| e.field("company_name")).map(|m| AttrValue::from(m.get(lang).to_string()));

    let onsubmit = {
        let (name, nif, sample, error, busy, on_done) =
            (name.clone(), nif.clone(), sample.clone(), error.clone(), busy.clone(), p.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input =
                FirstRunInput { company_name: (*name).clone(), company_nif: (*nif).clone(), load_sample_data: *sample };
            let (error, busy, on_done) = (error.clone(), busy.clone(), on_done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::first_run(&input).await {
                    Ok(info) => on_done.emit(info),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <main class="first-run">
            <form class="card" {onsubmit} id="first-run-form">
                <h1>{ tr(lang, "Bem-vindo ao desk-moloni", "Welcome to desk-moloni") }</h1>
                <p>{ tr(lang,
                    "Os seus dados ficam neste computador. Indique a empresa para a qual vai faturar; pode mudar isto mais tarde.",
                    "Your data stays on this computer. Tell us the company you invoice for; you can change this later.") }</p>
                <TextField id="fr-company-name" label={tr(lang, "Nome da empresa", "Company name")} value={(*name).clone()}
                    oninput={let s = name.clone(); Callback::from(move |v| s.set(v))} error={name_error} autofocus=true />
                <TextField id="fr-company-nif" label={tr(lang, "NIF da empresa", "Company NIF")} value={(*nif).clone()} inputmode="numeric"
                    oninput={let s = nif.clone(); Callback::from(move |v| s.set(v))} error={nif_error} />
                <label class="check">
                    <input type="checkbox" id="fr-sample" checked={*sample}
                        onchange={let s = sample.clone(); Callback::from(move |e: Event| s.set(e.target_unchecked_into::<HtmlInputElement>().checked()))} />
                    { tr(lang, " Carregar clientes de exemplo para experimentar", " Load sample customers to try things out") }
                </label>
                if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
                <button type="submit" class="primary" id="fr-start" disabled={*busy}>{ tr(lang, "Começar", "Start") }</button>
            </form>
        </main>
    }
}
