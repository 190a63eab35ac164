//! Stored documents as the UI shows them (lines, totals, settlement, fiscal data), list queries and rows,
//! payments, and the dashboard's figures.

use crate::document::{
    document_label, DocState, DocType, DocumentInput, DraftDocument, DraftLine, LineInput, PaymentTerms,
};
use crate::money::{Money, Percent, Quantity, UnitPrice};
use crate::msg::Lang;
use crate::tax::LineTax;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One stored line of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    /// UUIDv7.
    pub id: Uuid,
    /// The product it was picked from.
    pub product_id: Option<Uuid>,
    /// Description.
    pub description: String,
    /// Unit of measure.
    pub unit: Option<String>,
    /// Quantity.
    pub quantity: Quantity,
    /// Unit price excluding VAT.
    pub unit_price: UnitPrice,
    /// Line discount.
    pub discount: Percent,
    /// VAT.
    pub tax: LineTax,
    /// Amount after the line discount, rounded, as desk-model computed it.
    pub amount: Money,
    /// This line's own withholding rate (`Some(0)`: none on this line); `None` takes the document's.
    #[serde(default)]
    pub withholding: Option<Percent>,
}

/// Moloni's fiscal data of an issued document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalData {
    /// Moloni's document id.
    pub moloni_id: i64,
    /// Moloni's document set id.
    pub document_set_id: Option<i64>,
    /// The unique number, `FT 2026A/17`.
    pub number: String,
    /// The series, `2026A`.
    pub series: String,
    /// The ATCUD, `CSDF7T5H-17`.
    pub atcud: String,
    /// The 4 signature characters (empty for receipts).
    pub hash4: String,
    /// When Moloni closed it.
    pub issued_at: DateTime<Utc>,
    /// Moloni's net total, compared with ours to the cent before recording.
    pub net: Money,
    /// Moloni's VAT.
    pub vat: Money,
    /// Moloni's total.
    pub total: Money,
}

/// A document with its lines, totals, settlement and fiscal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// UUIDv7.
    pub id: Uuid,
    /// The company.
    pub company_id: Uuid,
    /// Type.
    pub doc_type: DocType,
    /// Life-cycle state.
    pub state: DocState,
    /// "FT 2026A/17" once issued, "Rascunho FT/12" before (always in Portuguese: the CLI's `--json` and
    /// `desk pdf "Rascunho FT/12"` keep it so). Screens show [`Document::label`], in their language.
    pub number: String,
    /// The local draft number (never fiscal).
    pub draft_number: Option<i64>,
    /// The customer.
    pub customer_id: Option<Uuid>,
    /// The customer's name as on the document.
    pub customer_name: String,
    /// The customer's NIF as on the document.
    pub customer_nif: Option<String>,
    /// Issue date.
    pub date: NaiveDate,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Agreed payment terms.
    pub payment_terms: Option<PaymentTerms>,
    /// Global discount.
    pub global_discount: Percent,
    /// FS retail flag.
    pub retail_b2c: bool,
    /// Notes.
    pub notes: String,
    /// The document it comes from or corrects.
    pub source_id: Option<Uuid>,
    /// The correction reason (NC/ND).
    pub reason: Option<String>,
    /// The lines, in order.
    pub lines: Vec<DocumentLine>,
    /// Before discounts.
    pub gross: Money,
    /// Line and global discounts.
    pub discounts: Money,
    /// Taxable total.
    pub net: Money,
    /// VAT.
    pub vat: Money,
    /// Total to pay.
    pub total: Money,
    /// Receipts recorded against it.
    pub received: Money,
    /// Issued credit notes against it.
    pub credited: Money,
    /// What is still owed (receivables once issued; zero otherwise): measured on total − withholding.
    pub open_balance: Money,
    /// IRS/IRC withholding rate of the document (`None`: none).
    #[serde(default)]
    pub withholding_rate: Option<Percent>,
    /// The amount withheld, shown after the total; the customer pays `total − withholding`.
    #[serde(default)]
    pub withholding: Money,
    /// Date of supply, when it differs from the issue date.
    #[serde(default)]
    pub supply_date: Option<NaiveDate>,
    /// Fiscal data, once issued.
    pub fiscal: Option<FiscalData>,
    /// When issuing was requested.
    pub issue_requested_at: Option<DateTime<Utc>>,
    /// What an issued document prints from, frozen at issue (issuer and customer blocks, totals per rate), as
    /// JSON; none for drafts and documents issued before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_snapshot: Option<String>,
    /// Why it was cancelled (cancelled documents only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

impl Document {
    /// Its number as a screen shows it: the fiscal number once issued, else "Rascunho FT/3" / "Draft FT/3".
    pub fn label(&self, lang: Lang) -> String {
        document_label(self.doc_type, self.fiscal.as_ref().map(|f| f.number.as_str()), self.draft_number, lang)
    }

    /// The document as a desk-model draft (lines, discount, dates; references are the caller's), for totals,
    /// conversions and printing.
    pub fn to_draft(&self) -> DraftDocument {
        DraftDocument {
            doc_type: self.doc_type,
            date: self.date,
            due_date: self.due_date,
            lines: self
                .lines
                .iter()
                .map(|l| DraftLine {
                    description: l.description.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    discount: l.discount,
                    tax: l.tax.clone(),
                    withholding: l.withholding,
                })
                .collect(),
            global_discount: self.global_discount,
            references: Vec::new(),
            retail_b2c: self.retail_b2c,
            notes: self.notes.clone(),
            supply_date: self.supply_date,
            withholding: self.withholding_rate,
        }
    }

    /// The form's input for editing this document (numbers written the plain way, read back in English).
    pub fn to_input(&self) -> DocumentInput {
        DocumentInput {
            doc_type: self.doc_type,
            customer_id: self.customer_id,
            date: self.date.to_string(),
            due_date: self.due_date.map(|d| d.to_string()).unwrap_or_default(),
            payment_terms: self.payment_terms,
            lines: self
                .lines
                .iter()
                .map(|l| LineInput {
                    id: Some(l.id),
                    product_id: l.product_id,
                    description: l.description.clone(),
                    unit: l.unit.clone().unwrap_or_default(),
                    quantity: l.quantity.0.normalize().to_string(),
                    unit_price: l.unit_price.0.normalize().to_string(),
                    discount: l.discount.0.normalize().to_string(),
                    tax_zone: l.tax.zone.code().to_string(),
                    tax_code: l.tax.code.as_str().to_string(),
                    exemption: l.tax.exemption.as_ref().map(|e| e.to_string()).unwrap_or_default(),
                    withholding: l.withholding.map(|p| p.0.normalize().to_string()).unwrap_or_default(),
                })
                .collect(),
            global_discount: self.global_discount.0.normalize().to_string(),
            notes: self.notes.clone(),
            retail_b2c: self.retail_b2c,
            source_id: self.source_id,
            reason: self.reason.clone().unwrap_or_default(),
            lang: Lang::En,
            withholding: self.withholding_rate.map(|p| p.0.normalize().to_string()).unwrap_or_default(),
            supply_date: self.supply_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// How a documents list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocumentSort {
    /// Newest first (the default).
    #[default]
    DateDesc,
    /// Oldest first.
    DateAsc,
    /// By number (fiscal once issued, draft number before), descending.
    NumberDesc,
    /// By number, ascending.
    NumberAsc,
    /// By customer name, A–Z.
    CustomerAsc,
    /// By customer name, Z–A.
    CustomerDesc,
    /// Largest total first.
    TotalDesc,
    /// Smallest total first.
    TotalAsc,
}

/// A filtered, sorted page of documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocumentQuery {
    /// Only these types (empty: all).
    #[serde(default)]
    pub doc_types: Vec<DocType>,
    /// Only these states (empty: all).
    #[serde(default)]
    pub states: Vec<DocState>,
    /// Only this customer's.
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    /// Issued on or after.
    #[serde(default)]
    pub date_from: Option<NaiveDate>,
    /// Issued on or before.
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    /// Only overdue ones: due before `today` with an open balance.
    #[serde(default)]
    pub overdue: bool,
    /// "Today" for the overdue filter and flags; `None` is the computer's date.
    #[serde(default)]
    pub today: Option<NaiveDate>,
    /// Sort order.
    #[serde(default)]
    pub sort: DocumentSort,
    /// The `next` cursor of the previous page.
    #[serde(default)]
    pub after: Option<String>,
    /// Rows per page (1–500; 0 means 50).
    #[serde(default)]
    pub limit: u32,
}

/// One row of the documents list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    /// UUIDv7.
    pub id: Uuid,
    /// Type.
    pub doc_type: DocType,
    /// State.
    pub state: DocState,
    /// Fiscal number, or the draft label in Portuguese (as [`Document::number`]); screens show
    /// [`DocumentRow::label`].
    pub number: String,
    /// The fiscal number, once issued.
    #[serde(default)]
    pub fiscal_number: Option<String>,
    /// The local draft number (never fiscal).
    #[serde(default)]
    pub draft_number: Option<i64>,
    /// Customer.
    pub customer_id: Option<Uuid>,
    /// Customer name as on the document.
    pub customer_name: String,
    /// Customer NIF as on the document.
    pub customer_nif: Option<String>,
    /// Issue date.
    pub date: NaiveDate,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Total.
    pub total: Money,
    /// Still owed.
    pub open_balance: Money,
    /// Due before today with something still owed.
    pub overdue: bool,
}

impl DocumentRow {
    /// Its number as a screen shows it: the fiscal number once issued, else "Rascunho FT/3" / "Draft FT/3".
    pub fn label(&self, lang: Lang) -> String {
        document_label(self.doc_type, self.fiscal_number.as_deref(), self.draft_number, lang)
    }
}

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// UUIDv7.
    pub id: Uuid,
    /// The document paid.
    pub document_id: Uuid,
    /// The receipt (RG) draft prepared for it.
    pub receipt_id: Option<Uuid>,
    /// Payment date.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Money,
    /// Method.
    pub method: String,
    /// Notes.
    pub notes: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A count and an amount, for the dashboard's tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CountAmount {
    /// How many documents.
    pub count: u64,
    /// Their amount.
    pub amount: Money,
}

/// The first screen's figures, from the local cache, in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The day the figures are for.
    pub today: NaiveDate,
    /// Drafts waiting to be finished and issued (their totals).
    pub drafts: CountAmount,
    /// Documents queued for issue or being issued.
    pub issue_queue: u64,
    /// Issued invoices and debit notes with something owed (the open balance).
    pub unpaid: CountAmount,
    /// Of those, the ones past their due date.
    pub overdue: CountAmount,
    /// Sales of the month so far: invoices and debit notes issued this month, less credit notes (net of VAT).
    pub month_sales_net: Money,
    /// The same with VAT.
    pub month_sales_total: Money,
}
