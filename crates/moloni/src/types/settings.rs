//! Company settings and global lists: taxes, document series, payment methods, maturity dates, units,
//! countries, exemption reasons, languages, currencies, fiscal and geographic zones, the subscription.

use crate::de;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A withholding (retenção na fonte) the company may apply to a line (`deductions/getAll`; the endpoint is
/// Moloni's settings list, not among the recorded responses).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Deduction {
    /// Id, a line's `deduction_id`.
    #[serde(deserialize_with = "de::int")]
    pub deduction_id: i64,
    /// Name ("IRS - Cat. B").
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Rate in per cent.
    #[serde(deserialize_with = "de::dec")]
    pub value: Decimal,
}

/// A tax or fee (`taxes/getAll`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Tax {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub tax_id: i64,
    /// Name ("IVA Normal").
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Rate (type 1) or amount (type 2).
    #[serde(deserialize_with = "de::dec")]
    pub value: Decimal,
    /// 1 percentage, 2 fixed value, 3 set per line.
    #[serde(deserialize_with = "de::int", rename = "type")]
    pub kind: i64,
    /// 1 VAT, 2 stamp duty, 3 other.
    #[serde(deserialize_with = "de::int")]
    pub saft_type: i64,
    /// NOR, INT, RED, ISE, OUT.
    #[serde(deserialize_with = "de::text")]
    pub vat_type: String,
    /// Stamp duty code.
    #[serde(deserialize_with = "de::text")]
    pub stamp_tax: String,
    /// Exemption code for a 0 % tax.
    #[serde(deserialize_with = "de::text")]
    pub exemption_reason: String,
    /// PT, PT-AC, PT-MA or a country code.
    #[serde(deserialize_with = "de::text")]
    pub fiscal_zone: String,
    /// 1 when new lines take it by default.
    #[serde(deserialize_with = "de::int")]
    pub active_by_default: i64,
    /// Last change, as Moloni writes it.
    #[serde(deserialize_with = "de::text")]
    pub lastmodified: String,
}

/// A series' AT registration for one document type (its validation code makes the ATCUD).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentSetAtCode {
    /// Registration id.
    #[serde(deserialize_with = "de::int")]
    pub document_set_wsat_id: i64,
    /// The document type.
    #[serde(deserialize_with = "de::int")]
    pub document_type_id: i64,
    /// First number under this code.
    #[serde(deserialize_with = "de::int")]
    pub initial_num: i64,
    /// The AT validation code (8 characters).
    #[serde(deserialize_with = "de::text")]
    pub document_set_at_code: String,
}

/// A document series (`documentSets/getAll`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentSet {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub document_set_id: i64,
    /// Name ("2026", "A").
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// 1 for the default series.
    #[serde(deserialize_with = "de::int")]
    pub active_by_default: i64,
    /// 1 for a cash-VAT series.
    #[serde(deserialize_with = "de::int")]
    pub cash_vat_scheme_indicator: i64,
    /// AT codes per document type.
    #[serde(deserialize_with = "de::list")]
    pub document_set_at_codes: Vec<DocumentSetAtCode>,
}

/// A payment method.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentMethod {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub payment_method_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
}

/// A maturity date (payment term).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MaturityDate {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub maturity_date_id: i64,
    /// Name ("30 dias").
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Days.
    #[serde(deserialize_with = "de::int")]
    pub days: i64,
    /// Discount for paying within the term, in per cent.
    #[serde(deserialize_with = "de::dec")]
    pub associated_discount: Decimal,
}

/// A measurement unit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasurementUnit {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub unit_id: i64,
    /// Name ("Unidade").
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Short name ("Un.").
    #[serde(deserialize_with = "de::text")]
    pub short_name: String,
}

/// A fiscal zone (PT, PT-AC, PT-MA).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FiscalZone {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub fiscal_zone_id: i64,
    /// Country.
    #[serde(deserialize_with = "de::int")]
    pub country_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Code.
    #[serde(deserialize_with = "de::text")]
    pub code: String,
}

/// A country (`countries/getAll`; Portugal is 1; the ISO code comes lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Country {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub country_id: i64,
    /// ISO 3166-1 alpha-2, lower-case.
    #[serde(deserialize_with = "de::text")]
    pub iso_3166_1: String,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Its fiscal zones.
    #[serde(deserialize_with = "de::list")]
    pub fiscal_zones: Vec<FiscalZone>,
}

/// An AT exemption reason (M01…M99).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxExemption {
    /// The AT code.
    #[serde(deserialize_with = "de::text")]
    pub code: String,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// The legal text.
    #[serde(deserialize_with = "de::text")]
    pub description: String,
}

/// A language (1 PT, 2 EN, 3 ES).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Language {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub language_id: i64,
    /// Code.
    #[serde(deserialize_with = "de::text")]
    pub code: String,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub title: String,
}

/// A currency (EUR is 1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Currency {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub currency_id: i64,
    /// ISO 4217.
    #[serde(deserialize_with = "de::text")]
    pub iso4217: String,
    /// Symbol.
    #[serde(deserialize_with = "de::text")]
    pub symbol: String,
}

/// A geographic zone (sales regions).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GeographicZone {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub geographic_zone_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
}

/// The company's Moloni subscription.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Subscription {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub subscription_id: i64,
    /// Plan.
    #[serde(deserialize_with = "de::int")]
    pub plan_id: i64,
    /// Until when.
    #[serde(deserialize_with = "de::text")]
    pub expire_date: String,
    /// 1 when paid.
    #[serde(deserialize_with = "de::int")]
    pub paid: i64,
}
