//! Document totals the Portuguese way, by either of Moloni's two methods (`document_calc_method`,
//! pt-invoicing §5.1 [MOLONI-ROUND]); the company picks one ([`RoundingMethod`]).
//!
//! Per line: base = quantity × unit price × (1 − line discount) × (1 − global discount), unrounded.
//! - Per document (Moloni's default, "arredondamento ao documento"): per rate (zone, code, percentage,
//!   exemption) base = round(Σ bases), VAT = round(Σ bases × rate), gross = round(Σ quantity × price).
//! - Per line ("arredondamento à linha"): each line's gross and base are rounded to cents, its VAT is
//!   round(rounded base × rate); per rate the rounded figures are summed.
//!
//! Document: net = Σ rounded bases, discounts = gross − net, VAT = Σ rounded VAT, total = net + VAT (SAF-T
//! GrossTotal). Summing rounded per-rate figures keeps every printed column adding up, keeps discounts ≥ 0,
//! and gives the QR code and the VAT summary the same numbers as the totals.
//!
//! Withholding (retenção na fonte, CIRS art. 101) comes after the total and does not change it (Despacho
//! 8632/2014 §2.2.7): per withholding rate, amount = round(base × rate) on that rate's lines' taxable base
//! (as the method sums it, VAT excluded); payable = total − withholding.

use super::draft::{DraftDocument, DraftLine};
use crate::money::{round_dp, Money, Percent};
use crate::msg::Localized;
use crate::tax::{ResolvedTax, TaxError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a document's VAT is rounded: Moloni's `document_calc_method`, a company setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMethod {
    /// "Arredondamento ao documento": VAT once per rate on the sum of unrounded bases (Moloni's default).
    #[default]
    Document,
    /// "Arredondamento à linha": each line rounded to cents and taxed, the rounded figures summed.
    Line,
}

impl RoundingMethod {
    /// The stored code (the serde name): `document`, `line`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundingMethod::Document => "document",
            RoundingMethod::Line => "line",
        }
    }

    /// Reads a stored or typed code.
    pub fn parse(s: &str) -> Option<RoundingMethod> {
        match s.trim().to_ascii_lowercase().as_str() {
            "document" => Some(RoundingMethod::Document),
            "line" => Some(RoundingMethod::Line),
            _ => None,
        }
    }

    /// The method's name, as the company settings show it.
    pub fn name(self) -> Localized {
        match self {
            RoundingMethod::Document => Localized::new("Arredondamento ao documento", "Rounded per document"),
            RoundingMethod::Line => Localized::new("Arredondamento à linha", "Rounded per line"),
        }
    }
}

/// The withholding at one rate: the taxable base of its lines and the amount withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithholdingRow {
    /// The rate.
    pub percent: Percent,
    /// The taxable base (VAT excluded) of the lines withheld at this rate, rounded.
    pub base: Money,
    /// The amount withheld, rounded.
    pub amount: Money,
}

/// The amounts of one line, unrounded except [`LineAmounts::amount`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    /// Quantity × unit price.
    pub gross: Decimal,
    /// After the line's own discount: what the line's amount column shows.
    pub after_line_discount: Decimal,
    /// After the global discount too: the taxable base.
    pub base: Decimal,
    /// `after_line_discount` rounded to cents, as printed.
    pub amount: Money,
    /// The line's tax with its percentage.
    pub tax: ResolvedTax,
}

/// One row of the VAT summary: per zone, code, percentage and exemption reason. The printed summary, the
/// QR fields I/J/K and the totals all come from these rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatSummaryRow {
    /// Zone, code, percentage, exemption reason.
    pub tax: ResolvedTax,
    /// Quantity × price of its lines, before discounts, rounded.
    pub gross: Money,
    /// Taxable base, rounded.
    pub base: Money,
    /// VAT on the unrounded base, rounded.
    pub vat: Money,
}

/// A document's totals, all in whole cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Before any discount.
    pub gross: Money,
    /// Line and global discounts together (gross − net).
    pub discounts: Money,
    /// Taxable total: the sum of the rounded per-rate bases.
    pub net: Money,
    /// VAT: the sum of the rounded per-rate VAT.
    pub vat: Money,
    /// Net + VAT: SAF-T's GrossTotal, QR field O.
    pub total: Money,
    /// IRS/IRC withheld, shown after the total: QR field P, SAF-T `WithholdingTaxAmount`.
    #[serde(default)]
    pub withholding: Money,
    /// What the customer pays: total − withholding. Open balances and the paid state are measured on it.
    #[serde(default)]
    pub payable: Money,
    /// The withholding per rate, in rate order.
    #[serde(default)]
    pub withholding_rows: Vec<WithholdingRow>,
    /// Per-rate rows, in QR order: zone, then ISE, RED, INT, NOR, OUT.
    pub summary: Vec<VatSummaryRow>,
    /// Per-line amounts, in line order.
    pub lines: Vec<LineAmounts>,
}

/// Why totals cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotalsError {
    /// A line's tax is unusable.
    #[error("line {line}: {error}")]
    Tax {
        /// The line's index (0-based).
        line: usize,
        /// What is wrong.
        error: TaxError,
    },
    /// Amounts beyond what any document can hold (only reachable with unvalidated input).
    #[error("amounts too large")]
    Overflow,
}

impl TotalsError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        match self {
            TotalsError::Tax { line, error } => {
                let m = error.message();
                Localized::new(format!("Linha {}: {}", line + 1, m.pt), format!("Line {}: {}", line + 1, m.en))
            }
            TotalsError::Overflow => Localized::new(
                "Valores demasiado grandes para calcular os totais. Verifique quantidades e preços.",
                "Amounts too large to total. Check the quantities and prices.",
            ),
        }
    }
}

fn line_amounts(line: &DraftLine, global_remainder: Decimal, tax: ResolvedTax) -> Option<LineAmounts> {
    let gross = line.quantity.0.checked_mul(line.unit_price.0)?;
    let after_line_discount = gross.checked_mul(line.discount.remainder())?;
    let base = after_line_discount.checked_mul(global_remainder)?;
    Some(LineAmounts { gross, after_line_discount, base, amount: Money(round_dp(after_line_discount, 2)), tax })
}

/// Computes the totals of a draft by the per-document method (Moloni's default). Needs every line's tax to be
/// usable; nothing else is checked here.
pub fn compute(draft: &DraftDocument) -> Result<Totals, TotalsError> {
    compute_with(draft, RoundingMethod::Document)
}

/// Computes the totals of a draft by the company's rounding method.
pub fn compute_with(draft: &DraftDocument, method: RoundingMethod) -> Result<Totals, TotalsError> {
    let global_remainder = draft.global_discount.remainder();
    let tax_date = draft.tax_date();
    let mut lines = Vec::with_capacity(draft.lines.len());
    for (i, line) in draft.lines.iter().enumerate() {
        let tax = line.tax.resolve(tax_date).map_err(|error| TotalsError::Tax { line: i, error })?;
        lines.push(line_amounts(line, global_remainder, tax).ok_or(TotalsError::Overflow)?);
    }
    let summary = summarise(&lines, method).ok_or(TotalsError::Overflow)?;
    let withholding = withhold(draft, &lines, method).ok_or(TotalsError::Overflow)?;
    Ok(Totals::from_parts(summary, withholding, lines))
}

/// A line's gross and base as the method sums them: unrounded per document, in cents per line.
fn as_summed(value: Decimal, method: RoundingMethod) -> Decimal {
    match method {
        RoundingMethod::Document => value,
        RoundingMethod::Line => round_dp(value, 2),
    }
}

/// Groups the lines per rate and charges VAT by the method, rounded to cents.
fn summarise(lines: &[LineAmounts], method: RoundingMethod) -> Option<Vec<VatSummaryRow>> {
    // (gross, base, VAT of rounded lines) per rate.
    let mut groups: BTreeMap<&ResolvedTax, (Decimal, Decimal, Decimal)> = BTreeMap::new();
    // Σ|gross| + Σ|base|, doubled, bounds every sum the totals make: if it fits, none of them overflows.
    let mut bound = Decimal::ZERO;
    for l in lines {
        bound = bound.checked_add(l.gross.abs())?.checked_add(l.base.abs())?;
        let (gross, base, line_vat) = groups.entry(&l.tax).or_insert((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
        let b = as_summed(l.base, method);
        *gross = gross.checked_add(as_summed(l.gross, method))?;
        *base = base.checked_add(b)?;
        if method == RoundingMethod::Line {
            *line_vat = line_vat.checked_add(round_dp(b.checked_mul(l.tax.percent.fraction())?, 2))?;
        }
    }
    bound.checked_mul(Decimal::TWO)?;
    groups
        .into_iter()
        .map(|(tax, (gross, base, line_vat))| {
            let vat = match method {
                RoundingMethod::Document => base.checked_mul(tax.percent.fraction())?,
                RoundingMethod::Line => line_vat,
            };
            Some(VatSummaryRow {
                tax: tax.clone(),
                gross: Money(round_dp(gross, 2)),
                base: Money(round_dp(base, 2)),
                vat: Money(round_dp(vat, 2)),
            })
        })
        .collect()
}

/// The withholding per rate: the lines' bases summed as the method sums them, times the rate, rounded once.
fn withhold(draft: &DraftDocument, lines: &[LineAmounts], method: RoundingMethod) -> Option<Vec<WithholdingRow>> {
    let mut groups: BTreeMap<Percent, Decimal> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(p) = draft.line_withholding(i) {
            let base = groups.entry(p).or_insert(Decimal::ZERO);
            *base = base.checked_add(as_summed(l.base, method))?;
        }
    }
    groups
        .into_iter()
        .map(|(percent, base)| {
            let amount = base.checked_mul(percent.fraction())?;
            Some(WithholdingRow { percent, base: Money(round_dp(base, 2)), amount: Money(round_dp(amount, 2)) })
        })
        .collect()
}

impl Totals {
    /// The document totals from its per-rate rows (and its lines, kept for printing), without withholding.
    pub fn from_summary(summary: Vec<VatSummaryRow>, lines: Vec<LineAmounts>) -> Totals {
        Totals::from_parts(summary, Vec::new(), lines)
    }

    /// The document totals from its per-rate VAT rows, its withholding rows and its lines.
    pub fn from_parts(
        summary: Vec<VatSummaryRow>,
        withholding_rows: Vec<WithholdingRow>,
        lines: Vec<LineAmounts>,
    ) -> Totals {
        let gross: Money = summary.iter().map(|r| r.gross).sum();
        let net: Money = summary.iter().map(|r| r.base).sum();
        let vat: Money = summary.iter().map(|r| r.vat).sum();
        let withholding: Money = withholding_rows.iter().map(|r| r.amount).sum();
        let total = net + vat;
        Totals {
            gross,
            discounts: gross - net,
            net,
            vat,
            total,
            withholding,
            payable: total - withholding,
            withholding_rows,
            summary,
            lines,
        }
    }

    /// The running total of the printed line amounts after each line, for "a transportar" on multi-page
    /// documents: element `i` is the sum of lines `0..=i` (after line discounts, before the global discount),
    /// summed unrounded and rounded to cents.
    pub fn running_amounts(&self) -> Vec<Money> {
        let mut sum = Decimal::ZERO;
        self.lines
            .iter()
            .map(|l| {
                sum = sum.saturating_add(l.after_line_discount);
                Money(round_dp(sum, 2))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::kind::DocType;
    use crate::money::{Percent, Quantity, UnitPrice};
    use crate::tax::{ExemptionCode, FiscalZone, LineTax, RateClass};
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    fn line(qty: Decimal, price: Decimal, tax: LineTax) -> DraftLine {
        DraftLine {
            description: "Artigo".into(),
            quantity: Quantity(qty),
            unit_price: UnitPrice(price),
            discount: Percent::ZERO,
            tax,
            withholding: None,
        }
    }
    fn nor() -> LineTax {
        LineTax::rate(FiscalZone::Pt, RateClass::Normal)
    }
    fn draft(lines: Vec<DraftLine>) -> DraftDocument {
        let mut d = DraftDocument::new(DocType::Ft, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default());
        d.lines = lines;
        d
    }
    fn money(d: Decimal) -> Money {
        Money(d)
    }

    #[test]
    fn three_lines_of_2_37_at_23_percent() {
        // pt-invoicing §5.1, from Moloni's own page: document method 7.11 × 0.23 = 1.6353 → 1.64, total 8.75.
        let t = compute(&draft(vec![line(dec!(1), dec!(2.37), nor()); 3])).expect("totals");
        assert_eq!((t.net, t.vat, t.total), (money(dec!(7.11)), money(dec!(1.64)), money(dec!(8.75))));
    }

    #[test]
    fn simplified_invoice_specimen() {
        // AT's FS specimen: 0.65 × 23 % = 0.1495 → 0.15, total 0.80.
        let t = compute(&draft(vec![line(dec!(1), dec!(0.65), nor())])).expect("totals");
        assert_eq!((t.net, t.vat, t.total), (money(dec!(0.65)), money(dec!(0.15)), money(dec!(0.80))));
    }

    #[test]
    fn illustrative_ft_with_two_rates() {
        // pt-invoicing §4.7: 6 % on 100.00 and 23 % on 250.00 → VAT 63.50, total 413.50.
        let red = LineTax::rate(FiscalZone::Pt, RateClass::Reduced);
        let t = compute(&draft(vec![line(dec!(1), dec!(250), nor()), line(dec!(4), dec!(25), red)])).expect("totals");
        assert_eq!((t.net, t.vat, t.total), (money(dec!(350)), money(dec!(63.5)), money(dec!(413.5))));
        let rows: Vec<_> = t.summary.iter().map(|r| (r.tax.percent.0, r.base.0, r.vat.0)).collect();
        assert_eq!(rows, vec![(dec!(6), dec!(100), dec!(6)), (dec!(23), dec!(250), dec!(57.5))]);
    }

    #[test]
    fn discounts_apply_line_then_global_and_stay_unrounded() {
        // Moloni's first recorded invoice: 67.00 gross, 20 % discount → 53.60, VAT 12.33, total 65.93.
        let mut d = draft(vec![line(dec!(2), dec!(33.5), nor())]);
        d.global_discount = Percent(dec!(20));
        let t = compute(&d).expect("totals");
        assert_eq!(
            (t.gross, t.discounts, t.net, t.vat, t.total),
            (money(dec!(67)), money(dec!(13.4)), money(dec!(53.6)), money(dec!(12.33)), money(dec!(65.93)))
        );
        // 3 × 0.333333 at 10 % off each line and 10 % global: base 0.80999919, VAT 23 % 0.1862998… → 0.19.
        let mut l = line(dec!(3), dec!(0.333333), nor());
        l.discount = Percent(dec!(10));
        let mut d = draft(vec![l]);
        d.global_discount = Percent(dec!(10));
        let t = compute(&d).expect("totals");
        assert_eq!(t.lines[0].base, dec!(0.80999919));
        assert_eq!(t.lines[0].amount, money(dec!(0.90)));
        assert_eq!(
            (t.net, t.vat, t.gross, t.discounts),
            (money(dec!(0.81)), money(dec!(0.19)), money(dec!(1)), money(dec!(0.19)))
        );
    }

    #[test]
    fn exempt_lines_have_their_own_rows() {
        let m07 = ExemptionCode::parse("M07").map(|c| LineTax::exempt(FiscalZone::Pt, c));
        let m16 = ExemptionCode::parse("M16").map(|c| LineTax::exempt(FiscalZone::Pt, c));
        let (Some(m07), Some(m16)) = (m07, m16) else { panic!("codes") };
        let t = compute(&draft(vec![
            line(dec!(1), dec!(10), m16),
            line(dec!(1), dec!(5), m07),
            line(dec!(1), dec!(1), nor()),
        ]))
        .expect("totals");
        let codes: Vec<_> = t.summary.iter().map(|r| r.tax.exemption.as_ref().map(|c| c.to_string())).collect();
        assert_eq!(codes, vec![Some("M07".into()), Some("M16".into()), None]);
        assert_eq!((t.net, t.vat, t.total), (money(dec!(16)), money(dec!(0.23)), money(dec!(16.23))));
    }

    #[test]
    fn a_bad_tax_names_its_line() {
        let bad = LineTax { exemption: None, ..LineTax::rate(FiscalZone::Pt, RateClass::Normal) };
        let zero = LineTax { code: crate::tax::TaxCode::Ise, ..bad.clone() };
        let err = compute(&draft(vec![line(dec!(1), dec!(1), bad), line(dec!(1), dec!(1), zero)]));
        assert_eq!(err, Err(TotalsError::Tax { line: 1, error: TaxError::MissingExemption }));
    }

    #[test]
    fn absurd_input_is_an_error_not_a_panic() {
        let huge = Decimal::MAX;
        assert_eq!(compute(&draft(vec![line(huge, huge, nor())])), Err(TotalsError::Overflow));
        assert_eq!(
            compute(&draft(vec![line(dec!(1), huge, nor()), line(dec!(1), huge, nor())])),
            Err(TotalsError::Overflow)
        );
        let red = LineTax::rate(FiscalZone::Pt, RateClass::Reduced);
        let half = huge / dec!(2);
        assert_eq!(
            compute(&draft(vec![line(dec!(1), half, nor()), line(dec!(1), half, red)])),
            Err(TotalsError::Overflow)
        );
    }

    #[test]
    fn running_amounts_add_up_the_lines() {
        let t = compute(&draft(vec![line(dec!(1), dec!(2.37), nor()); 3])).expect("totals");
        let r: Vec<_> = t.running_amounts().into_iter().map(|m| m.0).collect();
        assert_eq!(r, vec![dec!(2.37), dec!(4.74), dec!(7.11)]);
    }

    #[test]
    fn rule_moloni_line_rounding_gives_8_76_where_document_gives_8_75() {
        // pt-invoicing §5.1 [MOLONI-ROUND]: three lines of 2.37 at 23 %.
        // Per document: 7.11 × 0.23 = 1.6353 → 1.64, total 8.75. Per line: 2.37 × 0.23 = 0.5451 → 0.55, × 3 = 1.65,
        // total 8.76.
        let d = draft(vec![line(dec!(1), dec!(2.37), nor()); 3]);
        let t = compute_with(&d, RoundingMethod::Document).expect("totals");
        assert_eq!((t.net, t.vat, t.total), (money(dec!(7.11)), money(dec!(1.64)), money(dec!(8.75))));
        let t = compute_with(&d, RoundingMethod::Line).expect("totals");
        assert_eq!((t.net, t.vat, t.total), (money(dec!(7.11)), money(dec!(1.65)), money(dec!(8.76))));
        assert_eq!(t.summary[0].vat, money(dec!(1.65)));
    }

    #[test]
    fn rule_line_rounding_rounds_each_base_before_summing() {
        // Two lines of 0.125 at 23 %. Per document: base 0.25, VAT 0.0575 → 0.06, total 0.31.
        // Per line: each base 0.125 → 0.13 (half away from zero), VAT 0.13 × 0.23 = 0.0299 → 0.03 each:
        // base 0.26, VAT 0.06, total 0.32; gross is summed the same way, so there is no phantom discount.
        let d = draft(vec![line(dec!(1), dec!(0.125), nor()); 2]);
        let t = compute_with(&d, RoundingMethod::Document).expect("totals");
        assert_eq!(
            (t.net, t.vat, t.total, t.discounts),
            (money(dec!(0.25)), money(dec!(0.06)), money(dec!(0.31)), Money::ZERO)
        );
        let t = compute_with(&d, RoundingMethod::Line).expect("totals");
        assert_eq!(
            (t.net, t.vat, t.total, t.discounts),
            (money(dec!(0.26)), money(dec!(0.06)), money(dec!(0.32)), Money::ZERO)
        );
    }

    #[test]
    fn rule_cirs_101_withholding_after_the_total_on_the_base_without_vat() {
        // A freelancer (art. 151 table, 23 % since 2025) bills 8 h × 62.50 = 500.00 of consultancy and recharges
        // 45.00 of travel, which is not withheld on (line rate 0). VAT 23 % on 545.00 = 125.35; total 670.35.
        // Withholding 23 % × 500.00 = 115.00, shown after the total; the customer pays 670.35 − 115.00 = 555.35.
        let mut d = draft(vec![line(dec!(8), dec!(62.5), nor()), line(dec!(1), dec!(45), nor())]);
        d.withholding = Some(Percent(dec!(23)));
        d.lines[1].withholding = Some(Percent::ZERO);
        let t = compute(&d).expect("totals");
        assert_eq!((t.net, t.vat, t.total), (money(dec!(545)), money(dec!(125.35)), money(dec!(670.35))));
        assert_eq!((t.withholding, t.payable), (money(dec!(115)), money(dec!(555.35))));
        assert_eq!(
            t.withholding_rows,
            vec![WithholdingRow { percent: Percent(dec!(23)), base: money(dec!(500)), amount: money(dec!(115)) }]
        );
        // 11.5 % (other category B services) on 333.33: 38.33295 → 38.33. VAT 76.6659 → 76.67, total 410.00,
        // payable 371.67.
        let mut d = draft(vec![line(dec!(1), dec!(333.33), nor())]);
        d.withholding = Some(Percent(dec!(11.5)));
        let t = compute(&d).expect("totals");
        assert_eq!(
            (t.vat, t.total, t.withholding, t.payable),
            (money(dec!(76.67)), money(dec!(410)), money(dec!(38.33)), money(dec!(371.67)))
        );
        // Without withholding the amount payable is the total.
        let t = compute(&draft(vec![line(dec!(1), dec!(10), nor())])).expect("totals");
        assert_eq!((t.withholding, t.payable, t.withholding_rows.len()), (Money::ZERO, money(dec!(12.3)), 0));
    }

    #[test]
    fn rule_withholding_per_line_rates_are_grouped() {
        // Line 1: 1,000.00 of rent (category F, 25 %) exempt M07; line 2: 200.00 of services at 11.5 %.
        // Rows: 11.5 % × 200 = 23.00 and 25 % × 1,000 = 250.00; VAT 23 % × 200 = 46.00; total 1,246.00;
        // payable 1,246.00 − 273.00 = 973.00.
        let m07 = ExemptionCode::parse("M07").map(|c| LineTax::exempt(FiscalZone::Pt, c)).expect("M07");
        let mut d = draft(vec![line(dec!(1), dec!(1000), m07), line(dec!(1), dec!(200), nor())]);
        d.lines[0].withholding = Some(Percent(dec!(25)));
        d.lines[1].withholding = Some(Percent(dec!(11.5)));
        for method in [RoundingMethod::Document, RoundingMethod::Line] {
            let t = compute_with(&d, method).expect("totals");
            let rows: Vec<_> = t.withholding_rows.iter().map(|r| (r.percent.0, r.base.0, r.amount.0)).collect();
            assert_eq!(rows, vec![(dec!(11.5), dec!(200), dec!(23)), (dec!(25), dec!(1000), dec!(250))]);
            assert_eq!((t.total, t.withholding, t.payable), (money(dec!(1246)), money(dec!(273)), money(dec!(973))));
        }
    }
}
