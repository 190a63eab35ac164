//! How documents and their lines are rows of the one write path: each column's sync policy, and the values a
//! [`Document`] or a [`LineRow`] writes (derived sort keys and cents included).

use super::{number_key, state_str};
use crate::codec;
use crate::store::{col, Column, Entity, Policy, Value};
use desk_model::ipc::{Document, DocumentLine};
use desk_model::text::fold;
use uuid::Uuid;

/// The header syncs field by field. Totals, settlement and sort keys follow from the lines and the payments and
/// are recomputed wherever the rows are; fiscal data is Moloni's, written only by the issue commands; the draft
/// number is this desktop's own label.
impl Entity for Document {
    const TABLE: &'static str = "documents";
    const COLUMNS: &'static [Column] = &[
        col("company_id", Policy::Fixed),
        col("draft_number", Policy::Local),
        col("doc_type", Policy::Mergeable),
        col("state", Policy::Derived),
        col("customer_id", Policy::Mergeable),
        col("customer_name", Policy::Mergeable),
        col("customer_key", Policy::Derived),
        col("customer_nif", Policy::Mergeable),
        col("issue_date", Policy::Mergeable),
        col("due_date", Policy::Mergeable),
        col("payment_terms", Policy::Mergeable),
        col("notes", Policy::Mergeable),
        col("global_discount", Policy::Mergeable),
        col("retail_b2c", Policy::Mergeable),
        col("source_id", Policy::Fixed),
        col("source_reason", Policy::Mergeable),
        col("gross", Policy::Derived),
        col("discounts", Policy::Derived),
        col("net", Policy::Derived),
        col("vat", Policy::Derived),
        col("total", Policy::Derived),
        col("net_cents", Policy::Derived),
        col("total_cents", Policy::Derived),
        col("received", Policy::Derived),
        col("credited", Policy::Derived),
        col("open_cents", Policy::Derived),
        col("number_key", Policy::Local),
        col("issue_requested_at", Policy::ServerOwned),
        col("moloni_id", Policy::ServerOwned),
        col("moloni_document_set_id", Policy::ServerOwned),
        col("fiscal_number", Policy::ServerOwned),
        col("fiscal_series", Policy::ServerOwned),
        col("atcud", Policy::ServerOwned),
        col("hash4", Policy::ServerOwned),
        col("issued_at", Policy::ServerOwned),
        col("created_at", Policy::Fixed),
        col("withholding_rate", Policy::Mergeable),
        col("withholding", Policy::Derived),
        col("supply_date", Policy::Mergeable),
        col("issued_snapshot", Policy::ServerOwned),
        col("cancel_reason", Policy::ServerOwned),
    ];
    fn id(&self) -> Uuid {
        self.id
    }
    fn company_id(&self) -> Uuid {
        self.company_id
    }
    fn values(&self) -> Vec<Value> {
        let f = self.fiscal.as_ref();
        vec![
            self.company_id.into(),
            self.draft_number.into(),
            self.doc_type.saft_code().into(),
            state_str(self.state).into(),
            self.customer_id.into(),
            self.customer_name.as_str().into(),
            fold(&self.customer_name).into(),
            self.customer_nif.clone().into(),
            self.date.to_string().into(),
            self.due_date.map(|d| d.to_string()).into(),
            self.payment_terms.and_then(|t| serde_json::to_string(&t).ok()).into(),
            self.notes.as_str().into(),
            codec::decimal_text(self.global_discount.0).into(),
            self.retail_b2c.into(),
            self.source_id.into(),
            self.reason.clone().into(),
            self.gross.to_plain_string().into(),
            self.discounts.to_plain_string().into(),
            self.net.to_plain_string().into(),
            self.vat.to_plain_string().into(),
            self.total.to_plain_string().into(),
            codec::cents(self.net).into(),
            codec::cents(self.total).into(),
            self.received.to_plain_string().into(),
            self.credited.to_plain_string().into(),
            codec::cents(self.open_balance).into(),
            number_key(self.doc_type, f.map(|f| f.number.as_str()), self.draft_number).into(),
            self.issue_requested_at.map(codec::time_text).into(),
            f.map(|f| f.moloni_id).into(),
            f.and_then(|f| f.document_set_id).into(),
            f.map(|f| f.number.as_str()).into(),
            f.map(|f| f.series.as_str()).into(),
            f.map(|f| f.atcud.as_str()).into(),
            f.map(|f| f.hash4.as_str()).into(),
            f.map(|f| codec::time_text(f.issued_at)).into(),
            codec::time_text(self.created_at).into(),
            self.withholding_rate.map(|p| codec::decimal_text(p.0)).into(),
            self.withholding.to_plain_string().into(),
            self.supply_date.map(|d| d.to_string()).into(),
            self.issued_snapshot.clone().into(),
            self.cancel_reason.clone().into(),
        ]
    }
}

/// A line as a row: the line, its document, and its place among the document's lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRow {
    /// The line as the UI sees it.
    pub line: DocumentLine,
    /// Its document.
    pub document_id: Uuid,
    /// The document's company (the op's company).
    pub company_id: Uuid,
    /// Its fractional sort key (see `order`): lines are ordered by (sort_key, id).
    pub sort_key: String,
    /// Its ordinal on this desktop, recomputed from the sort keys.
    pub position: i64,
    /// When it was made, as stored.
    pub created_at: String,
}

/// Lines sync one by one, each with its own base revision; their order merges through the sort key, and their
/// amount follows from their fields.
impl Entity for LineRow {
    const TABLE: &'static str = "document_lines";
    const COLUMNS: &'static [Column] = &[
        col("document_id", Policy::Fixed),
        col("position", Policy::Derived),
        col("sort_key", Policy::Mergeable),
        col("product_id", Policy::Mergeable),
        col("description", Policy::Mergeable),
        col("unit", Policy::Mergeable),
        col("quantity", Policy::Mergeable),
        col("unit_price", Policy::Mergeable),
        col("discount", Policy::Mergeable),
        col("tax_zone", Policy::Mergeable),
        col("tax_code", Policy::Mergeable),
        col("exemption", Policy::Mergeable),
        col("amount", Policy::Derived),
        col("created_at", Policy::Fixed),
        col("withholding_rate", Policy::Mergeable),
    ];
    fn id(&self) -> Uuid {
        self.line.id
    }
    fn company_id(&self) -> Uuid {
        self.company_id
    }
    fn values(&self) -> Vec<Value> {
        let l = &self.line;
        vec![
            self.document_id.into(),
            self.position.into(),
            self.sort_key.as_str().into(),
            l.product_id.into(),
            l.description.as_str().into(),
            l.unit.clone().into(),
            codec::decimal_text(l.quantity.0).into(),
            codec::decimal_text(l.unit_price.0).into(),
            codec::decimal_text(l.discount.0).into(),
            l.tax.zone.code().into(),
            l.tax.code.as_str().into(),
            l.tax.exemption.as_ref().map(|e| e.to_string()).into(),
            l.amount.to_plain_string().into(),
            self.created_at.as_str().into(),
            l.withholding.map(|p| codec::decimal_text(p.0)).into(),
        ]
    }
}
