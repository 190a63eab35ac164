//! The Moloni master sync against the stand-in seeded like an office with years in Moloni (2,000 customers):
//! the first run brings them all with progress, a second transfers nothing; an edit on either side reaches the
//! other; one customer made on both sides with the same NIF ends as one record on each side, linked, its differing
//! field in the review list; a run cut by a lost answer and run again duplicates nothing; a tax that matches no VAT
//! rate is reported and blocks nothing.

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
