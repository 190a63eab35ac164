//! The Moloni master sync against the stand-in seeded like an office with years in Moloni (2,000 customers):
//! the first run brings them all with progress, a second transfers nothing; an edit on either side reaches the
//! other; one customer made on both sides with the same NIF ends as one record on each side, linked, its differing
//! field in the review list; a run cut by a lost answer and run again duplicates nothing; a tax that matches no VAT
//! rate is reported and blocks nothing. Documents issued elsewhere (5,000, with 1,000 products) arrive as issued and
//! read-only, once, never the app's own, and an interrupted pull run again duplicates nothing; the kinds a run
//! covers follow the settings.

use desk_core::moloni::sync;
use desk_core::{customers, review, Workspace};
use desk_model::ipc::{CustomerInput, MoloniConnectInput, MoloniSyncReport, SyncProgress};
use moloni_standin::{Fault, FaultKind, Options, StandIn, When};
use serde_json::json;
use uuid::Uuid;

const COMPANY: i64 = moloni_standin::seed::DEMO_COMPANY;

fn keyring() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::env::set_var("DESK_KEYRING", "kernel");
        std::env::set_var("DESK_KEYRING_SERVICE", format!("desk-test-sync-{}", Uuid::now_v7()));
    });
}

async fn connected(dir: &std::path::Path, standin: &StandIn) -> Workspace {
    keyring();
    let ws = Workspace::open_dir(dir, "tester".into()).await.expect("open");
    let input = MoloniConnectInput {
        url: standin.url(),
        client_id: "desk-demo".into(),
        client_secret: "desk-demo-secret".into(),
        user: "demo@desk.pt".into(),
        password: "demo".into(),
        company_id: Some(COMPANY),
    };
    desk_core::moloni::connect(&ws, &input).await.expect("connect");
    ws
}

async fn run(ws: &Workspace, full: bool) -> (MoloniSyncReport, Vec<SyncProgress>) {
    let mut seen = Vec::new();
    let report = sync::run(ws, full, "test", &mut |p| seen.push(p)).await.expect("sync");
    (report, seen)
}

fn standin_customers(standin: &StandIn, vat: &str) -> Vec<serde_json::Value> {
    standin.with_state(|s| s.table("customers").iter().filter(|c| c["vat"] == vat).cloned().collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_sync_both_ways_without_duplicates_or_silent_overwrites() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| moloni_standin::seed::bulk(s, COMPANY, 2_000, 0));
    let dir = tempfile::tempdir().expect("dir");
    let ws = connected(dir.path(), &standin).await;
    // made here before the first sync: one also in Moloni (same NIF, another e-mail, no address), one only here
    let both = customers::create(
        &ws,
        &CustomerInput {
            name: "Padaria Ribeiro, Lda".into(),
            nif: "501234560".into(),
            email: "encomendas@padaria-ribeiro.pt".into(),
            city: "Porto".into(),
            ..Default::default()
        },
    )
    .await
    .expect("local twin");
    let only_here = moloni_standin::nif::with_check(60_000_001);
    let ours = customers::create(
        &ws,
        &CustomerInput {
            name: "Só Cá, Lda".into(), nif: only_here.clone(), city: "Faro".into(), ..Default::default()
        },
    )
    .await
    .expect("local only");

    // a product only here: it goes to Moloni with its VAT as Moloni's tax
    desk_core::products::create(
        &ws,
        &desk_model::ipc::ProductInput {
            reference: "AVENCA".into(),
            name: "Avença mensal".into(),
            kind: desk_model::ipc::ProductKind::Service,
            price: "150".into(),
            tax_code: "NOR".into(),
            ..Default::default()
        },
    )
    .await
    .expect("product");

    // First run: everything, with progress
    let (first, progress) = run(&ws, false).await;
    assert!(first.full, "the first run reads everything");
    // 2,000 seeded + Tejo Serviços (the demo's second customer) + the demo's 3 products; Padaria Ribeiro is linked,
    // the final consumer skipped
    assert_eq!((first.pulled, first.linked, first.failed), (2_004, 1, 0), "{first:?}");
    assert!(first.kinds.contains(&"products".to_string()), "{first:?}");
    let pao = desk_core::products::by_reference(&ws, "PAO-KG").await.expect("Moloni's bread is here");
    assert_eq!((pao.tax.code.as_str(), pao.price.0.to_string()), ("RED", "2.5".into()));
    let avenca = standin.with_state(|s| {
        s.table("products").iter().find(|p| p["reference"] == "AVENCA").map(|p| p["taxes"][0]["tax_id"].clone())
    });
    assert_eq!(avenca, Some(json!(101)), "ours went to Moloni with Moloni's normal-rate VAT");
    assert!(progress.iter().any(|p| p.kind == "customers" && p.total == Some(2_003) && p.done == 2_003), "progress");
    let all = customers::list(&ws, &Default::default()).await.expect("list");
    assert_eq!(all.total, 2_003, "2,001 pulled and our two");
    // the twin: one record on each side, linked; its empty address filled in, its differing e-mail waiting for a
    // person and not overwritten
    assert_eq!(standin_customers(&standin, "501234560").len(), 1, "no second Padaria Ribeiro in Moloni");
    let items = review::list(&ws).await.expect("review");
    assert!(
        items.iter().any(|i| i.row_id == both.id && i.field == "email" && i.incoming == "geral@padaria-ribeiro.pt"),
        "{items:?}"
    );
    let twin = customers::get(&ws, both.id).await.expect("twin");
    assert_eq!(twin.email.as_deref(), Some("encomendas@padaria-ribeiro.pt"), "not overwritten");
    assert_eq!(twin.address.as_deref(), Some("Rua de Santa Catarina 100"), "an empty field is filled in");
    // ours only here went to Moloni, once
    assert_eq!(standin_customers(&standin, &only_here).iter().filter(|c| c["name"] == "Só Cá, Lda").count(), 1);
    assert_eq!(first.pushed, 2, "the customer and the product: {first:?}");

    // Second run: nothing to transfer
    let (second, _) = run(&ws, false).await;
    assert!(!second.full);
    assert_eq!((second.pulled, second.pushed, second.linked, second.failed), (0, 0, 0, 0), "{second:?}");

    // An edit in Moloni arrives; an edit here leaves
    let vat = moloni_standin::nif::with_check(51_000_010);
    standin.with_state(|s| {
        let now = s.now();
        if let Some(c) = s.table_mut("customers").iter_mut().find(|c| c["vat"] == vat.as_str()) {
            c["city"] = json!("Setúbal");
            c["_modified"] = json!(now);
        }
    });
    let mut input = CustomerInput::from(&customers::get(&ws, ours.id).await.expect("ours"));
    input.city = "Tavira".into();
    customers::update(&ws, ours.id, &input).await.expect("edit here");
    let (third, _) = run(&ws, false).await;
    assert_eq!((third.pulled, third.pushed), (1, 1), "{third:?}");
    let page = customers::list(&ws, &desk_model::ipc::CustomerQuery { text: vat.clone(), ..Default::default() })
        .await
        .expect("find");
    assert_eq!(page.items[0].city.as_deref(), Some("Setúbal"));
    assert_eq!(standin_customers(&standin, &only_here)[0]["city"], "Tavira");

    // A run cut by a lost answer after Moloni made a customer, then run again: still one
    customers::create(
        &ws,
        &CustomerInput { name: "Nova Cliente, Lda".into(), nif: "500000000".into(), ..Default::default() },
    )
    .await
    .expect("new here");
    standin.add_fault(Fault::new("customers/insert", When::After, FaultKind::LostResponse));
    let (cut, _) = run(&ws, false).await;
    assert!(cut.issues.iter().any(|i| i.kind == "run"), "the run stopped: {cut:?}");
    let (again, _) = run(&ws, false).await;
    assert!(again.issues.iter().all(|i| i.kind != "run"), "{again:?}");
    assert_eq!(standin_customers(&standin, "500000000").len(), 1, "never two in Moloni");
    let page = customers::list(&ws, &desk_model::ipc::CustomerQuery { text: "500000000".into(), ..Default::default() })
        .await
        .expect("find");
    assert_eq!(page.items.len(), 1, "never two here");
    // the log keeps every run
    assert_eq!(sync::history(&ws, 10).await.expect("log").len(), 5);
}

#[tokio::test]
async fn a_tax_that_matches_no_vat_rate_is_reported_and_blocks_nothing() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| {
        s.table_mut("taxes").push(json!({"tax_id": 199, "type": 1, "saft_type": 1, "vat_type": "NOR", "stamp_tax": "",
            "name": "IVA 21", "value": 21, "fiscal_zone": "PT", "active_by_default": 0, "exemption_reason": "",
            "_company": COMPANY, "_modified": 0}));
    });
    let dir = tempfile::tempdir().expect("dir");
    let ws = connected(dir.path(), &standin).await;
    let (report, _) = run(&ws, false).await;
    let tax = report.issues.iter().find(|i| i.kind == "tax").expect("the odd tax is reported");
    assert!(tax.record.contains("IVA 21") && tax.message.pt.contains("21 %"), "{tax:?}");
    assert_eq!(report.failed, 0);
    assert!(report.pulled >= 2, "the customers came all the same: {report:?}");
}

/// Our documents that came from Moloni: (count, distinct Moloni ids).
async fn pulled(ws: &Workspace) -> (i64, i64) {
    sqlx::query_as("SELECT count(*), count(DISTINCT moloni_id) FROM documents WHERE moloni_id IS NOT NULL")
        .fetch_one(ws.store().reader())
        .await
        .expect("count")
}

/// The stand-in's closed and annulled documents of the types the app keeps.
fn moloni_documents(standin: &StandIn) -> usize {
    standin.with_state(|s| {
        s.table("documents")
            .iter()
            .filter(|d| matches!(d["status"].as_i64(), Some(1 | 2)))
            .filter(|d| matches!(d["document_type_id"].as_i64(), Some(1 | 2 | 3 | 4 | 14 | 20 | 27)))
            .count()
    })
}

fn kind<'r>(report: &'r MoloniSyncReport, kind: &str) -> &'r desk_model::ipc::KindCounts {
    report.by_kind.iter().find(|k| k.kind == kind).unwrap_or_else(|| panic!("no {kind} in {report:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_issued_elsewhere_arrive_once_issued_and_read_only() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| {
        moloni_standin::seed::bulk(s, COMPANY, 2_000, 1_000);
        moloni_standin::seed::bulk_documents(s, COMPANY, 5_000);
    });
    let expected = moloni_documents(&standin);
    assert_eq!(expected, 5_000, "every seeded document was closed by the stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let ws = connected(dir.path(), &standin).await;

    // First run: everything, with progress
    let (first, progress) = run(&ws, false).await;
    assert!(first.issues.iter().all(|i| i.kind != "run"), "{:?}", first.issues.first());
    assert_eq!(kind(&first, "customers").pulled, 2_002, "2,000, Padaria Ribeiro and Tejo Serviços: {first:?}");
    assert_eq!(kind(&first, "products").pulled, 1_003, "{:?}", first.by_kind);
    assert_eq!((kind(&first, "documents").pulled, kind(&first, "documents").failed), (5_000, 0), "{:?}", first.issues);
    assert_eq!(pulled(&ws).await, (5_000, 5_000), "each once");
    let last = progress.iter().rfind(|p| p.kind == "documents").expect("documents progress");
    assert_eq!((last.done, last.total), (5_000, Some(5_000)));
    assert!(progress.iter().any(|p| p.kind == "documents" && p.done > 0 && p.done < 5_000), "progress along the way");

    // as issued: numbered, with ATCUD and hash characters, a snapshot to print from, and read-only
    let (id, number, atcud): (String, String, String) = sqlx::query_as(
        "SELECT id, fiscal_number, atcud FROM documents WHERE doc_type = 'FT' AND state = 'unpaid' ORDER BY issue_date LIMIT 1",
    )
    .fetch_one(ws.store().reader())
    .await
    .expect("an open invoice");
    let invoice = desk_core::documents::get(&ws, Uuid::parse_str(&id).expect("id")).await.expect("get");
    assert!(number.starts_with("FT 2026A/") && atcud.starts_with("JJ8XK2PA-"), "{number} {atcud}");
    assert!(invoice.issued_snapshot.is_some() && invoice.fiscal.as_ref().is_some_and(|f| f.hash4.len() == 4));
    assert!(!invoice.lines.is_empty() && invoice.open_balance == invoice.total, "{invoice:?}");
    let mut input = invoice.to_input();
    input.notes = "changed here".into();
    let refused = desk_core::documents::save_draft(&ws, Some(invoice.id), &input).await;
    assert!(matches!(refused, Err(desk_core::CoreError::NotEditable(_))), "{refused:?}");
    assert!(desk_core::documents::delete_draft(&ws, invoice.id).await.is_err(), "nor deleted");
    // a receipt from Moloni settles its invoice; a credit note credits one; annulled ones are cancelled
    let states: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT doc_type, state, count(*) FROM documents WHERE moloni_id IS NOT NULL GROUP BY doc_type, state ORDER BY 1, 2",
    )
    .fetch_all(ws.store().reader())
    .await
    .expect("states");
    let n = |t: &str, st: &str| states.iter().find(|(a, b, _)| a == t && b == st).map_or(0, |r| r.2);
    assert_eq!(n("FT", "cancelled"), 100, "every 50th seeded document, an invoice, annulled: {states:?}");
    // 500 receipts pay 500 invoices in full; 500 credit notes credit one unit of 500 others (in full when that is
    // the whole invoice)
    assert_eq!((n("RG", "issued"), n("NC", "issued")), (500, 500), "{states:?}");
    assert_eq!(n("FT", "paid") + n("FT", "partially_paid"), 1_000, "{states:?}");
    assert!(n("FT", "paid") > 500 && n("FR", "paid") == 500 && n("FS", "paid") == 500, "{states:?}");
    let credited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM documents WHERE doc_type = 'FT' AND credited <> '0' AND credited <> '0.00'",
    )
    .fetch_one(ws.store().reader())
    .await
    .expect("credited");
    assert_eq!(credited, n("NC", "issued"), "each credit note credits its invoice: {states:?}");

    // Second run: nothing to transfer
    let (second, _) = run(&ws, false).await;
    assert_eq!((second.pulled, second.pushed, second.failed), (0, 0, 0), "{second:?}");

    // A document issued in Moloni after the first run arrives on the next
    standin.with_state(|s| moloni_standin::seed::bulk_documents(s, COMPANY, 1));
    let (third, _) = run(&ws, false).await;
    assert_eq!(kind(&third, "documents").pulled, 1, "{third:?}");
    assert_eq!(pulled(&ws).await, (5_001, 5_001));

    // A document the app issues through the issuer is not pulled again
    let customer = customers::list(&ws, &Default::default()).await.expect("customers").items[0].id;
    let draft = desk_core::documents::save_draft(
        &ws,
        None,
        &desk_model::ipc::DocumentInput {
            customer_id: Some(customer),
            lines: vec![desk_model::ipc::LineInput {
                description: "Consultoria".into(),
                quantity: "2".into(),
                unit_price: "40".into(),
                tax_code: "NOR".into(),
                ..Default::default()
            }],
            ..desk_model::ipc::DocumentInput::new(
                desk_model::document::DocType::Ft,
                &chrono::Local::now().date_naive().to_string(),
            )
        },
    )
    .await
    .expect("draft");
    let outcome = desk_core::moloni::issuer::issue_now(&ws, draft.id, "test").await.expect("issue");
    assert!(matches!(outcome, desk_core::moloni::issuer::Outcome::Issued { .. }), "{outcome:?}");
    let (fourth, _) = run(&ws, true).await;
    assert_eq!((kind(&fourth, "documents").pulled, fourth.failed), (0, 0), "{fourth:?}");
    assert_eq!(pulled(&ws).await, (5_002, 5_002), "ours is there once, with its Moloni id");

    // A documents pull cut in the middle (an unreadable answer), then run again: each document once
    standin.with_state(|s| moloni_standin::seed::bulk_documents(s, COMPANY, 200));
    // unreadable on every attempt the client makes (it reads again four times)
    standin.add_fault(Fault::new("invoices/getOne", When::Before, FaultKind::MalformedJson).after_calls(60).times(5));
    let (cut, _) = run(&ws, false).await;
    assert!(cut.issues.iter().any(|i| i.kind == "run"), "the run stopped: {cut:?}");
    let (partly, _) = pulled(&ws).await;
    assert!(partly > 5_002 && partly < 5_202, "pages before the fault are kept: {partly}");
    let (again, _) = run(&ws, false).await;
    assert!(again.issues.iter().all(|i| i.kind != "run"), "{again:?}");
    assert_eq!(pulled(&ws).await, (5_202, 5_202), "nothing twice");
    assert_eq!(moloni_documents(&standin), 5_202);
}

#[tokio::test]
async fn the_kinds_a_run_covers_follow_the_settings() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| {
        moloni_standin::seed::bulk(s, COMPANY, 20, 10);
        moloni_standin::seed::bulk_documents(s, COMPANY, 30);
        // and an invoice with withholding on its first line (IRS cat. B, 23 %), made in Moloni
        let customer = s.table("customers").iter().find(|c| c["vat"] == "503504564").map(|c| c["customer_id"].clone());
        let product = |reference: &str| {
            s.table("products").iter().find(|p| p["reference"] == reference).map(|p| p["product_id"].clone())
        };
        let (hours, book) = (product("CONS-H"), product("LIVRO"));
        let ctx = moloni_standin::handlers::Ctx {
            company: COMPANY,
            username: "web".into(),
            base_url: String::new(),
            now: s.now(),
            lag_seconds: 0,
        };
        let body = json!({"company_id": COMPANY, "customer_id": customer, "date": chrono::Local::now().date_naive().to_string(),
            "document_set_id": 201, "status": 1, "products": [
                {"product_id": hours, "name": "Consultoria", "qty": 2, "price": 100, "deduction_id": 401,
                    "taxes": [{"tax_id": 101}]},
                {"product_id": book, "name": "Livro", "qty": 1, "price": 25, "taxes": [{"tax_id": 103}]}]});
        moloni_standin::documents::handle(s, &ctx, "invoices", "insert", &body).expect("withheld invoice");
    });
    let dir = tempfile::tempdir().expect("dir");
    let ws = connected(dir.path(), &standin).await;
    // the editor offers the free text until Moloni's payment methods are pulled
    assert!(sync::reference::payment_methods(&ws).await.expect("methods").is_empty());
    let defaults = sync::settings(&ws).await.expect("settings");
    assert!(defaults.customers && defaults.products && defaults.documents && defaults.interval_minutes == 5);
    let only_customers = desk_model::ipc::MoloniSyncSettings {
        customers: true,
        products: false,
        documents: false,
        interval_minutes: 15,
    };
    assert_eq!(sync::set_settings(&ws, &only_customers).await.expect("set"), only_customers);
    let too_long = desk_model::ipc::MoloniSyncSettings { interval_minutes: 5_000, ..only_customers.clone() };
    assert!(sync::set_settings(&ws, &too_long).await.is_err(), "refused");
    assert_eq!(sync::settings(&ws).await.expect("settings"), only_customers, "a refusal changes nothing");
    let (report, _) = run(&ws, false).await;
    assert_eq!(report.kinds, vec!["reference".to_string(), "customers".into()], "{report:?}");
    assert_eq!(pulled(&ws).await.0, 0, "no documents");
    assert_eq!(
        sync::reference::payment_methods(&ws).await.expect("methods"),
        vec!["Numerário".to_string(), "Transferência bancária".into(), "Multibanco".into()],
        "the reference data always comes: Moloni's methods, in its order"
    );
    assert!(desk_core::products::by_reference(&ws, "REF-00001").await.is_err(), "no products");
    sync::set_settings(&ws, &desk_model::ipc::MoloniSyncSettings::default()).await.expect("all again");
    let (all, _) = run(&ws, true).await;
    assert_eq!(kind(&all, "documents").pulled, 31, "{all:?}");
    let (total, withholding, open): (String, String, i64) = sqlx::query_as(
        "SELECT total, withholding, open_cents FROM documents WHERE moloni_id IS NOT NULL AND withholding <> '0'",
    )
    .fetch_one(ws.store().reader())
    .await
    .expect("the withheld invoice");
    // 200 + 23 % and 25 + 6 %: 246 + 26.50 = 272.50; 23 % of 200 withheld; 226.50 owed
    assert_eq!((total.as_str(), withholding.as_str(), open), ("272.50", "46.00", 22_650));
    assert_eq!(kind(&all, "products").pulled, 13, "{all:?}");
    desk_core::moloni::disconnect(&ws).await.expect("disconnect");
    assert!(sync::reference::payment_methods(&ws).await.expect("methods").is_empty(), "without Moloni, as before");
}
