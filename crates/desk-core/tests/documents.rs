//! Documents on a real SQLite file: drafts with lines, validation that stores nothing, issue and immutability
//! (through the engine and through plain SQL), conversions, partial payments, the dashboard, list pages and the
//! overdue filter.

use chrono::{Duration, NaiveDate, Utc};
use desk_core::documents::{self, issue};
use desk_core::{customers, dashboard, payments, CoreError, Workspace};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{
    CustomerInput, Document, DocumentInput, DocumentQuery, DocumentSort, ErrorKind, FiscalData, LineInput, PaymentInput,
};
use desk_model::money::Money;
use desk_model::msg::Lang;
use uuid::Uuid;

async fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    (dir, ws)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn line(desc: &str, qty: &str, price: &str, code: &str) -> LineInput {
    LineInput {
        description: desc.into(),
        quantity: qty.into(),
        unit_price: price.into(),
        tax_code: code.into(),
        ..Default::default()
    }
}

fn input(t: DocType, customer: Option<Uuid>, date: &str, lines: Vec<LineInput>) -> DocumentInput {
    DocumentInput { customer_id: customer, lines, ..DocumentInput::new(t, date) }
}

/// A business customer with the address an invoice to it must show (CIVA art. 36 n.º 5 a)).
async fn customer(ws: &Workspace, name: &str, nif: &str, days: &str) -> Uuid {
    let c = CustomerInput {
        name: name.into(),
        nif: nif.into(),
        payment_terms_days: days.into(),
        address: "Rua Direita 1".into(),
        postal_code: "2510-001".into(),
        city: "Óbidos".into(),
        ..Default::default()
    };
    customers::create(ws, &c).await.expect("customer").id
}

async fn count(ws: &Workspace, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(ws.store().reader()).await.expect("count")
}

async fn counts(ws: &Workspace) -> [i64; 5] {
    [
        count(ws, "documents").await,
        count(ws, "document_lines").await,
        count(ws, "payments").await,
        count(ws, "audit_log").await,
        count(ws, "outbox").await,
    ]
}

static NEXT_NUMBER: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1);

/// Issues a draft the way the Moloni flow will: request, claim, record fiscal data with our own totals.
async fn issue_it(ws: &Workspace, doc: &Document) -> Document {
    issue::request_issue(ws, doc.id).await.expect("request");
    let claim = issue::claim_issue(ws, doc.id, "test-desktop", Duration::minutes(5)).await.expect("claim");
    let n = NEXT_NUMBER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let fiscal = FiscalData {
        moloni_id: 1000 + n,
        document_set_id: Some(7),
        number: format!("{} 2026A/{n}", doc.doc_type.saft_code()),
        series: "2026A".into(),
        atcud: format!("CSDF7T5H-{n}"),
        hash4: "kLp0".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total,
    };
    issue::mark_issued(ws, &claim, &fiscal).await.expect("issued")
}

#[tokio::test]
async fn a_draft_with_lines_is_saved_totalled_by_desk_model_and_audited_in_one_go() {
    let (_d, ws) = workspace().await;
    let c = customer(&ws, "Padaria Ribeiro, Lda.", "501234560", "60").await;
    let before = counts(&ws).await;
    let mut doc = input(
        DocType::Ft,
        Some(c),
        "15/01/2026",
        vec![line("Pão", "3", "2,37", "NOR"), line("Livro", "1", "10", "ISE"), line("Bolo", "2", "1,5", "RED")],
    );
    doc.lines[1].exemption = "M16".into();
    doc.global_discount = "10".into();
    let saved = documents::save_draft(&ws, None, &doc).await.expect("save");
    assert_eq!(saved.state, DocState::Draft);
    assert_eq!(saved.number, "Rascunho FT/1");
    // The data keeps the draft number; each screen labels it in its language.
    assert_eq!((saved.label(Lang::En), saved.label(Lang::Pt)), ("Draft FT/1".into(), "Rascunho FT/1".into()));
    let row = documents::list(&ws, &Default::default()).await.expect("list").items.remove(0);
    assert_eq!((row.draft_number, row.fiscal_number.as_deref()), (Some(1), None));
    assert_eq!((row.number.as_str(), row.label(Lang::En)), ("Rascunho FT/1", "Draft FT/1".into()));
    assert!(saved.fiscal.is_none());
    assert_eq!(saved.customer_name, "Padaria Ribeiro, Lda.");
    assert_eq!(saved.due_date, Some(day(2026, 3, 16)), "customer's 60 days");
    assert_eq!(saved.lines.len(), 3);
    let mut expected = saved.to_draft();
    expected.due_date = saved.due_date;
    let totals = desk_model::document::compute(&expected).expect("totals");
    assert_eq!((saved.net, saved.vat, saved.total), (totals.net, totals.vat, totals.total));
    let after = counts(&ws).await;
    // one document, three lines, four audit entries and four outbox ops
    assert_eq!(after[0] - before[0], 1);
    assert_eq!(after[1] - before[1], 3);
    assert_eq!(after[3] - before[3], 4);
    assert_eq!(after[4] - before[4], 4);

    // Edit: keep line 0, change line 2, drop line 1, add one. Only the changed lines get ops.
    let mut edit = saved.to_input();
    edit.lines.remove(1);
    edit.lines[1].quantity = "5".into();
    edit.lines.push(line("Café", "1", "0.65", "NOR"));
    let before = counts(&ws).await;
    let edited = documents::save_draft(&ws, Some(saved.id), &edit).await.expect("edit");
    assert_eq!(edited.lines.iter().map(|l| l.description.as_str()).collect::<Vec<_>>(), ["Pão", "Bolo", "Café"]);
    assert_eq!(edited.lines[0].id, saved.lines[0].id, "a kept line keeps its id");
    assert_eq!(edited.lines[1].id, saved.lines[2].id);
    assert_eq!(edited.number, saved.number);
    let after = counts(&ws).await;
    // changed Bolo + new Café + tombstoned Livro: the header's totals changed, but they are derived and travel in
    // no op (its audit entry records them); Pão is unchanged and Bolo keeps its sort key (it did not move
    // relative to Pão)
    assert_eq!(after[4] - before[4], 3);
    assert_eq!(after[3] - before[3], 4);
    assert_eq!(after[1] - before[1], 1, "removed lines are tombstones");
}

/// A save returns what it wrote without reading it back: that must be exactly what a later read gives, down to
/// the JSON the interface receives (decimal scales, times, the draft number after a change of type).
#[tokio::test]
async fn what_a_save_returns_is_what_a_read_gives() {
    let (_d, ws) = workspace().await;
    let c = customer(&ws, "Oficina Brandão", "501964843", "30").await;
    let json = |d: &Document| serde_json::to_value(d).expect("json");
    let mut doc = input(
        DocType::Ft,
        Some(c),
        "03/02/2026",
        vec![
            line("Óleo 5W30", "2,500", "12,50", "NOR"),
            line("Revisão", "1", "80.00", "INT"),
            line("Manual", "1", "9,90", "ISE"),
        ],
    );
    doc.lines[0].discount = "10,0".into();
    doc.lines[2].exemption = "M16".into();
    doc.notes = "Entregar à tarde".into();
    let saved = documents::save_draft(&ws, None, &doc).await.expect("save");
    assert_eq!(json(&saved), json(&documents::get(&ws, saved.id).await.expect("get")), "new draft");

    let mut edit = saved.to_input();
    edit.lines[1].unit_price = "95,5".into();
    edit.lines.remove(2);
    edit.lines.push(line("Filtro", "3", "7,333", "RED"));
    let edited = documents::save_draft(&ws, Some(saved.id), &edit).await.expect("edit");
    assert_eq!(json(&edited), json(&documents::get(&ws, saved.id).await.expect("get")), "edited draft");

    let mut retyped = edited.to_input();
    retyped.doc_type = DocType::Fr;
    let retyped = documents::save_draft(&ws, Some(saved.id), &retyped).await.expect("retype");
    assert_eq!(retyped.number, "Rascunho FR/1");
    assert_eq!(json(&retyped), json(&documents::get(&ws, saved.id).await.expect("get")), "new type");
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_by_field_and_stores_nothing() {
    let (_d, ws) = workspace().await;
    let c = customer(&ws, "Cliente", "501234560", "").await;
    let ok = || input(DocType::Ft, Some(c), "2026-01-15", vec![line("Serviço", "1", "10", "NOR")]);
    let mut cases: Vec<(DocumentInput, &str, &str)> = Vec::new();
    let mut negative = ok();
    negative.lines[0].quantity = "-1".into();
    cases.push((negative, "lines[0].quantity", "Negative quantities are not allowed"));
    let mut abc = ok();
    abc.lines.push(line("Outro", "1", "abc", "NOR"));
    cases.push((abc, "lines[1].unit_price", "cannot be part of a number"));
    let mut zero = ok();
    zero.lines[0].tax_code = "ISE".into();
    cases.push((zero, "lines[0].tax", "exemption reason"));
    let mut feb = ok();
    feb.date = "31/02/2026".into();
    cases.push((feb, "date", "does not exist"));
    let mut many = ok();
    many.lines = vec![line("Linha", "1", "1", "NOR"); 10_000];
    cases.push((many, "lines", "At most 1000 lines"));
    let mut ghost = ok();
    ghost.customer_id = Some(Uuid::now_v7());
    cases.push((ghost, "customer_id", "no longer exists"));
    let mut nc = ok();
    nc.doc_type = DocType::Nc;
    cases.push((nc, "references", "Give the invoice this note corrects"));

    let before = counts(&ws).await;
    for (bad, field, text) in cases {
        let err = documents::save_draft(&ws, None, &bad).await.expect_err(field);
        let app = err.to_app_error();
        assert_eq!(app.kind, ErrorKind::Validation, "{field}: {app:?}");
        let msg = app.field(field).unwrap_or_else(|| panic!("{field} not in {:?}", app.fields));
        assert!(msg.en.contains(text), "{field}: {}", msg.en);
        assert!(!msg.pt.is_empty());
    }
    assert_eq!(counts(&ws).await, before, "documents, lines, payments, audit and outbox unchanged");
}

#[tokio::test]
async fn an_issued_document_cannot_change_through_the_engine_nor_by_plain_sql() {
    let (dir, ws) = workspace().await;
    let c = customer(&ws, "Cliente", "501234560", "30").await;
    let draft =
        documents::save_draft(&ws, None, &input(DocType::Ft, Some(c), "2026-01-15", vec![line("A", "2", "50", "NOR")]))
            .await
            .expect("draft");
    let issued = issue_it(&ws, &draft).await;
    assert_eq!(issued.state, DocState::Unpaid);
    assert_eq!(issued.number, issued.fiscal.as_ref().map(|f| f.number.clone()).unwrap_or_default());
    assert_eq!(issued.open_balance, issued.total);

    // the engine refuses
    let err = documents::save_draft(&ws, Some(issued.id), &issued.to_input()).await.expect_err("edit");
    assert!(matches!(err, CoreError::NotEditable(DocState::Unpaid)), "{err:?}");
    assert_eq!(err.to_app_error().kind, ErrorKind::Conflict);
    assert!(err.to_app_error().message.en.contains("credit note"));
    assert!(matches!(documents::delete_draft(&ws, issued.id).await, Err(CoreError::NotEditable(_))));
    assert!(issue::request_issue(&ws, issued.id).await.is_err());

    // plain SQL on the file refuses too, from another connection
    ws.store().close().await;
    use sqlx::Connection;
    let url = format!("sqlite:{}", dir.path().join(desk_core::paths::DB_FILE).display());
    let mut raw = sqlx::SqliteConnection::connect(&url).await.expect("connect");
    let id = issued.id.to_string();
    let line_id = issued.lines[0].id.to_string();
    let attempts = [
        format!("UPDATE documents SET total = '1.00' WHERE id = '{id}'"),
        format!("UPDATE documents SET customer_name = 'Outro' WHERE id = '{id}'"),
        format!("UPDATE documents SET fiscal_number = 'FT X/1' WHERE id = '{id}'"),
        format!("UPDATE documents SET deleted_at = '2026-01-01' WHERE id = '{id}'"),
        format!("UPDATE documents SET state = 'draft' WHERE id = '{id}'"),
        format!("DELETE FROM documents WHERE id = '{id}'"),
        format!("UPDATE document_lines SET quantity = '1' WHERE id = '{line_id}'"),
        format!("UPDATE document_lines SET deleted_at = '2026-01-01' WHERE id = '{line_id}'"),
        format!("DELETE FROM document_lines WHERE id = '{line_id}'"),
        format!(
            "INSERT INTO document_lines (id, document_id, position, description, quantity, unit_price, tax_zone, tax_code, created_at, updated_at)
             VALUES ('x', '{id}', 9, 'extra', '1', '1', 'PT', 'NOR', '', '')"
        ),
    ];
    for sql in &attempts {
        let err = sqlx::query(sql).execute(&mut raw).await.expect_err(sql);
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    let (total, lines): (String, i64) = sqlx::query_as(&format!(
        "SELECT total, (SELECT count(*) FROM document_lines WHERE document_id = '{id}' AND deleted_at IS NULL) FROM documents WHERE id = '{id}'"
    ))
    .fetch_one(&mut raw)
    .await
    .expect("read");
    assert_eq!((total.as_str(), lines), (issued.total.to_plain_string().as_str(), 1));
    // the settlement columns may still move (that is what payments do)
    sqlx::query(&format!("UPDATE documents SET received = '1.00', state = 'partially_paid' WHERE id = '{id}'"))
        .execute(&mut raw)
        .await
        .expect("settlement may change");
}

#[tokio::test]
async fn quote_to_invoice_to_credit_note_and_partial_payments_move_the_dashboard() {
    let (_d, ws) = workspace().await;
    let today = Utc::now().date_naive();
    let c = customer(&ws, "Câmara Municipal de Óbidos", "506802698", "30").await;
    let d0 = dashboard::get(&ws, Some(today)).await.expect("dashboard");
    assert_eq!(d0.drafts.count, 0);

    let quote = documents::save_draft(
        &ws,
        None,
        &input(
            DocType::Or,
            Some(c),
            &today.to_string(),
            vec![line("Projeto", "1", "1000", "NOR"), line("Formação", "1", "200", "ISE")],
        ),
    )
    .await;
    assert!(quote.is_err(), "ISE without reason");
    let mut q = input(
        DocType::Or,
        Some(c),
        &today.to_string(),
        vec![line("Projeto", "1", "1000", "NOR"), line("Formação", "1", "200", "ISE")],
    );
    q.lines[1].exemption = "M07".into();
    let quote = documents::save_draft(&ws, None, &q).await.expect("quote");
    assert_eq!(dashboard::get(&ws, Some(today)).await.expect("d").drafts.count, 1);

    // a draft quote cannot be converted: it has no number to reference
    let err = documents::convert(&ws, quote.id, DocType::Ft, "", Some(today)).await.expect_err("draft source");
    assert!(matches!(err, CoreError::Conversion(_)), "{err:?}");
    let quote = issue_it(&ws, &quote).await;
    assert_eq!(quote.state, DocState::Issued);
    let err = documents::convert(&ws, quote.id, DocType::Nc, "x", Some(today)).await.expect_err("quote to NC");
    assert!(matches!(err, CoreError::Conversion(_)));

    let invoice = documents::convert(&ws, quote.id, DocType::Ft, "", Some(today)).await.expect("invoice");
    assert_eq!(invoice.source_id, Some(quote.id));
    assert_eq!(invoice.total, quote.total);
    assert_eq!(invoice.lines.len(), 2);
    assert_eq!(invoice.due_date, Some(today + Duration::days(30)));
    let invoice = issue_it(&ws, &invoice).await;
    assert_eq!(invoice.total, Money::from_cents(143_000));
    let d1 = dashboard::get(&ws, Some(today)).await.expect("d");
    assert_eq!((d1.unpaid.count, d1.unpaid.amount), (1, invoice.total));
    assert_eq!(d1.month_sales_total, invoice.total);
    assert_eq!(d1.month_sales_net, invoice.net);
    assert_eq!(d1.drafts.count, 0);

    // partial payment: 430 of 1430
    let pay = |amount: &str| PaymentInput {
        document_id: invoice.id,
        date: today.to_string(),
        amount: amount.into(),
        method: "Transferência bancária".into(),
        notes: String::new(),
        lang: Lang::Pt,
    };
    let p = payments::record(&ws, &pay("430,00")).await.expect("partial");
    let receipt = documents::get(&ws, p.receipt_id.expect("receipt")).await.expect("receipt");
    assert_eq!(
        (receipt.doc_type, receipt.state, receipt.total, receipt.source_id),
        (DocType::Rg, DocState::Draft, Money::from_cents(43_000), Some(invoice.id))
    );
    let inv = documents::get(&ws, invoice.id).await.expect("inv");
    assert_eq!((inv.state, inv.open_balance), (DocState::PartiallyPaid, Money::from_cents(100_000)));
    let d2 = dashboard::get(&ws, Some(today)).await.expect("d");
    assert_eq!(d2.unpaid.amount, Money::from_cents(100_000));
    assert_eq!(d2.drafts.count, 1, "the receipt draft waits to be issued");

    // more than the open balance is refused, and stores nothing
    let before = counts(&ws).await;
    let err = payments::record(&ws, &pay("1000,01")).await.expect_err("too much");
    let app = err.to_app_error();
    assert!(app.field("amount").is_some_and(|m| m.en.contains("exceeds the open balance")), "{app:?}");
    for (bad, field) in [("abc", "amount"), ("0", "amount"), ("-5", "amount")] {
        let e = payments::record(&ws, &pay(bad)).await.expect_err(bad).to_app_error();
        assert!(e.field(field).is_some(), "{bad}: {e:?}");
    }
    let e = payments::record(&ws, &PaymentInput { date: "2020-01-01".into(), ..pay("1") }).await.expect_err("before");
    assert!(e.to_app_error().field("date").is_some());
    assert_eq!(counts(&ws).await, before);

    // a credit note of the invoice, issued, lowers the open balance
    let mut nc = documents::convert(&ws, invoice.id, DocType::Nc, "Desconto acordado", Some(today)).await.expect("nc");
    assert_eq!(nc.reason.as_deref(), Some("Desconto acordado"));
    let mut edit = nc.to_input();
    edit.lines.truncate(1);
    edit.lines[0].unit_price = "100".into();
    nc = documents::save_draft(&ws, Some(nc.id), &edit).await.expect("partial NC");
    assert_eq!(nc.total, Money::from_cents(12_300));
    issue_it(&ws, &nc).await;
    let inv = documents::get(&ws, invoice.id).await.expect("inv");
    assert_eq!((inv.credited, inv.open_balance), (Money::from_cents(12_300), Money::from_cents(87_700)));
    let d3 = dashboard::get(&ws, Some(today)).await.expect("d");
    assert_eq!(d3.unpaid.amount, Money::from_cents(87_700));
    assert_eq!(d3.month_sales_total, invoice.total - nc.total);

    // paying the rest settles it
    payments::record(&ws, &pay("877")).await.expect("rest");
    let inv = documents::get(&ws, invoice.id).await.expect("inv");
    assert_eq!((inv.state, inv.open_balance), (DocState::Paid, Money::ZERO));
    assert_eq!(payments::for_document(&ws, invoice.id).await.expect("payments").len(), 2);
    let d4 = dashboard::get(&ws, Some(today)).await.expect("d");
    assert_eq!((d4.unpaid.count, d4.unpaid.amount), (0, Money::ZERO));
    // overdue: the same figures a month after the due date, had it not been paid
    assert_eq!(d1.overdue.count, 0);
}

#[tokio::test]
async fn duplicate_delete_and_the_issue_queue() {
    let (_d, ws) = workspace().await;
    let doc = documents::save_draft(
        &ws,
        None,
        &input(DocType::Fs, None, "2026-02-01", vec![line("Café", "2", "0,65", "NOR")]),
    )
    .await
    .expect("fs");
    let copy = documents::duplicate(&ws, doc.id, Some(day(2026, 2, 2))).await.expect("dup");
    assert_ne!(copy.id, doc.id);
    assert_eq!((copy.date, copy.total, copy.number.as_str()), (day(2026, 2, 2), doc.total, "Rascunho FS/2"));
    assert_ne!(copy.lines[0].id, doc.lines[0].id);
    documents::delete_draft(&ws, copy.id).await.expect("delete");
    assert!(matches!(documents::get(&ws, copy.id).await, Err(CoreError::NotFound { .. })));
    let tomb: i64 = sqlx::query_scalar("SELECT count(*) FROM documents WHERE deleted_at IS NOT NULL")
        .fetch_one(ws.store().reader())
        .await
        .expect("tomb");
    assert_eq!(tomb, 1, "a tombstone, not a hard delete");

    let queued = issue::request_issue(&ws, doc.id).await.expect("queue");
    assert_eq!(queued.state, DocState::IssueRequested);
    assert!(matches!(
        documents::save_draft(&ws, Some(doc.id), &doc.to_input()).await,
        Err(CoreError::NotEditable(DocState::IssueRequested))
    ));
    assert_eq!(dashboard::get(&ws, None).await.expect("d").issue_queue, 1);
    let claim = issue::claim_issue(&ws, doc.id, "desk-a", Duration::minutes(5)).await.expect("claim");
    assert!(matches!(issue::claim_issue(&ws, doc.id, "desk-b", Duration::minutes(5)).await, Err(CoreError::LeaseLost)));
    issue::record_moloni_draft(&ws, &claim, 555).await.expect("moloni draft");
    // a mismatch of totals stops for review and records nothing
    let wrong = FiscalData {
        moloni_id: 555,
        document_set_id: None,
        number: "FS 2026A/1".into(),
        series: "2026A".into(),
        atcud: "X-1".into(),
        hash4: "abcd".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total + Money::from_cents(1),
    };
    assert!(matches!(issue::mark_issued(&ws, &claim, &wrong).await, Err(CoreError::TotalsMismatch { .. })));
    assert_eq!(documents::get(&ws, doc.id).await.expect("doc").state, DocState::Issuing);
    // The lease is measured on the monotonic lease clock: the wall clock jumping a day ahead (seen here as the
    // shown expiry lying in the past) does not end it.
    let mut w = ws.store().write("test").await.expect("write");
    sqlx::query("UPDATE issue_requests SET state = 'drafted', lease_until = '2000-01-01T00:00:00Z'")
        .execute(w.conn())
        .await
        .expect("wall clock");
    w.commit().await.expect("commit");
    assert!(matches!(issue::claim_issue(&ws, doc.id, "desk-b", Duration::minutes(5)).await, Err(CoreError::LeaseLost)));
    // a lease taken before the machine restarted (another boot) has expired
    let mut w = ws.store().write("test").await.expect("write");
    sqlx::query("UPDATE issue_requests SET lease_boot = 'an earlier boot'").execute(w.conn()).await.expect("reboot");
    w.commit().await.expect("commit");
    let claim2 = issue::claim_issue(&ws, doc.id, "desk-b", Duration::minutes(5)).await.expect("takeover");
    assert!(claim2.fence > claim.fence);
    assert_eq!(claim2.moloni_document_id, Some(555), "the Moloni draft is adopted, not created again");
    let right = FiscalData { total: doc.total, ..wrong };
    assert!(matches!(issue::mark_issued(&ws, &claim, &right).await, Err(CoreError::LeaseLost)));
    let issued = issue::mark_issued(&ws, &claim2, &right).await.expect("issued");
    assert_eq!((issued.state, issued.received, issued.open_balance), (DocState::Paid, doc.total, Money::ZERO));
    // Once issued, every language shows the fiscal number.
    let rows = documents::list(&ws, &Default::default()).await.expect("list").items;
    let row = rows.iter().find(|r| r.id == doc.id).expect("listed");
    assert_eq!((issued.label(Lang::En), row.label(Lang::En)), (right.number.clone(), right.number.clone()));
    // the recorded Moloni id never changes
    let err = sqlx::query("UPDATE issue_requests SET moloni_document_id = 556").execute(ws.store().reader()).await;
    assert!(err.is_err());
}

async fn all_pages(ws: &Workspace, mut q: DocumentQuery) -> (Vec<Uuid>, u64) {
    let mut ids = Vec::new();
    let mut total;
    loop {
        let page = documents::list(ws, &q).await.expect("page");
        total = page.total;
        ids.extend(page.items.iter().map(|r| r.id));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    (ids, total)
}

#[tokio::test]
async fn list_pages_have_no_gaps_or_repeats_in_every_sort_and_overdue_is_right() {
    let (_d, ws) = workspace().await;
    let a = customer(&ws, "Álvaro Lda", "501234560", "30").await;
    let b = customer(&ws, "Beatriz SA", "501964843", "10").await;
    let mut all = Vec::new();
    for i in 0..37u32 {
        let c = if i % 3 == 0 { b } else { a };
        // same dates and totals repeat, so ties are broken by id
        let date = format!("2026-01-{:02}", 1 + i % 9);
        let price = format!("{}", 10 + i % 4);
        let t = if i % 5 == 0 { DocType::Or } else { DocType::Ft };
        let d = documents::save_draft(&ws, None, &input(t, Some(c), &date, vec![line("X", "1", &price, "NOR")]))
            .await
            .expect("doc");
        let d = if i % 2 == 0 { issue_it(&ws, &d).await } else { d };
        all.push(d);
    }
    for sort in [
        DocumentSort::DateDesc,
        DocumentSort::DateAsc,
        DocumentSort::NumberAsc,
        DocumentSort::NumberDesc,
        DocumentSort::CustomerAsc,
        DocumentSort::CustomerDesc,
        DocumentSort::TotalDesc,
        DocumentSort::TotalAsc,
    ] {
        let (ids, total) = all_pages(&ws, DocumentQuery { sort, limit: 4, ..Default::default() }).await;
        assert_eq!(total, 37);
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!((ids.len(), sorted.len()), (37, 37), "{sort:?}: no gaps, no repeats");
    }
    let (ids, _) = all_pages(&ws, DocumentQuery { sort: DocumentSort::DateDesc, limit: 5, ..Default::default() }).await;
    let dates: Vec<NaiveDate> =
        ids.iter().map(|id| all.iter().find(|d| d.id == *id).map(|d| d.date).unwrap_or_default()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "date desc");

    // filters: type + customer + date range, with count
    let q = DocumentQuery {
        doc_types: vec![DocType::Ft],
        customer_id: Some(a),
        date_from: Some(day(2026, 1, 3)),
        date_to: Some(day(2026, 1, 6)),
        limit: 3,
        ..Default::default()
    };
    let (ids, total) = all_pages(&ws, q).await;
    let expected: Vec<&Document> = all
        .iter()
        .filter(|d| {
            d.doc_type == DocType::Ft
                && d.customer_id == Some(a)
                && d.date >= day(2026, 1, 3)
                && d.date <= day(2026, 1, 6)
        })
        .collect();
    assert_eq!((ids.len(), total as usize), (expected.len(), expected.len()));

    // overdue for a given today: due before it with an open balance (issued FT only; drafts owe nothing)
    let today = day(2026, 1, 20);
    let (ids, total) =
        all_pages(&ws, DocumentQuery { overdue: true, today: Some(today), limit: 3, ..Default::default() }).await;
    let expected: Vec<Uuid> = all
        .iter()
        .filter(|d| desk_model::document::is_overdue(d.due_date, d.open_balance, today))
        .map(|d| d.id)
        .collect();
    assert!(!expected.is_empty());
    let mut got = ids.clone();
    got.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!((got, total as usize), (want, expected.len()));
    // Beatriz's 10-day terms make hers overdue; Álvaro's 30 days do not yet
    let page = documents::list(&ws, &DocumentQuery { overdue: true, today: Some(today), ..Default::default() })
        .await
        .expect("page");
    assert!(page.items.iter().all(|r| r.overdue && r.customer_id == Some(b)));
    let later =
        documents::list(&ws, &DocumentQuery { overdue: true, today: Some(day(2026, 3, 1)), ..Default::default() })
            .await
            .expect("p");
    assert!(later.total > page.total);
    let d = dashboard::get(&ws, Some(today)).await.expect("d");
    assert_eq!(d.overdue.count, page.total);

    // a tampered cursor is a clear error
    let bad = documents::list(&ws, &DocumentQuery { after: Some("!!".into()), ..Default::default() }).await;
    assert_eq!(bad.expect_err("cursor").to_app_error().kind, ErrorKind::Validation);
}
