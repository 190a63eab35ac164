//! End to end on the real app against the Moloni stand-in (in this test's process): a connected company drafts
//! an invoice, Emitir asks for confirmation and issues it through Moloni; the document then shows Moloni's number
//! and ATCUD and prints with its QR code; a partial payment's receipt and a credit note for one line are issued
//! the same way. Screenshots in
//! target/e2e/.

#[path = "support/office.rs"]
mod office;

use desk_core::{documents, Workspace};
use desk_model::document::DocType;
use desk_tests::{screenshot, wait_for, Driver};
use fantoccini::Client;
use moloni_standin::{Options, StandIn};
use office::office;
use uuid::Uuid;

async fn open_document(app: &Client, id: Uuid) {
    wait_for(app, "#nav-documents").await.click().await.expect("documents");
    wait_for(app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("open");
}

/// Issues the document open in the editor through Emitir; returns the number shown.
async fn issue_on_screen(app: &Client, shot: &str) -> String {
    wait_for(app, "#doc-issue").await.click().await.expect("Emitir");
    let what = wait_for(app, "#issue-confirm-what").await.text().await.expect("what");
    screenshot(app, &format!("{shot}-confirm")).await;
    assert!(!what.is_empty());
    wait_for(app, "#issue-confirm-yes").await.click().await.expect("confirm");
    let number = wait_for(app, "#doc-fiscal-number").await.text().await.expect("number");
    screenshot(app, shot).await;
    number
}

#[tokio::test(flavor = "multi_thread")]
async fn draft_an_invoice_issue_it_through_moloni_and_credit_one_line() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let data = tempfile::tempdir().expect("tempdir");
    // The app and this test share one keyring namespace (the kernel keyring: no desktop here).
    let service = format!("desk-moloni-e2e-{}", Uuid::now_v7());
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", &service);

    let (invoice, customer) = office(data.path(), &standin).await;

    let driver = Driver::start_with_env(&[("DESK_KEYRING", "kernel"), ("DESK_KEYRING_SERVICE", &service)]);
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    open_document(&app, invoice).await;
    // "No" leaves it a draft
    wait_for(&app, "#doc-issue").await.click().await.expect("Emitir");
    wait_for(&app, "#issue-confirm-no").await.click().await.expect("cancel");
    assert!(desk_tests::exists(&app, "#doc-save").await, "still a draft");
    let number = issue_on_screen(&app, "issue-01-invoice").await;
    assert!(number.starts_with("FT 2026A/"), "{number}");
    let atcud = wait_for(&app, "#doc-atcud").await.text().await.expect("atcud");
    assert!(atcud.starts_with("JJ8XK2P"), "{atcud}");
    assert!(!desk_tests::exists(&app, "#doc-save").await, "issued: no more editing");
    let status = wait_for(&app, "#doc-status").await.text().await.expect("status");
    assert!(status.contains("Emitido via Moloni") && status.contains(&number), "{status}");

    // The PDF preview of the issued document carries its QR code and ATCUD
    wait_for(&app, "#doc-pdf").await.click().await.expect("preview");
    wait_for(&app, ".print-overlay svg").await;
    screenshot(&app, "issue-02-preview").await;
    let sheet = wait_for(&app, ".print-overlay").await.text().await.expect("sheet");
    assert!(sheet.contains(&atcud), "the preview shows the ATCUD");
    wait_for(&app, "#print-close").await.click().await.expect("close preview");

    // A partial payment; its receipt is issued through Moloni too
    desk_tests::type_into(&app, "#pay-amount", "2").await;
    wait_for(&app, "#pay-save").await.click().await.expect("record the payment");
    wait_for(&app, "#doc-status").await;
    let receipt = {
        let ws = Workspace::open_dir(data.path(), "look".into()).await.expect("open");
        let list = documents::list(&ws, &Default::default()).await.expect("list");
        let id = list.items.iter().find(|d| d.doc_type == DocType::Rg).map(|d| d.id).expect("the receipt draft");
        ws.store().close().await;
        id
    };
    open_document(&app, receipt).await;
    let receipt_number = issue_on_screen(&app, "issue-04-receipt").await;
    assert!(receipt_number.starts_with("RG 2026A/"), "{receipt_number}");
    open_document(&app, invoice).await;

    // A credit note for one line (the bread), issued the same way
    wait_for(&app, "#convert-credit").await.click().await.expect("credit note");
    wait_for(&app, "#line-1-description").await;
    wait_for(&app, "#line-1-remove").await.click().await.expect("remove the cake line");
    wait_for(&app, "#doc-save").await.click().await.expect("save the note");
    wait_for(&app, "#doc-status").await;
    let note_number = issue_on_screen(&app, "issue-03-credit-note").await;
    assert!(note_number.starts_with("NC 2026A/"), "{note_number}");
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let invoice = documents::get(&ws, invoice).await.expect("invoice");
    assert_eq!(invoice.fiscal.as_ref().map(|f| f.number.clone()), Some(number));
    // 11.93 invoiced, 2.00 paid; the bread credited: 3 × 2.37 = 7.11 + 23 % = 8.75; 1.18 still open
    assert_eq!(invoice.open_balance.to_plain_string(), "1.18");
    let _ = customer;
}
