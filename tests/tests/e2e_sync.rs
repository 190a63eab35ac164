//! End to end on the real app, the Moloni sync: Definições › Sincronizar agora against a stand-in with an office's
//! customers brings them, links the one that was already here by its NIF, and shows the run's counts; the customers
//! list then has them. Screenshot in target/e2e/.

#[path = "support/office.rs"]
mod office;

use desk_core::{customers, Workspace};
use desk_tests::{screenshot, wait_for, wait_until, Driver};
use fantoccini::Client;
use moloni_standin::{Options, StandIn};
use uuid::Uuid;

async fn text(app: &Client, css: &str) -> String {
    wait_for(app, css).await.text().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_now_brings_molonis_customers_and_links_ours() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| moloni_standin::seed::bulk(s, moloni_standin::seed::DEMO_COMPANY, 50, 0));
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
    wait_for(&app, "#moloni-sync-now").await.click().await.expect("sync now");
    // 50 of the office's, Tejo Serviços and the demo's 3 products brought; Padaria Ribeiro linked
    wait_until("the run's counts", || async {
        text(&app, "#moloni-sync-counts").await.starts_with("54 recebidos, 0 enviados, 1 ligados")
    })
    .await;
    screenshot(&app, "sync-01-settings").await;
    wait_for(&app, "#nav-customers").await.click().await.expect("customers");
    wait_for(&app, ".customer-row").await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    assert_eq!(customers::list(&ws, &Default::default()).await.expect("list").total, 52);
}
