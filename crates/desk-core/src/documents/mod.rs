//! Documents: save a whole draft with its lines in one transaction, read, duplicate, convert (quote → invoice,
//! invoice → credit/debit note), delete a draft (tombstone), queue for issue, and record Moloni's fiscal data,
//! after which the document is immutable (here and in the database's own triggers).
//!
//! Every rule and every amount comes from `desk_model::document`: the engine reads the typed text with
//! [`DocumentInput::to_draft`], checks it with [`validate`], stores what [`compute`] gives, and moves states
//! only where [`can_transition`] allows. Every edit writes its rows, audit entries and outbox ops in one
//! transaction (one op per document row and per changed line: lines are rows of their own for sync).

pub mod find;
pub mod issue;
pub mod list;

use crate::audit::{self, Action, Change};
use crate::codec;
use crate::customers;
use crate::error::{CoreError, CoreResult};
use crate::series;
use crate::workspace::Workspace;
use chrono::{NaiveDate, Utc};
use desk_model::document::{
    can_transition, check_credit, compute_with, convert as convert_draft, due_date, validate_with, CreditError,
    DocFacts, DocRef, DocState, DocType, DraftDocument, PaymentTerms, RoundingMethod, Totals,
};
use desk_model::ipc::{Document, DocumentInput, DocumentLine, FieldError, FiscalData, LineInput};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::msg::Localized;
use desk_model::text::fold;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

pub use find::find;
pub use list::list;

/// The columns of a document row that [`from_row`] reads.
pub(crate) const DOC_COLUMNS: &str = "id, company_id, doc_type, state, draft_number, customer_id, customer_name, \
     customer_nif, issue_date, due_date, payment_terms, notes, global_discount, retail_b2c, source_id, source_reason, \
     gross, discounts, net, vat, total, received, credited, open_cents, moloni_id, moloni_document_set_id, \
     fiscal_number, fiscal_series, atcud, hash4, issued_at, issue_requested_at, created_at, updated_at, rev, \
     withholding_rate, withholding, supply_date";

const LINE_COLUMNS: &str =
    "id, position, product_id, description, unit, quantity, unit_price, discount, tax_zone, tax_code, exemption, amount";

/// The stored name of a state (desk-model's serde name).
pub fn state_str(s: DocState) -> &'static str {
    match s {
        DocState::Draft => "draft",
        DocState::IssueRequested => "issue_requested",
        DocState::Issuing => "issuing",
        DocState::Issued => "issued",
        DocState::Unpaid => "unpaid",
        DocState::PartiallyPaid => "partially_paid",
        DocState::Paid => "paid",
        DocState::Cancelled => "cancelled",
    }
}

/// Reads a stored state.
pub fn parse_state(s: &str) -> CoreResult<DocState> {
    Ok(match s {
        "draft" => DocState::Draft,
        "issue_requested" => DocState::IssueRequested,
        "issuing" => DocState::Issuing,
        "issued" => DocState::Issued,
        "unpaid" => DocState::Unpaid,
        "partially_paid" => DocState::PartiallyPaid,
        "paid" => DocState::Paid,
        "cancelled" => DocState::Cancelled,
        other => return Err(CoreError::Decode(format!("document state {other}"))),
    })
}

pub(crate) fn parse_type(s: &str) -> CoreResult<DocType> {
    DocType::parse(s).ok_or_else(|| CoreError::Decode(format!("document type {s}")))
}

/// The label of a draft: never a fiscal number.
pub fn draft_label(doc_type: DocType, n: Option<i64>) -> String {
    match n {
        Some(n) => format!("Rascunho {}/{n}", doc_type.saft_code()),
        None => format!("Rascunho {}", doc_type.saft_code()),
    }
}

/// The sort key of the number column: `FT 2026A/0000000017` once issued (numeric order within a series),
/// `FT ~0000000012` for drafts (after the issued ones of the type).
pub(crate) fn number_key(doc_type: DocType, fiscal: Option<&str>, draft: Option<i64>) -> String {
    match fiscal {
        Some(n) => match n.rsplit_once('/') {
            Some((head, seq)) if seq.chars().all(|c| c.is_ascii_digit()) && !seq.is_empty() => {
                format!("{head}/{:0>10}", seq)
            }
            _ => n.to_string(),
        },
        None => format!("{} ~{:010}", doc_type.saft_code(), draft.unwrap_or(0)),
    }
}

fn money(row: &SqliteRow, col: &str) -> CoreResult<Money> {
    Ok(Money(codec::decimal(row.try_get(col)?)?))
}

/// A document row without its lines.
pub(crate) fn from_row(row: &SqliteRow) -> CoreResult<Document> {
    let doc_type = parse_type(row.try_get("doc_type")?)?;
    let state = parse_state(row.try_get("state")?)?;
    let draft_number: Option<i64> = row.try_get("draft_number")?;
    let fiscal_number: Option<String> = row.try_get("fiscal_number")?;
    let terms: Option<String> = row.try_get("payment_terms")?;
    let payment_terms = terms
        .map(|t| {
            serde_json::from_str::<PaymentTerms>(&t).map_err(|e| CoreError::Decode(format!("payment terms {t}: {e}")))
        })
        .transpose()?;
    let due: Option<String> = row.try_get("due_date")?;
    let issued_at: Option<String> = row.try_get("issued_at")?;
    let requested: Option<String> = row.try_get("issue_requested_at")?;
    let (net, vat, total) = (money(row, "net")?, money(row, "vat")?, money(row, "total")?);
    let fiscal = match (&fiscal_number, issued_at) {
        (Some(number), Some(at)) => Some(FiscalData {
            moloni_id: row.try_get::<Option<i64>, _>("moloni_id")?.unwrap_or_default(),
            document_set_id: row.try_get("moloni_document_set_id")?,
            number: number.clone(),
            series: row.try_get::<Option<String>, _>("fiscal_series")?.unwrap_or_default(),
            atcud: row.try_get::<Option<String>, _>("atcud")?.unwrap_or_default(),
            hash4: row.try_get::<Option<String>, _>("hash4")?.unwrap_or_default(),
            issued_at: codec::time(&at)?,
            net,
            vat,
            total,
        }),
        _ => None,
    };
    Ok(Document {
        id: codec::uuid(row.try_get("id")?)?,
        company_id: codec::uuid(row.try_get("company_id")?)?,
        doc_type,
        state,
        number: fiscal_number.clone().unwrap_or_else(|| draft_label(doc_type, draft_number)),
        draft_number,
        customer_id: codec::opt_uuid(row.try_get("customer_id")?)?,
        customer_name: row.try_get("customer_name")?,
        customer_nif: row.try_get("customer_nif")?,
        date: codec::date(row.try_get("issue_date")?)?,
        due_date: due.as_deref().map(codec::date).transpose()?,
        payment_terms,
        global_discount: Percent(codec::decimal(row.try_get("global_discount")?)?),
        retail_b2c: row.try_get::<i64, _>("retail_b2c")? != 0,
        notes: row.try_get::<Option<String>, _>("notes")?.unwrap_or_default(),
        source_id: codec::opt_uuid(row.try_get("source_id")?)?,
        reason: row.try_get("source_reason")?,
        lines: Vec::new(),
        gross: money(row, "gross")?,
        discounts: money(row, "discounts")?,
        net,
        vat,
        total,
        received: money(row, "received")?,
        credited: money(row, "credited")?,
        open_balance: Money::from_cents(row.try_get("open_cents")?),
        withholding_rate: row
            .try_get::<Option<String>, _>("withholding_rate")?
            .as_deref()
            .map(codec::decimal)
            .transpose()?
            .map(Percent),
        withholding: money(row, "withholding")?,
        supply_date: row.try_get::<Option<String>, _>("supply_date")?.as_deref().map(codec::date).transpose()?,
        fiscal,
        issue_requested_at: requested.as_deref().map(codec::time).transpose()?,
        created_at: codec::time(row.try_get("created_at")?)?,
        updated_at: codec::time(row.try_get("updated_at")?)?,
    })
}

fn line_from_row(row: &SqliteRow) -> CoreResult<DocumentLine> {
    let zone: String = row.try_get("tax_zone")?;
    let code: String = row.try_get("tax_code")?;
    let exemption: Option<String> = row.try_get("exemption")?;
    Ok(DocumentLine {
        id: codec::uuid(row.try_get("id")?)?,
        product_id: codec::opt_uuid(row.try_get("product_id")?)?,
        description: row.try_get("description")?,
        unit: row.try_get("unit")?,
        quantity: Quantity(codec::decimal(row.try_get("quantity")?)?),
        unit_price: UnitPrice(codec::decimal(row.try_get("unit_price")?)?),
        discount: Percent(codec::decimal(row.try_get("discount")?)?),
        tax: crate::products::stored_tax(&zone, &code, exemption.as_deref())?,
        amount: money(row, "amount")?,
    })
}

/// The synced fields of a document row, for the audit trail and the outbox.
fn doc_fields(d: &Document) -> Value {
    json!({
        "doc_type": d.doc_type.saft_code(), "state": state_str(d.state), "draft_number": d.draft_number,
        "customer_id": d.customer_id, "customer_name": d.customer_name, "customer_nif": d.customer_nif,
        "issue_date": d.date.to_string(), "due_date": d.due_date.map(|x| x.to_string()),
        "payment_terms": d.payment_terms, "notes": d.notes, "global_discount": codec::decimal_text(d.global_discount.0),
        "retail_b2c": d.retail_b2c, "source_id": d.source_id, "source_reason": d.reason,
        "withholding_rate": d.withholding_rate.map(|p| codec::decimal_text(p.0)),
        "withholding": d.withholding.to_plain_string(), "supply_date": d.supply_date.map(|x| x.to_string()),
        "gross": d.gross.to_plain_string(), "discounts": d.discounts.to_plain_string(), "net": d.net.to_plain_string(),
        "vat": d.vat.to_plain_string(), "total": d.total.to_plain_string(),
        "received": d.received.to_plain_string(), "credited": d.credited.to_plain_string(),
        "fiscal_number": d.fiscal.as_ref().map(|f| f.number.clone()), "atcud": d.fiscal.as_ref().map(|f| f.atcud.clone()),
        "moloni_id": d.fiscal.as_ref().map(|f| f.moloni_id),
    })
}

/// The audit change of a document row: insert (no `before`), update, or delete (no `after`).
fn doc_change<'w>(
    ws: &'w Workspace,
    before: Option<&Document>,
    after: Option<&Document>,
    base_rev: Option<i64>,
) -> Change<'w> {
    let action = match (before, after) {
        (None, _) => Action::Insert,
        (Some(_), Some(_)) => Action::Update,
        (Some(_), None) => Action::Delete,
    };
    Change {
        actor: ws.actor(),
        company_id: ws.company().id,
        table: "documents",
        row_id: after.or(before).map_or(Uuid::nil(), |d| d.id),
        action,
        before: before.map(doc_fields),
        after: after.map(doc_fields),
        base_rev,
    }
}

/// The audit change of a line at its position: insert (no `before`), update, or delete (no `after`).
fn line_change<'w>(
    ws: &'w Workspace,
    doc_id: Uuid,
    before: Option<(usize, &DocumentLine)>,
    after: Option<(usize, &DocumentLine)>,
) -> Change<'w> {
    let action = match (before, after) {
        (None, _) => Action::Insert,
        (Some(_), Some(_)) => Action::Update,
        (Some(_), None) => Action::Delete,
    };
    Change {
        actor: ws.actor(),
        company_id: ws.company().id,
        table: "document_lines",
        row_id: after.or(before).map_or(Uuid::nil(), |(_, l)| l.id),
        action,
        before: before.map(|(pos, l)| line_fields(doc_id, pos, l)),
        after: after.map(|(pos, l)| line_fields(doc_id, pos, l)),
        base_rev: None,
    }
}

/// The synced fields of a line.
fn line_fields(document_id: Uuid, position: usize, l: &DocumentLine) -> Value {
    json!({
        "document_id": document_id, "position": position, "product_id": l.product_id, "description": l.description,
        "unit": l.unit, "quantity": codec::decimal_text(l.quantity.0), "unit_price": codec::decimal_text(l.unit_price.0),
        "discount": codec::decimal_text(l.discount.0), "tax_zone": l.tax.zone.code(), "tax_code": l.tax.code.as_str(),
        "exemption": l.tax.exemption.as_ref().map(|e| e.to_string()), "amount": l.amount.to_plain_string(),
    })
}

/// Reads a document (without lines) inside a transaction, with its `rev`.
pub(crate) async fn fetch_in(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &Workspace,
    id: Uuid,
) -> CoreResult<(Document, Option<i64>)> {
    let row = sqlx::query(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE id = ? AND company_id = ? AND deleted_at IS NULL"
    ))
    .bind(id.to_string())
    .bind(ws.company().id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CoreError::NotFound { what: "document" })?;
    Ok((from_row(&row)?, row.try_get("rev")?))
}

async fn lines_in<'e, E>(exec: E, id: Uuid) -> CoreResult<Vec<DocumentLine>>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let rows = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM document_lines WHERE document_id = ? AND deleted_at IS NULL ORDER BY position"
    ))
    .bind(id.to_string())
    .fetch_all(exec)
    .await?;
    rows.iter().map(line_from_row).collect()
}

/// One document of the current company, with its lines.
pub async fn get(ws: &Workspace, id: Uuid) -> CoreResult<Document> {
    let row = sqlx::query(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE id = ? AND company_id = ? AND deleted_at IS NULL"
    ))
    .bind(id.to_string())
    .bind(ws.company().id.to_string())
    .fetch_optional(ws.store().pool())
    .await?
    .ok_or(CoreError::NotFound { what: "document" })?;
    let mut doc = from_row(&row)?;
    doc.lines = lines_in(ws.store().pool(), id).await?;
    Ok(doc)
}

/// The reference a document makes to an issued `source` (its fiscal number and date).
pub(crate) fn reference_to(source: &Document, reason: &str) -> Result<DocRef, CoreError> {
    match &source.fiscal {
        Some(f) if source.state.is_issued() => Ok(DocRef {
            doc_type: source.doc_type,
            number: f.number.clone(),
            date: source.date,
            reason: reason.trim().to_string(),
        }),
        _ => Err(CoreError::Conversion(desk_model::document::ConversionError::SourceState(source.state))),
    }
}

/// Everything a save needs, read and checked before the write transaction starts.
struct Prepared {
    draft: DraftDocument,
    totals: Totals,
    customer_id: Option<Uuid>,
    customer_name: String,
    customer_nif: Option<String>,
    payment_terms: Option<PaymentTerms>,
    source_id: Option<Uuid>,
    reason: Option<String>,
}

/// A credit note never credits more than its invoice, counting the notes already issued against it
/// (desk-model's `check_credit`; Despacho 8632/2014 §3.3.7, fiscal-review M7).
async fn check_credit_bound(
    ws: &Workspace,
    invoice: &Document,
    note: &DraftDocument,
    rounding: RoundingMethod,
) -> CoreResult<()> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE source_id = ? AND doc_type = 'NC' AND deleted_at IS NULL
             AND state IN ('issued', 'unpaid', 'partially_paid', 'paid')",
    )
    .bind(invoice.id.to_string())
    .fetch_all(ws.store().pool())
    .await?;
    let mut earlier = Vec::with_capacity(ids.len());
    for id in ids {
        earlier.push(get(ws, codec::uuid(&id)?).await?.to_draft());
    }
    let problems = check_credit(&invoice.to_draft(), &earlier, note, rounding);
    if problems.is_empty() {
        return Ok(());
    }
    Err(CoreError::Invalid(
        problems
            .iter()
            .map(|e| {
                let field = match e {
                    CreditError::NotOnInvoice { line } => format!("lines[{line}].description"),
                    CreditError::QuantityExceeded { line, .. } => format!("lines[{line}].quantity"),
                    CreditError::BeforeInvoice => "date".into(),
                    CreditError::ValueExceeded { .. } | CreditError::Totals(_) => "total".into(),
                };
                FieldError { field, message: e.message() }
            })
            .collect(),
    ))
}

fn invalid_one(field: &str, pt: String, en: String) -> CoreError {
    CoreError::Invalid(vec![FieldError { field: field.into(), message: Localized::new(pt, en) }])
}

async fn prepare(ws: &Workspace, input: &DocumentInput) -> CoreResult<Prepared> {
    let mut draft = input.to_draft().map_err(CoreError::Invalid)?;
    let customer = match input.customer_id {
        Some(id) => match customers::get(ws, id).await {
            Ok(c) => Some(c),
            Err(CoreError::NotFound { .. }) => {
                return Err(invalid_one(
                    "customer_id",
                    "O cliente escolhido já não existe: escolha outro.".into(),
                    "The chosen customer no longer exists: pick another.".into(),
                ))
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    let mut reason = None;
    let mut source_doc = None;
    if let Some(source_id) = input.source_id {
        let source = get(ws, source_id).await.map_err(|e| match e {
            CoreError::NotFound { .. } => invalid_one(
                "source_id",
                "O documento de origem já não existe.".into(),
                "The source document no longer exists.".into(),
            ),
            other => other,
        })?;
        let r = reference_to(&source, &input.reason)?;
        if !r.reason.is_empty() {
            reason = Some(r.reason.clone());
        }
        draft.references = vec![r];
        source_doc = Some(source);
    }
    let payment_terms =
        input.payment_terms.or_else(|| customer.as_ref().and_then(|c| c.payment_terms_days).map(PaymentTerms::Days));
    if draft.due_date.is_none() && draft.doc_type.is_receivable() {
        let terms = payment_terms.unwrap_or_default();
        draft.due_date = Some(due_date(draft.date, terms).map_err(|e| {
            CoreError::Invalid(vec![FieldError { field: "payment_terms".into(), message: e.message() }])
        })?);
    }
    // Totals by the company's rounding method (Moloni's `document_calc_method`), so what is stored is what
    // Moloni will compute.
    let rounding = ws.fiscal().rounding;
    let problems = validate_with(&draft, rounding);
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems.iter().map(|p| p.to_field_error()).collect()));
    }
    let totals = compute_with(&draft, rounding)
        .map_err(|e| CoreError::Invalid(vec![FieldError { field: "total".into(), message: e.message() }]))?;
    if let (DocType::Nc, Some(source)) = (draft.doc_type, &source_doc) {
        check_credit_bound(ws, source, &draft, rounding).await?;
    }
    Ok(Prepared {
        draft,
        totals,
        customer_id: customer.as_ref().map(|c| c.id),
        customer_name: customer.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        customer_nif: customer.and_then(|c| c.nif),
        payment_terms,
        source_id: input.source_id,
        reason,
    })
}

/// Creates (`id` = None) or replaces (`id` = the draft) a whole draft with its lines, in one transaction.
/// Validation errors name their field (`lines[2].quantity`); nothing is stored when any is found. A document
/// that is no longer a draft is refused with [`CoreError::NotEditable`].
///
/// The document returned is the stored one: the header as the database returned it from the write
/// (`RETURNING`), the lines as written. A save is the editor's autosave, so it makes as few round trips to
/// SQLite's thread as it can and reads nothing back.
pub async fn save_draft(ws: &Workspace, id: Option<Uuid>, input: &DocumentInput) -> CoreResult<Document> {
    let p = prepare(ws, input).await?;
    let mut tx = ws.store().begin().await?;
    let (mut doc, header_change) = match id {
        None => insert_header(&mut tx, ws, &p).await?,
        Some(id) => update_header(&mut tx, ws, id, &p).await?,
    };
    let mut changes = vec![header_change];
    doc.lines = save_lines(&mut tx, ws, doc.id, id.is_some(), &input.lines, &p, &mut changes).await?;
    audit::record_many(&mut tx, changes).await?;
    tx.commit().await?;
    Ok(doc)
}

/// Inserts a new draft's header; returns it as stored and its audit change.
async fn insert_header<'w>(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &'w Workspace,
    p: &Prepared,
) -> CoreResult<(Document, Change<'w>)> {
    let id = Uuid::now_v7();
    let company = ws.company().id;
    let (series_id, n) = series::next_draft_number(tx, company, p.draft.doc_type).await?;
    let now = audit::now_text();
    let t = &p.totals;
    let row = sqlx::query(&format!(
        "INSERT INTO documents (id, company_id, series_id, draft_number, doc_type, state, customer_id, customer_name,
             customer_key, customer_nif, issue_date, due_date, payment_terms, notes, global_discount, retail_b2c,
             source_id, source_reason, gross, discounts, net, vat, total, net_cents, total_cents, number_key,
             created_at, updated_at, withholding_rate, withholding, supply_date)
         VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING {DOC_COLUMNS}"
    ))
    .bind(id.to_string())
    .bind(company.to_string())
    .bind(series_id.to_string())
    .bind(n)
    .bind(p.draft.doc_type.saft_code())
    .bind(p.customer_id.map(|c| c.to_string()))
    .bind(&p.customer_name)
    .bind(fold(&p.customer_name))
    .bind(&p.customer_nif)
    .bind(p.draft.date.to_string())
    .bind(p.draft.due_date.map(|d| d.to_string()))
    .bind(p.payment_terms.map(|t| serde_json::to_string(&t).unwrap_or_default()))
    .bind(&p.draft.notes)
    .bind(codec::decimal_text(p.draft.global_discount.0))
    .bind(i64::from(p.draft.retail_b2c))
    .bind(p.source_id.map(|s| s.to_string()))
    .bind(&p.reason)
    .bind(t.gross.to_plain_string())
    .bind(t.discounts.to_plain_string())
    .bind(t.net.to_plain_string())
    .bind(t.vat.to_plain_string())
    .bind(t.total.to_plain_string())
    .bind(codec::cents(t.net))
    .bind(codec::cents(t.total))
    .bind(number_key(p.draft.doc_type, None, Some(n)))
    .bind(&now)
    .bind(&now)
    .bind(p.draft.withholding.map(|w| codec::decimal_text(w.0)))
    .bind(t.withholding.to_plain_string())
    .bind(p.draft.supply_date.map(|d| d.to_string()))
    .fetch_one(&mut **tx)
    .await?;
    let after = from_row(&row)?;
    let change = doc_change(ws, None, Some(&after), None);
    Ok((after, change))
}

/// Replaces a draft's header; returns it as stored and its audit change (which writes nothing if nothing changed).
async fn update_header<'w>(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &'w Workspace,
    id: Uuid,
    p: &Prepared,
) -> CoreResult<(Document, Change<'w>)> {
    let (before, rev) = fetch_in(tx, ws, id).await?;
    if !before.state.is_editable() {
        return Err(CoreError::NotEditable(before.state));
    }
    if before.doc_type != p.draft.doc_type {
        // The draft number belongs to the type's series: a new type takes a number from its own series.
        let (series_id, n) = series::next_draft_number(tx, ws.company().id, p.draft.doc_type).await?;
        sqlx::query("UPDATE documents SET series_id = ?, draft_number = ?, number_key = ? WHERE id = ?")
            .bind(series_id.to_string())
            .bind(n)
            .bind(number_key(p.draft.doc_type, None, Some(n)))
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
    }
    let t = &p.totals;
    let row = sqlx::query(&format!(
        "UPDATE documents SET doc_type = ?, customer_id = ?, customer_name = ?, customer_key = ?, customer_nif = ?,
             issue_date = ?, due_date = ?, payment_terms = ?, notes = ?, global_discount = ?, retail_b2c = ?,
             source_id = ?, source_reason = ?, gross = ?, discounts = ?, net = ?, vat = ?, total = ?, net_cents = ?,
             total_cents = ?, updated_at = ?, withholding_rate = ?, withholding = ?, supply_date = ?
         WHERE id = ? AND state = 'draft'
         RETURNING {DOC_COLUMNS}"
    ))
    .bind(p.draft.doc_type.saft_code())
    .bind(p.customer_id.map(|c| c.to_string()))
    .bind(&p.customer_name)
    .bind(fold(&p.customer_name))
    .bind(&p.customer_nif)
    .bind(p.draft.date.to_string())
    .bind(p.draft.due_date.map(|d| d.to_string()))
    .bind(p.payment_terms.map(|t| serde_json::to_string(&t).unwrap_or_default()))
    .bind(&p.draft.notes)
    .bind(codec::decimal_text(p.draft.global_discount.0))
    .bind(i64::from(p.draft.retail_b2c))
    .bind(p.source_id.map(|s| s.to_string()))
    .bind(&p.reason)
    .bind(t.gross.to_plain_string())
    .bind(t.discounts.to_plain_string())
    .bind(t.net.to_plain_string())
    .bind(t.vat.to_plain_string())
    .bind(t.total.to_plain_string())
    .bind(codec::cents(t.net))
    .bind(codec::cents(t.total))
    .bind(audit::now_text())
    .bind(p.draft.withholding.map(|w| codec::decimal_text(w.0)))
    .bind(t.withholding.to_plain_string())
    .bind(p.draft.supply_date.map(|d| d.to_string()))
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CoreError::NotEditable(before.state))?;
    let after = from_row(&row)?;
    let change = doc_change(ws, Some(&before), Some(&after), rev);
    Ok((after, change))
}

/// Writes the lines: keeps the ids of lines that stay (updating what changed), inserts new ones, and
/// tombstones the ones removed (a new draft has none to read). Adds one change per line actually changed to
/// `changes`; new lines and the tombstones go in multi-row statements. Returns the lines as stored, in order.
async fn save_lines<'w>(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &'w Workspace,
    doc_id: Uuid,
    had_lines: bool,
    inputs: &[LineInput],
    p: &Prepared,
    changes: &mut Vec<Change<'w>>,
) -> CoreResult<Vec<DocumentLine>> {
    let existing: HashMap<Uuid, (usize, DocumentLine)> = if !had_lines {
        HashMap::new()
    } else {
        let rows = sqlx::query(&format!(
            "SELECT {LINE_COLUMNS}, rev FROM document_lines WHERE document_id = ? AND deleted_at IS NULL"
        ))
        .bind(doc_id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut m = HashMap::with_capacity(rows.len());
        for r in &rows {
            let l = line_from_row(r)?;
            let pos: i64 = r.try_get("position")?;
            m.insert(l.id, (usize::try_from(pos).unwrap_or(0), l));
        }
        m
    };
    let now = audit::now_text();
    let mut kept = std::collections::HashSet::new();
    let mut stored = Vec::with_capacity(inputs.len());
    // positions in `stored` of the lines to insert
    let mut inserts: Vec<usize> = Vec::new();
    for (i, (input, (line, amounts))) in inputs.iter().zip(p.draft.lines.iter().zip(&p.totals.lines)).enumerate() {
        let id = input.id.filter(|id| existing.contains_key(id) && !kept.contains(id));
        let new = DocumentLine {
            id: id.unwrap_or_else(Uuid::now_v7),
            product_id: input.product_id,
            description: desk_model::text::clean(&line.description, 200, true, true).ok().flatten().unwrap_or_default(),
            unit: desk_model::text::clean(&input.unit, 20, false, false).ok().flatten(),
            // as stored (codec::decimal_text), so the returned line is the one a read gives
            quantity: Quantity(line.quantity.0.normalize()),
            unit_price: UnitPrice(line.unit_price.0.normalize()),
            discount: Percent(line.discount.0.normalize()),
            tax: line.tax.clone(),
            amount: Money(codec::decimal(&amounts.amount.to_plain_string())?),
        };
        let Some(id) = id else {
            changes.push(line_change(ws, doc_id, None, Some((i, &new))));
            stored.push(new);
            inserts.push(i);
            continue;
        };
        kept.insert(id);
        let (old_pos, old) = &existing[&id];
        if *old_pos == i && *old == new {
            stored.push(new);
            continue;
        }
        sqlx::query(
            "UPDATE document_lines SET position = ?, product_id = ?, description = ?, unit = ?, quantity = ?,
                 unit_price = ?, discount = ?, tax_zone = ?, tax_code = ?, exemption = ?, amount = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(i as i64)
        .bind(new.product_id.map(|x| x.to_string()))
        .bind(&new.description)
        .bind(&new.unit)
        .bind(codec::decimal_text(new.quantity.0))
        .bind(codec::decimal_text(new.unit_price.0))
        .bind(codec::decimal_text(new.discount.0))
        .bind(new.tax.zone.code())
        .bind(new.tax.code.as_str())
        .bind(new.tax.exemption.as_ref().map(|e| e.to_string()))
        .bind(new.amount.to_plain_string())
        .bind(&now)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
        changes.push(line_change(ws, doc_id, Some((*old_pos, old)), Some((i, &new))));
        stored.push(new);
    }
    for chunk in inserts.chunks(500) {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO document_lines (id, document_id, position, product_id, description, unit, quantity, unit_price,
                 discount, tax_zone, tax_code, exemption, amount, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, &i| {
            let l = &stored[i];
            b.push_bind(l.id.to_string())
                .push_bind(doc_id.to_string())
                .push_bind(i as i64)
                .push_bind(l.product_id.map(|x| x.to_string()))
                .push_bind(&l.description)
                .push_bind(&l.unit)
                .push_bind(codec::decimal_text(l.quantity.0))
                .push_bind(codec::decimal_text(l.unit_price.0))
                .push_bind(codec::decimal_text(l.discount.0))
                .push_bind(l.tax.zone.code())
                .push_bind(l.tax.code.as_str())
                .push_bind(l.tax.exemption.as_ref().map(|e| e.to_string()))
                .push_bind(l.amount.to_plain_string())
                .push_bind(&now)
                .push_bind(&now);
        });
        q.build().execute(&mut **tx).await?;
    }
    let removed: Vec<(&Uuid, &(usize, DocumentLine))> = existing.iter().filter(|(id, _)| !kept.contains(*id)).collect();
    for chunk in removed.chunks(500) {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new("UPDATE document_lines SET deleted_at = ");
        q.push_bind(&now).push(", updated_at = ").push_bind(&now).push(" WHERE id IN (");
        let mut sep = q.separated(", ");
        for (id, _) in chunk {
            sep.push_bind(id.to_string());
        }
        q.push(")");
        q.build().execute(&mut **tx).await?;
    }
    for (_, (pos, old)) in removed {
        changes.push(line_change(ws, doc_id, Some((*pos, old)), None));
    }
    Ok(stored)
}

/// Deletes a draft: a tombstone on the document and its lines (sync needs it). Anything but a draft is refused.
pub async fn delete_draft(ws: &Workspace, id: Uuid) -> CoreResult<()> {
    let mut tx = ws.store().begin().await?;
    let (before, rev) = fetch_in(&mut tx, ws, id).await?;
    if !before.state.is_editable() {
        return Err(CoreError::NotEditable(before.state));
    }
    let now = audit::now_text();
    sqlx::query(
        "UPDATE document_lines SET deleted_at = ?, updated_at = ? WHERE document_id = ? AND deleted_at IS NULL",
    )
    .bind(&now)
    .bind(&now)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE documents SET deleted_at = ?, updated_at = ? WHERE id = ? AND state = 'draft'")
        .bind(&now)
        .bind(&now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, doc_change(ws, Some(&before), None, rev)).await?;
    tx.commit().await?;
    Ok(())
}

/// A new draft with the same customer and lines, dated `date` (today if `None`), due date recomputed.
pub async fn duplicate(ws: &Workspace, id: Uuid, date: Option<NaiveDate>) -> CoreResult<Document> {
    let source = get(ws, id).await?;
    let mut input = source.to_input();
    input.date = date.unwrap_or_else(|| Utc::now().date_naive()).to_string();
    input.due_date = String::new();
    for l in &mut input.lines {
        l.id = None;
    }
    if !source.doc_type.is_rectifying() {
        input.source_id = None;
        input.reason = String::new();
    }
    save_draft(ws, None, &input).await
}

/// A new draft of type `to` made from an issued document by desk-model's rules: a quote becomes an invoice
/// (FT, FR, FS), an invoice a credit or debit note (give the `reason`). The draft references its source.
pub async fn convert(
    ws: &Workspace,
    id: Uuid,
    to: DocType,
    reason: &str,
    date: Option<NaiveDate>,
) -> CoreResult<Document> {
    let source = get(ws, id).await?;
    let date = date.unwrap_or_else(|| Utc::now().date_naive());
    let reference = match reference_to(&source, reason) {
        Ok(r) => r,
        Err(_) => return Err(CoreError::Conversion(desk_model::document::ConversionError::SourceState(source.state))),
    };
    // desk-model decides whether this conversion exists and what the new draft holds.
    let draft = convert_draft(&source.to_draft(), reference, source.state, to, date)?;
    let mut input = source.to_input();
    input.doc_type = draft.doc_type;
    input.date = draft.date.to_string();
    input.due_date = String::new();
    input.notes = draft.notes.clone();
    // As desk-model's conversion: the supply date is the new document's own; the withholding rate carries over.
    input.supply_date = draft.supply_date.map(|d| d.to_string()).unwrap_or_default();
    input.withholding = draft.withholding.map(|p| p.0.normalize().to_string()).unwrap_or_default();
    input.source_id = Some(source.id);
    input.reason = reason.to_string();
    for l in &mut input.lines {
        l.id = None;
    }
    save_draft(ws, None, &input).await
}

/// Facts the state machine needs about a document: issued notes and receipts against it.
pub(crate) async fn facts(tx: &mut Transaction<'static, Sqlite>, doc: &Document) -> CoreResult<DocFacts> {
    let (notes, receipts): (i64, i64) = sqlx::query_as(
        "SELECT
            (SELECT count(*) FROM documents WHERE source_id = ?1 AND doc_type IN ('NC', 'ND') AND deleted_at IS NULL
                AND state IN ('issued', 'unpaid', 'partially_paid', 'paid')),
            (SELECT count(*) FROM payments WHERE document_id = ?1 AND deleted_at IS NULL)",
    )
    .bind(doc.id.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(DocFacts { doc_type: doc.doc_type, has_rectifying_notes: notes > 0, has_receipts: receipts > 0 })
}

/// Moves a document's state where desk-model allows it, inside the caller's transaction, with its audit entry.
/// `extra` runs after the state change and before the audit snapshot, for columns that change with it.
pub(crate) async fn set_state(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &Workspace,
    id: Uuid,
    to: DocState,
) -> CoreResult<(Document, Document)> {
    let (before, rev) = fetch_in(tx, ws, id).await?;
    let f = facts(tx, &before).await?;
    can_transition(before.state, to, &f)?;
    sqlx::query("UPDATE documents SET state = ?, updated_at = ? WHERE id = ?")
        .bind(state_str(to))
        .bind(audit::now_text())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    let (after, _) = fetch_in(tx, ws, id).await?;
    record_update(tx, ws, &before, &after, rev).await?;
    Ok((before, after))
}

/// The audit entry and outbox op of a document row update.
pub(crate) async fn record_update(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &Workspace,
    before: &Document,
    after: &Document,
    rev: Option<i64>,
) -> CoreResult<()> {
    audit::record(tx, doc_change(ws, Some(before), Some(after), rev)).await
}

/// The audit entry and outbox op of a new document row.
pub(crate) async fn record_insert(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &Workspace,
    after: &Document,
) -> CoreResult<()> {
    audit::record(tx, doc_change(ws, None, Some(after), None)).await
}

/// Today on this computer, the default date of new documents.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
