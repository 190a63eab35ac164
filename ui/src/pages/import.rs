//! Importar: customers or products from CSV, Excel or SAF-T (PT). The file's columns mapped to fields (a profile,
//! or the headers recognised), a dry-run preview with every row's problems and what would be added, filled in or
//! sent for review, then the commit — all or nothing — with a progress bar and cancel. What the form holds is
//! kept as it is typed (`screen::save`), so leaving the screen loses nothing.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::{ipc, screen};
use desk_model::ipc::{AppError, ImportKind, ImportPreview, ImportProfile, ImportRequest, ImportStatus};
use desk_model::msg::Lang;
use gloo_timers::callback::Interval;
use serde::{Deserialize, Serialize};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the wizard's form holds, as kept.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct Form {
    request: ImportRequest,
    /// The name to save the mapping under.
    #[serde(default)]
    profile_name: String,
}

fn field_label(lang: Lang, kind: ImportKind, field: &str) -> String {
    let (pt, en) = match (kind, field) {
        (ImportKind::Products, "reference") => ("Referência", "Reference"),
        (ImportKind::Products, "name") => ("Nome", "Name"),
        (_, "kind") => ("Tipo (P/S)", "Type (P/S)"),
        (_, "unit") => ("Unidade", "Unit"),
        (_, "price") => ("Preço", "Price"),
        (_, "tax_zone") => ("Zona fiscal", "Fiscal zone"),
        (_, "tax_code") => ("Taxa de IVA", "VAT rate"),
        (_, "exemption") => ("Motivo de isenção", "Exemption reason"),
        (_, "category") => ("Categoria", "Category"),
        (_, f) => {
            let l = desk_model::customer::field_label(f);
            return l.get(lang).to_string();
        }
    };
    tr(lang, pt, en).to_string()
}

fn number(id: &'static str, label: &'static str, n: u64) -> Html {
    html! { <div class="tile small" id={id}><div class="tile-title">{ label }</div><div class="tile-amount">{ n }</div></div> }
}

/// The import wizard.
#[function_component(ImportPage)]
pub fn import_page() -> Html {
    let lang = use_lang();
    let form = use_state(Form::default);
    let loaded = use_state(|| false);
    let profiles = use_state(Vec::<ImportProfile>::new);
    let preview = use_state(|| None::<Result<ImportPreview, AppError>>);
    let status = use_state(|| None::<ImportStatus>);
    let message = use_state(|| None::<String>);
    let poll = use_mut_ref(|| None::<Interval>);

    // what the form held when the screen was last left
    {
        let (form, loaded, preview) = (form.clone(), loaded.clone(), preview.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(f) = screen::load::<Form>("import").await {
                    let request = f.request.clone();
                    form.set(f);
                    loaded.set(true);
                    // the file chosen before is read again: its preview is what the screen showed
                    if !request.path.trim().is_empty() {
                        preview.set(Some(ipc::import_preview(&request).await));
                    }
                } else {
                    loaded.set(true);
                }
            });
        });
    }
    {
        let profiles = profiles.clone();
        use_effect_with(form.request.kind, move |kind| {
            let kind = *kind;
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(list) = ipc::import_profiles(kind).await {
                    profiles.set(list);
                }
            });
        });
    }
    // every change is kept at once
    let change = {
        let form = form.clone();
        Callback::from(move |f: Form| {
            screen::save("import", &f);
            form.set(f);
        })
    };
    let run_preview = {
        let preview = preview.clone();
        Callback::from(move |req: ImportRequest| {
            let preview = preview.clone();
            if req.path.trim().is_empty() {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move { preview.set(Some(ipc::import_preview(&req).await)) });
        })
    };

    let on_kind = {
        let (form, change, preview) = (form.clone(), change.clone(), preview.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let kind = if v == "products" { ImportKind::Products } else { ImportKind::Customers };
            let mut f = (*form).clone();
            f.request.kind = kind;
            f.request.mapping = None;
            f.request.profile = None;
            preview.set(None);
            change.emit(f);
        })
    };
    let on_path = {
        let (form, change) = (form.clone(), change.clone());
        Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            f.request.path = e.target_unchecked_into::<HtmlInputElement>().value();
            f.request.mapping = None;
            change.emit(f);
        })
    };
    let on_pick = {
        let (form, change, run_preview) = (form.clone(), change.clone(), run_preview.clone());
        Callback::from(move |_| {
            let (form, change, run_preview) = (form.clone(), change.clone(), run_preview.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(path)) = ipc::pick_import_file().await {
                    let mut f = (*form).clone();
                    f.request.path = path;
                    f.request.mapping = None;
                    change.emit(f.clone());
                    run_preview.emit(f.request);
                }
            });
        })
    };
    let on_profile = {
        let (form, change, run_preview) = (form.clone(), change.clone(), run_preview.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut f = (*form).clone();
            f.request.profile = (!v.is_empty()).then_some(v);
            f.request.mapping = None;
            change.emit(f.clone());
            run_preview.emit(f.request);
        })
    };
    let on_preview = {
        let (form, run_preview) = (form.clone(), run_preview.clone());
        Callback::from(move |_| run_preview.emit(form.request.clone()))
    };
    let on_skip = {
        let (form, change) = (form.clone(), change.clone());
        Callback::from(move |e: Event| {
            let mut f = (*form).clone();
            f.request.skip_invalid = e.target_unchecked_into::<HtmlInputElement>().checked();
            change.emit(f);
        })
    };
    let on_map = |col: usize| {
        let (form, change, run_preview, preview) = (form.clone(), change.clone(), run_preview.clone(), preview.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut f = (*form).clone();
            let current = match (&f.request.mapping, &*preview) {
                (Some(m), _) => m.clone(),
                (None, Some(Ok(p))) => p.mapping.clone(),
                _ => return,
            };
            let mut m = current;
            if let Some(slot) = m.get_mut(col) {
                *slot = (!v.is_empty()).then_some(v);
            }
            f.request.mapping = Some(m);
            change.emit(f.clone());
            run_preview.emit(f.request);
        })
    };
    let on_profile_name = {
        let (form, change) = (form.clone(), change.clone());
        Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            f.profile_name = e.target_unchecked_into::<HtmlInputElement>().value();
            change.emit(f);
        })
    };
    let on_profile_save = {
        let (form, preview, message, profiles) = (form.clone(), preview.clone(), message.clone(), profiles.clone());
        Callback::from(move |_| {
            let Some(Ok(p)) = &*preview else { return };
            let columns = p.columns.iter().zip(&p.mapping).filter_map(|(c, f)| Some((c.clone(), f.clone()?))).collect();
            let profile = ImportProfile {
                name: form.profile_name.trim().to_string(),
                kind: form.request.kind,
                columns,
                built_in: false,
            };
            let (message, profiles) = (message.clone(), profiles.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::import_profile_save(&profile).await {
                    Ok(()) => {
                        message.set(Some(format!(
                            "{} «{}»",
                            tr(lang, "Perfil gravado:", "Profile saved:"),
                            profile.name
                        )));
                        if let Ok(list) = ipc::import_profiles(profile.kind).await {
                            profiles.set(list);
                        }
                    }
                    Err(e) => message.set(Some(e.message.get(lang).to_string())),
                }
            });
        })
    };
    let on_commit = {
        let (form, status, poll, preview) = (form.clone(), status.clone(), poll.clone(), preview.clone());
        Callback::from(move |_| {
            let req = form.request.clone();
            let (status, poll, preview) = (status.clone(), poll.clone(), preview.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::import_start(&req).await {
                    Ok(s) => {
                        status.set(Some(s));
                        let (status, poll_in) = (status.clone(), poll.clone());
                        *poll.borrow_mut() = Some(Interval::new(150, move || {
                            let (status, poll_in, preview, req) =
                                (status.clone(), poll_in.clone(), preview.clone(), req.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                if let Ok(s) = ipc::import_status().await {
                                    let done = s.finished;
                                    status.set(Some(s));
                                    if done {
                                        poll_in.borrow_mut().take();
                                        // the preview now shows what is stored
                                        preview.set(Some(ipc::import_preview(&req).await));
                                    }
                                }
                            });
                        }));
                    }
                    Err(e) => status.set(Some(ImportStatus { finished: true, error: Some(e), ..Default::default() })),
                }
            });
        })
    };
    let on_cancel = Callback::from(|_| {
        wasm_bindgen_futures::spawn_local(async {
            let _ = ipc::import_cancel().await;
        })
    });

    let kind = form.request.kind;
    let running = status.as_ref().is_some_and(|s| !s.finished);
    let preview_html = match &*preview {
        None => html! {},
        Some(Err(e)) => html! { <ErrorBanner error={e.clone()} /> },
        Some(Ok(p)) => {
            let mapping = form.request.mapping.clone().unwrap_or_else(|| p.mapping.clone());
            let fields = kind.fields();
            html! {
                <section id="import-preview" class="import-preview">
                    <p class="muted" id="import-format">{ format!("{} · {}", p.file_name, p.format) }</p>
                    <div class="tiles">
                        { number("import-rows", tr(lang, "Linhas", "Rows"), p.rows) }
                        { number("import-new", tr(lang, "Novos", "New"), p.new) }
                        { number("import-updated", tr(lang, "Completados", "Filled in"), p.updated) }
                        { number("import-unchanged", tr(lang, "Iguais", "Unchanged"), p.unchanged) }
                        { number("import-review-count", tr(lang, "Para rever", "To review"), p.differences.len() as u64) }
                        { number("import-problems-count", tr(lang, "Linhas com problemas", "Rows with problems"), p.invalid_rows) }
                    </div>
                    <h2>{ tr(lang, "Colunas do ficheiro", "The file's columns") }</h2>
                    <div class="table-wrap"><table class="list mapping" id="import-mapping">
                        <thead><tr>{ for p.columns.iter().map(|c| html! { <th>{ c }</th> }) }</tr></thead>
                        <tbody>
                            <tr>{ for p.columns.iter().enumerate().map(|(i, _)| {
                                let chosen = mapping.get(i).cloned().flatten().unwrap_or_default();
                                html! { <td><select id={format!("map-col-{i}")} onchange={on_map(i)}>
                                    <option value="" selected={chosen.is_empty()}>{ tr(lang, "— ignorar —", "— ignore —") }</option>
                                    { for fields.iter().map(|f| html! { <option value={*f} selected={chosen == *f}>{ field_label(lang, kind, f) }</option> }) }
                                </select></td> }
                            }) }</tr>
                            { for p.sample.iter().take(8).map(|r| html! { <tr>{ for r.iter().map(|c| html! { <td>{ c }</td> }) }</tr> }) }
                        </tbody>
                    </table></div>
                    if !p.problems.is_empty() {
                        <h2>{ tr(lang, "Problemas", "Problems") }</h2>
                        <table class="list" id="import-problems">
                            <thead><tr><th>{ tr(lang, "Linha", "Line") }</th><th>{ tr(lang, "Campo", "Field") }</th><th>{ tr(lang, "O que fazer", "What to do") }</th></tr></thead>
                            <tbody>{ for p.problems.iter().take(200).map(|pr| html! {
                                <tr><td>{ pr.line }</td><td>{ if pr.field == "row" { tr(lang, "linha", "row").to_string() } else { field_label(lang, kind, &pr.field) } }</td><td>{ pr.message.get(lang) }</td></tr>
                            }) }</tbody>
                        </table>
                    }
                    if !p.differences.is_empty() {
                        <h2>{ tr(lang, "Valores diferentes (vão para a lista de revisão)", "Differing values (go to the review list)") }</h2>
                        <table class="list" id="import-differences">
                            <thead><tr><th>{ tr(lang, "Registo", "Record") }</th><th>{ tr(lang, "Campo", "Field") }</th><th>{ tr(lang, "Atual", "Current") }</th><th>{ tr(lang, "No ficheiro", "In the file") }</th></tr></thead>
                            <tbody>{ for p.differences.iter().take(100).map(|d| html! {
                                <tr><td>{ &d.record }</td><td>{ field_label(lang, kind, &d.field) }</td><td>{ &d.current }</td><td>{ &d.incoming }</td></tr>
                            }) }</tbody>
                        </table>
                    }
                    <div class="import-profile">
                        <label for="import-profile-name">{ tr(lang, "Gravar este mapeamento como perfil", "Save this mapping as a profile") }</label>
                        <input id="import-profile-name" value={form.profile_name.clone()} oninput={on_profile_name}
                            placeholder={tr(lang, "ex.: Exportação do ERP antigo", "e.g. Old ERP export")} />
                        <button type="button" class="secondary" id="import-profile-save" onclick={on_profile_save}
                            disabled={form.profile_name.trim().is_empty()}>{ tr(lang, "Gravar perfil", "Save profile") }</button>
                        if let Some(m) = &*message { <span class="muted" id="import-profile-message">{ m.clone() }</span> }
                    </div>
                    <div class="actions">
                        <label><input type="checkbox" id="import-skip-invalid" checked={form.request.skip_invalid} onchange={on_skip} />
                            { tr(lang, " Importar sem as linhas com problemas", " Import without the rows with problems") }</label>
                        <button type="button" class="primary" id="import-commit" onclick={on_commit}
                            disabled={running || (p.invalid_rows > 0 && !form.request.skip_invalid) || (p.new + p.updated + p.differences.len() as u64) == 0}>
                            { tr(lang, "Importar", "Import") }</button>
                    </div>
                </section>
            }
        }
    };
    let status_html = match &*status {
        None => html! {},
        Some(s) if !s.finished => {
            let pct = (s.progress.done * 100).checked_div(s.progress.total).unwrap_or(0);
            html! {
                <div class="progress" id="import-progress">
                    <progress max="100" value={pct.to_string()}></progress>
                    <span>{ format!("{} / {}", s.progress.done, s.progress.total) }</span>
                    <button type="button" class="secondary" id="import-cancel" onclick={on_cancel}>{ tr(lang, "Cancelar", "Cancel") }</button>
                </div>
            }
        }
        Some(s) => match (&s.outcome, &s.error) {
            (Some(o), _) => html! { <div class="banner banner-ok" id="import-result">{ match lang {
                Lang::Pt => format!("Importado: {} novos, {} completados, {} para rever, {} linhas deixadas de fora.", o.added, o.updated, o.to_review, o.skipped),
                Lang::En => format!("Imported: {} new, {} filled in, {} to review, {} rows left out.", o.added, o.updated, o.to_review, o.skipped),
            } }</div> },
            (_, Some(e)) => html! { <div id="import-result"><ErrorBanner error={e.clone()} /></div> },
            _ => html! {},
        },
    };
    html! {
        <section class="page import">
            <div class="page-head"><h1>{ tr(lang, "Importar", "Import") }</h1></div>
            if *loaded {
                <div class="form import-form">
                    <label for="import-kind">{ tr(lang, "O ficheiro tem", "The file holds") }</label>
                    <select id="import-kind" onchange={on_kind}>
                        <option value="customers" selected={kind == ImportKind::Customers}>{ tr(lang, "Clientes", "Customers") }</option>
                        <option value="products" selected={kind == ImportKind::Products}>{ tr(lang, "Produtos e serviços", "Products and services") }</option>
                    </select>
                    <label for="import-file">{ tr(lang, "Ficheiro (CSV, Excel ou SAF-T)", "File (CSV, Excel or SAF-T)") }</label>
                    <div class="row">
                        <input id="import-file" class="wide" value={form.request.path.clone()} oninput={on_path}
                            placeholder={tr(lang, "/caminho/para/clientes.csv", "/path/to/customers.csv")} />
                        <button type="button" class="secondary" id="import-pick" onclick={on_pick}>{ tr(lang, "Escolher…", "Choose…") }</button>
                    </div>
                    <label for="import-profile">{ tr(lang, "Perfil", "Profile") }</label>
                    <select id="import-profile" onchange={on_profile}>
                        <option value="" selected={form.request.profile.is_none()}>{ tr(lang, "Reconhecer os cabeçalhos", "Recognise the headers") }</option>
                        { for profiles.iter().map(|p| html! {
                            <option value={p.name.clone()} selected={form.request.profile.as_deref() == Some(p.name.as_str())}>{ &p.name }</option>
                        }) }
                    </select>
                    <div class="actions">
                        <button type="button" class="primary" id="import-preview-run" onclick={on_preview}
                            disabled={form.request.path.trim().is_empty() || running}>{ tr(lang, "Pré-visualizar", "Preview") }</button>
                    </div>
                </div>
                { status_html }
                { preview_html }
            }
        </section>
    }
}
