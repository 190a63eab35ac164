//! Document totals the Portuguese way, as Moloni's default "arredondamento ao documento" computes them
//! (pt-invoicing §5.1): line bases stay unrounded, VAT is charged once per rate on the sum of its bases,
//! and only then rounded to cents.
//!
//! Per line: base = quantity × unit price × (1 − line discount) × (1 − global discount), unrounded.
//! Per rate (zone, code, percentage, exemption): base = round(Σ bases), VAT = round(Σ bases × rate).
//! Document: gross = Σ per rate round(Σ quantity × price), net = Σ rounded bases, discounts = gross − net,
//! VAT = Σ rounded VAT, total = net + VAT. Summing rounded per-rate figures keeps every printed column adding
//! up, keeps discounts ≥ 0, and gives the QR code and the VAT summary the same numbers as the totals.

use super::draft::{DraftDocument, DraftLine};
use crate::money::{round_dp, Money};
use crate::msg::Localized;
use crate::tax::{ResolvedTax, TaxError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// Computes the totals of a draft. Needs every line's tax to be usable; nothing else is checked here.
pub fn compute(draft: &DraftDocument) -> Result<Totals, TotalsError> {
    let global_remainder = draft.global_discount.remainder();
    let tax_date = draft.tax_date();
    let mut lines = Vec::with_capacity(draft.lines.len());
    for (i, line) in draft.lines.iter().enumerate() {
        let tax = line.tax.resolve(tax_date).map_err(|error| TotalsError::Tax { line: i, error })?;
        lines.push(line_amounts(line, global_remainder, tax).ok_or(TotalsError::Overflow)?);
    }
    let summary = summarise(&lines).ok_or(TotalsError::Overflow)?;
    Ok(Totals::from_summary(summary, lines))
}

/// Groups the lines per rate: sums the unrounded bases, charges VAT once per rate, rounds.
fn summarise(lines: &[LineAmounts]) -> Option<Vec<VatSummaryRow>> {
    let mut groups: BTreeMap<&ResolvedTax, (Decimal, Decimal)> = BTreeMap::new();
    // Σ|gross| + Σ|base|, doubled, bounds every sum the totals make: if it fits, none of them overflows.
    let mut bound = Decimal::ZERO;
    for l in lines {
        bound = bound.checked_add(l.gross.abs())?.checked_add(l.base.abs())?;
        let (gross, base) = groups.entry(&l.tax).or_insert((Decimal::ZERO, Decimal::ZERO));
        *gross = gross.checked_add(l.gross)?;
        *base = base.checked_add(l.base)?;
    }
    bound.checked_mul(Decimal::TWO)?;
    groups
        .into_iter()
        .map(|(tax, (gross, base))| {
            let vat = base.checked_mul(tax.percent.fraction())?;
            Some(VatSummaryRow {
                tax: tax.clone(),
                gross: Money(round_dp(gross, 2)),
                base: Money(round_dp(base, 2)),
                vat: Money(round_dp(vat, 2)),
            })
        })
        .collect()
}

impl Totals {
    /// The document totals from its per-rate rows (and its lines, kept for printing).
    pub fn from_summary(summary: Vec<VatSummaryRow>, lines: Vec<LineAmounts>) -> Totals {
        let gross: Money = summary.iter().map(|r| r.gross).sum();
        let net: Money = summary.iter().map(|r| r.base).sum();
        let vat: Money = summary.iter().map(|r| r.vat).sum();
        Totals { gross, discounts: gross - net, net, vat, total: net + vat, summary, lines }
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
}
