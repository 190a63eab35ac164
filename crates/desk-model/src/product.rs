//! The rules a product or service must pass before it is stored, the same in the form and in the engine.

use crate::error::FieldError;
use crate::form::read_tax;
use crate::money::{parse_number, NumberKind, Percent, UnitPrice};
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
    /// The IRS/IRC withholding rate in % a line of this product starts with when the customer withholds ("0"
    /// for none); blank: the customer's rate for a service, none for goods.
    #[serde(default)]
    pub withholding: String,
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
    /// Its withholding rate, if it has its own.
    pub withholding: Option<Percent>,
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
    let withholding = match crate::tax::withholding::parse_rate(&input.withholding, input.lang) {
        // Goods are not income withheld on (CIRS art. 101 covers services and rents).
        Ok(Some(p)) if !p.0.is_zero() && input.kind == ProductKind::Product => {
            errors.push(FieldError {
                field: "withholding".into(),
                message: Localized::new(
                    "Não há retenção na fonte sobre bens: deixe em branco ou 0, ou marque o produto como serviço.",
                    "Goods are not withheld on: leave it blank or 0, or make the product a service.",
                ),
            });
            None
        }
        Ok(p) => p,
        Err(m) => {
            errors.push(FieldError { field: "withholding".into(), message: m });
            None
        }
    };
    match (reference, name, price, tax) {
        (Some(reference), Some(name), Some(price), Some(tax)) if errors.is_empty() => {
            Ok(ValidProduct { reference, name, kind: input.kind, unit, price, tax, category, withholding })
        }
        _ => Err(errors),
    }
}

/// The withholding rate a line picked from `product` starts with: its own, else none for goods (`Some(0)`, so a
/// document's rate never withholds on goods), else the document's (`None`).
pub fn line_withholding(product: &crate::ipc::Product) -> Option<Percent> {
    product.withholding_rate.or((product.kind == ProductKind::Product).then_some(Percent::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn service(withholding: &str, lang: Lang) -> ProductInput {
        ProductInput {
            reference: "AVENÇA".into(),
            name: "Avença mensal".into(),
            kind: ProductKind::Service,
            price: "150".into(),
            tax_code: "NOR".into(),
            withholding: withholding.into(),
            lang,
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
    }

    /// CIRS art. 101: a service may carry its own withholding rate (11,5 % typed the Portuguese way); goods are
    /// never withheld on, so a rate on goods is refused with what to do.
    #[test]
    fn rule_cirs_101_a_service_has_its_own_withholding_and_goods_none() {
        let v = validate(&service("11,5", Lang::Pt), today()).expect("valid");
        assert_eq!(v.withholding, Some(Percent(dec!(11.5))));
        assert_eq!(validate(&service("", Lang::Pt), today()).expect("valid").withholding, None);
        let goods = ProductInput { kind: ProductKind::Product, ..service("23", Lang::En) };
        let errors = validate(&goods, today()).expect_err("goods are not withheld on");
        assert!(errors.iter().any(|e| e.field == "withholding" && e.message.pt.contains("bens")), "{errors:?}");
        let zero = ProductInput { kind: ProductKind::Product, ..service("0", Lang::En) };
        assert_eq!(validate(&zero, today()).expect("0 is fine").withholding, Some(Percent::ZERO));
    }

    /// A line picked from a product starts with its rate; goods without one withhold nothing; a service without
    /// one takes the document's.
    #[test]
    fn a_line_from_a_product_starts_with_its_withholding() {
        let product = |kind, rate| crate::ipc::Product {
            id: uuid::Uuid::nil(),
            company_id: uuid::Uuid::nil(),
            reference: "R".into(),
            name: "N".into(),
            kind,
            unit: "un".into(),
            price: UnitPrice(dec!(1)),
            tax: crate::tax::LineTax {
                zone: crate::tax::FiscalZone::Pt,
                code: crate::tax::TaxCode::Nor,
                exemption: None,
            },
            category: None,
            withholding_rate: rate,
            archived: false,
            created_at: chrono::DateTime::<chrono::Utc>::default(),
            updated_at: chrono::DateTime::<chrono::Utc>::default(),
        };
        assert_eq!(line_withholding(&product(ProductKind::Product, None)), Some(Percent::ZERO));
        assert_eq!(line_withholding(&product(ProductKind::Service, None)), None);
        assert_eq!(line_withholding(&product(ProductKind::Service, Some(Percent(dec!(25))))), Some(Percent(dec!(25))));
    }
}
