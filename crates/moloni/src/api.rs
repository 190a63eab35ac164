//! The endpoints the app uses, typed: companies, customers, products, the settings lists, and documents of
//! every type the app issues (insert as draft, getOne, getAll by `our_reference`, close, PDF link, cancel).

use crate::client::Client;
use crate::error::Error;
use crate::types::{
    Company, Count, Country, Customer, Document, DocumentSet, MaturityDate, MeasurementUnit, NextNumber, PaymentMethod,
    PdfLink, Product, Tax, TaxExemption,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The document types the app issues through Moloni, by their API resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// `invoices` (FT).
    Invoice,
    /// `invoiceReceipts` (FR).
    InvoiceReceipt,
    /// `simplifiedInvoices` (FS).
    SimplifiedInvoice,
    /// `creditNotes` (NC).
    CreditNote,
    /// `debitNotes` (ND).
    DebitNote,
    /// `estimates` (OR).
    Estimate,
    /// `receipts` (RE in Moloni; RG in the app).
    Receipt,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::Invoice,
        DocumentKind::InvoiceReceipt,
        DocumentKind::SimplifiedInvoice,
        DocumentKind::CreditNote,
        DocumentKind::DebitNote,
        DocumentKind::Estimate,
        DocumentKind::Receipt,
    ];

    /// The API resource (`invoices/insert`…).
    pub fn resource(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoices",
            DocumentKind::InvoiceReceipt => "invoiceReceipts",
            DocumentKind::SimplifiedInvoice => "simplifiedInvoices",
            DocumentKind::CreditNote => "creditNotes",
            DocumentKind::DebitNote => "debitNotes",
            DocumentKind::Estimate => "estimates",
            DocumentKind::Receipt => "receipts",
        }
    }

    /// Moloni's SAF-T code for the type.
    pub fn saft_code(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "FT",
            DocumentKind::InvoiceReceipt => "FR",
            DocumentKind::SimplifiedInvoice => "FS",
            DocumentKind::CreditNote => "NC",
            DocumentKind::DebitNote => "ND",
            DocumentKind::Estimate => "OR",
            DocumentKind::Receipt => "RE",
        }
    }
}

/// A customer to insert or update (the fields Moloni requires, §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewCustomer {
    /// Moloni's customer code (unique; `getNextNumber` gives one).
    pub number: String,
    /// Name.
    pub name: String,
    /// NIF (999999990 for a final consumer).
    pub vat: String,
    /// Address.
    pub address: String,
    /// Postal code (NNNN-NNN in Portugal).
    pub zip_code: String,
    /// Town.
    pub city: String,
    /// Country id (Portugal 1).
    pub country_id: i64,
    /// Language id (Portuguese 1).
    pub language_id: i64,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Notes.
    pub notes: String,
    /// Payment term.
    pub maturity_date_id: i64,
    /// Payment method.
    pub payment_method_id: i64,
}

/// A tax on a line or product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    /// The tax.
    pub tax_id: i64,
    /// Rate (sent as plugins do; Moloni uses the tax's own for types 1 and 2).
    pub value: Decimal,
    /// Order.
    pub order: i64,
    /// Cumulative (0/1).
    pub cumulative: i64,
}

/// A product to insert.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewProduct {
    /// Category.
    pub category_id: i64,
    /// 1 product, 2 service.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Name.
    pub name: String,
    /// Reference (unique).
    pub reference: String,
    /// Price before tax.
    pub price: Decimal,
    /// Unit.
    pub unit_id: i64,
    /// Stock tracked (0/1).
    pub has_stock: i64,
    /// Stock.
    pub stock: Decimal,
    /// Exemption code when no VAT applies.
    pub exemption_reason: String,
    /// Taxes.
    pub taxes: Vec<LineTax>,
}

/// A document line to insert.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewLine {
    /// The product (must exist in Moloni).
    pub product_id: i64,
    /// Name as printed.
    pub name: String,
    /// Description.
    pub summary: String,
    /// Quantity.
    pub qty: Decimal,
    /// Unit price before tax.
    pub price: Decimal,
    /// Discount in per cent.
    pub discount: Decimal,
    /// Position.
    pub order: i64,
    /// Exemption code when the line has no VAT.
    pub exemption_reason: String,
    /// Taxes (lines do not inherit the product's).
    pub taxes: Vec<LineTax>,
    /// The withholding on this line, if any (`deductions/getAll`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deduction_id: Option<i64>,
}

/// A payment on an FR/FS or a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPayment {
    /// Method.
    pub payment_method_id: i64,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub date: String,
    /// Amount.
    pub value: Decimal,
}

/// A document this one corrects or settles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAssociation {
    /// The other document's Moloni id.
    pub associated_id: i64,
    /// Amount.
    pub value: Decimal,
}

/// A document to insert (always as a draft: status 0).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewDocument {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `YYYY-MM-DD`.
    pub expiration_date: String,
    /// Series.
    pub document_set_id: i64,
    /// Customer.
    pub customer_id: i64,
    /// The app's own id for it, to find it again after an ambiguous failure.
    pub our_reference: String,
    /// The customer's reference.
    pub your_reference: String,
    /// Notes.
    pub notes: String,
    /// Lines (receipts have none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<NewLine>,
    /// Payments (FR, FS, receipts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<NewPayment>,
    /// Associations (NC, ND, receipts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub associated_documents: Vec<NewAssociation>,
    /// Total received (receipts) or expected (credit notes), when the type needs it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_value: Option<Decimal>,
}

/// The id in an insert/update answer (`{valid: 1, customer_id: 7}`).
fn id_of(endpoint: &str, v: &Value, key: &str) -> Result<i64, Error> {
    v.get(key)
        .and_then(|x| x.as_i64().or_else(|| x.as_str().and_then(|s| s.parse().ok())))
        .ok_or_else(|| Error::Malformed { endpoint: endpoint.into(), detail: format!("no {key} in the answer") })
}

fn to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

impl Client {
    /// The companies the user can work in (`companies/getAll`, no `company_id`).
    pub async fn companies(&self) -> Result<Vec<Company>, Error> {
        self.call("companies/getAll", json!({})).await
    }

    /// The calls of one company.
    pub fn company(&self, company_id: i64) -> CompanyApi<'_> {
        CompanyApi { client: self, company_id }
    }
}

/// A company's endpoints (`company_id` goes in every body).
#[derive(Debug, Clone, Copy)]
pub struct CompanyApi<'a> {
    client: &'a Client,
    company_id: i64,
}

impl CompanyApi<'_> {
    fn body(&self, extra: Value) -> Value {
        let mut body = json!({ "company_id": self.company_id });
        if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
            b.extend(e);
        }
        body
    }

    async fn list<T: serde::de::DeserializeOwned>(&self, endpoint: &str, extra: Value) -> Result<Vec<T>, Error> {
        self.client.get_all(endpoint, self.body(extra)).await
    }

    async fn one<T: serde::de::DeserializeOwned>(&self, endpoint: &str, extra: Value) -> Result<T, Error> {
        self.client.call(endpoint, self.body(extra)).await
    }

    /// Every customer.
    pub async fn customers(&self) -> Result<Vec<Customer>, Error> {
        self.list("customers/getAll", json!({})).await
    }

    /// One customer; `None` if Moloni has no such customer.
    pub async fn customer_get(&self, customer_id: i64) -> Result<Option<Customer>, Error> {
        let endpoint = "customers/getOne";
        let v = self.client.call_value(endpoint, self.body(json!({ "customer_id": customer_id }))).await?;
        // Not found comes back as `[]` or `{}`: look for the id.
        if v.get("customer_id").is_none() {
            return Ok(None);
        }
        serde_json::from_value(v)
            .map(Some)
            .map_err(|e| Error::Malformed { endpoint: endpoint.into(), detail: e.to_string() })
    }

    /// Customers with this NIF (several may share one; compare `vat` exactly).
    pub async fn customers_by_vat(&self, vat: &str) -> Result<Vec<Customer>, Error> {
        self.list("customers/getByVat", json!({ "vat": vat, "exact": 1 })).await
    }

    /// Customers with this e-mail.
    pub async fn customers_by_email(&self, email: &str) -> Result<Vec<Customer>, Error> {
        self.list("customers/getByEmail", json!({ "email": email })).await
    }

    /// The next free customer code.
    pub async fn customers_next_number(&self) -> Result<String, Error> {
        Ok(self.one::<NextNumber>("customers/getNextNumber", json!({})).await?.number)
    }

    /// Customers changed since `YYYY-MM-DD HH:MM:SS`.
    pub async fn customers_modified_since(&self, since: &str) -> Result<Vec<Customer>, Error> {
        self.list("customers/getModifiedSince", json!({ "lastmodified": since })).await
    }

    /// Inserts a customer; its id.
    pub async fn customer_insert(&self, c: &NewCustomer) -> Result<i64, Error> {
        let v = self.client.call_value("customers/insert", self.body(to_value(c))).await?;
        id_of("customers/insert", &v, "customer_id")
    }

    /// Updates a customer.
    pub async fn customer_update(&self, customer_id: i64, c: &NewCustomer) -> Result<i64, Error> {
        let mut body = self.body(to_value(c));
        body["customer_id"] = customer_id.into();
        let v = self.client.call_value("customers/update", body).await?;
        id_of("customers/update", &v, "customer_id")
    }

    /// The product categories at the top level (`productCategories/getAll`, parent 0).
    pub async fn product_categories(&self) -> Result<Vec<crate::types::ProductCategory>, Error> {
        self.list("productCategories/getAll", json!({ "parent_id": 0 })).await
    }

    /// Products of a category (`-1` lists the ones without).
    pub async fn products(&self, category_id: i64) -> Result<Vec<Product>, Error> {
        self.list("products/getAll", json!({ "category_id": category_id })).await
    }

    /// Products changed since `YYYY-MM-DD HH:MM:SS`.
    pub async fn products_modified_since(&self, since: &str) -> Result<Vec<Product>, Error> {
        self.list("products/getModifiedSince", json!({ "lastmodified": since })).await
    }

    /// Products with this reference.
    pub async fn products_by_reference(&self, reference: &str) -> Result<Vec<Product>, Error> {
        self.list("products/getByReference", json!({ "reference": reference, "exact": 1 })).await
    }

    /// Inserts a product; its id.
    pub async fn product_insert(&self, p: &NewProduct) -> Result<i64, Error> {
        let v = self.client.call_value("products/insert", self.body(to_value(p))).await?;
        id_of("products/insert", &v, "product_id")
    }

    /// Changes a product; its id.
    pub async fn product_update(&self, product_id: i64, p: &NewProduct) -> Result<i64, Error> {
        let mut body = self.body(to_value(p));
        body["product_id"] = product_id.into();
        let v = self.client.call_value("products/update", body).await?;
        id_of("products/update", &v, "product_id")
    }

    /// The company's taxes.
    pub async fn taxes(&self) -> Result<Vec<Tax>, Error> {
        self.list("taxes/getAll", json!({})).await
    }

    /// The company's withholdings (retenções na fonte).
    pub async fn deductions(&self) -> Result<Vec<crate::types::Deduction>, Error> {
        self.list("deductions/getAll", json!({})).await
    }

    /// The document series.
    pub async fn document_sets(&self) -> Result<Vec<DocumentSet>, Error> {
        self.list("documentSets/getAll", json!({})).await
    }

    /// Payment methods.
    pub async fn payment_methods(&self) -> Result<Vec<PaymentMethod>, Error> {
        self.list("paymentMethods/getAll", json!({})).await
    }

    /// Payment terms.
    pub async fn maturity_dates(&self) -> Result<Vec<MaturityDate>, Error> {
        self.list("maturityDates/getAll", json!({})).await
    }

    /// Units.
    pub async fn measurement_units(&self) -> Result<Vec<MeasurementUnit>, Error> {
        self.list("measurementUnits/getAll", json!({})).await
    }

    /// Countries.
    pub async fn countries(&self) -> Result<Vec<Country>, Error> {
        self.list("countries/getAll", json!({})).await
    }

    /// Exemption reasons.
    pub async fn tax_exemptions(&self) -> Result<Vec<TaxExemption>, Error> {
        self.list("taxExemptions/getAll", json!({})).await
    }

    /// Inserts a document as a draft (status 0); its Moloni id. Record it before anything else.
    pub async fn document_insert(&self, kind: DocumentKind, d: &NewDocument) -> Result<i64, Error> {
        let endpoint = format!("{}/insert", kind.resource());
        let mut body = self.body(to_value(d));
        body["status"] = 0.into();
        let v = self.client.call_value(&endpoint, body).await?;
        id_of(&endpoint, &v, "document_id")
    }

    /// One document with its lines; `None` if Moloni has no such document.
    pub async fn document_get(&self, kind: DocumentKind, document_id: i64) -> Result<Option<Document>, Error> {
        let endpoint = format!("{}/getOne", kind.resource());
        let v = self.client.call_value(&endpoint, self.body(json!({ "document_id": document_id }))).await?;
        // Not found comes back as `[]` or `{}`: look for the id.
        if v.get("document_id").is_none() {
            return Ok(None);
        }
        serde_json::from_value(v).map(Some).map_err(|e| Error::Malformed { endpoint, detail: e.to_string() })
    }

    /// Documents of a type carrying our reference (drafts included), compared exactly.
    pub async fn documents_by_our_reference(
        &self,
        kind: DocumentKind,
        our_reference: &str,
    ) -> Result<Vec<Document>, Error> {
        let endpoint = format!("{}/getAll", kind.resource());
        let all: Vec<Document> = self.list(&endpoint, json!({ "our_reference": our_reference })).await?;
        Ok(all.into_iter().filter(|d| d.our_reference == our_reference).collect())
    }

    /// Documents of a type changed since `YYYY-MM-DD HH:MM:SS`.
    pub async fn documents_modified_since(&self, kind: DocumentKind, since: &str) -> Result<Vec<Document>, Error> {
        self.list(&format!("{}/getModifiedSince", kind.resource()), json!({ "lastmodified": since })).await
    }

    /// Every document of a type (drafts included: the caller keeps what it needs).
    pub async fn documents_all(&self, kind: DocumentKind) -> Result<Vec<Document>, Error> {
        self.list(&format!("{}/getAll", kind.resource()), json!({})).await
    }

    /// How many documents of a type.
    pub async fn documents_count(&self, kind: DocumentKind) -> Result<i64, Error> {
        Ok(self.one::<Count>(&format!("{}/count", kind.resource()), json!({})).await?.count)
    }

    /// Closes a draft (status 1): Moloni numbers and signs it.
    pub async fn document_close(&self, kind: DocumentKind, document_id: i64) -> Result<i64, Error> {
        let endpoint = format!("{}/update", kind.resource());
        let v =
            self.client.call_value(&endpoint, self.body(json!({ "document_id": document_id, "status": 1 }))).await?;
        id_of(&endpoint, &v, "document_id")
    }

    /// The PDF's download page (closed documents only).
    pub async fn document_pdf_link(&self, document_id: i64) -> Result<PdfLink, Error> {
        self.one("documents/getPDFLink", json!({ "document_id": document_id })).await
    }

    /// The PDF of a closed document as Moloni draws it: the link, then its download.
    pub async fn document_pdf(&self, document_id: i64) -> Result<Vec<u8>, Error> {
        let link = self.document_pdf_link(document_id).await?;
        self.client.download_pdf(&link).await
    }

    /// Annuls a closed document (status 2).
    pub async fn document_cancel(&self, document_id: i64) -> Result<(), Error> {
        self.client.call_value("documents/documentCancel", self.body(json!({ "document_id": document_id }))).await?;
        Ok(())
    }

    /// Deletes a draft.
    pub async fn document_delete(&self, kind: DocumentKind, document_id: i64) -> Result<(), Error> {
        let endpoint = format!("{}/delete", kind.resource());
        self.client.call_value(&endpoint, self.body(json!({ "document_id": document_id }))).await?;
        Ok(())
    }
}

/// Serialises amounts as JSON numbers' text (`"12.30"` in forms), never through a float.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_carry_the_fields_moloni_takes() {
        let d = NewDocument {
            date: "2026-03-01".into(),
            products: vec![NewLine {
                product_id: 3,
                qty: Decimal::new(25, 1),
                price: Decimal::new(1230, 2),
                ..Default::default()
            }],
            ..Default::default()
        };
        let pairs = crate::form::flatten(&to_value(&d));
        assert!(pairs.contains(&("products[0][qty]".to_string(), "2.5".to_string())), "{pairs:?}");
        assert!(pairs.contains(&("products[0][price]".to_string(), "12.30".to_string())), "{pairs:?}");
        assert!(!pairs.iter().any(|(k, _)| k.starts_with("payments")));
    }
}
