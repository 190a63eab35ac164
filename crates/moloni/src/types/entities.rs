//! Companies, customers, products and the other people and things a company has in Moloni.

use super::settings::{Country, MeasurementUnit, Tax};
use crate::de;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A company the user can work in (`companies/getAll`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Company {
    /// Id (sent as `company_id` on every company call).
    #[serde(deserialize_with = "de::int")]
    pub company_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// NIF.
    #[serde(deserialize_with = "de::text")]
    pub vat: String,
    /// E-mail.
    #[serde(deserialize_with = "de::text")]
    pub email: String,
    /// Address.
    #[serde(deserialize_with = "de::text")]
    pub address: String,
    /// Town.
    #[serde(deserialize_with = "de::text")]
    pub city: String,
    /// Postal code.
    #[serde(deserialize_with = "de::text")]
    pub zip_code: String,
    /// Country id.
    #[serde(deserialize_with = "de::int")]
    pub country_id: i64,
    /// The country, nested.
    #[serde(deserialize_with = "de::opt_obj")]
    pub country: Option<Country>,
}

/// A customer (`customers/getAll`, `getByVat`, `getOne`…).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub customer_id: i64,
    /// Moloni's customer code (text, unique).
    #[serde(deserialize_with = "de::text")]
    pub number: String,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// NIF (999999990 for the final consumer).
    #[serde(deserialize_with = "de::text")]
    pub vat: String,
    /// Address.
    #[serde(deserialize_with = "de::text")]
    pub address: String,
    /// Town.
    #[serde(deserialize_with = "de::text")]
    pub city: String,
    /// Postal code.
    #[serde(deserialize_with = "de::text")]
    pub zip_code: String,
    /// Country id.
    #[serde(deserialize_with = "de::int")]
    pub country_id: i64,
    /// E-mail.
    #[serde(deserialize_with = "de::text")]
    pub email: String,
    /// Phone.
    #[serde(deserialize_with = "de::text")]
    pub phone: String,
    /// Website.
    #[serde(deserialize_with = "de::text")]
    pub website: String,
    /// Notes.
    #[serde(deserialize_with = "de::text")]
    pub notes: String,
    /// Language (1 PT).
    #[serde(deserialize_with = "de::int")]
    pub language_id: i64,
    /// Payment term.
    #[serde(deserialize_with = "de::int")]
    pub maturity_date_id: i64,
    /// Payment method.
    #[serde(deserialize_with = "de::int")]
    pub payment_method_id: i64,
    /// Discount in per cent.
    #[serde(deserialize_with = "de::dec")]
    pub discount: Decimal,
    /// The country, nested.
    #[serde(deserialize_with = "de::opt_obj")]
    pub country: Option<Country>,
    /// Last change.
    #[serde(deserialize_with = "de::text")]
    pub lastmodified: String,
}

/// A tax on a product: the rate lives in the nested `tax.value`; the outer `value` is a per-product override.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductTax {
    /// The tax.
    #[serde(deserialize_with = "de::int")]
    pub tax_id: i64,
    /// Per-product value (type-3 taxes), often the computed amount or 0.
    #[serde(deserialize_with = "de::dec")]
    pub value: Decimal,
    /// Order of application.
    #[serde(deserialize_with = "de::int")]
    pub order: i64,
    /// 1 when applied on top of the previous ones.
    #[serde(deserialize_with = "de::int")]
    pub cumulative: i64,
    /// The tax itself.
    #[serde(deserialize_with = "de::opt_obj")]
    pub tax: Option<Tax>,
}

/// A product category.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductCategory {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub category_id: i64,
    /// Parent (0 = root).
    #[serde(deserialize_with = "de::int")]
    pub parent_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
}

/// A product or service (`products/getAll`, `getByReference`…).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Product {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub product_id: i64,
    /// Category.
    #[serde(deserialize_with = "de::int")]
    pub category_id: i64,
    /// 1 product, 2 service, 3 other, 4 taxes/levies.
    #[serde(deserialize_with = "de::int", rename = "type")]
    pub kind: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Description.
    #[serde(deserialize_with = "de::text")]
    pub summary: String,
    /// Reference (unique).
    #[serde(deserialize_with = "de::text")]
    pub reference: String,
    /// EAN.
    #[serde(deserialize_with = "de::text")]
    pub ean: String,
    /// Price before tax.
    #[serde(deserialize_with = "de::dec")]
    pub price: Decimal,
    /// Unit.
    #[serde(deserialize_with = "de::int")]
    pub unit_id: i64,
    /// 1 when stock is tracked.
    #[serde(deserialize_with = "de::int")]
    pub has_stock: i64,
    /// Stock.
    #[serde(deserialize_with = "de::dec")]
    pub stock: Decimal,
    /// Exemption code when no VAT applies.
    #[serde(deserialize_with = "de::text")]
    pub exemption_reason: String,
    /// Taxes in order.
    #[serde(deserialize_with = "de::list")]
    pub taxes: Vec<ProductTax>,
    /// The unit, nested.
    #[serde(deserialize_with = "de::opt_obj")]
    pub measurement_unit: Option<MeasurementUnit>,
    /// The category, nested.
    #[serde(deserialize_with = "de::opt_obj")]
    pub category: Option<ProductCategory>,
    /// 1 for a bundle.
    #[serde(deserialize_with = "de::int")]
    pub composition_type: i64,
}

/// A salesman.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Salesman {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub salesman_id: i64,
    /// Code.
    #[serde(deserialize_with = "de::text")]
    pub number: String,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// Commission in per cent.
    #[serde(deserialize_with = "de::dec")]
    pub base_commission: Decimal,
}

/// A user of the Moloni account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct User {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub name: String,
    /// E-mail (the login).
    #[serde(deserialize_with = "de::text")]
    pub email: String,
}

/// A warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Warehouse {
    /// Id.
    #[serde(deserialize_with = "de::int")]
    pub warehouse_id: i64,
    /// Name.
    #[serde(deserialize_with = "de::text")]
    pub title: String,
    /// Code.
    #[serde(deserialize_with = "de::text")]
    pub code: String,
    /// 1 for the default one.
    #[serde(deserialize_with = "de::int")]
    pub is_default: i64,
}
