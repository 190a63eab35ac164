//! End to end on the real app (tauri-driver → WebKitWebDriver → the Tauri window): first run, a customer
//! refused for a bad NIF, fixed, listed, and still there after a restart. Screenshots in target/e2e/.

use desk_tests::{exists, screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread")]
async fn add_a_customer_with_a_bad_nif_fix_it_and_find_it_after_a_restart() {
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();

    let app = driver.launch(data.path()).await;
    // First run: name the company, no sample data.
    wait_for(&app, "#first-run-form").await;
    type_into(&app, "#fr-company-name", "Contabilidade Silva").await;
    type_into(&app, "#fr-company-nif", "501964843").await;
    wait_for(&app, "#fr-sample").await.click().await.expect("untick sample data");
    screenshot(&app, "customers-00-first-run").await;
    wait_for(&app, "#fr-start").await.click().await.expect("start");

    // The customers page opens empty.
    wait_for(&app, "#customers-empty").await;
    assert_eq!(wait_for(&app, "#company-name").await.text().await.expect("text"), "Contabilidade Silva");

    // A NIF with a wrong check digit is refused as it is typed, and on save.
    wait_for(&app, "#new-customer").await.click().await.expect("new");
    type_into(&app, "#cf-name", "Padaria Ribeiro").await;
    type_into(&app, "#cf-nif", "501234561").await;
    let err = wait_for(&app, "#cf-nif-error").await.text().await.expect("error text");
    assert!(err.contains("check digit") || err.contains("algarismo de controlo"), "live NIF error: {err}");
    screenshot(&app, "customers-01-invalid-nif").await;
    wait_for(&app, "#cf-save").await.click().await.expect("save");
    assert!(exists(&app, "#customer-form").await, "the form stays open");
    assert!(!exists(&app, ".customer-row").await, "nothing was stored");

    // Fixed, it saves and shows in the list.
    type_into(&app, "#cf-nif", "501234560").await;
    wait_until("the NIF error goes away", || async { !exists(&app, "#cf-nif-error").await }).await;
    wait_for(&app, "#cf-save").await.click().await.expect("save");
    let row = wait_for(&app, ".customer-row[data-nif='501234560']").await;
    assert!(row.text().await.expect("row").contains("Padaria Ribeiro"));
    assert!(!exists(&app, "#customer-form").await, "the form closes after saving");
    screenshot(&app, "customers-02-saved").await;
    app.close().await.expect("close the app");

    // Restart: no first-run screen, the customer is still there.
    let app = driver.launch(data.path()).await;
    let row = wait_for(&app, ".customer-row[data-nif='501234560']").await;
    assert!(row.text().await.expect("row").contains("Padaria Ribeiro"));
    assert!(!exists(&app, "#first-run-form").await);
    // Search finds it with accents and case folded.
    type_into(&app, "#customer-search", "PADAR").await;
    wait_until("one result", || async {
        app.find_all(Locator::Css(".customer-row")).await.map(|r| r.len() == 1).unwrap_or(false)
    })
    .await;
    screenshot(&app, "customers-03-after-restart").await;
    app.close().await.expect("close the app");
    drop(driver);

    // The engine sees exactly one customer, with the fixed NIF.
    let ws = desk_core::Workspace::open_dir(data.path(), "check".into()).await.expect("open data");
    let page = desk_core::customers::list(&ws, &Default::default()).await.expect("list");
    assert_eq!(page.items.iter().map(|c| c.nif.clone()).collect::<Vec<_>>(), [Some("501234560".to_string())]);
}
