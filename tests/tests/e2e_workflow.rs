//! End to end on the real app, the offline workspace's daily loop: a product, a customer, a quote using the
//! product, issue (through the issuer, against a Moloni stand-in in this process),
//! quote → invoice in the app, a partial payment, and the dashboard changing. Screenshots in target/e2e/.

#[path = "support/standin_issue.rs"]
mod standin_issue;

use desk_core::documents;
use desk_core::Workspace;
use desk_tests::{screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::{Client, Locator};
use std::path::Path;
use uuid::Uuid;

async fn only_document_id(dir: &Path, code: &str) -> Uuid {
    let ws = Workspace::open_dir(dir, "check".into()).await.expect("open");
    let page = documents::list(&ws, &Default::default()).await.expect("list");
    let id = page.items.iter().find(|d| d.doc_type.saft_code() == code).map(|d| d.id).expect("document of that type");
    ws.store().close().await;
    id
}

async fn open_document(app: &Client, id: Uuid) {
    wait_for(app, "#nav-documents").await.click().await.expect("documents");
    wait_for(app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("open");
}

#[tokio::test(flavor = "multi_thread")]
async fn product_customer_quote_invoice_partial_payment_and_dashboard() {
    let data = tempfile::tempdir().expect("tempdir");
    let moloni = standin_issue::Moloni::start().await;
    let driver = Driver::start();
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#first-run-form").await;
    type_into(&app, "#fr-company-name", "Contabilidade Silva").await;
    wait_for(&app, "#fr-sample").await.click().await.expect("no samples");
    wait_for(&app, "#fr-start").await.click().await.expect("start");

    // A product.
    wait_for(&app, "#nav-products").await.click().await.expect("products");
    wait_for(&app, "#new-product").await.click().await.expect("new product");
    type_into(&app, "#pf-reference", "CONS-H").await;
    type_into(&app, "#pf-name", "Hora de consultoria").await;
    type_into(&app, "#pf-price", "60").await;
    wait_for(&app, "#pf-save").await.click().await.expect("save product");
    wait_for(&app, ".product-row[data-reference='CONS-H']").await;

    // A customer.
    wait_for(&app, "#nav-customers").await.click().await.expect("customers");
    wait_for(&app, "#new-customer").await.click().await.expect("new customer");
    type_into(&app, "#cf-name", "Padaria Ribeiro").await;
    type_into(&app, "#cf-nif", "501234560").await;
    // A business buyer's address is mandatory on its invoices (CIVA art. 36 n.º 5 a)): issuing checks it.
    type_into(&app, "#cf-address", "Rua de Santa Catarina 100").await;
    type_into(&app, "#cf-postal", "4000-447").await;
    type_into(&app, "#cf-city", "Porto").await;
    wait_for(&app, "#cf-save").await.click().await.expect("save customer");
    wait_for(&app, ".customer-row[data-nif='501234560']").await;

    // A quote of 10 hours, the line filled from the product by autocomplete.
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");
    wait_for(&app, "#doc-type option[value='OR']").await.click().await.expect("quote");
    type_into(&app, "#doc-customer", "501234").await;
    wait_for(&app, "#customer-suggestions li").await.click().await.expect("pick customer");
    type_into(&app, "#line-0-description", "consult").await;
    wait_for(&app, "#line-0-suggestions li").await.click().await.expect("pick product");
    type_into(&app, "#line-0-quantity", "10").await;
    let total = wait_for(&app, "#total-total").await.text().await.expect("total");
    assert!(total.contains("738"), "10 × 60 + 23 % = 738.00, shown {total}");
    wait_for(&app, "#doc-save").await.click().await.expect("save");
    wait_for(&app, "#doc-status").await;
    app.close().await.expect("close");

    // Moloni issues the quote.
    let quote = only_document_id(data.path(), "OR").await;
    moloni.issue(data.path(), quote).await;

    // Back in the app: the quote is issued and read-only; convert it to an invoice.
    let app = driver.launch(data.path()).await;
    open_document(&app, quote).await;
    wait_for(&app, "#convert-invoice").await;
    assert!(wait_for(&app, "#line-0-quantity")
        .await
        .prop("disabled")
        .await
        .expect("prop")
        .is_some_and(|v| v == "true"));
    wait_for(&app, "#convert-invoice").await.click().await.expect("convert");
    wait_for(&app, "#doc-save").await.click().await.expect("save invoice draft");
    wait_for(&app, "#doc-status").await;
    screenshot(&app, "workflow-01-invoice-from-quote").await;
    app.close().await.expect("close");

    let invoice = only_document_id(data.path(), "FT").await;
    moloni.issue(data.path(), invoice).await;

    // A partial payment, then the dashboard.
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#nav-dashboard").await.click().await.expect("dashboard");
    let unpaid_before = wait_for(&app, "#tile-unpaid .tile-amount").await.text().await.expect("unpaid");
    assert!(unpaid_before.contains("738"), "unpaid before: {unpaid_before}");
    open_document(&app, invoice).await;
    type_into(&app, "#pay-amount", "300").await;
    wait_for(&app, "#pay-save").await.click().await.expect("record payment");
    wait_for(&app, "#doc-status").await;
    screenshot(&app, "workflow-02-partial-payment").await;
    wait_for(&app, "#nav-dashboard").await.click().await.expect("dashboard");
    wait_until("the dashboard shows 438 unpaid", || async {
        match app.find(Locator::Css("#tile-unpaid .tile-amount")).await {
            Ok(el) => el.text().await.map(|t| t.contains("438")).unwrap_or(false),
            Err(_) => false,
        }
    })
    .await;
    screenshot(&app, "workflow-03-dashboard").await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let doc = documents::get(&ws, invoice).await.expect("invoice");
    assert_eq!((doc.total.to_plain_string(), doc.open_balance.to_plain_string()), ("738.00".into(), "438.00".into()));
    assert_eq!(doc.state, desk_model::document::DocState::PartiallyPaid);
    assert_eq!(doc.source_id, Some(quote), "the invoice references its quote");
}
