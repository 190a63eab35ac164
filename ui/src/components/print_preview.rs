//! The print preview: the document drawn on an A4 sheet from the same view model the PDF is drawn from, with
//! save as, open in the system viewer and print (the system dialog prints the sheet).

use crate::components::notice::ErrorBanner;
use crate::i18n::{tr, use_lang};
use crate::ipc;
use desk_model::ipc::{AppError, PdfPreview};
use desk_model::print::{PartyBlock, PrintDocument};
use uuid::Uuid;
use yew::prelude::*;

/// Props of [`PrintPreview`].
#[derive(Properties, PartialEq)]
pub struct PrintPreviewProps {
    /// The document.
    pub id: Uuid,
    /// Close the preview.
    pub on_close: Callback<()>,
}

fn party(block: &PartyBlock, class: &'static str) -> Html {
    html! {
        <div class={classes!("party", class)}>
            <strong>{ &block.name }</strong>
            <div>{ &block.tax_line }</div>
            { for block.address_lines.iter().map(|l| html! { <div>{ l }</div> }) }
            { for block.legal_lines.iter().map(|l| html! { <div class="legal">{ l }</div> }) }
        </div>
    }
}

/// The sheet itself.
fn sheet(d: &PrintDocument, qr_svg: Option<&str>) -> Html {
    let l = &d.labels;
    html! {
        <article class={classes!("sheet", d.watermark.is_some().then_some("draft"))} id="print-sheet">
            if let Some(w) = &d.watermark { <div class="watermark" aria-hidden="true">{ w }</div> }
            <header class="sheet-head">
                { party(&d.issuer, "issuer") }
                <div class="title">
                    <h2 id="print-title">{ &d.title }</h2>
                    if let Some(s) = &d.subtitle { <div class="subtitle">{ s }</div> }
                    <div class="number" id="print-number">{ &d.number }</div>
                    <div>{ format!("{} {}", l.date, d.date) }</div>
                    if let Some(due) = &d.due_date { <div>{ format!("{} {due}", l.due_date) }</div> }
                </div>
            </header>
            <div class="sheet-customer">
                <div class="caption">{ &l.customer }</div>
                { party(&d.customer, "customer") }
            </div>
            { for d.references.iter().map(|r| html! { <div class="reference">{ r }</div> }) }
            <table class="sheet-lines">
                <thead><tr>
                    <th>{ &l.description }</th><th class="num">{ &l.quantity }</th><th class="num">{ &l.unit_price }</th>
                    <th class="num">{ &l.discount }</th><th class="num">{ &l.tax }</th><th class="num">{ &l.amount }</th>
                </tr></thead>
                <tbody>
                { for d.lines.iter().map(|x| html! {
                    <tr><td>{ &x.description }</td><td class="num">{ &x.quantity }</td><td class="num">{ &x.unit_price }</td>
                        <td class="num">{ &x.discount }</td><td class="num">{ &x.tax }</td><td class="num">{ &x.amount }</td></tr>
                }) }
                </tbody>
            </table>
            <div class="sheet-foot">
                <div class="vat">
                    <div class="caption">{ &l.vat_summary }</div>
                    <table>
                        <thead><tr><th>{ &l.rate }</th><th class="num">{ &l.base }</th><th class="num">{ &l.vat }</th></tr></thead>
                        <tbody>
                        { for d.vat_summary.iter().map(|r| html! {
                            <tr><td>{ &r.rate }</td><td class="num">{ &r.base }</td><td class="num">{ &r.vat }</td></tr>
                        }) }
                        </tbody>
                    </table>
                    { for d.vat_summary.iter().filter_map(|r| r.exemption.as_ref()).map(|e| html! { <div class="exemption">{ e }</div> }) }
                </div>
                <div class="sheet-totals" id="print-totals">
                    { for d.totals.iter().enumerate().map(|(i, t)| html! {
                        <div class={classes!("sum", (i + 1 == d.totals.len()).then_some("grand"))}>
                            <span>{ &t.label }</span><span>{ &t.amount }</span>
                        </div>
                    }) }
                </div>
            </div>
            if !d.payment.is_empty() {
                <div class="sheet-payment"><div class="caption">{ &l.payment }</div>{ for d.payment.iter().map(|p| html! { <div>{ p }</div> }) }</div>
            }
            if let Some(n) = &d.notes { <div class="sheet-notes"><div class="caption">{ &l.notes }</div>{ n }</div> }
            if let Some(f) = &d.fiscal {
                <footer class="sheet-fiscal" id="print-fiscal">
                    <div class="qr">
                        <div class="atcud">{ &f.atcud }</div>
                        if let Some(svg) = qr_svg { { Html::from_html_unchecked(AttrValue::from(svg.to_string())) } }
                    </div>
                    <div class="phrase">{ &f.phrase }</div>
                </footer>
            }
        </article>
    }
}

/// The preview dialog.
#[function_component(PrintPreview)]
pub fn print_preview(p: &PrintPreviewProps) -> Html {
    let lang = use_lang();
    let preview = use_state(|| None::<PdfPreview>);
    let error = use_state(|| None::<AppError>);
    let status = use_state(|| None::<String>);
    {
        let (preview, error) = (preview.clone(), error.clone());
        use_effect_with((p.id, lang), move |(id, lang)| {
            let (id, lang) = (*id, *lang);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::pdf_preview(id, lang).await {
                    Ok(v) => preview.set(Some(v)),
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let saved_message = move |path: &str, pages: usize| match lang {
        desk_model::msg::Lang::Pt => format!("PDF gravado em {path} ({pages} pág.)."),
        desk_model::msg::Lang::En => format!("PDF saved to {path} ({pages} p.)."),
    };
    let save_as = {
        let (id, error, status) = (p.id, error.clone(), status.clone());
        Callback::from(move |_| {
            let (error, status) = (error.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::pdf_save_as(id, lang).await {
                    Ok(Some(s)) => status.set(Some(saved_message(&s.path, s.pages))),
                    Ok(None) => {}
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let open = {
        let (id, error, status) = (p.id, error.clone(), status.clone());
        Callback::from(move |_| {
            let (error, status) = (error.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::pdf_open(id, lang).await {
                    Ok(s) => status.set(Some(saved_message(&s.path, s.pages))),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            // The system print dialog; the print style sheet shows only the sheet.
            let _ = w.print();
        }
    });
    let close = {
        let on_close = p.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let onkeydown = {
        let on_close = p.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                on_close.emit(());
            }
        })
    };
    html! {
        <div class="overlay print-overlay" role="dialog" aria-modal="true" aria-labelledby="print-heading" {onkeydown}>
            <div class="print-dialog">
                <div class="print-bar">
                    <h2 id="print-heading">{ tr(lang, "Pré-visualização", "Preview") }</h2>
                    if let Some(v) = &*preview {
                        <span class="count" id="print-pages">{ match lang {
                            desk_model::msg::Lang::Pt => format!("{} pág. no PDF", v.pages),
                            desk_model::msg::Lang::En => format!("{} page(s) in the PDF", v.pages),
                        } }</span>
                    }
                    <div class="spacer"></div>
                    <button type="button" class="primary" id="pdf-save-as" onclick={save_as}>{ tr(lang, "Guardar PDF…", "Save PDF…") }</button>
                    <button type="button" class="secondary" id="pdf-open" onclick={open}>{ tr(lang, "Abrir no visualizador", "Open in viewer") }</button>
                    <button type="button" class="secondary" id="pdf-print" onclick={print}>{ tr(lang, "Imprimir…", "Print…") }</button>
                    <button type="button" class="secondary" id="print-close" onclick={close} autofocus=true>{ tr(lang, "Fechar (Esc)", "Close (Esc)") }</button>
                </div>
                if let Some(s) = &*status { <div class="banner banner-ok" id="print-status" role="status">{ s.clone() }</div> }
                if let Some(e) = &*error { <ErrorBanner error={e.clone()} /> }
                if let Some(v) = &*preview {
                    { for v.warnings.iter().map(|w| html! { <div class="banner banner-warn" role="status">{ w.get(lang).to_string() }</div> }) }
                    <div class="sheet-scroll">{ sheet(&v.document, v.qr_svg.as_deref()) }</div>
                } else if error.is_none() {
                    <div class="loading">{ tr(lang, "A preparar…", "Preparing…") }</div>
                }
            </div>
        </div>
    }
}
