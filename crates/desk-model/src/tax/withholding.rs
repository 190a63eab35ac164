//! IRS/IRC withholding at source (retenção na fonte) as dated data: CIRS art. 101 n.º 1 and CIRC art. 94.
//!
//! Who withholds is the payer (an entity with, or obliged to have, organised accounting), so an invoice to such a
//! customer shows the withholding after its total and the customer pays the total less the withholding
//! (Despacho 8632/2014 §2.2.7: withholdings are shown after the total and do not change it; SAF-T
//! `WithholdingTax`, pt-invoicing §7.3). The amount is a percentage of the income excluding VAT.
//!
//! The rates are law, so they live in [`WITHHOLDING_RATES`] with the day each took effect; a row with
//! `confirmed: false` carries a start date (or, for IRC, a value) that no cited source backs.

use super::rates::ymd;
use crate::money::Percent;
use crate::msg::Localized;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The kind of income withheld on, which picks the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithholdingKind {
    /// Category B, professional activities of the table of CIRS art. 151 (CIRS art. 101 n.º 1 a)).
    Art151Professions,
    /// Category B, intellectual or industrial property income (CIRS art. 101 n.º 1 b)).
    IntellectualProperty,
    /// Category B, other services not in the art. 151 table (CIRS art. 101 n.º 1 c)).
    OtherCategoryB,
    /// Category F, rents paid to individuals (CIRS art. 101 n.º 1 e)).
    RentsIrs,
    /// Rents paid to companies (CIRC art. 94 n.º 1 e) and n.º 4).
    RentsIrc,
}

impl WithholdingKind {
    /// Every kind, in the order a picker lists them.
    pub const ALL: [WithholdingKind; 5] = [
        WithholdingKind::Art151Professions,
        WithholdingKind::OtherCategoryB,
        WithholdingKind::IntellectualProperty,
        WithholdingKind::RentsIrs,
        WithholdingKind::RentsIrc,
    ];

    /// The SAF-T `WithholdingTaxType`: `IRS` or `IRC`.
    pub fn saft_type(self) -> &'static str {
        match self {
            WithholdingKind::RentsIrc => "IRC",
            _ => "IRS",
        }
    }

    /// What it covers, for a picker and the SAF-T `WithholdingTaxDescription`.
    pub fn name(self) -> Localized {
        match self {
            WithholdingKind::Art151Professions => Localized::new(
                "Categoria B – atividades profissionais (art. 151.º CIRS)",
                "Category B – professional activities (CIRS art. 151)",
            ),
            WithholdingKind::IntellectualProperty => Localized::new(
                "Categoria B – propriedade intelectual ou industrial",
                "Category B – intellectual or industrial property",
            ),
            WithholdingKind::OtherCategoryB => {
                Localized::new("Categoria B – outras prestações de serviços", "Category B – other services")
            }
            WithholdingKind::RentsIrs => Localized::new("Categoria F – rendas (IRS)", "Category F – rents (IRS)"),
            WithholdingKind::RentsIrc => {
                Localized::new("Rendas pagas a empresas (IRC)", "Rents paid to companies (IRC)")
            }
        }
    }
}

/// One withholding rate, in force from `from` until the next row of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithholdingRate {
    /// What it is withheld on.
    pub kind: WithholdingKind,
    /// The rate in percent.
    pub percent: Decimal,
    /// First day it applies.
    pub from: NaiveDate,
    /// True when a cited source backs both value and start date.
    pub confirmed: bool,
    /// Where the row comes from.
    pub source: &'static str,
}

const fn row(
    kind: WithholdingKind,
    tenths: u32,
    from: NaiveDate,
    confirmed: bool,
    source: &'static str,
) -> WithholdingRate {
    WithholdingRate { kind, percent: Decimal::from_parts(tenths, 0, 0, false, 1), from, confirmed, source }
}

use WithholdingKind::{Art151Professions, IntellectualProperty, OtherCategoryB, RentsIrc, RentsIrs};

const SINCE_2013: &str =
    "CIRS art. 101 n.º 1 as worded by Lei 66-B/2012 (OE2013); start date from general knowledge, UNCONFIRMED";

/// Every withholding rate row.
pub static WITHHOLDING_RATES: &[WithholdingRate] = &[
    row(Art151Professions, 250, ymd(2013, 1, 1), false, SINCE_2013),
    row(
        Art151Professions,
        230,
        ymd(2025, 1, 1),
        true,
        "CIRS art. 101 n.º 1 a) as amended by Lei 45-A/2024 (OE2025) art. 89 (occ.pt; fiscal-review #27)",
    ),
    row(IntellectualProperty, 165, ymd(2013, 1, 1), false, SINCE_2013),
    row(OtherCategoryB, 115, ymd(2013, 1, 1), false, SINCE_2013),
    row(RentsIrs, 250, ymd(2013, 1, 1), false, SINCE_2013),
    row(RentsIrc, 250, ymd(2014, 1, 1), false, "CIRC art. 94 n.º 1 e) and n.º 4; value and date UNCONFIRMED"),
];

/// The rate of `kind` in force on `date`.
pub fn withholding_rate(kind: WithholdingKind, date: NaiveDate) -> Option<Percent> {
    WITHHOLDING_RATES
        .iter()
        .filter(|r| r.kind == kind && r.from <= date)
        .max_by_key(|r| r.from)
        .map(|r| Percent(r.percent))
}

/// The rates in force on `date`, one per kind, for a picker ("23 %  Categoria B – atividades profissionais").
pub fn withholding_choices(date: NaiveDate) -> Vec<(WithholdingKind, Percent)> {
    WithholdingKind::ALL.into_iter().filter_map(|k| withholding_rate(k, date).map(|p| (k, p))).collect()
}

/// True when `percent` is some kind's rate on `date`; a rate the table does not know is allowed with a warning
/// (special cases such as non-residents exist), never refused.
pub fn is_known_rate(percent: Percent, date: NaiveDate) -> bool {
    withholding_choices(date).iter().any(|(_, p)| p.0 == percent.0)
}

/// The withholding rate a new line starts with: none unless the customer withholds (its default rate, an entity
/// with organised accounts); then the product's own rate when it has one (0 for goods, which are not
/// withheld on), else the customer's.
pub fn line_default(customer: Option<Percent>, product: Option<Percent>) -> Option<Percent> {
    customer.filter(|c| !c.0.is_zero()).map(|c| product.unwrap_or(c))
}

/// Reads a withholding rate as typed ("23", "11,5", "11.5 %"); blank is none.
pub fn parse_rate(text: &str, lang: crate::msg::Lang) -> Result<Option<Percent>, Localized> {
    let t = text.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Ok(None);
    }
    let p = crate::money::parse_number(t, lang, crate::money::NumberKind::Percent).map_err(|e| e.message())?;
    if p >= Decimal::ONE_HUNDRED {
        return Err(Localized::new(
            "A taxa de retenção tem de ser inferior a 100 %.",
            "The withholding rate must be below 100%.",
        ));
    }
    Ok(Some(Percent(p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn rule_cirs_101_art_151_professions_23_percent_since_2025() {
        assert_eq!(withholding_rate(Art151Professions, d(2024, 12, 31)), Some(Percent(dec!(25))));
        assert_eq!(withholding_rate(Art151Professions, d(2025, 1, 1)), Some(Percent(dec!(23))));
        assert_eq!(withholding_rate(Art151Professions, d(2026, 11, 29)), Some(Percent(dec!(23))));
    }

    #[test]
    fn rule_cirs_101_other_rates_in_force_in_2026() {
        let on = d(2026, 6, 1);
        assert_eq!(withholding_rate(OtherCategoryB, on), Some(Percent(dec!(11.5))));
        assert_eq!(withholding_rate(IntellectualProperty, on), Some(Percent(dec!(16.5))));
        assert_eq!(withholding_rate(RentsIrs, on), Some(Percent(dec!(25))));
        assert_eq!(withholding_rate(RentsIrc, on), Some(Percent(dec!(25))));
        assert_eq!(withholding_rate(RentsIrs, d(2012, 1, 1)), None);
        assert!(is_known_rate(Percent(dec!(23)), on));
        assert!(is_known_rate(Percent(dec!(11.50)), on));
        assert!(!is_known_rate(Percent(dec!(21.5)), on));
        assert_eq!(RentsIrc.saft_type(), "IRC");
        assert_eq!(Art151Professions.saft_type(), "IRS");
        assert_eq!(withholding_choices(on).len(), 5);
    }

    #[test]
    fn rule_withholding_defaults_per_customer_and_product() {
        let p = |v| Some(Percent(v));
        // A consumer never withholds, whatever the product says.
        assert_eq!(line_default(None, p(dec!(23))), None);
        // A business withholding 23 %: services inherit it, goods are not withheld on, a rent product has 25 %.
        assert_eq!(line_default(p(dec!(23)), None), p(dec!(23)));
        assert_eq!(line_default(p(dec!(23)), p(dec!(0))), p(dec!(0)));
        assert_eq!(line_default(p(dec!(23)), p(dec!(25))), p(dec!(25)));
        use crate::msg::Lang;
        assert_eq!(parse_rate(" 11,5 % ", Lang::Pt), Ok(p(dec!(11.5))));
        assert_eq!(parse_rate("23", Lang::En), Ok(p(dec!(23))));
        assert_eq!(parse_rate("", Lang::Pt), Ok(None));
        assert!(parse_rate("100", Lang::Pt).is_err());
        assert!(parse_rate("abc", Lang::Pt).is_err());
    }
}
