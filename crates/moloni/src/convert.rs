//! The one place where Moloni's types become desk-model's: document types, a closed document's fiscal data,
//! customers and products as the app's inputs.

use crate::api::DocumentKind;
use crate::types::{Customer, Document, Product};
use chrono::{DateTime, NaiveDate, Utc};
use desk_model::customer::CustomerInput;
use desk_model::document::DocType;
use desk_model::fiscal::atcud::Atcud;
use desk_model::fiscal::signature::hash_chars;
use desk_model::ipc::FiscalData;
use desk_model::money::Money;
use desk_model::msg::Localized;
use desk_model::product::{ProductInput, ProductKind};

/// The Moloni resource for an app document type.
pub fn kind_of(t: DocType) -> DocumentKind {
    match t {
        DocType::Ft => DocumentKind::Invoice,
        DocType::Fr => DocumentKind::InvoiceReceipt,
        DocType::Fs => DocumentKind::SimplifiedInvoice,
        DocType::Nc => DocumentKind::CreditNote,
        DocType::Nd => DocumentKind::DebitNote,
        DocType::Or => DocumentKind::Estimate,
        DocType::Rg => DocumentKind::Receipt,
    }
}

/// The app's type for a Moloni resource.
pub fn doc_type_of(k: DocumentKind) -> DocType {
    match k {
        DocumentKind::Invoice => DocType::Ft,
        DocumentKind::InvoiceReceipt => DocType::Fr,
        DocumentKind::SimplifiedInvoice => DocType::Fs,
        DocumentKind::CreditNote => DocType::Nc,
        DocumentKind::DebitNote => DocType::Nd,
        DocumentKind::Estimate => DocType::Or,
        DocumentKind::Receipt => DocType::Rg,
    }
}

/// Why a Moloni document cannot be recorded as issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// Still a draft, or annulled.
    #[error("the Moloni document is not closed (status {0})")]
    NotClosed(i64),
    /// No signature on a type that is signed.
    #[error("the Moloni document has no usable signature")]
    NoSignature,
    /// No ATCUD and no series code to build it from.
    #[error("the Moloni document has no ATCUD")]
    NoAtcud,
    /// A date that cannot be read.
    #[error("unreadable date {0:?}")]
    Date(String),
}

impl ConvertError {
    /// For the user.
    pub fn message(&self) -> Localized {
        Localized::new(
            format!("O documento do Moloni não pode ser registado como emitido ({self}). Verifique-o no Moloni."),
            format!("The Moloni document cannot be recorded as issued ({self}). Check it in Moloni."),
        )
    }
}

/// Reads Moloni's `2025-09-12T00:00:00+0100` (or a plain date) as UTC.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0).map(|d| d.and_utc()))
}

/// A closed document's fiscal data as the app records it. `at_code` is the series' AT validation code for the
/// type, used when Moloni's answer has no `atcud` field (its presence is unconfirmed).
pub fn fiscal_data(kind: DocumentKind, d: &Document, at_code: Option<&str>) -> Result<FiscalData, ConvertError> {
    if d.status != 1 {
        return Err(ConvertError::NotClosed(d.status));
    }
    let series = d
        .document_set
        .as_ref()
        .map(|s| s.name.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or(d.document_set_name.clone());
    let code = doc_type_of(kind).saft_code();
    let number = format!("{code} {series}/{}", d.number);
    let atcud = if !d.atcud.is_empty() {
        d.atcud.clone()
    } else {
        let at_code = at_code.ok_or(ConvertError::NoAtcud)?;
        Atcud::new(at_code, &number).map_err(|_| ConvertError::NoAtcud)?.as_str().to_string()
    };
    let hash4 = if doc_type_of(kind).is_signed() {
        hash_chars(&d.rsa_hash).map_err(|_| ConvertError::NoSignature)?
    } else {
        String::new()
    };
    let issued_at = parse_datetime(&d.date).ok_or_else(|| ConvertError::Date(d.date.clone()))?;
    let net = d.gross_value - d.comercial_discount_value - d.financial_discount_value;
    Ok(FiscalData {
        moloni_id: d.document_id,
        document_set_id: Some(d.document_set_id),
        number,
        series,
        atcud,
        hash4,
        issued_at,
        net: Money(net.round_dp(2)),
        vat: Money(d.taxes_value.round_dp(2)),
        total: Money(d.net_value.round_dp(2)),
    })
}

/// A Moloni customer as the app's customer form. `country_iso` is the ISO code of its country id.
pub fn customer_input(c: &Customer, country_iso: Option<&str>) -> CustomerInput {
    let iso = country_iso
        .map(str::to_string)
        .or_else(|| c.country.as_ref().map(|k| k.iso_3166_1.clone()))
        .unwrap_or_default()
        .to_ascii_uppercase();
    CustomerInput {
        name: c.name.trim().to_string(),
        // The final consumer's NIF means "no NIF" in the app.
        nif: if c.vat.trim() == "999999990" { String::new() } else { c.vat.trim().to_string() },
        email: c.email.trim().to_string(),
        phone: c.phone.trim().to_string(),
        address: c.address.trim().to_string(),
        postal_code: c.zip_code.trim().to_string(),
        city: c.city.trim().to_string(),
        country: if iso == "PT" { String::new() } else { iso },
        payment_terms_days: String::new(),
        notes: c.notes.trim().to_string(),
        ..CustomerInput::default()
    }
}

/// A Moloni product as the app's product form (price written with a point, read as English).
pub fn product_input(p: &Product) -> ProductInput {
    let vat = p.taxes.iter().filter_map(|t| t.tax.as_ref()).find(|t| t.saft_type == 1);
    let (tax_zone, tax_code) = match vat {
        Some(t) => (t.fiscal_zone.clone(), t.vat_type.clone()),
        None => ("PT".to_string(), "ISE".to_string()),
    };
    ProductInput {
        reference: p.reference.trim().to_string(),
        name: p.name.trim().to_string(),
        kind: if p.kind == 2 { ProductKind::Service } else { ProductKind::Product },
        unit: p.measurement_unit.as_ref().map(|u| u.short_name.clone()).unwrap_or_default(),
        price: p.price.normalize().to_string(),
        tax_zone,
        tax_code,
        exemption: p.exemption_reason.clone(),
        category: p.category.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        // Moloni keeps withholding on document lines (deduction_id), not on products
        withholding: String::new(),
        lang: desk_model::msg::Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DocumentRef;
    use rust_decimal::Decimal;

    #[test]
    fn a_closed_invoice_becomes_fiscal_data() {
        let d = Document {
            document_id: 42,
            document_set_id: 7,
            document_set: Some(DocumentRef { document_set_id: 7, name: "2026A".into() }),
            number: 17,
            date: "2026-03-01T00:00:00+0000".into(),
            status: 1,
            rsa_hash: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".into(),
            gross_value: Decimal::new(6700, 2),
            comercial_discount_value: Decimal::new(1340, 2),
            taxes_value: Decimal::new(1233, 2),
            net_value: Decimal::new(6593, 2),
            ..Default::default()
        };
        let f = fiscal_data(DocumentKind::Invoice, &d, Some("J6T5ZMXX")).expect("fiscal");
        assert_eq!((f.number.as_str(), f.atcud.as_str(), f.hash4.as_str()), ("FT 2026A/17", "J6T5ZMXX-17", "AKUe"));
        assert_eq!(
            (f.net.0, f.vat.0, f.total.0),
            (Decimal::new(5360, 2), Decimal::new(1233, 2), Decimal::new(6593, 2))
        );
        assert_eq!(
            fiscal_data(DocumentKind::Invoice, &Document { status: 0, ..d }, None),
            Err(ConvertError::NotClosed(0))
        );
    }
}
