//! The rules a product or service must pass before it is stored, the same in the form and in the engine.

use crate::ipc::{read_tax, FieldError, ProductInput, ProductKind};
use crate::money::{parse_number, NumberKind, UnitPrice};
use crate::msg::Localized;
use crate::tax::LineTax;
use crate::text::clean;
use chrono::NaiveDate;

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
    let mut text = |value: &str, max: usize, required: bool, field: &str, label: Localized| match clean(value, max, required, false) {
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

