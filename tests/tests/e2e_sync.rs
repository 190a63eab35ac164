//! End to end on the real app, the Moloni sync: Definições › Sincronizar agora against a stand-in with an office's
//! customers and documents issued in Moloni brings them, links the customer that was already here by its NIF,
//! shows a progress bar while it runs (the screen stays usable) and the run's counts, per kind too; the kinds and
//! the interval are chosen there and kept; an open invoice made in Moloni opens read-only, its payment offered with
//! Moloni's payment methods only. Screenshots in target/e2e/.

#[path = "support/office.rs"]
mod office;

use desk_core::{customers, Workspace};
use desk_tests::{screenshot, wait_for, wait_until, Driver};
use fantoccini::{Client, Locator};
use moloni_standin::{Fault, FaultKind, Options, StandIn, When};
use uuid::Uuid;

async fn text(app: &Client, css: &str) -> String {
    wait_for(app, css).await.text().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_now_brings_molonis_customers_and_links_ours() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| {
        moloni_standin::seed::bulk(s, moloni_standin::seed::DEMO_COMPANY, 50, 0);
        moloni_standin::seed::bulk_documents(s, moloni_standin::seed::DEMO_COMPANY, 40);
    });
    // one invoice's answer takes 4 s (then fails and is read again): time to see the progress bar
    let mut slow = Fault::new("invoices/getOne", When::Before, FaultKind::Timeout).after_calls(10);
    slow.delay_ms = Some(4_000);
    standin.add_fault(slow);
    let data = tempfile::tempdir().expect("tempdir");
    let service = format!("desk-moloni-e2e-sync-{}", Uuid::now_v7());
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", &service);
    // Padaria Ribeiro is here already, with Moloni's NIF
    office::office(data.path(), &standin).await;

    let driver = Driver::start_with_env(&[("DESK_KEYRING", "kernel"), ("DESK_KEYRING_SERVICE", &service)]);
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    wait_for(&app, "#nav-settings").await.click().await.expect("settings");
    assert_eq!(text(&app, "#moloni-sync-last").await, "Ainda não sincronizou.");
    for kind in ["customers", "products", "documents"] {
        let checked = wait_for(&app, &format!("#moloni-sync-kind-{kind}")).await.prop("checked").await;
        assert_eq!(checked.ok().flatten().as_deref(), Some("true"), "{kind} syncs by default");
    }
    assert_eq!(wait_for(&app, "#moloni-sync-interval").await.prop("value").await.ok().flatten().as_deref(), Some("5"));
    wait_for(&app, "#moloni-sync-now").await.click().await.expect("sync now");
    wait_until("the progress bar with its count", || async {
        let t = text(&app, "#moloni-sync-progress").await;
        t.starts_with("Documentos: ") && t.ends_with(" / 40")
    })
    .await;
    screenshot(&app, "sync-01-progress").await;
    // 50 of the office's, Tejo Serviços, the demo's 3 products and 40 documents brought; Padaria Ribeiro linked
    wait_until("the run's counts", || async {
        text(&app, "#moloni-sync-counts").await.starts_with("94 recebidos, 0 enviados, 1 ligados")
    })
    .await;
    assert!(text(&app, "#moloni-sync-by-kind").await.contains("Documentos: 40 recebidos"));
    // the kinds and the interval are kept as chosen
    wait_for(&app, "#moloni-sync-kind-products").await.click().await.expect("products off");
    let interval = wait_for(&app, "#moloni-sync-interval").await;
    interval.clear().await.expect("clear");
    interval.send_keys("15").await.expect("type");
    wait_for(&app, "#moloni-sync h3").await.click().await.expect("leave the field");
    // the screen shows what the engine stored (read again after the app closes, below)
    wait_until("the settings stored", || async {
        let products = wait_for(&app, "#moloni-sync-kind-products").await.prop("checked").await.ok().flatten();
        let interval = wait_for(&app, "#moloni-sync-interval").await.prop("value").await.ok().flatten();
        products.as_deref() != Some("true") && interval.as_deref() == Some("15")
    })
    .await;
    screenshot(&app, "sync-02-settings").await;
    // an invoice made in Moloni, open here: read-only, its payment taken with one of Moloni's methods
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    let open = "//tr[contains(@class, 'document-row')]/td[normalize-space() = 'FT 2026A/24']";
    app.wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::XPath(open))
        .await
        .expect("the newest invoice from Moloni in the list")
        .click()
        .await
        .expect("open it");
    wait_for(&app, "#pay-method option").await;
    let mut methods = Vec::new();
    for o in app.find_all(Locator::Css("#pay-method option")).await.expect("options") {
        methods.push(o.text().await.unwrap_or_default());
    }
    assert_eq!(methods, ["Numerário", "Transferência bancária", "Multibanco"], "Moloni's methods only");
    let line = wait_for(&app, "#line-0-description").await;
    assert_eq!(line.prop("disabled").await.ok().flatten().as_deref(), Some("true"), "its lines cannot be edited");
    screenshot(&app, "sync-03-invoice-from-moloni").await;
    wait_for(&app, "#nav-customers").await.click().await.expect("customers");
    wait_for(&app, ".customer-row").await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    assert_eq!(customers::list(&ws, &Default::default()).await.expect("list").total, 52);
    let page = desk_core::documents::list(&ws, &Default::default()).await.expect("documents");
    assert_eq!(page.total, 41, "the 40 from Moloni and the office's draft");
    let s = desk_core::moloni::sync::settings(&ws).await.expect("settings");
    assert_eq!((s.customers, s.products, s.documents, s.interval_minutes), (true, false, true, 15));
}
