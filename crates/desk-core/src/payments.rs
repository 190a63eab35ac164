//! Payments against issued invoices and debit notes, partial included. desk-model checks each one against the
//! open balance and the invoice date ([`ReceiptDraft::validate`]) and gives the new open balance and settlement
//! state; the engine records the payment, settles the invoice and prepares the receipt (RG) draft that Moloni
//! will issue, all in one transaction.
//!
//! The invoice's balance moves when the payment is recorded (the money is in), not when the receipt is issued.

use crate::audit::{self, Action, Change};
use crate::codec;
use crate::documents::{self, fetch_in, record_insert, record_update, reference_to, state_str};
use crate::error::{CoreError, CoreResult};
use crate::series;
use crate::workspace::Workspace;
use desk_model::document::{can_transition, open_balance, settlement_state, Allocation, PaymentError, ReceiptDraft};
use desk_model::ipc::{parse_date, FieldError, Payment, PaymentInput};
use desk_model::money::{parse_number, Money, NumberKind};
use desk_model::msg::Localized;
use desk_model::text::{clean, fold};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

fn field(field: &str, message: Localized) -> FieldError {
    FieldError { field: field.into(), message }
}

/// The field a payment problem belongs to.
fn payment_field(e: &PaymentError) -> &'static str {
    match e {
        PaymentError::BeforeInvoice => "date",
        PaymentError::NotReceivable(_) | PaymentError::Duplicate | PaymentError::Empty => "document_id",
        _ => "amount",
    }
}

/// Records a payment of an issued FT/ND: refuses more than the open balance, a date before the invoice,
/// or a document receipts do not settle. Returns the payment, with the id of the receipt draft prepared for it.
pub async fn record(ws: &Workspace, input: &PaymentInput) -> CoreResult<Payment> {
    let mut errors = Vec::new();
    let date = match parse_date(&input.date) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(field("date", Localized::new("Indique a data do pagamento.", "Give the payment date.")));
            None
        }
        Err(m) => {
            errors.push(field("date", m));
            None
        }
    };
    let amount = match parse_number(&input.amount, input.lang, NumberKind::Money) {
        Ok(a) => Some(Money(a)),
        Err(e) => {
            errors.push(field("amount", e.message()));
            None
        }
    };
    let method = match clean(&input.method, 60, true, false) {
        Ok(m) => m,
        Err(e) => {
            errors.push(field("method", e.message(&Localized::new("Meio de pagamento", "Payment method"))));
            None
        }
    };
    let notes = clean(&input.notes, 500, false, true).unwrap_or_else(|e| {
        errors.push(field("notes", e.message(&Localized::new("Notas", "Notes"))));
        None
    });
    let (Some(date), Some(amount), Some(method)) = (date, amount, method) else {
        return Err(CoreError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }

    let mut tx = ws.store().begin().await?;
    let (invoice, rev) = fetch_in(&mut tx, ws, input.document_id).await?;
    let not_receivable =
        || CoreError::Invalid(vec![field("document_id", PaymentError::NotReceivable(invoice.doc_type).message())]);
    if !invoice.doc_type.is_receivable() {
        return Err(not_receivable());
    }
    if !invoice.state.is_issued() {
        return Err(CoreError::Invalid(vec![field(
            "document_id",
            Localized::new(
                "Só se registam pagamentos de documentos emitidos: emita primeiro a fatura.",
                "Payments are recorded on issued documents only: issue the invoice first.",
            ),
        )]));
    }
    // Measured on what the customer pays: the total less any withholding (CIRS art. 101).
    let payable = invoice.total - invoice.withholding;
    let open = open_balance(payable, invoice.received, invoice.credited);
    let reference = reference_to(&invoice, "")?;
    let receipt =
        ReceiptDraft { date, allocations: vec![Allocation { document: reference, open_balance: open, amount }] };
    let problems = receipt.validate();
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems.iter().map(|(_, e)| field(payment_field(e), e.message())).collect()));
    }

    // The invoice: received grows, open and state follow desk-model.
    let received = invoice.received + amount;
    let new_open = open_balance(payable, received, invoice.credited);
    let state = settlement_state(payable, received + invoice.credited);
    if state != invoice.state {
        let facts = documents::facts(&mut tx, &invoice).await?;
        can_transition(invoice.state, state, &facts)?;
    }
    let now = audit::now_text();
    sqlx::query("UPDATE documents SET received = ?, open_cents = ?, state = ?, updated_at = ? WHERE id = ?")
        .bind(received.to_plain_string())
        .bind(codec::cents(new_open))
        .bind(state_str(state))
        .bind(&now)
        .bind(invoice.id.to_string())
        .execute(&mut *tx)
        .await?;
    let (after, _) = fetch_in(&mut tx, ws, invoice.id).await?;
    record_update(&mut tx, ws, &invoice, &after, rev).await?;

    // The receipt draft: type RG, no product lines, settling the invoice for the amount paid.
    let receipt_id = Uuid::now_v7();
    let (series_id, n) = series::next_draft_number(&mut tx, ws.company().id, desk_model::document::DocType::Rg).await?;
    let total = receipt.total();
    sqlx::query(
        "INSERT INTO documents (id, company_id, series_id, draft_number, doc_type, state, customer_id, customer_name,
             customer_key, customer_nif, issue_date, source_id, gross, net, total, net_cents, total_cents, number_key,
             created_at, updated_at)
         VALUES (?, ?, ?, ?, 'RG', 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(receipt_id.to_string())
    .bind(ws.company().id.to_string())
    .bind(series_id.to_string())
    .bind(n)
    .bind(invoice.customer_id.map(|c| c.to_string()))
    .bind(&invoice.customer_name)
    .bind(fold(&invoice.customer_name))
    .bind(&invoice.customer_nif)
    .bind(date.to_string())
    .bind(invoice.id.to_string())
    .bind(total.to_plain_string())
    .bind(total.to_plain_string())
    .bind(total.to_plain_string())
    .bind(codec::cents(total))
    .bind(codec::cents(total))
    .bind(documents::number_key(desk_model::document::DocType::Rg, None, Some(n)))
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let (receipt_doc, _) = fetch_in(&mut tx, ws, receipt_id).await?;
    record_insert(&mut tx, ws, &receipt_doc).await?;

    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO payments (id, company_id, document_id, receipt_id, paid_on, amount, amount_cents, method, notes,
             created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(ws.company().id.to_string())
    .bind(invoice.id.to_string())
    .bind(receipt_id.to_string())
    .bind(date.to_string())
    .bind(amount.to_plain_string())
    .bind(codec::cents(amount))
    .bind(&method)
    .bind(&notes)
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Change {
            actor: ws.actor(),
            company_id: ws.company().id,
            table: "payments",
            row_id: id,
            action: Action::Insert,
            before: None,
            after: Some(json!({
                "document_id": invoice.id, "receipt_id": receipt_id, "paid_on": date.to_string(),
                "amount": amount.to_plain_string(), "method": method, "notes": notes,
            })),
            base_rev: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Payment {
        id,
        document_id: invoice.id,
        receipt_id: Some(receipt_id),
        date,
        amount,
        method,
        notes,
        created_at: codec::time(&now)?,
    })
}

/// The payments recorded against a document, oldest first.
pub async fn for_document(ws: &Workspace, document_id: Uuid) -> CoreResult<Vec<Payment>> {
    let rows = sqlx::query(
        "SELECT id, document_id, receipt_id, paid_on, amount, method, notes, created_at FROM payments
         WHERE document_id = ? AND company_id = ? AND deleted_at IS NULL ORDER BY paid_on, id",
    )
    .bind(document_id.to_string())
    .bind(ws.company().id.to_string())
    .fetch_all(ws.store().pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Payment {
                id: codec::uuid(r.try_get("id")?)?,
                document_id: codec::uuid(r.try_get("document_id")?)?,
                receipt_id: codec::opt_uuid(r.try_get("receipt_id")?)?,
                date: codec::date(r.try_get("paid_on")?)?,
                amount: Money(codec::decimal(r.try_get("amount")?)?),
                method: r.try_get("method")?,
                notes: r.try_get("notes")?,
                created_at: codec::time(r.try_get("created_at")?)?,
            })
        })
        .collect()
}
