//! Report totals equal the sum of their documents (issue 17), a property test over generated data sets and
//! periods: sales by month, customer and product add up to the documents' stored totals; the VAT report per zone
//! and rate equals the sum of each document's VAT summary by desk-model; aged receivables add up to the open
//! balances.

use chrono::NaiveDate;
use desk_core::{documents, reports, Workspace};
use desk_model::document::compute_with;
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{DocumentQuery, DocumentSort, SalesBy};
use desk_model::money::Money;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Zone, code, exemption reason and rate.
type VatKey = (String, String, Option<String>, String);

/// Every document of the company with its lines, read one by one.
async fn all_documents(ws: &Workspace) -> Vec<desk_model::ipc::Document> {
    let mut q = DocumentQuery { limit: 500, sort: DocumentSort::DateAsc, ..Default::default() };
    let mut out = Vec::new();
    loop {
        let page = documents::list(ws, &q).await.expect("list");
        for row in &page.items {
            out.push(documents::get(ws, row.id).await.expect("get"));
        }
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    out
}

fn is_sale(d: &desk_model::ipc::Document) -> bool {
    matches!(d.doc_type, DocType::Ft | DocType::Fr | DocType::Fs | DocType::Nd | DocType::Nc)
        && matches!(d.state, DocState::Issued | DocState::Unpaid | DocState::PartiallyPaid | DocState::Paid)
}

fn signed(d: &desk_model::ipc::Document, m: Money) -> Money {
    if d.doc_type == DocType::Nc {
        Money::ZERO - m
    } else {
        m
    }
}

/// Checks every report against the documents; returns how many sales documents the period held.
async fn check(seed: u64, documents_n: usize, from_day: u32, days: u32) -> (usize, usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let spec =
        desk_core::sample::SampleSpec { customers: 15, documents: documents_n, products: 12, seed, today: Some(today) };
    desk_core::sample::generate(&ws, &spec, |_, _, _| {}).await.expect("sample");
    let start = NaiveDate::from_ymd_opt(2023, 7, 1).expect("date");
    let from = start + chrono::Duration::days(i64::from(from_day));
    let to = from + chrono::Duration::days(i64::from(days));
    let docs = all_documents(&ws).await;
    let in_period: Vec<_> = docs.iter().filter(|d| is_sale(d) && d.date >= from && d.date <= to).collect();

    let (mut net, mut total) = (Money::ZERO, Money::ZERO);
    for d in &in_period {
        net += signed(d, d.net);
        total += signed(d, d.total);
    }
    for by in [SalesBy::Month, SalesBy::Customer] {
        let r = reports::sales(&ws, from, to, by).await.expect("sales");
        assert_eq!(r.documents as usize, in_period.len(), "{by:?}");
        assert_eq!((r.net, r.total), (net, total), "{by:?}");
        assert_eq!(r.rows.iter().map(|s| s.net).sum::<Money>(), net, "{by:?} rows");
        assert_eq!(r.rows.iter().map(|s| s.total).sum::<Money>(), total, "{by:?} rows");
        assert_eq!(r.rows.iter().map(|s| s.documents).sum::<u64>() as usize, in_period.len());
    }
    let by_product = reports::sales(&ws, from, to, SalesBy::Product).await.expect("products");
    let lines: Money = in_period.iter().flat_map(|d| d.lines.iter().map(move |l| signed(d, l.amount))).sum();
    assert_eq!(by_product.net, lines, "product rows add the line amounts");

    let fiscal = ws.fiscal();
    // keyed by the rate too: a rate that changed within the period (Madeira's reduced 5 % → 4 %) is two rows
    let mut vat: BTreeMap<VatKey, (Money, Money)> = BTreeMap::new();
    for d in &in_period {
        let totals = compute_with(&d.to_draft(), fiscal.rounding).expect("totals");
        assert_eq!(totals.vat, d.vat, "the stored VAT is desk-model's");
        for s in totals.summary {
            let key = (
                s.tax.zone.code().to_string(),
                s.tax.code.as_str().to_string(),
                s.tax.exemption.map(|e| e.to_string()),
                s.tax.percent.0.normalize().to_string(),
            );
            let e = vat.entry(key).or_default();
            e.0 += signed(d, s.base);
            e.1 += signed(d, s.vat);
        }
    }
    let r = reports::vat(&ws, from, to).await.expect("vat");
    let got: BTreeMap<_, _> = r
        .rows
        .iter()
        .map(|v| {
            (
                (v.zone.clone(), v.code.clone(), v.exemption.clone(), v.percent.0.normalize().to_string()),
                (v.base, v.vat),
            )
        })
        .collect();
    assert_eq!(got.len(), r.rows.len(), "one row per zone, code, reason and rate");
    assert_eq!(got, vat, "per zone and rate");
    assert_eq!(r.vat, in_period.iter().map(|d| signed(d, d.vat)).sum::<Money>());
    assert_eq!(r.documents as usize, in_period.len());

    let aged = reports::aged(&ws, today).await.expect("aged");
    let open: Money = docs
        .iter()
        .filter(|d| matches!(d.state, DocState::Issued | DocState::Unpaid | DocState::PartiallyPaid))
        .map(|d| d.open_balance)
        .filter(|m| !m.is_zero() && !m.is_negative())
        .sum();
    assert_eq!(aged.total, open);
    assert_eq!(aged.rows.iter().map(|a| a.total).sum::<Money>(), open);
    assert_eq!(aged.buckets.iter().copied().sum::<Money>(), open);
    (in_period.len(), r.rows.len())
}

#[tokio::test]
async fn over_the_whole_data_set_every_report_has_something_to_add() {
    let (documents, vat_rows) = check(2860, 300, 0, 1100).await;
    assert!(documents > 150, "{documents}");
    assert!(vat_rows > 5, "several zones and rates: {vat_rows}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn report_totals_equal_the_sum_of_their_documents(
        seed in 1u64..1_000_000,
        documents_n in 20usize..160,
        from_day in 0u32..900,
        days in 0u32..400,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(check(seed, documents_n, from_day, days));
        // (the counts are asserted over the whole set in the test above)
    }
}
