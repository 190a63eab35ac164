//! Payments against issued invoices and debit notes, partial included. desk-model checks each one against the
//! open balance and the invoice date ([`ReceiptDraft::validate`]) and gives the new open balance and settlement
//! state; the engine records the payment, settles the invoice and prepares the receipt (RG) draft that Moloni
//! will issue, all in one transaction.
//!
//! The invoice's balance moves when the payment is recorded (the money is in), not when the receipt is issued;
//! it is derived from the payment rows (`documents::settle`), never accumulated in a column.

use crate::codec;
use crate::context::Ctx;
use crate::documents::{draft_label, fetch_in, reference_to, resettle};
use crate::error::{CoreError, CoreResult};
use crate::series;
use crate::store::{col, Column, Entity, Policy, Value};
use desk_model::document::{open_balance, Allocation, DocState, DocType, PaymentError, ReceiptDraft};
use desk_model::ipc::{parse_date, Document, FieldError, Payment, PaymentInput};
use desk_model::money::{parse_number, Money, NumberKind, Percent};
use desk_model::msg::Localized;
use desk_model::text::clean;
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
pub async fn record(cx: &Ctx, input: &PaymentInput) -> CoreResult<Payment> {
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

    let mut w = cx.write().await?;
    let invoice = fetch_in(w.conn(), cx, input.document_id).await?;
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

    // The receipt draft: type RG, no product lines, settling the invoice for the amount paid.
    let n = series::next_draft_number(w.conn(), cx.company().id, DocType::Rg).await?;
    let now = w.now_time()?;
    let total = receipt.total();
    let receipt_doc = Document {
        id: Uuid::now_v7(),
        company_id: cx.company().id,
        doc_type: DocType::Rg,
        state: DocState::Draft,
        number: draft_label(DocType::Rg, Some(n)),
        draft_number: Some(n),
        customer_id: invoice.customer_id,
        customer_name: invoice.customer_name.clone(),
        customer_nif: invoice.customer_nif.clone(),
        date,
        due_date: None,
        payment_terms: None,
        global_discount: Percent::ZERO,
        retail_b2c: false,
        notes: String::new(),
        source_id: Some(invoice.id),
        reason: None,
        lines: Vec::new(),
        gross: total,
        discounts: Money::ZERO,
        net: total,
        vat: Money::ZERO,
        total,
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
    w.insert(&receipt_doc).await?;

    // The payment is a row of its own: what the invoice received follows from its payments, so two payments
    // recorded on two desktops offline both count.
    let payment = PaymentRow {
        payment: Payment {
            id: Uuid::now_v7(),
            document_id: invoice.id,
            receipt_id: Some(receipt_doc.id),
            date,
            amount,
            method,
            notes,
            created_at: now,
        },
        company_id: cx.company().id,
    };
    w.insert(&payment).await?;
    resettle(&mut w, cx, invoice.id).await?;
    w.commit().await?;
    Ok(payment.payment)
}

/// A payment as a row of the one write path.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRow {
    /// The payment.
    pub payment: Payment,
    /// Its company.
    pub company_id: Uuid,
}

/// Payments are rows that accumulate: each syncs on its own and the invoice's settlement is derived from them.
impl Entity for PaymentRow {
    const TABLE: &'static str = "payments";
    const COLUMNS: &'static [Column] = &[
        col("company_id", Policy::Fixed),
        col("document_id", Policy::Fixed),
        col("receipt_id", Policy::Fixed),
        col("paid_on", Policy::Mergeable),
        col("amount", Policy::Mergeable),
        col("amount_cents", Policy::Derived),
        col("method", Policy::Mergeable),
        col("notes", Policy::Mergeable),
        col("created_at", Policy::Fixed),
    ];
    fn id(&self) -> Uuid {
        self.payment.id
    }
    fn company_id(&self) -> Uuid {
        self.company_id
    }
    fn values(&self) -> Vec<Value> {
        let p = &self.payment;
        vec![
            self.company_id.into(),
            p.document_id.into(),
            p.receipt_id.into(),
            p.date.to_string().into(),
            p.amount.to_plain_string().into(),
            codec::cents(p.amount).into(),
            p.method.as_str().into(),
            p.notes.clone().into(),
            codec::time_text(p.created_at).into(),
        ]
    }
}

/// The payments recorded against a document, oldest first.
pub async fn for_document(cx: &Ctx, document_id: Uuid) -> CoreResult<Vec<Payment>> {
    let rows = sqlx::query(
        "SELECT id, document_id, receipt_id, paid_on, amount, method, notes, created_at FROM payments
         WHERE document_id = ? AND company_id = ? AND deleted_at IS NULL ORDER BY paid_on, id",
    )
    .bind(document_id.to_string())
    .bind(cx.company().id.to_string())
    .fetch_all(cx.store().reader())
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
