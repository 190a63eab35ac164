//! Property tests of document totals: the identities every printed total relies on, and that order,
//! discounts and credit notes behave as an accountant expects.

use chrono::NaiveDate;
use desk_model::document::{
    check_credit, compute_with, convert, open_balance, settlement_state, DocRef, DocState, DocType, DraftDocument,
    DraftLine, RoundingMethod, Totals,
};
use desk_model::money::{round_dp, Money, Percent, Quantity, UnitPrice};
use desk_model::tax::{ExemptionCode, FiscalZone, LineTax, RateClass};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

fn tax() -> impl Strategy<Value = LineTax> {
    let zone = prop_oneof![Just(FiscalZone::Pt), Just(FiscalZone::PtAc), Just(FiscalZone::PtMa)];
    let choice = prop_oneof![
        Just(Some(RateClass::Normal)),
        Just(Some(RateClass::Intermediate)),
        Just(Some(RateClass::Reduced)),
        Just(None),
    ];
    (zone, choice, prop_oneof![Just("M07"), Just("M16"), Just("M40")]).prop_map(|(zone, class, code)| match class {
        Some(class) => LineTax::rate(zone, class),
        None => match ExemptionCode::parse(code) {
            Some(c) => LineTax::exempt(zone, c),
            None => LineTax::rate(zone, RateClass::Normal),
        },
    })
}

/// No withholding, or one of the CIRS art. 101 rates (and 0 % on a line: not withheld on).
fn withholding() -> impl Strategy<Value = Option<Percent>> {
    prop_oneof![
        Just(None),
        Just(Some(Percent(Decimal::ZERO))),
        Just(Some(Percent(Decimal::new(115, 1)))),
        Just(Some(Percent(Decimal::new(165, 1)))),
        Just(Some(Percent(Decimal::new(23, 0)))),
        Just(Some(Percent(Decimal::new(25, 0)))),
    ]
}

fn method() -> impl Strategy<Value = RoundingMethod> {
    prop_oneof![Just(RoundingMethod::Document), Just(RoundingMethod::Line)]
}

fn line() -> impl Strategy<Value = DraftLine> {
    (1..=10_000_000i64, 0..=10_000_000_000i64, 0..=10_000i64, tax(), withholding()).prop_map(|(q, p, d, tax, w)| {
        DraftLine {
            description: "Artigo".into(),
            quantity: Quantity(Decimal::new(q, 3)),
            unit_price: UnitPrice(Decimal::new(p, 6)),
            discount: Percent(Decimal::new(d, 2)),
            tax,
            withholding: w,
        }
    })
}

fn draft() -> impl Strategy<Value = DraftDocument> {
    (prop::collection::vec(line(), 1..40), 0..=10_000i64, withholding()).prop_map(|(lines, g, w)| {
        let mut d = DraftDocument::new(DocType::Ft, date());
        d.lines = lines;
        d.global_discount = Percent(Decimal::new(g, 2));
        d.withholding = w;
        d
    })
}

fn totals_with(d: &DraftDocument, m: RoundingMethod) -> Result<Totals, TestCaseError> {
    compute_with(d, m).map_err(|e| TestCaseError::fail(e.to_string()))
}

fn totals(d: &DraftDocument) -> Result<Totals, TestCaseError> {
    totals_with(d, RoundingMethod::Document)
}

fn credit_note(d: &DraftDocument, lines: Vec<DraftLine>) -> Result<DraftDocument, TestCaseError> {
    let reference =
        DocRef { doc_type: DocType::Ft, number: "FT 2026A/1".into(), date: date(), reason: "Anulação".into() };
    let mut nc =
        convert(d, reference, DocState::Unpaid, DocType::Nc, date()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    nc.lines = lines;
    Ok(nc)
}

proptest! {
    #[test]
    fn the_columns_add_up(d in draft(), m in method()) {
        let t = totals_with(&d, m)?;
        prop_assert_eq!(t.total, t.net + t.vat);
        // total = net + VAT − withholding = amount payable (CIRS art. 101; D8632 §2.2.7).
        prop_assert_eq!(t.payable, t.net + t.vat - t.withholding);
        prop_assert_eq!(t.withholding, t.withholding_rows.iter().map(|r| r.amount).sum::<Money>());
        prop_assert!(t.withholding >= Money::ZERO && t.withholding <= t.net);
        for m in [t.withholding, t.payable] {
            prop_assert_eq!(m, m.cents());
        }
        prop_assert_eq!(t.gross - t.discounts, t.net);
        prop_assert!(t.discounts >= Money::ZERO);
        prop_assert_eq!(t.net, t.summary.iter().map(|r| r.base).sum::<Money>());
        prop_assert_eq!(t.vat, t.summary.iter().map(|r| r.vat).sum::<Money>());
        for m in [t.gross, t.discounts, t.net, t.vat, t.total] {
            prop_assert_eq!(m, m.cents());
        }
    }

    #[test]
    fn each_rate_is_within_half_a_cent_of_the_exact_vat(d in draft()) {
        let t = totals(&d)?;
        for row in &t.summary {
            let exact: Decimal = t.lines.iter().filter(|l| l.tax == row.tax).map(|l| l.base).sum::<Decimal>() * row.tax.percent.fraction();
            prop_assert!((row.vat.0 - exact).abs() <= Decimal::new(5, 3), "{:?}: {} vs {}", row.tax, row.vat.0, exact);
            prop_assert_eq!(row.vat.0, round_dp(exact, 2));
        }
    }

    #[test]
    fn discounts_never_raise_a_total(d in draft(), i in any::<prop::sample::Index>(), extra in 0..=10_000i64, g in 0..=10_000i64) {
        let before = totals(&d)?;
        let mut more = d.clone();
        let k = i.index(more.lines.len());
        let raised = (more.lines[k].discount.0 + Decimal::new(extra, 2)).min(Decimal::ONE_HUNDRED);
        more.lines[k].discount = Percent(raised);
        let after_line = totals(&more)?;
        prop_assert!(after_line.total <= before.total);
        prop_assert!(after_line.vat <= before.vat);
        more.global_discount = Percent(more.global_discount.0.max(Decimal::new(g, 2)));
        let after_global = totals(&more)?;
        prop_assert!(after_global.total <= after_line.total);
        prop_assert!(after_global.net <= after_line.net);
    }

    #[test]
    fn a_whole_invoice_credit_note_cancels_it_exactly(d in draft(), m in method()) {
        let invoice = totals_with(&d, m)?;
        let nc = credit_note(&d, d.lines.clone())?;
        let credit = totals_with(&nc, m)?;
        prop_assert_eq!(open_balance(invoice.total, Money::ZERO, credit.total), Money::ZERO);
        prop_assert_eq!(open_balance(invoice.payable, Money::ZERO, credit.payable), Money::ZERO);
        prop_assert_eq!(&invoice.summary, &credit.summary);
        prop_assert_eq!(&invoice.withholding_rows, &credit.withholding_rows);
        prop_assert_eq!(check_credit(&d, &[], &nc, m), vec![]);
        // Credited in full, the invoice is settled: its open balance is zero and it reads as paid.
        if invoice.payable > Money::ZERO {
            prop_assert_eq!(settlement_state(invoice.payable, credit.payable), DocState::Paid);
        }
    }

    /// Notes that pass [`check_credit`] one after another never credit more than the invoice, in total, VAT or
    /// any item's quantity.
    #[test]
    fn no_sum_of_credit_notes_exceeds_its_invoice(
        d in draft(),
        m in method(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), 1..=100u32), 1..8),
    ) {
        let invoice = totals_with(&d, m)?;
        let mut issued: Vec<DraftDocument> = Vec::new();
        for (i, pct) in cuts {
            // A note returning pct % of one line's quantity (at most 3 decimals), possibly more than is left.
            let mut l = d.lines[i.index(d.lines.len())].clone();
            let q = (l.quantity.0 * Decimal::from(pct) / Decimal::ONE_HUNDRED).round_dp(3);
            if q.is_zero() { continue; }
            l.quantity = Quantity(q);
            let nc = credit_note(&d, vec![l])?;
            if check_credit(&d, &issued, &nc, m).is_empty() {
                issued.push(nc);
            }
        }
        let mut credited = Money::ZERO;
        let mut vat = Money::ZERO;
        for nc in &issued {
            let t = totals_with(nc, m)?;
            credited += t.total;
            vat += t.vat;
        }
        prop_assert!(credited <= invoice.total, "{:?} > {:?}", credited, invoice.total);
        prop_assert!(vat <= invoice.vat);
        prop_assert!(open_balance(invoice.total, Money::ZERO, credited) >= Money::ZERO);
        for l in &d.lines {
            let sold: Decimal = d.lines.iter().filter(|x| x.description == l.description && x.tax == l.tax).map(|x| x.quantity.0).sum();
            let back: Decimal = issued.iter().flat_map(|n| &n.lines).filter(|x| x.description == l.description && x.tax == l.tax).map(|x| x.quantity.0).sum();
            prop_assert!(back <= sold);
        }
    }

    #[test]
    fn reordering_lines_changes_nothing(
        (d, shuffled) in draft().prop_flat_map(|d| { let lines = d.lines.clone(); (Just(d), Just(lines).prop_shuffle()) })
    ) {
        let t = totals(&d)?;
        let s = totals(&DraftDocument { lines: shuffled, ..d.clone() })?;
        prop_assert_eq!((t.gross, t.discounts, t.net, t.vat, t.total), (s.gross, s.discounts, s.net, s.vat, s.total));
        prop_assert_eq!(t.summary, s.summary);
    }
}
