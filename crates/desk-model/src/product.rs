//! The rules a product or service must pass before it is stored, the same in the form and in the engine.

use crate::error::FieldError;
use crate::form::read_tax;
use crate::money::{parse_number, NumberKind, UnitPrice};
use crate::msg::Lang;
use crate::msg::Localized;
use crate::tax::LineTax;
use crate::text::clean;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Goods or a service (SAF-T `ProductType` P or S).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// Goods.
    #[default]
    Product,
    /// A service.
    Service,
}

impl ProductKind {
    /// The stored code, `product` or `service`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Product => "product",
            ProductKind::Service => "service",
        }
    }

    /// Reads the stored code (also `P`/`S`, `produto`/`serviço`).
    pub fn parse(s: &str) -> Option<ProductKind> {
        match crate::text::fold(s.trim()).as_str() {
            "product" | "p" | "produto" => Some(ProductKind::Product),
            "service" | "s" | "servico" => Some(ProductKind::Service),
            _ => None,
        }
    }
}

/// A product as typed in the form or on the command line: raw text, validated by the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProductInput {
    /// Reference (required, unique in the company).
    pub reference: String,
    /// Name (required).
    pub name: String,
    /// Goods or service.
    pub kind: ProductKind,
    /// Unit; blank means `un`.
    pub unit: String,
    /// Unit price excluding VAT, as typed in `lang`.
    pub price: String,
    /// Zone code (`PT`, `PT-AC`, `PT-MA`); blank means PT.
    pub tax_zone: String,
    /// `NOR`, `INT`, `RED`, or `ISE`/`OUT` with an exemption; blank means NOR.
    pub tax_code: String,
    /// Exemption reason (`M07`…) for ISE/OUT; blank otherwise.
    pub exemption: String,
    /// Category.
    pub category: String,
    /// The language numbers are typed in.
    #[serde(default)]
    pub lang: Lang,
}

/// A product input that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProduct {
    /// Reference.
    pub reference: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: ProductKind,
    /// Unit.
    pub unit: String,
    /// Price.
    pub price: UnitPrice,
    /// Tax.
    pub tax: LineTax,
    /// Category.
    pub category: Option<String>,
}

/// Checks every field of a product; all problems at once, by field.
/// `today` picks the VAT rates in force (the rate table is dated).
pub fn validate(input: &ProductInput, today: NaiveDate) -> Result<ValidProduct, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut text = |value: &str, max: usize, required: bool, field: &str, label: Localized| match clean(
        value, max, required, false,
    ) {
        Ok(v) => v,
        Err(e) => {
            errors.push(FieldError { field: field.into(), message: e.message(&label) });
            None
        }
    };
    let reference = text(&input.reference, 60, true, "reference", Localized::new("Referência", "Reference"));
    let name = text(&input.name, 200, true, "name", Localized::new("Nome", "Name"));
    let unit = text(&input.unit, 20, false, "unit", Localized::new("Unidade", "Unit")).unwrap_or_else(|| "un".into());
    let category = text(&input.category, 60, false, "category", Localized::new("Categoria", "Category"));
    let price = match parse_number(&input.price, input.lang, NumberKind::UnitPrice) {
        Ok(p) => Some(UnitPrice(p)),
        Err(e) => {
            errors.push(FieldError { field: "price".into(), message: e.message() });
            None
        }
    };
    let tax = match read_tax(&input.tax_zone, &input.tax_code, &input.exemption) {
        Ok(t) => match t.resolve(today) {
            Ok(_) => Some(t),
            Err(e) => {
                errors.push(FieldError { field: "tax".into(), message: e.message() });
                None
            }
        },
        Err(m) => {
            errors.push(FieldError { field: "tax".into(), message: m });
            None
        }
    };
    match (reference, name, price, tax) {
        (Some(reference), Some(name), Some(price), Some(tax)) if errors.is_empty() => {
            Ok(ValidProduct { reference, name, kind: input.kind, unit, price, tax, category })
        }
        _ => Err(errors),
    }
}
