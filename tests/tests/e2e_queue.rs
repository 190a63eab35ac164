//! End to end on the real app, the issue queue and what follows issuing, against the Moloni stand-in: Emitir while
//! Moloni does not answer leaves the invoice queued, the badge counts it and the queue page says why; once Moloni
//! answers, "Tentar agora" issues it. A queued draft is withdrawn back to draft. The issued invoice's Moloni PDF is
//! kept in the data folder. A cancellation reason typed and left unconfirmed cancels nothing; confirmed, the
//! document is cancelled in Moloni with its reason. Screenshots in target/e2e/.

#[path = "support/office.rs"]
mod office;

use desk_core::{documents, Workspace};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::DocumentInput;
use desk_tests::{screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::Client;
use moloni_standin::{Fault, FaultKind, Options, StandIn, When};
use uuid::Uuid;

async fn open_document(app: &Client, id: Uuid) {
    wait_for(app, "#nav-documents").await.click().await.expect("documents");
    wait_for(app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("open");
}

async fn text(app: &Client, css: &str) -> String {
    wait_for(app, css).await.text().await.unwrap_or_default()
}

async fn look(dir: &std::path::Path, id: Uuid) -> desk_model::ipc::Document {
    let ws = Workspace::open_dir(dir, "look".into()).await.expect("open");
    let d = documents::get(&ws, id).await.expect("doc");
    ws.store().close().await;
    d
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_queued_while_moloni_is_away_is_issued_from_the_queue_then_kept_as_pdf_and_cancelled() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let data = tempfile::tempdir().expect("tempdir");
    let service = format!("desk-moloni-e2e-queue-{}", Uuid::now_v7());
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", &service);
    let (invoice, customer) = office::office(data.path(), &standin).await;
    // a second draft, queued before the app starts
    let second = {
        let ws = Workspace::open_dir(data.path(), "set-up".into()).await.expect("open");
        let input = DocumentInput {
            customer_id: Some(customer),
            lines: vec![office::line("Croissant", "4", "1,10", "NOR")],
            ..DocumentInput::new(DocType::Ft, &chrono::Local::now().date_naive().to_string())
        };
        let d = documents::save_draft(&ws, None, &input).await.expect("draft");
        documents::issue::request_issue(&ws, d.id).await.expect("queue");
        ws.store().close().await;
        d.id
    };
    // Moloni does not answer inserts: nothing is made there, every attempt stays queued
    standin.add_fault(Fault::new("invoices/insert", When::Before, FaultKind::LostResponse).times(10_000));

    let driver = Driver::start_with_env(&[("DESK_KEYRING", "kernel"), ("DESK_KEYRING_SERVICE", &service)]);
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    open_document(&app, invoice).await;
    wait_for(&app, "#doc-issue").await.click().await.expect("Emitir");
    wait_for(&app, "#issue-confirm-yes").await.click().await.expect("confirm");
    let said = text(&app, "#issue-result").await;
    assert!(!said.is_empty(), "the editor says why it is still queued");
    wait_until("the badge counts both requests", || async { text(&app, "#queue-badge").await == "2" }).await;

    wait_for(&app, "#nav-queue").await.click().await.expect("queue page");
    let row = format!(".queue-row[data-document='{invoice}']");
    wait_for(&app, &format!("{row} .queue-state")).await;
    assert_eq!(text(&app, &format!("{row} .queue-state")).await, "Na fila");
    assert!(!text(&app, &format!("{row} .queue-error")).await.is_empty(), "the last error is shown");
    let attempts: u32 = text(&app, &format!("{row} .queue-attempts")).await.parse().expect("a count");
    assert!(attempts >= 1);
    screenshot(&app, "queue-01-moloni-away").await;

    // the second request is withdrawn: a draft again
    let second_row = format!(".queue-row[data-document='{second}']");
    wait_for(&app, &format!("{second_row} .queue-withdraw")).await.click().await.expect("withdraw");
    wait_until("withdrawn", || async { text(&app, &format!("{second_row} .queue-state")).await == "Retirado" }).await;
    assert_eq!(look(data.path(), second).await.state, DocState::Draft);

    // Moloni answers again: "Tentar agora" issues the invoice
    standin.clear_faults();
    wait_for(&app, &format!("{row} .queue-retry")).await.click().await.expect("retry");
    wait_until("issued", || async { text(&app, &format!("{row} .queue-state")).await == "Emitido" }).await;
    wait_until("the badge goes", || async { !desk_tests::exists(&app, "#queue-badge").await }).await;
    assert!(text(&app, "#queue-message").await.contains("FT 2026A/"));
    screenshot(&app, "queue-02-issued").await;
    let issued = look(data.path(), invoice).await;
    let number = issued.fiscal.as_ref().map(|f| f.number.clone()).expect("fiscal");

    // Moloni's PDF, downloaded once and kept in the data folder
    open_document(&app, invoice).await;
    wait_for(&app, "#doc-moloni-pdf").await.click().await.expect("PDF do Moloni");
    let kept = desk_core::moloni::pdf::kept_path(data.path(), issued.company_id, &number);
    wait_until("Moloni's PDF is kept", || async { kept.exists() }).await;
    assert!(std::fs::read(&kept).expect("read").starts_with(b"%PDF"));

    // A reason typed and left without confirming cancels nothing
    wait_for(&app, "#doc-cancel").await.click().await.expect("Anular");
    assert!(text(&app, "#cancel-advice").await.contains("nota de crédito"));
    type_into(&app, "#cancel-reason", "NIF do cliente errado").await;
    // Esc closes the question (the editor stays), then the user leaves
    wait_for(&app, "#cancel-reason").await.send_keys("\u{E00C}").await.expect("Esc");
    wait_until("the question closes", || async { !desk_tests::exists(&app, "#cancel-confirm").await }).await;
    assert!(desk_tests::exists(&app, "#doc-fiscal").await, "still in the editor");
    wait_for(&app, "#nav-documents").await.click().await.expect("leave");
    assert!(look(data.path(), invoice).await.state.is_issued(), "not cancelled by leaving");
    // Confirmed, it is cancelled in Moloni and here, with its reason
    open_document(&app, invoice).await;
    wait_for(&app, "#doc-cancel").await.click().await.expect("Anular");
    type_into(&app, "#cancel-reason", "NIF do cliente errado").await;
    screenshot(&app, "queue-03-cancel").await;
    wait_for(&app, "#cancel-confirm-yes").await.click().await.expect("confirm");
    wait_for(&app, "#doc-cancelled").await;
    assert!(text(&app, "#doc-cancel-reason").await.contains("NIF do cliente errado"));
    screenshot(&app, "queue-04-cancelled").await;
    app.close().await.expect("close");
    drop(driver);

    let cancelled = look(data.path(), invoice).await;
    assert_eq!(
        (cancelled.state, cancelled.cancel_reason.as_deref()),
        (DocState::Cancelled, Some("NIF do cliente errado"))
    );
    let moloni_id = cancelled.fiscal.as_ref().map(|f| f.moloni_id).expect("fiscal");
    let status = standin.with_state(|s| {
        s.table("documents").iter().find(|d| d["document_id"] == moloni_id).map(|d| d["status"].clone())
    });
    assert_eq!(status, Some(serde_json::json!(2)), "annulled in Moloni");
}
