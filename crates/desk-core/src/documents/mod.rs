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
pub mod order;
pub mod rows;
pub mod settle;

use crate::codec;
use crate::context::Ctx;
use crate::customers;
use crate::error::{CoreError, CoreResult};
use crate::series;
use crate::store::Writer;
use chrono::{DateTime, NaiveDate, Utc};
use desk_model::document::{
    can_transition, check_credit, compute_with, convert as convert_draft, due_or_default, validate_with, CreditError,
    DocFacts, DocRef, DocState, DocType, DraftDocument, PaymentTerms, RoundingMethod, Totals,
};
use desk_model::ipc::{Document, DocumentInput, DocumentLine, FieldError, FiscalData, LineInput};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::msg::Localized;
use rows::LineRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use std::collections::HashMap;
use uuid::Uuid;

pub use find::find;
pub use list::list;

/// The columns of a document row that [`from_row`] reads.
pub(crate) const DOC_COLUMNS: &str = "id, company_id, doc_type, state, draft_number, customer_id, customer_name, \
     customer_nif, issue_date, due_date, payment_terms, notes, global_discount, retail_b2c, source_id, source_reason, \
     gross, discounts, net, vat, total, received, credited, open_cents, moloni_id, moloni_document_set_id, \
     fiscal_number, fiscal_series, atcud, hash4, issued_at, issue_requested_at, created_at, updated_at, rev, \
     withholding_rate, withholding, supply_date, issued_snapshot, cancel_reason";

const LINE_COLUMNS: &str =
    "id, position, product_id, description, unit, quantity, unit_price, discount, tax_zone, tax_code, exemption, amount, \
     withholding_rate";

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

/// The label of a draft as the data carries it (`Document::number`): never a fiscal number, always in Portuguese so
/// the CLI's output and `desk pdf "Rascunho FT/1"` stay as documented. Screens label it in their language
/// (`Document::label`).
pub fn draft_label(doc_type: DocType, n: Option<i64>) -> String {
    desk_model::document::draft_label(doc_type, n, desk_model::msg::Lang::Pt)
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
        issued_snapshot: row.try_get("issued_snapshot")?,
        cancel_reason: row.try_get("cancel_reason")?,
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
        withholding: row
            .try_get::<Option<String>, _>("withholding_rate")?
            .as_deref()
            .map(codec::decimal)
            .transpose()?
            .map(Percent),
    })
}

/// Reads a live document of the company (without lines) inside a write transaction.
pub(crate) async fn fetch_in(conn: &mut SqliteConnection, cx: &Ctx, id: Uuid) -> CoreResult<Document> {
    let row = sqlx::query(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE id = ? AND company_id = ? AND deleted_at IS NULL"
    ))
    .bind(id.to_string())
    .bind(cx.company().id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(CoreError::NotFound { what: "document" })?;
    from_row(&row)
}

/// The live document rows of `ids` (any company), without lines, in one query: for the apply path of a pull.
pub(crate) async fn load_many(conn: &mut SqliteConnection, ids: &[Uuid]) -> CoreResult<Vec<Document>> {
    let rows = sqlx::query(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL"
    ))
    .bind(codec::ids_json(ids))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

async fn lines_in<'e, E>(exec: E, id: Uuid) -> CoreResult<Vec<DocumentLine>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let rows = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM document_lines WHERE document_id = ? AND deleted_at IS NULL ORDER BY sort_key, id"
    ))
    .bind(id.to_string())
    .fetch_all(exec)
    .await?;
    rows.iter().map(line_from_row).collect()
}

/// One document of the current company, with its lines.
pub async fn get(cx: &Ctx, id: Uuid) -> CoreResult<Document> {
    let row = sqlx::query(&format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE id = ? AND company_id = ? AND deleted_at IS NULL"
    ))
    .bind(id.to_string())
    .bind(cx.company().id.to_string())
    .fetch_optional(cx.store().reader())
    .await?
    .ok_or(CoreError::NotFound { what: "document" })?;
    let mut doc = from_row(&row)?;
    doc.lines = lines_in(cx.store().reader(), id).await?;
    Ok(doc)
}

/// Several documents of the current company without their lines (lists that show only headers), in the order of
/// `ids`; one query, whatever the count.
pub async fn get_many(cx: &Ctx, ids: &[Uuid]) -> CoreResult<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql =
        format!("SELECT {DOC_COLUMNS} FROM documents WHERE company_id = ? AND deleted_at IS NULL AND id IN ({marks})");
    let mut query = sqlx::query(&sql).bind(cx.company().id.to_string());
    for id in ids {
        query = query.bind(id.to_string());
    }
    let mut found: std::collections::HashMap<Uuid, Document> = std::collections::HashMap::new();
    for row in query.fetch_all(cx.store().reader()).await? {
        let doc = from_row(&row)?;
        found.insert(doc.id, doc);
    }
    ids.iter().map(|id| found.remove(id).ok_or(CoreError::NotFound { what: "document" })).collect()
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
    cx: &Ctx,
    invoice: &Document,
    note: &DraftDocument,
    rounding: RoundingMethod,
) -> CoreResult<()> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE source_id = ? AND doc_type = 'NC' AND deleted_at IS NULL
             AND state IN ('issued', 'unpaid', 'partially_paid', 'paid')",
    )
    .bind(invoice.id.to_string())
    .fetch_all(cx.store().reader())
    .await?;
    let mut earlier = Vec::with_capacity(ids.len());
    for id in ids {
        earlier.push(get(cx, codec::uuid(&id)?).await?.to_draft());
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

async fn prepare(cx: &Ctx, input: &DocumentInput) -> CoreResult<Prepared> {
    let mut draft = input.to_draft().map_err(CoreError::Invalid)?;
    let customer = match input.customer_id {
        Some(id) => match customers::get(cx, id).await {
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
        let source = get(cx, source_id).await.map_err(|e| match e {
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
    draft.due_date = due_or_default(&draft, payment_terms)
        .map_err(|e| CoreError::Invalid(vec![FieldError { field: "payment_terms".into(), message: e.message() }]))?;
    // Totals by the company's rounding method (Moloni's `document_calc_method`), so what is stored is what
    // Moloni will compute.
    let rounding = cx.fiscal().rounding;
    let problems = validate_with(&draft, rounding);
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems.iter().map(|p| p.to_field_error()).collect()));
    }
    let totals = compute_with(&draft, rounding)
        .map_err(|e| CoreError::Invalid(vec![FieldError { field: "total".into(), message: e.message() }]))?;
    if let (DocType::Nc, Some(source)) = (draft.doc_type, &source_doc) {
        check_credit_bound(cx, source, &draft, rounding).await?;
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

/// Creates (`id` = None) or replaces (`id` = the draft) a whole draft with its lines, in one transaction (one
/// op group: the header and each changed line). Validation errors name their field (`lines[2].quantity`);
/// nothing is stored when any is found. A document that is no longer a draft is refused with
/// [`CoreError::NotEditable`].
///
/// The document returned is the one stored, built from what was written: a save is the editor's autosave, so
/// it makes as few round trips to SQLite's thread as it can and reads nothing back.
pub async fn save_draft(cx: &Ctx, id: Option<Uuid>, input: &DocumentInput) -> CoreResult<Document> {
    let p = prepare(cx, input).await?;
    let mut w = cx.write().await?;
    let mut doc = match id {
        None => {
            let n = series::next_draft_number(w.conn(), cx.company().id, p.draft.doc_type).await?;
            let doc = header(cx, &p, None, n, w.now_time()?);
            w.insert(&doc).await?;
            doc
        }
        Some(id) => {
            let before = fetch_in(w.conn(), cx, id).await?;
            if !before.state.is_editable() {
                return Err(CoreError::NotEditable(before.state));
            }
            // The draft number belongs to the type: a new type takes a number of its own.
            let n = match before.draft_number {
                Some(n) if before.doc_type == p.draft.doc_type => n,
                _ => series::next_draft_number(w.conn(), cx.company().id, p.draft.doc_type).await?,
            };
            let mut after = header(cx, &p, Some(&before), n, before.updated_at);
            if w.update(&before, &after).await? {
                after.updated_at = w.now_time()?;
            }
            after
        }
    };
    doc.lines = save_lines(&mut w, cx, doc.id, id.is_some(), &input.lines, &p).await?;
    w.commit().await?;
    Ok(doc)
}

/// The header a save writes: the prepared draft and its totals over `before` (None for a new draft).
fn header(cx: &Ctx, p: &Prepared, before: Option<&Document>, n: i64, now: DateTime<Utc>) -> Document {
    let t = &p.totals;
    Document {
        id: before.map_or_else(Uuid::now_v7, |b| b.id),
        company_id: cx.company().id,
        doc_type: p.draft.doc_type,
        state: DocState::Draft,
        number: draft_label(p.draft.doc_type, Some(n)),
        draft_number: Some(n),
        customer_id: p.customer_id,
        customer_name: p.customer_name.clone(),
        customer_nif: p.customer_nif.clone(),
        date: p.draft.date,
        due_date: p.draft.due_date,
        payment_terms: p.payment_terms,
        global_discount: Percent(p.draft.global_discount.0.normalize()),
        retail_b2c: p.draft.retail_b2c,
        notes: p.draft.notes.clone(),
        source_id: p.source_id,
        reason: p.reason.clone(),
        lines: Vec::new(),
        gross: codec::money_as_stored(t.gross),
        discounts: codec::money_as_stored(t.discounts),
        net: codec::money_as_stored(t.net),
        vat: codec::money_as_stored(t.vat),
        total: codec::money_as_stored(t.total),
        received: before.map_or(codec::money_as_stored(Money::ZERO), |b| b.received),
        credited: before.map_or(codec::money_as_stored(Money::ZERO), |b| b.credited),
        open_balance: before.map_or(Money::from_cents(0), |b| b.open_balance),
        withholding_rate: p.draft.withholding.map(|w| Percent(w.0.normalize())),
        withholding: codec::money_as_stored(t.withholding),
        supply_date: p.draft.supply_date,
        fiscal: None,
        issue_requested_at: before.and_then(|b| b.issue_requested_at),
        issued_snapshot: None,
        cancel_reason: None,
        created_at: before.map_or(now, |b| b.created_at),
        updated_at: now,
    }
}

/// Reads a document's live lines as rows, inside the write transaction.
pub(crate) async fn line_rows_in(
    conn: &mut SqliteConnection,
    company_id: Uuid,
    doc_id: Uuid,
) -> CoreResult<Vec<LineRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS}, sort_key, created_at FROM document_lines WHERE document_id = ? AND deleted_at IS NULL
         ORDER BY sort_key, id"
    ))
    .bind(doc_id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| line_row(r, doc_id, company_id)).collect()
}

fn line_row(r: &SqliteRow, document_id: Uuid, company_id: Uuid) -> CoreResult<LineRow> {
    Ok(LineRow {
        line: line_from_row(r)?,
        document_id,
        company_id,
        sort_key: r.try_get("sort_key")?,
        position: r.try_get("position")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The live lines of several documents as rows, in order, by document, in one query (the apply path of a pull).
pub(crate) async fn line_rows_of(
    conn: &mut SqliteConnection,
    docs: &[(Uuid, Uuid)],
) -> CoreResult<HashMap<Uuid, Vec<LineRow>>> {
    let company: HashMap<Uuid, Uuid> = docs.iter().copied().collect();
    let rows = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS}, document_id, sort_key, created_at FROM document_lines
          WHERE document_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL
          ORDER BY document_id, sort_key, id"
    ))
    .bind(codec::ids_json(company.keys()))
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<Uuid, Vec<LineRow>> = HashMap::new();
    for r in &rows {
        let doc = codec::uuid(r.try_get("document_id")?)?;
        let company_id = company.get(&doc).copied().unwrap_or_default();
        out.entry(doc).or_default().push(line_row(r, doc, company_id)?);
    }
    Ok(out)
}

/// Writes the lines: keeps the ids of lines that stay (updating what changed, their sort keys only where they
/// moved), inserts new ones in one statement, and tombstones the ones removed (a new draft has none to read).
/// Returns the lines as stored, in order.
async fn save_lines(
    w: &mut Writer<'_>,
    cx: &Ctx,
    doc_id: Uuid,
    had_lines: bool,
    inputs: &[LineInput],
    p: &Prepared,
) -> CoreResult<Vec<DocumentLine>> {
    let company = cx.company().id;
    let mut existing: HashMap<Uuid, LineRow> = if had_lines {
        line_rows_in(w.conn(), company, doc_id).await?.into_iter().map(|r| (r.line.id, r)).collect()
    } else {
        HashMap::new()
    };
    let now = w.now().to_string();
    let mut kept: Vec<Option<LineRow>> = Vec::with_capacity(inputs.len());
    let mut lines = Vec::with_capacity(inputs.len());
    for (input, (line, amounts)) in inputs.iter().zip(p.draft.lines.iter().zip(&p.totals.lines)) {
        let old = input.id.and_then(|id| existing.remove(&id));
        lines.push(DocumentLine {
            id: old.as_ref().map_or_else(Uuid::now_v7, |o| o.line.id),
            product_id: input.product_id,
            description: desk_model::text::clean(&line.description, 200, true, true).ok().flatten().unwrap_or_default(),
            unit: desk_model::text::clean(&input.unit, 20, false, false).ok().flatten(),
            // as stored (codec::decimal_text), so the returned line is the one a read gives
            quantity: Quantity(line.quantity.0.normalize()),
            unit_price: UnitPrice(line.unit_price.0.normalize()),
            discount: Percent(line.discount.0.normalize()),
            tax: line.tax.clone(),
            amount: Money(codec::decimal(&amounts.amount.to_plain_string())?),
            withholding: line.withholding.map(|w| Percent(w.0.normalize())),
        });
        kept.push(old);
    }
    let wanted: Vec<Option<(String, String)>> =
        kept.iter().map(|k| k.as_ref().map(|r| (r.sort_key.clone(), r.line.id.to_string()))).collect();
    let keys = order::assign(&wanted);
    let mut inserts = Vec::new();
    for (i, ((line, old), sort_key)) in lines.iter().zip(kept).zip(keys).enumerate() {
        let row = LineRow {
            line: line.clone(),
            document_id: doc_id,
            company_id: company,
            sort_key,
            position: i as i64,
            created_at: old.as_ref().map_or_else(|| now.clone(), |o| o.created_at.clone()),
        };
        match old {
            Some(before) => {
                w.update(&before, &row).await?;
            }
            None => inserts.push(row),
        }
    }
    w.insert_many(&inserts).await?;
    let removed: Vec<LineRow> = existing.into_values().collect();
    w.delete(&removed).await?;
    Ok(lines)
}

/// Deletes a draft: a tombstone on the document and on each line, each with its op. Anything but a draft is
/// refused.
pub async fn delete_draft(cx: &Ctx, id: Uuid) -> CoreResult<()> {
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    if !before.state.is_editable() {
        return Err(CoreError::NotEditable(before.state));
    }
    let lines = line_rows_in(w.conn(), cx.company().id, id).await?;
    // the document first: a replica applying the line tombstones after it leaves its totals as they were
    w.delete(std::slice::from_ref(&before)).await?;
    w.delete(&lines).await?;
    w.commit().await?;
    Ok(())
}

/// A new draft with the same customer and lines, dated `date` (today if `None`), due date recomputed.
pub async fn duplicate(cx: &Ctx, id: Uuid, date: Option<NaiveDate>) -> CoreResult<Document> {
    let source = get(cx, id).await?;
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
    save_draft(cx, None, &input).await
}

/// A new draft of type `to` made from an issued document by desk-model's rules: a quote becomes an invoice
/// (FT, FR, FS), an invoice a credit or debit note (give the `reason`). The draft references its source.
pub async fn convert(cx: &Ctx, id: Uuid, to: DocType, reason: &str, date: Option<NaiveDate>) -> CoreResult<Document> {
    let source = get(cx, id).await?;
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
    save_draft(cx, None, &input).await
}

/// Facts the state machine needs about a document: issued notes and receipts against it.
pub(crate) async fn facts(conn: &mut SqliteConnection, doc: &Document) -> CoreResult<DocFacts> {
    let (notes, receipts): (i64, i64) = sqlx::query_as(
        "SELECT
            (SELECT count(*) FROM documents WHERE source_id = ?1 AND doc_type IN ('NC', 'ND') AND deleted_at IS NULL
                AND state IN ('issued', 'unpaid', 'partially_paid', 'paid')),
            (SELECT count(*) FROM payments WHERE document_id = ?1 AND deleted_at IS NULL)",
    )
    .bind(doc.id.to_string())
    .fetch_one(conn)
    .await?;
    Ok(DocFacts { doc_type: doc.doc_type, has_rectifying_notes: notes > 0, has_receipts: receipts > 0 })
}

/// Moves a document's state where desk-model allows it, as the command `command` (its op carries the state).
pub(crate) async fn set_state(
    w: &mut Writer<'_>,
    cx: &Ctx,
    command: &'static str,
    id: Uuid,
    to: DocState,
) -> CoreResult<(Document, Document)> {
    let before = fetch_in(w.conn(), cx, id).await?;
    let f = facts(w.conn(), &before).await?;
    can_transition(before.state, to, &f)?;
    let mut after = Document { state: to, ..before.clone() };
    w.command(command, &before, &after).await?;
    after.updated_at = w.now_time()?;
    Ok((before, after))
}

/// Recomputes an issued document's settlement from its payments and credit notes (see `settle`), writing what
/// changed (derived columns: no op).
pub(crate) async fn resettle(w: &mut Writer<'_>, cx: &Ctx, id: Uuid) -> CoreResult<Document> {
    let before = fetch_in(w.conn(), cx, id).await?;
    let after = settle::settled(w.conn(), &before).await?;
    if after.state != before.state {
        let f = facts(w.conn(), &before).await?;
        can_transition(before.state, after.state, &f)?;
    }
    w.update(&before, &after).await?;
    Ok(after)
}

/// Today on this computer, the default date of new documents.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
