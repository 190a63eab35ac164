//! Credit notes bounded by their invoice (Despacho 8632/2014 §3.3.7, pt-invoicing §3.2): across all the notes
//! of one invoice, no item is credited in a larger quantity than invoiced, and no VAT rate's base, no VAT and
//! no total is credited beyond the invoice's; a note is dated on or after its invoice.
//!
//! Items are matched by description and tax (a note's lines are copies of the invoice's, [`super::convert`]);
//! values are compared per item (taxable value after discounts), per VAT rate, for the VAT and the total, on
//! the totals each document prints, so the cap is exact to the cent.
//! Quantities are summed over every note, as the rule says; a price correction re-credits units a later
//! return credits again, so a return after a price correction must be made on a note for the remaining value.

use super::draft::{DraftDocument, DraftLine};
use super::totals::{compute_with, RoundingMethod, TotalsError};
use crate::money::{format_money, format_quantity, Money};
use crate::msg::{Lang, Localized};
use crate::tax::LineTax;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Why a credit note cannot be issued against its invoice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditError {
    /// A line whose item (description and tax) is not on the invoice.
    #[error("line {line}: not on the invoice")]
    NotOnInvoice {
        /// The note's line (0-based).
        line: usize,
    },
    /// More of an item than remains to credit.
    #[error("line {line}: at most {remaining} left to credit")]
    QuantityExceeded {
        /// The note's line (0-based), the first of its item.
        line: usize,
        /// What the invoice and earlier notes leave.
        remaining: Decimal,
    },
    /// More base at a VAT rate, more VAT, or a larger total than remains to credit.
    #[error("more than the {remaining:?} left to credit")]
    ValueExceeded {
        /// What the invoice and earlier notes leave (of the total, VAT or that rate's base).
        remaining: Money,
    },
    /// Dated before the invoice.
    #[error("dated before the invoice")]
    BeforeInvoice,
    /// Totals cannot be computed (an unusable tax): fix the lines first.
    #[error("{0}")]
    Totals(TotalsError),
}

impl CreditError {
    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            CreditError::NotOnInvoice { line } => Localized::new(
                format!("Linha {}: o artigo não consta da fatura corrigida (mesma descrição e IVA).", line + 1),
                format!("Line {}: the item is not on the corrected invoice (same description and VAT).", line + 1),
            ),
            CreditError::QuantityExceeded { line, remaining } => Localized::new(
                format!(
                    "Linha {}: só falta creditar {} deste artigo (fatura menos notas anteriores).",
                    line + 1,
                    format_quantity(crate::money::Quantity(*remaining), Lang::Pt)
                ),
                format!(
                    "Line {}: only {} of this item is left to credit (invoice less earlier notes).",
                    line + 1,
                    format_quantity(crate::money::Quantity(*remaining), Lang::En)
                ),
            ),
            CreditError::ValueExceeded { remaining } => Localized::new(
                format!(
                    "Não pode creditar mais do que a fatura: faltam creditar {}.",
                    format_money(*remaining, Lang::Pt)
                ),
                format!("You cannot credit more than the invoice: {} is left.", format_money(*remaining, Lang::En)),
            ),
            CreditError::BeforeInvoice => Localized::new(
                "A nota de crédito não pode ter data anterior à da fatura.",
                "The credit note cannot be dated before the invoice.",
            ),
            CreditError::Totals(e) => e.message(),
        }
    }
}

/// An item: what the line sells, as the invoice and its notes name it.
fn item(line: &DraftLine) -> (String, LineTax) {
    (crate::text::fold(line.description.trim()), line.tax.clone())
}

/// Checks a credit note against its invoice and the notes already issued against it (cancelled notes left
/// out by the caller). Every problem at once; empty when the note may be issued.
pub fn check_credit(
    invoice: &DraftDocument,
    earlier_notes: &[DraftDocument],
    note: &DraftDocument,
    method: RoundingMethod,
) -> Vec<CreditError> {
    let mut out = Vec::new();
    if note.date < invoice.date {
        out.push(CreditError::BeforeInvoice);
    }
    let mut invoiced: BTreeMap<(String, LineTax), Decimal> = BTreeMap::new();
    for l in &invoice.lines {
        *invoiced.entry(item(l)).or_default() += l.quantity.0;
    }
    for n in earlier_notes {
        for l in &n.lines {
            if let Some(q) = invoiced.get_mut(&item(l)) {
                *q -= l.quantity.0;
            }
        }
    }
    let mut this_note: BTreeMap<(String, LineTax), (usize, Decimal)> = BTreeMap::new();
    for (i, l) in note.lines.iter().enumerate() {
        let key = item(l);
        if !invoiced.contains_key(&key) {
            out.push(CreditError::NotOnInvoice { line: i });
            continue;
        }
        this_note.entry(key).or_insert((i, Decimal::ZERO)).1 += l.quantity.0;
    }
    for (key, (line, q)) in this_note {
        let remaining = invoiced.get(&key).copied().unwrap_or_default().max(Decimal::ZERO);
        if q > remaining {
            out.push(CreditError::QuantityExceeded { line, remaining });
        }
    }
    let totals = |d: &DraftDocument| compute_with(d, method);
    let (inv, this) = match (totals(invoice), totals(note)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            out.push(CreditError::Totals(e));
            return out;
        }
    };
    let mut left_total = inv.total;
    let mut left_vat = inv.vat;
    let mut left_base: BTreeMap<_, Money> = inv.summary.iter().map(|r| (r.tax.clone(), r.base)).collect();
    for n in earlier_notes {
        match totals(n) {
            Ok(t) => {
                left_total -= t.total;
                left_vat -= t.vat;
                for r in &t.summary {
                    if let Some(b) = left_base.get_mut(&r.tax) {
                        *b -= r.base;
                    }
                }
            }
            Err(e) => out.push(CreditError::Totals(e)),
        }
    }
    let clamp = |m: Money| if m.is_negative() { Money::ZERO } else { m };
    let mut value_problem = None;
    // Per item: the taxable value (after discounts) left, so a dearer price cannot hide in another item's value.
    let mut item_left: BTreeMap<(String, LineTax), Decimal> = BTreeMap::new();
    for (l, a) in invoice.lines.iter().zip(&inv.lines) {
        *item_left.entry(item(l)).or_default() += a.base;
    }
    for n in earlier_notes {
        if let Ok(t) = totals(n) {
            for (l, a) in n.lines.iter().zip(&t.lines) {
                if let Some(v) = item_left.get_mut(&item(l)) {
                    *v -= a.base;
                }
            }
        }
    }
    let mut item_note: BTreeMap<(String, LineTax), Decimal> = BTreeMap::new();
    for (l, a) in note.lines.iter().zip(&this.lines) {
        *item_note.entry(item(l)).or_default() += a.base;
    }
    for (key, v) in item_note {
        if let Some(left) = item_left.get(&key) {
            let left = clamp(Money(crate::money::round_dp(*left, 2)));
            if Money(crate::money::round_dp(v, 2)) > left {
                value_problem.get_or_insert(CreditError::ValueExceeded { remaining: left });
            }
        }
    }
    for r in &this.summary {
        let left = clamp(left_base.get(&r.tax).copied().unwrap_or(Money::ZERO));
        if r.base > left {
            value_problem.get_or_insert(CreditError::ValueExceeded { remaining: left });
        }
    }
    if this.vat > clamp(left_vat) {
        value_problem.get_or_insert(CreditError::ValueExceeded { remaining: clamp(left_vat) });
    }
    if this.total > clamp(left_total) {
        // The total is what the user thinks in: say it rather than a rate's base.
        value_problem = Some(CreditError::ValueExceeded { remaining: clamp(left_total) });
    }
    out.extend(value_problem);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{convert, DocRef, DocState, DocType};
    use crate::money::{Percent, Quantity, UnitPrice};
    use crate::tax::{FiscalZone, RateClass};
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }
    fn line(description: &str, qty: Decimal, price: Decimal) -> DraftLine {
        DraftLine {
            description: description.into(),
            quantity: Quantity(qty),
            unit_price: UnitPrice(price),
            discount: Percent::ZERO,
            tax: LineTax::rate(FiscalZone::Pt, RateClass::Normal),
            withholding: None,
        }
    }
    fn invoice() -> DraftDocument {
        // 10 × 12.00 + 2 × 50.00 = 220.00, VAT 23 % 50.60, total 270.60.
        let mut ft = DraftDocument::new(DocType::Ft, day(2));
        ft.lines = vec![line("Caixa de papel A4", dec!(10), dec!(12)), line("Toner", dec!(2), dec!(50))];
        ft
    }
    fn note(lines: Vec<DraftLine>, date: NaiveDate) -> DraftDocument {
        let ft_ref =
            DocRef { doc_type: DocType::Ft, number: "FT 2026A/5".into(), date: day(2), reason: "Devolução".into() };
        let mut nc = convert(&invoice(), ft_ref, DocState::Unpaid, DocType::Nc, date).expect("nc");
        nc.lines = lines;
        nc
    }

    #[test]
    fn rule_d8632_3_3_7_partial_notes_within_the_invoice() {
        // Return of 4 boxes (4 × 12.00 = 48.00, VAT 11.04, total 59.04), then of 6 more: exactly what is left.
        let first = note(vec![line("Caixa de papel A4", dec!(4), dec!(12))], day(5));
        assert_eq!(check_credit(&invoice(), &[], &first, RoundingMethod::Document), vec![]);
        let second = note(vec![line("caixa de papel a4 ", dec!(6), dec!(12))], day(6));
        assert_eq!(check_credit(&invoice(), std::slice::from_ref(&first), &second, RoundingMethod::Document), vec![]);
        // Seven boxes after the first four would be one more than was invoiced: 6 left, and of the paper's
        // 120.00 of value 120.00 − 48.00 = 72.00 is left, less than 7 × 12.00 = 84.00.
        let third = note(vec![line("Caixa de papel A4", dec!(7), dec!(12))], day(6));
        assert_eq!(
            check_credit(&invoice(), std::slice::from_ref(&first), &third, RoundingMethod::Document),
            vec![
                CreditError::QuantityExceeded { line: 0, remaining: dec!(6) },
                CreditError::ValueExceeded { remaining: Money(dec!(72)) }
            ]
        );
    }

    #[test]
    fn rule_d8632_3_3_7_values_across_notes_never_exceed_the_invoice() {
        // A price correction of the toner: 2 × 30.00 = 60.00 credited of the 100.00 invoiced at 23 %.
        let first = note(vec![line("Toner", dec!(2), dec!(30))], day(5));
        assert_eq!(check_credit(&invoice(), &[], &first, RoundingMethod::Document), vec![]);
        // The invoice's total is 270.60; 60.00 + 13.80 = 73.80 credited leaves 196.80. A note crediting
        // everything again (270.60) exceeds it: quantities are fine only for the paper, the toner's two units
        // are already used, and the value is over.
        let all = invoice().lines;
        let again = note(all, day(6));
        let problems = check_credit(&invoice(), std::slice::from_ref(&first), &again, RoundingMethod::Document);
        assert_eq!(
            problems,
            vec![
                CreditError::QuantityExceeded { line: 1, remaining: dec!(0) },
                CreditError::ValueExceeded { remaining: Money(dec!(196.80)) }
            ]
        );
        assert!(problems[1].message().pt.contains("196,80 €"));
    }

    #[test]
    fn rule_a_note_credits_only_what_the_invoice_sold_and_after_it() {
        let stranger = note(vec![line("Agrafador", dec!(1), dec!(5))], day(1));
        assert_eq!(
            check_credit(&invoice(), &[], &stranger, RoundingMethod::Line),
            vec![CreditError::BeforeInvoice, CreditError::NotOnInvoice { line: 0 }]
        );
        // One toner at 150.00: within the invoice's 270.60 and its 220.00 base at 23 %, but the toner itself was
        // invoiced at 2 × 50.00 = 100.00 of value, so that is what is left to credit of it.
        let dearer = note(vec![line("Toner", dec!(1), dec!(150))], day(3));
        assert_eq!(
            check_credit(&invoice(), &[], &dearer, RoundingMethod::Line),
            vec![CreditError::ValueExceeded { remaining: Money(dec!(100)) }]
        );
    }
}
