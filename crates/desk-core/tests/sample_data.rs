//! The bulk sample-data generator: what it writes obeys the same rules as what the services write.

use desk_core::sample::{self, SampleSpec};
use desk_core::{customers, dashboard, documents, Workspace};
use desk_model::document::{compute, is_overdue, open_balance, DocState, DocType};
use desk_model::ipc::{CustomerQuery, DocumentQuery, DocumentSort};
use desk_model::money::Money;

#[tokio::test]
async fn a_small_data_set_is_consistent_with_desk_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let spec = SampleSpec { customers: 300, documents: 2500, products: 60, seed: 7, today: Some(today) };
    let report = sample::generate(&ws, &spec, |_, _, _| {}).await.expect("generate");
    assert_eq!((report.customers, report.products), (300, 60));
    assert!(report.documents >= 2500 && report.documents <= 2501, "{report:?}");
    assert!(report.lines >= report.documents);

    // every NIF is valid and unique (the unique index would have refused a duplicate)
    let nifs: Vec<String> =
        sqlx::query_scalar("SELECT nif FROM customers").fetch_all(ws.store().reader()).await.expect("nifs");
    assert!(nifs.iter().all(|n| desk_model::party::Nif::parse(n).is_ok()));
    assert_eq!(
        customers::list(&ws, &CustomerQuery { text: "lda".into(), ..Default::default() }).await.expect("q").items.len(),
        50
    );

    // every document: stored totals = desk-model's totals of its stored lines; balances add up
    let mut seen = std::collections::HashSet::new();
    let mut q = DocumentQuery { limit: 500, today: Some(today), ..Default::default() };
    loop {
        let page = documents::list(&ws, &q).await.expect("page");
        for row in &page.items {
            assert!(seen.insert(row.id));
            let d = documents::get(&ws, row.id).await.expect("doc");
            let mut draft = d.to_draft();
            draft.due_date = d.due_date;
            let t = compute(&draft).expect("totals");
            assert_eq!((t.net, t.vat, t.total), (d.net, d.vat, d.total), "{}", d.number);
            assert_eq!(
                d.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
                t.lines.iter().map(|l| l.amount).collect::<Vec<_>>()
            );
            if d.state == DocState::Draft {
                assert!(d.fiscal.is_none() && d.number.starts_with("Rascunho"));
            } else {
                assert!(d.fiscal.is_some());
            }
            if d.doc_type.is_receivable() && d.state.is_issued() {
                assert_eq!(d.open_balance, open_balance(d.total, d.received, d.credited));
                assert!(d.open_balance >= Money::ZERO);
                assert_eq!(row.overdue, is_overdue(d.due_date, d.open_balance, today));
            }
            if d.doc_type == DocType::Nc {
                assert!(d.source_id.is_some());
            }
            if d.doc_type == DocType::Fs {
                assert!(d.total <= Money::from_cents(10_000));
            }
        }
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), report.documents);
    // filtered and sorted lists, long enough to walk the sort indexes: same rows as a plain scan, in order
    for sort in [DocumentSort::NumberDesc, DocumentSort::TotalAsc, DocumentSort::CustomerAsc, DocumentSort::DateAsc] {
        let mut q = DocumentQuery {
            doc_types: vec![DocType::Ft, DocType::Fr, DocType::Fs, DocType::Or],
            sort,
            limit: 300,
            today: Some(today),
            ..Default::default()
        };
        let want: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM documents WHERE doc_type IN ('FT', 'FR', 'FS', 'OR') AND deleted_at IS NULL",
        )
        .fetch_one(ws.store().reader())
        .await
        .expect("count");
        assert!(want > 2000);
        let mut ids = std::collections::HashSet::new();
        let mut last: Option<(String, Money)> = None;
        loop {
            let page = documents::list(&ws, &q).await.expect("page");
            assert_eq!(page.total as i64, want);
            for r in &page.items {
                assert!(ids.insert(r.id));
                if sort == DocumentSort::TotalAsc {
                    if let Some((_, t)) = &last {
                        assert!(*t <= r.total);
                    }
                    last = Some((String::new(), r.total));
                }
            }
            match page.next {
                Some(n) => q.after = Some(n),
                None => break,
            }
        }
        assert_eq!(ids.len() as i64, want, "{sort:?}");
    }
    let d = dashboard::get(&ws, Some(today)).await.expect("dashboard");
    assert!(d.unpaid.count > 0 && d.overdue.count > 0 && d.drafts.count > 0, "{d:?}");
    // the generated issued documents are frozen like any other
    let issued: String = sqlx::query_scalar("SELECT id FROM documents WHERE state = 'paid' LIMIT 1")
        .fetch_one(ws.store().reader())
        .await
        .expect("one");
    assert!(sqlx::query("UPDATE documents SET total = '0' WHERE id = ?")
        .bind(&issued)
        .execute(ws.store().reader())
        .await
        .is_err());
}

/// Customer search takes two paths (sort the few matches, or walk the name index for many); both must give
/// exactly what a plain scan gives, in name order, with the exact count, across pages.
#[tokio::test]
async fn customer_search_is_exact_on_both_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    let spec = SampleSpec { customers: 4000, documents: 0, products: 0, seed: 11, today: None };
    sample::generate(&ws, &spec, |_, _, _| {}).await.expect("generate");
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, name_key, search_text FROM customers ORDER BY rowid LIMIT 40")
            .fetch_all(ws.store().reader())
            .await
            .expect("some");
    for (id, _, _) in rows.iter().step_by(4) {
        customers::set_archived(&ws, uuid::Uuid::parse_str(id).expect("id"), true).await.expect("archive");
    }
    let all: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT id, name_key, search_text, archived FROM customers")
            .fetch_all(ws.store().reader())
            .await
            .expect("all");
    for (text, include_archived) in
        [("mail", false), ("mail", true), ("silva", false), ("geral@fer", false), ("maria gon", true), ("pt", false)]
    {
        let words: Vec<String> = desk_model::text::fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        let mut want: Vec<(&String, &String)> = all
            .iter()
            .filter(|(_, _, s, a)| {
                (include_archived || *a == 0) && {
                    let tokens: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).collect();
                    words.iter().all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
                }
            })
            .map(|(id, k, _, _)| (k, id))
            .collect();
        want.sort();
        let mut got = Vec::new();
        let mut q = CustomerQuery { text: text.into(), include_archived, limit: 500, ..Default::default() };
        loop {
            let page = customers::list(&ws, &q).await.expect("page");
            assert_eq!(page.total as usize, want.len(), "{text}");
            got.extend(page.items.into_iter().map(|c| c.id.to_string()));
            match page.next {
                Some(n) => q.after = Some(n),
                None => break,
            }
        }
        let want_ids: Vec<String> = want.into_iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(got, want_ids, "{text}");
    }
}

/// Past 10,000 matches a filtered list says "more than 10,000" on every page (the cursor carries it), and the
/// pages still hold every match once.
#[tokio::test]
async fn a_long_filtered_list_reports_a_lower_bound_and_still_pages_through_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let spec = SampleSpec { customers: 200, documents: 10_300, products: 20, seed: 5, today: Some(today) };
    let report = sample::generate(&ws, &spec, |_, _, _| {}).await.expect("generate");
    let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let mut q = DocumentQuery { date_from: Some(from), limit: 500, today: Some(today), ..Default::default() };
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = documents::list(&ws, &q).await.expect("page");
        assert_eq!((page.total, page.total_is_lower_bound), (documents::list::COUNT_CAP, true));
        seen.extend(page.items.iter().map(|r| r.id));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), report.documents);
    // unfiltered: still exact
    let all = documents::list(&ws, &DocumentQuery { today: Some(today), ..Default::default() }).await.expect("all");
    assert_eq!((all.total, all.total_is_lower_bound), (report.documents as u64, false));
}
