//! From stored documents to PDFs: builds desk-model's print view of a document (the company profile as issuer,
//! the customer, references, totals, fiscal data) and hands it to [`crate::pdf`]. The app and `desk pdf` both
//! print through here, so a document prints the same wherever it is printed from.

use crate::context::Ctx;
use crate::customers;
use crate::documents::{self, reference_to};
use crate::error::{CoreError, CoreResult};
use crate::pdf::{
    self, BatchReport, BatchTarget, BatchWarning, Logo, RenderOptions, RenderWarning, Rendered, WarningKind,
};
use desk_model::company::CompanyProfile;
use desk_model::document::{compute_with, DocState};
use desk_model::fiscal::{qr_payload, Atcud, QrInput, QrSpace, MOLONI_CERTIFICATE};
use desk_model::ipc::Customer;
use desk_model::ipc::{Document, DocumentQuery, PdfPreview, PdfSaved};
use desk_model::msg::{Lang, Localized};
use desk_model::party::FINAL_CONSUMER_NIF;
use desk_model::print::{build_with, IssuedInfo, PartyInfo, PrintDocument, PrintInput};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The most documents one batch prints: beyond this the user should narrow the filter.
pub const BATCH_MAX: usize = 10_000;

fn fiscal_error(pt: String, en: String) -> CoreError {
    CoreError::Fiscal(Localized::new(pt, en))
}

/// Customer records read while printing, each once however many documents name it.
#[derive(Default)]
pub struct CustomerCache(HashMap<Uuid, Option<Customer>>);

impl CustomerCache {
    async fn get(&mut self, cx: &Ctx, id: Uuid) -> CoreResult<Option<&Customer>> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(id) {
            slot.insert(match customers::get(cx, id).await {
                Ok(c) => Some(c),
                Err(CoreError::NotFound { .. }) => None,
                Err(e) => return Err(e),
            });
        }
        Ok(self.0.get(&id).and_then(Option::as_ref))
    }
}

/// The customer block: name and tax id as on the document, address from the customer record.
pub(crate) async fn customer_party(cx: &Ctx, doc: &Document, cache: &mut CustomerCache) -> CoreResult<PartyInfo> {
    let record = match doc.customer_id {
        Some(id) => cache.get(cx, id).await?.cloned(),
        None => None,
    };
    let name = match doc.customer_name.trim() {
        "" => "Consumidor final".to_string(),
        n => n.to_string(),
    };
    Ok(PartyInfo {
        name,
        tax_id: doc.customer_nif.clone(),
        address: record.as_ref().and_then(|c| c.address.clone()),
        postal_code: record.as_ref().and_then(|c| c.postal_code.clone()),
        city: record.as_ref().and_then(|c| c.city.clone()),
        country: record.map(|c| c.country).unwrap_or_else(|| "PT".into()),
        ..PartyInfo::default()
    })
}

/// The fiscal data an issued document prints: ATCUD, the QR payload built from its totals, hash, certificate.
fn issued_info(
    doc: &Document,
    issuer: &CompanyProfile,
    customer: &PartyInfo,
    totals: &desk_model::document::Totals,
) -> CoreResult<Option<IssuedInfo>> {
    let Some(f) = doc.fiscal.as_ref().filter(|_| doc.state.is_issued()) else {
        return Ok(None);
    };
    let code = f.atcud.rsplit_once('-').map_or(f.atcud.as_str(), |(code, _)| code);
    let atcud = Atcud::new(code, &f.number).map_err(|e| {
        let m = e.message();
        fiscal_error(format!("ATCUD de {}: {}", f.number, m.pt), format!("ATCUD of {}: {}", f.number, m.en))
    })?;
    let Some(issuer_nif) = issuer.nif.clone() else {
        return Err(fiscal_error(
            "A empresa não tem NIF: indique-o em Empresa › Dados da empresa para imprimir documentos emitidos.".into(),
            "The company has no NIF: enter it under Company › Company details to print issued documents.".into(),
        ));
    };
    let (spaces, not_subject) = QrSpace::from_summary(&totals.summary);
    // Receipts carry no signature; AT's QR spec then asks for "0" in field Q (UNCONFIRMED, pt-invoicing §4.6).
    let hash4 = if f.hash4.is_empty() { "0".to_string() } else { f.hash4.clone() };
    let payload = qr_payload(&QrInput {
        issuer_nif,
        buyer_tax_id: customer.tax_id.clone().unwrap_or_else(|| FINAL_CONSUMER_NIF.into()),
        buyer_country: customer.country.clone(),
        doc_type: doc.doc_type.saft_code().into(),
        status: if doc.state == DocState::Cancelled { "A".into() } else { "N".into() },
        date: doc.date,
        document_id: f.number.clone(),
        atcud: atcud.as_str().into(),
        spaces,
        not_subject,
        stamp_duty: None,
        total_taxes: totals.vat,
        gross_total: totals.total,
        // P: the withholding, when the document has one (pt-invoicing §4.6; fiscal-review S3).
        withholding: desk_model::fiscal::withholding_field(totals),
        hash4,
        certificate: MOLONI_CERTIFICATE.into(),
        other: None,
    })
    .map_err(|e| CoreError::Fiscal(e.message()))?;
    Ok(Some(IssuedInfo {
        number: f.number.clone(),
        atcud,
        qr_payload: payload,
        hash4: f.hash4.clone(),
        certificate: MOLONI_CERTIFICATE.into(),
    }))
}

/// What an issued document prints from, frozen when it is issued: the issuer and customer blocks as they were,
/// and the totals per rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IssuedSnapshot {
    /// The issuer block (the company profile at issue).
    pub issuer: CompanyProfile,
    /// The customer block at issue.
    pub customer: PartyInfo,
    /// The totals per rate at issue.
    pub totals: desk_model::document::Totals,
}

/// The snapshot of a document about to be issued (with its lines), as JSON.
pub async fn snapshot(cx: &Ctx, doc: &Document) -> CoreResult<String> {
    let issuer = cx.company_profile().await?;
    snapshot_with(cx, doc, &issuer, &mut CustomerCache::default()).await
}

/// [`snapshot`] with the company profile and the customers already read (many documents in a row: the sync).
pub async fn snapshot_with(
    cx: &Ctx,
    doc: &Document,
    issuer: &CompanyProfile,
    customers: &mut CustomerCache,
) -> CoreResult<String> {
    let totals =
        compute_with(&doc.to_draft(), issuer.fiscal.rounding).map_err(|e| CoreError::invalid("total", e.message()))?;
    let customer = customer_party(cx, doc, customers).await?;
    serde_json::to_string(&IssuedSnapshot { issuer: issuer.clone(), customer, totals })
        .map_err(|e| CoreError::Decode(format!("issued snapshot: {e}")))
}

/// The print view of one stored document of the current company, in `lang`.
pub async fn view_of(
    cx: &Ctx,
    doc: &Document,
    issuer: &CompanyProfile,
    customers: &mut CustomerCache,
    lang: Lang,
) -> CoreResult<PrintDocument> {
    let mut draft = doc.to_draft();
    if let Some(source_id) = doc.source_id {
        match documents::get(cx, source_id).await {
            Ok(source) => {
                if let Ok(r) = reference_to(&source, doc.reason.as_deref().unwrap_or("")) {
                    draft.references.push(r);
                }
            }
            Err(CoreError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    // An issued document prints from what was true at issue (its snapshot); a draft from today's data.
    let frozen: Option<IssuedSnapshot> = doc.issued_snapshot.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let (issuer, totals, customer) = match frozen {
        Some(s) => (s.issuer, s.totals, s.customer),
        None => {
            // Totals by the company's rounding method (Moloni's `document_calc_method`).
            let totals =
                compute_with(&draft, issuer.fiscal.rounding).map_err(|e| CoreError::invalid("total", e.message()))?;
            (issuer.clone(), totals, customer_party(cx, doc, customers).await?)
        }
    };
    let issuer = &issuer;
    let issued = issued_info(doc, issuer, &customer, &totals)?;
    let party = issuer.party();
    let payment = issuer.payment();
    // The language-neutral "FT/3": the print view words it ("Rascunho FT/3" / "Draft FT/3").
    let draft_id = desk_model::document::draft_key(doc.doc_type, doc.draft_number);
    Ok(build_with(
        &PrintInput {
            document: &draft,
            totals: &totals,
            draft_id: &draft_id,
            issuer: &party,
            customer: &customer,
            issued: issued.as_ref(),
            payment: payment.as_ref(),
        },
        &issuer.fiscal,
        lang,
    ))
}

/// The print view of document `id`.
pub async fn view(cx: &Ctx, id: Uuid, lang: Lang) -> CoreResult<PrintDocument> {
    let issuer = cx.company_profile().await?;
    let doc = documents::get(cx, id).await?;
    view_of(cx, &doc, &issuer, &mut CustomerCache::default(), lang).await
}

/// How a company prints: its logo, when it has one.
fn options_for(profile: &CompanyProfile) -> RenderOptions {
    RenderOptions { logo: profile.logo_path.as_ref().map(|p| Logo::Path(PathBuf::from(p))), ..RenderOptions::default() }
}

/// Renders document `id` to PDF bytes, with the view it was drawn from (its number names the file).
pub async fn render(cx: &Ctx, id: Uuid, lang: Lang) -> CoreResult<(PrintDocument, Rendered)> {
    let issuer = cx.company_profile().await?;
    let doc = documents::get(cx, id).await?;
    let view = view_of(cx, &doc, &issuer, &mut CustomerCache::default(), lang).await?;
    let rendered = pdf::render(&view, &options_for(&issuer))?;
    Ok((view, rendered))
}

/// What the app's preview shows: the view, its QR image, page count and warnings.
pub async fn preview(cx: &Ctx, id: Uuid, lang: Lang) -> CoreResult<PdfPreview> {
    let (document, rendered) = render(cx, id, lang).await?;
    let qr_svg = match &document.fiscal {
        Some(f) => Some(
            pdf::qr::svg(&f.qr_payload)
                .map_err(|reason| pdf::PdfError::Qr { number: document.number.clone(), reason })?,
        ),
        None => None,
    };
    let warnings = rendered.warnings.iter().map(|w| w.message.clone()).collect();
    Ok(PdfPreview { document, qr_svg, pages: rendered.pages, warnings })
}

/// Writes a rendered PDF to `path`, whole or not at all.
pub fn write(rendered: &Rendered, path: &Path) -> CoreResult<PdfSaved> {
    pdf::write_whole(path, &rendered.bytes)?;
    Ok(PdfSaved {
        path: path.display().to_string(),
        pages: rendered.pages,
        warnings: rendered.warnings.iter().map(|w| w.message.clone()).collect(),
    })
}

/// Renders document `id` into the file `path`.
pub async fn save(cx: &Ctx, id: Uuid, lang: Lang, path: &Path) -> CoreResult<PdfSaved> {
    let (_, rendered) = render(cx, id, lang).await?;
    write(&rendered, path)
}

/// The file name a document's PDF gets: its number made safe (`FT 2026A-17.pdf`).
pub fn file_name(view: &PrintDocument) -> String {
    pdf::safe_file_name(&view.number)
}

/// The print views of every document the filter selects, in its sort order; refuses more than [`BATCH_MAX`].
/// A document that cannot be printed (fiscal data that makes no QR code, a rule it breaks) is left out and
/// listed with the reason, so one bad document never stops the batch.
pub async fn views_for(
    cx: &Ctx,
    query: &DocumentQuery,
    lang: Lang,
    mut read: impl FnMut(usize),
) -> CoreResult<(Vec<PrintDocument>, Vec<BatchWarning>)> {
    let issuer = cx.company_profile().await?;
    let mut q = query.clone();
    q.after = None;
    q.limit = 500;
    let mut views = Vec::new();
    let mut skipped = Vec::new();
    let mut customers = CustomerCache::default();
    loop {
        let page = documents::list(cx, &q).await?;
        let too_many = page.total_is_lower_bound || page.total as usize > BATCH_MAX;
        if too_many || views.len() + page.items.len() > BATCH_MAX {
            return Err(CoreError::invalid(
                "filter",
                Localized::new(
                    format!("O filtro escolhe mais de {BATCH_MAX} documentos; imprima no máximo {BATCH_MAX} de cada vez. Restrinja o filtro (datas, tipo, cliente)."),
                    format!("The filter selects more than {BATCH_MAX} documents; print at most {BATCH_MAX} at a time. Narrow the filter (dates, type, customer)."),
                ),
            ));
        }
        for row in &page.items {
            let doc = documents::get(cx, row.id).await?;
            match view_of(cx, &doc, &issuer, &mut customers, lang).await {
                Ok(view) => views.push(view),
                Err(e @ (CoreError::Fiscal(_) | CoreError::Invalid(_))) => {
                    let why = e.to_app_error().message;
                    skipped.push(BatchWarning {
                        document: Some(doc.number.clone()),
                        warning: RenderWarning {
                            kind: WarningKind::Skipped,
                            message: Localized::new(
                                format!("não impresso: {}", why.pt),
                                format!("not printed: {}", why.en),
                            ),
                        },
                    });
                }
                Err(e) => return Err(e),
            }
            read(views.len() + skipped.len());
        }
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    Ok((views, skipped))
}

/// Prints the filtered list to a folder or one merged file; `progress(done, total)` may cancel. Rendering runs
/// on a blocking thread so the async runtime stays responsive.
pub async fn batch<F>(
    cx: &Ctx,
    query: &DocumentQuery,
    lang: Lang,
    target: BatchTarget,
    progress: F,
) -> CoreResult<BatchReport>
where
    F: FnMut(usize, usize) -> ControlFlow<()> + Send + 'static,
{
    let (views, skipped) = views_for(cx, query, lang, |_| {}).await?;
    let options = options_for(&cx.company_profile().await?);
    let mut report = tokio::task::spawn_blocking(move || pdf::render_many(&views, &options, &target, progress))
        .await
        .map_err(|e| CoreError::Decode(format!("the PDF batch stopped unexpectedly: {e}")))??;
    report.warnings.extend(skipped);
    Ok(report)
}
