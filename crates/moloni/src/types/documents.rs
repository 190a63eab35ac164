//! Documents as Moloni answers them (`<type>/getAll`, `getOne`): header, totals (`net_value` is the grand
//! total including VAT), fiscal marks once closed, and the lines on `getOne`.

use crate::de;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The nested `document_type` (it has no name, only the SAF-T code).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentType {
    /// Moloni's type id (1 FT, 2 RE, 3 NC, 14 OR, 20 FS, 27 FR…).
    #[serde(deserialize_with = "de::int")]
    pub document_type_id: i64,
    /// FT, FR, FS, NC, ND, RE, OR…
    #[serde(deserialize_with = "de::text")]
    pub saft_code: String,
}

/// The nested `document_set`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentRef {
    /// Series id.
    #[serde(deserialize_with = "de::int")]
    pub document_set_id: i64,
    /// Series name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
}

/// A document this one settles or corrects.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssociatedDocument {
    /// The other document.
    #[serde(deserialize_with = "de::int")]
    pub associated_id: i64,
    /// The amount associated (absent in lists).
    #[serde(deserialize_with = "de::dec")]
    pub value: Decimal,
}

/// A tax on a document line, with what it came to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentProductTax {
    /// The tax.
    #[serde(deserialize_with = "de::int")]
    pub tax_id: i64,
    /// Rate.
    #[serde(deserialize_with = "de::dec")]
    pub value: Decimal,
    /// Base it applied to.
    #[serde(deserialize_with = "de::dec")]
    pub incidence_value: Decimal,
    /// Tax amount.
    #[serde(deserialize_with = "de::dec")]
    pub total_value: Decimal,
}

/// A document line (`getOne`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentProduct {
    /// The line's id (credit notes point at it with `related_id`).
    #[serde(deserialize_with = "de::int")]
    pub document_product_id: i64,
    /// The product.
    #[serde(deserialize_with = "de::int")]
    pub product_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Description.
    #[serde(deserialize_with = "de::text")]
    pub summary: String,
    /// Quantity.
    #[serde(deserialize_with = "de::dec")]
    pub qty: Decimal,
    /// Unit price before tax.
    #[serde(deserialize_with = "de::dec")]
    pub price: Decimal,
    /// Discount in per cent.
    #[serde(deserialize_with = "de::dec")]
    pub discount: Decimal,
    /// Exemption code.
    #[serde(deserialize_with = "de::text")]
    pub exemption_reason: String,
    /// Position.
    #[serde(deserialize_with = "de::int")]
    pub order: i64,
    /// The withholding (retenção) on this line, 0 for none.
    #[serde(deserialize_with = "de::int")]
    pub deduction_id: i64,
    /// Taxes.
    #[serde(deserialize_with = "de::list")]
    pub taxes: Vec<DocumentProductTax>,
}

/// A payment on a self-paid document (FR, FS) or a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentPayment {
    /// Method.
    #[serde(deserialize_with = "de::int")]
    pub payment_method_id: i64,
    /// The method's name (`getOne`).
    #[serde(deserialize_with = "de::text")]
    pub payment_method_name: String,
    /// When.
    #[serde(deserialize_with = "de::text")]
    pub date: String,
    /// How much.
    #[serde(deserialize_with = "de::dec")]
    pub value: Decimal,
}

/// A document (list item, or `getOne` with its lines).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Document {
    /// Moloni's id.
    #[serde(deserialize_with = "de::int")]
    pub document_id: i64,
    /// Company.
    #[serde(deserialize_with = "de::int")]
    pub company_id: i64,
    /// Type id.
    #[serde(deserialize_with = "de::int")]
    pub document_type_id: i64,
    /// Customer.
    #[serde(deserialize_with = "de::int")]
    pub customer_id: i64,
    /// Series.
    #[serde(deserialize_with = "de::int")]
    pub document_set_id: i64,
    /// Series name.
    #[serde(deserialize_with = "de::text")]
    pub document_set_name: String,
    /// Number in its series and type; −1 (or 0) while a draft.
    #[serde(deserialize_with = "de::int")]
    pub number: i64,
    /// Date (`2025-09-12T00:00:00+0100`).
    #[serde(deserialize_with = "de::text")]
    pub date: String,
    /// Due date, if any.
    #[serde(deserialize_with = "de::opt_text")]
    pub expiration_date: Option<String>,
    /// The customer's reference.
    #[serde(deserialize_with = "de::text")]
    pub your_reference: String,
    /// Our reference (the app puts its document id here to find it again).
    #[serde(deserialize_with = "de::text")]
    pub our_reference: String,
    /// Customer's name as printed.
    #[serde(deserialize_with = "de::text")]
    pub entity_name: String,
    /// Customer's NIF as printed.
    #[serde(deserialize_with = "de::text")]
    pub entity_vat: String,
    /// Sum of the lines before discounts and tax.
    #[serde(deserialize_with = "de::dec")]
    pub gross_value: Decimal,
    /// Line and special discounts (Moloni's spelling).
    #[serde(deserialize_with = "de::dec")]
    pub comercial_discount_value: Decimal,
    /// Financial discount.
    #[serde(deserialize_with = "de::dec")]
    pub financial_discount_value: Decimal,
    /// Taxes.
    #[serde(deserialize_with = "de::dec")]
    pub taxes_value: Decimal,
    /// Withholding.
    #[serde(deserialize_with = "de::dec")]
    pub deduction_value: Decimal,
    /// The grand total including VAT (the name misleads).
    #[serde(deserialize_with = "de::dec")]
    pub net_value: Decimal,
    /// Settled by receipts.
    #[serde(deserialize_with = "de::dec")]
    pub reconciled_value: Decimal,
    /// 0 draft, 1 closed, 2 annulled.
    #[serde(deserialize_with = "de::int")]
    pub status: i64,
    /// The signature (closed documents).
    #[serde(deserialize_with = "de::text")]
    pub rsa_hash: String,
    /// The signing key's version.
    #[serde(deserialize_with = "de::text")]
    pub hash_control: String,
    /// ATCUD, when Moloni returns it.
    #[serde(deserialize_with = "de::text")]
    pub atcud: String,
    /// Last change.
    #[serde(deserialize_with = "de::text")]
    pub lastmodified: String,
    /// Type, nested.
    #[serde(deserialize_with = "de::opt_obj")]
    pub document_type: Option<DocumentType>,
    /// Series, nested.
    #[serde(deserialize_with = "de::opt_obj")]
    pub document_set: Option<DocumentRef>,
    /// Lines (`getOne` only).
    #[serde(deserialize_with = "de::list")]
    pub products: Vec<DocumentProduct>,
    /// Payments.
    #[serde(deserialize_with = "de::list")]
    pub payments: Vec<DocumentPayment>,
    /// Documents associated.
    #[serde(deserialize_with = "de::list")]
    pub associated_documents: Vec<AssociatedDocument>,
}
