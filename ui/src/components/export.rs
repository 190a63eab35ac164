//! The export buttons of a list or a report: CSV (Portuguese: BOM and `;`, so Excel opens it right) or XLSX
//! (numbers and dates typed), written to the documents folder; the path is shown once written.

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, ExportFormat, ExportInput, ExportSaved, ExportWhat};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// What the list or report shows now.
    pub what: ExportWhat,
}

/// `#export-csv`, `#export-xlsx` and, once written, `#export-saved` with the file's path.
#[function_component(ExportButtons)]
pub fn export_buttons(p: &ExportProps) -> Html {
    let lang = use_lang();
    let saved = use_state(|| None::<Result<ExportSaved, AppError>>);
    let busy = use_state(|| false);
    let export = |format: ExportFormat| {
        let (what, saved, busy) = (p.what.clone(), saved.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let input = ExportInput { what: what.clone(), format, lang };
            let (saved, busy) = (saved.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                saved.set(Some(ipc::export_list(&input).await));
                busy.set(false);
            });
        })
    };
    html! {
        <span class="export">
            <button type="button" class="secondary" id="export-csv" disabled={*busy} onclick={export(ExportFormat::Csv)}
                title={tr(lang, "CSV para o Excel (UTF-8 com BOM, ;)", "CSV (UTF-8, commas)")}>{ tr(lang, "Exportar CSV", "Export CSV") }</button>
            <button type="button" class="secondary" id="export-xlsx" disabled={*busy} onclick={export(ExportFormat::Xlsx)}>{ tr(lang, "Exportar Excel", "Export Excel") }</button>
            if matches!(p.what, ExportWhat::Report { .. }) {
                <button type="button" class="secondary" id="export-report-pdf" disabled={*busy} onclick={export(ExportFormat::Pdf)}>{ "PDF" }</button>
            }
            { match &*saved {
                Some(Ok(s)) => html! { <span class="export-saved" id="export-saved" title={s.path.clone()}>
                    { format!("{} {} ({} {})", tr(lang, "Gravado em", "Saved to"), s.path, s.rows, tr(lang, "linhas", "rows")) }</span> },
                Some(Err(e)) => html! { <ErrorBanner error={e.clone()} /> },
                None => html! {},
            } }
        </span>
    }
}
