//! Property tests of document totals: the identities every printed total relies on, and that order,
//! discounts and credit notes behave as an accountant expects.

use chrono::NaiveDate;
use desk_model::document::{
    compute, convert, open_balance, DocRef, DocState, DocType, DraftDocument, DraftLine, Totals,
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

fn line() -> impl Strategy<Value = DraftLine> {
    (1..=10_000_000i64, 0..=10_000_000_000i64, 0..=10_000i64, tax()).prop_map(|(q, p, d, tax)| DraftLine {
        description: "Artigo".into(),
        quantity: Quantity(Decimal::new(q, 3)),
        unit_price: UnitPrice(Decimal::new(p, 6)),
        discount: Percent(Decimal::new(d, 2)),
        tax,
    })
}

fn draft() -> impl Strategy<Value = DraftDocument> {
    (prop::collection::vec(line(), 1..40), 0..=10_000i64).prop_map(|(lines, g)| {
        let mut d = DraftDocument::new(DocType::Ft, date());
        d.lines = lines;
        d.global_discount = Percent(Decimal::new(g, 2));
        d
    })
}

fn totals(d: &DraftDocument) -> Result<Totals, TestCaseError> {
    compute(d).map_err(|e| TestCaseError::fail(e.to_string()))
}

proptest! {
    #[test]
    fn the_columns_add_up(d in draft()) {
        let t = totals(&d)?;
        prop_assert_eq!(t.total, t.net + t.vat);
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
    fn a_whole_invoice_credit_note_cancels_it_exactly(d in draft()) {
        let invoice = totals(&d)?;
        let reference = DocRef { doc_type: DocType::Ft, number: "FT 2026A/1".into(), date: date(), reason: "Anulação".into() };
        let nc = convert(&d, reference, DocState::Unpaid, DocType::Nc, date()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let credit = totals(&nc)?;
        prop_assert_eq!(open_balance(invoice.total, Money::ZERO, credit.total), Money::ZERO);
        prop_assert_eq!(&invoice.summary, &credit.summary);
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
