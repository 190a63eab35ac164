//! Documents issued elsewhere (Moloni's web app, a shop plugin) brought here as issued and read-only, with their
//! lines, their fiscal data and the issued snapshot, so lists, the dashboard, overdue tracking and reports see
//! every document the company has. Read per type by `getAll` (or `getModifiedSince` with the run's overlap),
//! each new one then by `getOne` for its lines and payments; de-duplicated by Moloni's document id (unique here),
//! and never one the app issued itself (its id is on our document or in the issue queue, or its `our_reference`
//! is one of ours). A receipt (RE) becomes an issued RG with a payment row on each invoice it settles, so the
//! invoice's open balance follows from payments as for any receipt (`documents::settle`); a credit note settles
//! its invoice the same way. An annulled one arrives cancelled; one annulled after we pulled it is cancelled here.

use super::Run;
use crate::codec;
use crate::documents::{self, issue, order, resettle, rows::LineRow, settle};
use crate::error::{CoreError, CoreResult};
use crate::payments::PaymentRow;
use crate::store::Writer;
use crate::Ctx;
use desk_model::document::{compute_with, DocState, DocType};
use desk_model::ipc::{Document, DocumentLine, FiscalData, Payment};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::msg::Localized;
use desk_model::tax::{class_of, ExemptionCode, FiscalZone, LineTax, TaxCode};
use moloni::convert::{doc_type_of, fiscal_data};
use moloni::{CompanyApi, DocumentKind};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The order types are read in: what a credit note or a receipt points at comes first.
const ORDER: [DocumentKind; 7] = [
    DocumentKind::Invoice,
    DocumentKind::InvoiceReceipt,
    DocumentKind::SimplifiedInvoice,
    DocumentKind::DebitNote,
    DocumentKind::Estimate,
    DocumentKind::CreditNote,
    DocumentKind::Receipt,
];
/// Documents per transaction (each read whole with `getOne` before the transaction opens: the writer is never
/// held across a call to Moloni).
const PAGE: usize = 50;
/// The reason a document annulled in Moloni carries here.
const ANNULLED: &str = "Anulado no Moloni";

/// What we already have, by Moloni's id: our document and its state.
struct Known {
    by_moloni: HashMap<i64, (Uuid, DocState)>,
    /// Moloni ids of documents our issuer is sending right now (recorded, not marked issued yet).
    in_flight: HashSet<i64>,
}

async fn known(cx: &Ctx) -> CoreResult<Known> {
    let company = cx.company().id.to_string();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT moloni_id, id, state FROM documents WHERE company_id = ? AND moloni_id IS NOT NULL AND deleted_at IS NULL",
    )
    .bind(&company)
    .fetch_all(cx.store().reader())
    .await?;
    let mut by_moloni = HashMap::with_capacity(rows.len());
    for (mid, id, state) in rows {
        by_moloni.insert(mid, (codec::uuid(&id)?, documents::parse_state(&state)?));
    }
    let in_flight: Vec<i64> = sqlx::query_scalar(
        "SELECT moloni_document_id FROM issue_requests WHERE company_id = ? AND moloni_document_id IS NOT NULL",
    )
    .bind(&company)
    .fetch_all(cx.store().reader())
    .await?;
    Ok(Known { by_moloni, in_flight: in_flight.into_iter().collect() })
}

/// Whether Moloni's `our_reference` names one of our documents (the issuer's `<id in base 62>-<hash>`).
async fn ours(cx: &Ctx, reference: &str) -> CoreResult<bool> {
    let Some(id) = super::super::issuer::document_of_reference(reference) else { return Ok(false) };
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM documents WHERE id = ?")
        .bind(id.to_string())
        .fetch_one(cx.store().reader())
        .await?;
    Ok(n > 0)
}

/// A document ready to store: its header and lines as issued, its fiscal data, and the payments it makes on
/// other documents (a receipt's).
struct Pulled {
    doc: Document,
    payments: Vec<(Uuid, Money, String)>,
}

/// Pulls the documents of the run's window.
pub async fn pull(cx: &Ctx, api: &CompanyApi<'_>, run: &mut Run<'_>) -> CoreResult<()> {
    let mut list = Vec::new();
    for kind in ORDER {
        let docs = match &run.since {
            None => api.documents_all(kind).await?,
            Some(since) => api.documents_modified_since(kind, since).await?,
        };
        // drafts are not documents yet
        list.extend(docs.into_iter().filter(|d| matches!(d.status, 1 | 2)).map(|d| (kind, d)));
    }
    let total = list.len() as u64;
    run.progress("documents", 0, Some(total));
    let mut known = known(cx).await?;
    let customers: HashMap<i64, Uuid> =
        super::link::load(cx, "customer").await?.into_iter().map(|l| (l.moloni_id, l.local)).collect();
    let products: HashMap<i64, Uuid> =
        super::link::load(cx, "product").await?.into_iter().map(|l| (l.moloni_id, l.local)).collect();
    let taxes = tax_map(cx).await?;
    let methods = method_names(cx).await?;
    let mut at_codes: Option<HashMap<(i64, i64), String>> = None;
    let mut deductions: Option<HashMap<i64, rust_decimal::Decimal>> = None;
    // read once: every snapshot of the run freezes the same issuer block
    let issuer = cx.company_profile().await?;
    let mut cache = crate::printing::CustomerCache::default();
    let mut seen = HashSet::new();
    let mut done = 0u64;
    for page in list.chunks(PAGE) {
        let mut ready = Vec::new();
        let mut annulled = Vec::new();
        for (kind, d) in page {
            done += 1;
            // each document is a call to Moloni: the bar moves with them
            run.progress("documents", done, Some(total));
            if !seen.insert(d.document_id) || known.in_flight.contains(&d.document_id) {
                continue;
            }
            if let Some((local, state)) = known.by_moloni.get(&d.document_id) {
                if d.status == 2 && *state != DocState::Cancelled {
                    annulled.push(*local);
                }
                continue;
            }
            if ours(cx, &d.our_reference).await? {
                continue;
            }
            let Some(full) = api.document_get(*kind, d.document_id).await? else { continue };
            let at_code = if full.atcud.is_empty() {
                if at_codes.is_none() {
                    at_codes = Some(
                        api.document_sets()
                            .await?
                            .iter()
                            .flat_map(|s| {
                                s.document_set_at_codes
                                    .iter()
                                    .map(|c| ((s.document_set_id, c.document_type_id), c.document_set_at_code.clone()))
                            })
                            .collect(),
                    );
                }
                at_codes.as_ref().and_then(|m| m.get(&(full.document_set_id, full.document_type_id))).cloned()
            } else {
                None
            };
            if !full.deduction_value.is_zero() && deductions.is_none() {
                deductions = Some(api.deductions().await?.into_iter().map(|d| (d.deduction_id, d.value)).collect());
            }
            let none = HashMap::new();
            let parts = Parts {
                customers: &customers,
                products: &products,
                taxes: &taxes,
                methods: &methods,
                deductions: deductions.as_ref().unwrap_or(&none),
                issuer: &issuer,
            };
            match build(cx, *kind, &full, at_code.as_deref(), &parts, &known, &mut cache).await? {
                Ok(p) => {
                    known.by_moloni.insert(full.document_id, (p.doc.id, p.doc.state));
                    ready.push(p);
                }
                Err(message) => {
                    let label = format!("{} {}/{}", kind.saft_code(), full.document_set_name, full.number);
                    run.fail("document", &label, message);
                }
            }
        }
        if !ready.is_empty() {
            let mut w = cx.write().await?;
            for p in &ready {
                store(&mut w, cx, p).await?;
            }
            w.commit().await?;
            run.report.pulled += u32::try_from(ready.len()).unwrap_or(u32::MAX);
        }
        for id in annulled {
            match issue::mark_cancelled(cx, id, ANNULLED).await {
                Ok(_) => run.report.pulled += 1,
                Err(e) => {
                    let message = desk_model::ipc::AppError::from(e).message;
                    run.issue("document", &id.to_string(), message);
                }
            }
        }
        run.progress("documents", done, Some(total));
    }
    run.report.kinds.push("documents".into());
    Ok(())
}

/// Moloni's tax id → what it is here (`PT/NOR`, `ISE`), from the reference data.
async fn tax_map(cx: &Ctx) -> CoreResult<HashMap<i64, String>> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT moloni_id, mapped FROM moloni_reference WHERE company_id = ? AND kind = 'taxes'")
            .bind(cx.company().id.to_string())
            .fetch_all(cx.store().reader())
            .await?;
    Ok(rows.into_iter().filter_map(|(id, m)| Some((id.parse().ok()?, m?))).collect())
}

/// Moloni's payment method id → its name, from the reference data.
async fn method_names(cx: &Ctx) -> CoreResult<HashMap<i64, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT moloni_id, name FROM moloni_reference WHERE company_id = ? AND kind = 'payment_methods'",
    )
    .bind(cx.company().id.to_string())
    .fetch_all(cx.store().reader())
    .await?;
    Ok(rows.into_iter().filter_map(|(id, name)| Some((id.parse().ok()?, name))).collect())
}

/// What a pulled document is linked to here.
struct Parts<'a> {
    customers: &'a HashMap<i64, Uuid>,
    products: &'a HashMap<i64, Uuid>,
    taxes: &'a HashMap<i64, String>,
    methods: &'a HashMap<i64, String>,
    /// Moloni's withholding rates by id (read when a document has withholding).
    deductions: &'a HashMap<i64, rust_decimal::Decimal>,
    /// The company's issuer block, frozen into each snapshot.
    issuer: &'a desk_model::company::CompanyProfile,
}

/// A line's VAT as the dated table has it: its VAT tax mapped by the reference data (else by its rate in the
/// mainland table), or exempt with its reason.
fn line_tax(
    l: &moloni::types::DocumentProduct,
    taxes: &HashMap<i64, String>,
    date: chrono::NaiveDate,
) -> Option<LineTax> {
    let exemption = ExemptionCode::parse(l.exemption_reason.trim());
    for t in &l.taxes {
        let mapped = taxes.get(&t.tax_id).cloned().or_else(|| {
            (!t.value.is_zero())
                .then(|| class_of(FiscalZone::Pt, Percent(t.value), date))
                .flatten()
                .map(|c| format!("PT/{}", c.code().as_str()))
        });
        match mapped.as_deref() {
            Some("ISE") => {}
            Some(m) if m.starts_with("other/") => {}
            Some(m) => {
                let (zone, code) = m.split_once('/')?;
                return Some(LineTax { zone: FiscalZone::parse(zone)?, code: TaxCode::parse(code)?, exemption: None });
            }
            None => return None,
        }
    }
    Some(LineTax { zone: FiscalZone::Pt, code: TaxCode::parse("ISE")?, exemption: Some(exemption?) })
}

fn not_brought(pt: String, en: String) -> Localized {
    Localized::new(
        format!("Não foi trazido do Moloni: {pt} Verifique-o no Moloni."),
        format!("Not brought from Moloni: {en} Check it in Moloni."),
    )
}

/// Moloni's document as ours, issued (or cancelled); its totals by desk-model must be Moloni's to the cent.
async fn build(
    cx: &Ctx,
    kind: DocumentKind,
    m: &moloni::types::Document,
    at_code: Option<&str>,
    parts: &Parts<'_>,
    known: &Known,
    customers: &mut crate::printing::CustomerCache,
) -> CoreResult<Result<Pulled, Localized>> {
    let doc_type = doc_type_of(kind);
    // an annulled document keeps the fiscal data it was closed with
    let closed = moloni::types::Document { status: 1, ..m.clone() };
    let mut fiscal = match fiscal_data(kind, &closed, at_code) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e.message())),
    };
    let Some(date) = moloni::convert::parse_datetime(&m.date).map(|d| d.date_naive()) else {
        return Ok(Err(not_brought(
            format!("a data «{}» não se lê.", m.date),
            format!("its date «{}» cannot be read.", m.date),
        )));
    };
    let due_date = m.expiration_date.as_deref().and_then(moloni::convert::parse_datetime).map(|d| d.date_naive());
    let associated: Vec<Uuid> =
        m.associated_documents.iter().filter_map(|a| known.by_moloni.get(&a.associated_id).map(|k| k.0)).collect();
    let now = chrono::Utc::now();
    let mut lines = Vec::with_capacity(m.products.len());
    for l in &m.products {
        let Some(tax) = line_tax(l, parts.taxes, date) else {
            return Ok(Err(not_brought(
                format!("a linha «{}» tem uma taxa de IVA que não corresponde a nenhuma em vigor.", l.name),
                format!("line «{}» has a VAT tax that matches no rate in force.", l.name),
            )));
        };
        let description = match l.summary.trim() {
            "" => l.name.clone(),
            s => format!("{}\n{s}", l.name),
        };
        lines.push(DocumentLine {
            id: Uuid::now_v7(),
            product_id: parts.products.get(&l.product_id).copied(),
            description: description.chars().take(200).collect(),
            unit: None,
            quantity: Quantity(l.qty.normalize()),
            unit_price: UnitPrice(l.price.normalize()),
            discount: Percent(l.discount.normalize()),
            tax,
            amount: Money::ZERO,
            // the line's own rate, as Moloni keeps it (the document has none of its own)
            withholding: parts.deductions.get(&l.deduction_id).map(|r| Percent(r.normalize())),
        });
    }
    let mut doc = Document {
        id: Uuid::now_v7(),
        company_id: cx.company().id,
        doc_type,
        state: DocState::Draft,
        number: fiscal.number.clone(),
        draft_number: None,
        customer_id: parts.customers.get(&m.customer_id).copied(),
        customer_name: m.entity_name.clone(),
        customer_nif: Some(m.entity_vat.trim().to_string()).filter(|n| !n.is_empty()),
        date,
        due_date,
        payment_terms: None,
        global_discount: Percent::ZERO,
        retail_b2c: false,
        notes: String::new(),
        source_id: if matches!(doc_type, DocType::Nc | DocType::Nd | DocType::Rg) {
            associated.first().copied()
        } else {
            None
        },
        reason: None,
        lines,
        gross: Money::ZERO,
        discounts: Money::ZERO,
        net: Money::ZERO,
        vat: Money::ZERO,
        total: Money::ZERO,
        received: Money::ZERO,
        credited: Money::ZERO,
        open_balance: Money::ZERO,
        withholding_rate: None,
        withholding: Money::ZERO,
        supply_date: None,
        fiscal: None,
        issue_requested_at: None,
        issued_snapshot: None,
        cancel_reason: None,
        created_at: now,
        updated_at: now,
    };
    let mut payments = Vec::new();
    if doc_type == DocType::Rg {
        // a receipt carries only what it settles
        let total = Money(m.net_value.round_dp(2));
        (doc.gross, doc.net, doc.total) = (total, total, total);
        (fiscal.net, fiscal.vat) = (total, Money::ZERO);
        let method = m
            .payments
            .first()
            .map(|p| p.payment_method_name.clone())
            .filter(|n| !n.is_empty())
            .or_else(|| m.payments.first().and_then(|p| parts.methods.get(&p.payment_method_id).cloned()))
            .unwrap_or_else(|| "Moloni".into());
        let single = m.associated_documents.len() == 1;
        for a in &m.associated_documents {
            let Some((invoice, _)) = known.by_moloni.get(&a.associated_id) else { continue };
            // a list gives no value per association: one association is the whole receipt
            let value = if a.value.is_zero() && single { m.net_value } else { a.value };
            if !value.is_zero() {
                payments.push((*invoice, Money(value.round_dp(2)), method.chars().take(60).collect()));
            }
        }
    } else {
        let rounding = cx.fiscal().rounding;
        let totals = match compute_with(&doc.to_draft(), rounding) {
            Ok(t) => t,
            Err(e) => return Ok(Err(not_brought(e.message().pt, e.message().en))),
        };
        for (line, a) in doc.lines.iter_mut().zip(&totals.lines) {
            line.amount = Money(codec::decimal(&a.amount.to_plain_string())?);
        }
        doc.gross = codec::money_as_stored(totals.gross);
        doc.discounts = codec::money_as_stored(totals.discounts);
        doc.net = codec::money_as_stored(totals.net);
        doc.vat = codec::money_as_stored(totals.vat);
        doc.total = codec::money_as_stored(totals.total);
        doc.withholding = codec::money_as_stored(totals.withholding);
        let withheld = Money(m.deduction_value.round_dp(2));
        if (doc.net, doc.vat, doc.total, doc.withholding) != (fiscal.net, fiscal.vat, fiscal.total, withheld) {
            let (ours, theirs) = (doc.total.to_plain_string(), fiscal.total.to_plain_string());
            return Ok(Err(not_brought(
                format!("os totais não conferem (calculado aqui {ours}, no Moloni {theirs})."),
                format!("its totals differ (computed here {ours}, in Moloni {theirs})."),
            )));
        }
    }
    doc.fiscal = Some(FiscalData { net: doc.net, vat: doc.vat, total: doc.total, ..fiscal });
    doc.issued_snapshot = Some(crate::printing::snapshot_with(cx, &doc, parts.issuer, customers).await?);
    if m.status == 2 {
        doc.state = DocState::Cancelled;
        doc.cancel_reason = Some(ANNULLED.into());
    }
    Ok(Ok(Pulled { doc, payments }))
}

/// Writes a pulled document through the one write path: its rows as a draft (insert ops), then the `moloni.pull`
/// command that sets Moloni's fiscal data and its state (from here the freeze triggers hold it), then the
/// payments of a receipt and the settlement of what it (or a credit note) settles.
async fn store(w: &mut Writer<'_>, cx: &Ctx, p: &Pulled) -> CoreResult<()> {
    let d = &p.doc;
    let draft = Document {
        state: DocState::Draft,
        fiscal: None,
        issued_snapshot: None,
        cancel_reason: None,
        lines: Vec::new(),
        ..d.clone()
    };
    w.insert(&draft).await?;
    let keys = order::assign(&vec![None; d.lines.len()]);
    let rows: Vec<LineRow> = d
        .lines
        .iter()
        .zip(keys)
        .enumerate()
        .map(|(i, (line, sort_key))| LineRow {
            line: line.clone(),
            document_id: d.id,
            company_id: d.company_id,
            sort_key,
            position: i as i64,
            created_at: w.now().to_string(),
        })
        .collect();
    w.insert_many(&rows).await?;
    let issued =
        Document { state: if d.state == DocState::Cancelled { d.state } else { DocState::Issued }, ..d.clone() };
    let after = settle::settled(w.conn(), &issued).await?;
    w.command("moloni.pull", &draft, &Document { lines: Vec::new(), ..after }).await?;
    let now = w.now_time()?;
    for (invoice, amount, method) in &p.payments {
        let row = PaymentRow {
            payment: Payment {
                id: Uuid::now_v7(),
                document_id: *invoice,
                receipt_id: Some(d.id),
                date: d.date,
                amount: *amount,
                method: method.clone(),
                notes: None,
                created_at: now,
            },
            company_id: d.company_id,
        };
        w.insert(&row).await?;
    }
    let mut settles: Vec<Uuid> = p.payments.iter().map(|(i, _, _)| *i).collect();
    if let (DocType::Nc, Some(source)) = (d.doc_type, d.source_id) {
        settles.push(source);
    }
    settles.dedup();
    for id in settles {
        let invoice = documents::fetch_in(w.conn(), cx, id).await?;
        if invoice.doc_type.is_receivable() && invoice.state.is_issued() {
            if let Err(e) = resettle(w, cx, id).await {
                // Moloni settled it; our state machine's objection is reported, never a reason to lose the rows
                if !matches!(e, CoreError::Transition(_)) {
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}
