//! End to end on the real app: Definições › Moloni against the stand-in (in this test's process). A wrong
//! password shows Moloni's grant error in Portuguese; the right one connects, the user has two Moloni
//! companies so the app asks which, and once picked the status says "Ligado". Screenshots in target/e2e/.

use desk_tests::{screenshot, type_into, wait_for, wait_until, Driver};
use moloni_standin::{Options, StandIn};
use serde_json::json;

async fn status_text(app: &fantoccini::Client) -> String {
    wait_for(app, "#moloni-status").await.text().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_to_the_standin_pick_the_company_and_see_ligado() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    // A second company for the demo user, so the app must ask which one.
    standin.with_state(|s| {
        let mut other = s.table("companies")[0].clone();
        other["company_id"] = json!(5002);
        other["name"] = json!("Tejo Serviços, Lda");
        other["vat"] = json!("503504564");
        s.table_mut("companies").push(other);
        s.users[0].companies.push(5002);
    });
    let data = tempfile::tempdir().expect("tempdir");
    // The app keeps its secrets in this test's own keyring namespace (the kernel keyring: no desktop here).
    let service = format!("desk-moloni-e2e-{}", uuid::Uuid::now_v7());
    let driver = Driver::start_with_env(&[("DESK_KEYRING", "kernel"), ("DESK_KEYRING_SERVICE", &service)]);
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#first-run-form").await;
    type_into(&app, "#fr-company-name", "Contabilidade Silva").await;
    wait_for(&app, "#fr-sample").await.click().await.expect("no samples");
    wait_for(&app, "#fr-start").await.click().await.expect("start");
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");

    wait_for(&app, "#nav-settings").await.click().await.expect("Definições");
    assert_eq!(status_text(&app).await, "Não ligado");
    type_into(&app, "#moloni-url", &standin.url()).await;
    type_into(&app, "#moloni-client-id", "desk-demo").await;
    type_into(&app, "#moloni-client-secret", "desk-demo-secret").await;
    type_into(&app, "#moloni-user", "demo@desk.pt").await;
    type_into(&app, "#moloni-password", "errada").await;
    wait_for(&app, "#moloni-connect").await.click().await.expect("connect");
    let error = wait_for(&app, "#moloni-error").await.text().await.expect("error text");
    assert!(error.contains("Utilizador ou palavra-passe do Moloni errados"), "{error}");
    let field = wait_for(&app, "#moloni-password-error").await.text().await.expect("field error");
    assert!(field.contains("palavra-passe"), "{field}");
    assert_eq!(status_text(&app).await, "Não ligado");
    screenshot(&app, "moloni-wrong-password").await;

    type_into(&app, "#moloni-password", "demo").await;
    wait_for(&app, "#moloni-connect").await.click().await.expect("connect");
    wait_until("the company question", || async { status_text(&app).await == "Escolha a empresa do Moloni" }).await;
    assert!(!desk_tests::exists(&app, "#moloni-error").await, "the error is gone");
    screenshot(&app, "moloni-pick-company").await;
    wait_for(&app, "#moloni-company").await.select_by_value("5001").await.expect("pick");
    wait_until("Ligado", || async { status_text(&app).await == "Ligado" }).await;
    let summary = wait_for(&app, "#moloni-summary").await.text().await.expect("summary");
    assert!(summary.contains("Demo Contabilidade, Lda"), "{summary}");
    screenshot(&app, "moloni-connected").await;

    // In English too, and after a restart the connection is still there (settings + keyring).
    app.close().await.expect("close");
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#nav-settings").await.click().await.expect("settings");
    wait_for(&app, "#lang-en").await.click().await.expect("English");
    wait_until("Connected", || async { status_text(&app).await == "Connected" }).await;
    wait_for(&app, "#moloni-disconnect").await.click().await.expect("disconnect");
    wait_until("Not connected", || async { status_text(&app).await == "Not connected" }).await;
    app.close().await.expect("close");
}
