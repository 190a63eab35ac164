//! End to end on the real app: print preview of a draft (watermark, no fiscal marks) and of an issued invoice
//! (ATCUD and QR code), the filtered list exported to a folder with its progress, and the company switcher:
//! a second company starts empty, switching back brings the first one's documents. Screenshots in target/e2e/.

#[path = "support/standin_issue.rs"]
mod standin_issue;

use desk_core::documents;
use desk_core::{customers, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{CustomerInput, DocumentInput, LineInput};
use desk_model::msg::Lang;
use desk_tests::{exists, screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::{Client, Locator};
use std::path::Path;
use uuid::Uuid;

/// A company with its profile, one customer, two drafts and one invoice issued through the issuer against the
/// Moloni stand-in. Returns (issued id, a draft id, what Moloni recorded).
async fn seed(dir: &Path, moloni: &standin_issue::Moloni) -> (Uuid, Uuid, desk_model::ipc::FiscalData) {
    let mut ws = Workspace::open_dir(dir, "seed".into()).await.expect("open");
    ws.skip_first_run().await.expect("first run");
    let profile = CompanyInput {
        name: "Contabilidade Rio, Lda".into(),
        nif: "509442013".into(),
        address: "Rua do Ouro 12".into(),
        postal_code: "1100-060".into(),
        city: "Lisboa".into(),
        iban: "PT50000201231234567890154".into(),
        payment_method: "Transferência bancária".into(),
        lang: Lang::En,
        ..CompanyInput::default()
    };
    ws.update_company(&profile).await.expect("profile");
    let c = CustomerInput {
        name: "Padaria Ribeiro, Lda".into(),
        nif: "501234560".into(),
        // A business buyer's address is mandatory on its invoices (CIVA art. 36 n.º 5 a)): issuing checks it.
        address: "Rua de Santa Catarina 100".into(),
        postal_code: "4000-447".into(),
        city: "Porto".into(),
        ..Default::default()
    };
    let customer = customers::create(&ws, &c).await.expect("customer").id;
    let mut ids = Vec::new();
    for (desc, price) in [("Consultoria fiscal", "100"), ("Processamento salarial", "80"), ("Formação", "50")] {
        let line = LineInput {
            description: desc.into(),
            quantity: "2".into(),
            unit_price: price.into(),
            tax_code: "NOR".into(),
            ..Default::default()
        };
        let input = DocumentInput {
            customer_id: Some(customer),
            lines: vec![line],
            ..DocumentInput::new(DocType::Ft, "2026-11-20")
        };
        ids.push(documents::save_draft(&ws, None, &input).await.expect("draft").id);
    }
    let issued = ids[0];
    ws.store().close().await;
    let fiscal = moloni.issue(dir, issued).await.fiscal.expect("fiscal data");
    (issued, ids[1], fiscal)
}

async fn open_document(app: &Client, id: Uuid) {
    wait_for(app, "#nav-documents").await.click().await.expect("documents");
    wait_for(app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("open row");
    wait_for(app, "#doc-pdf").await.click().await.expect("pdf button");
    wait_for(app, "#print-sheet").await;
}

async fn text_of(app: &Client, css: &str) -> String {
    wait_for(app, css).await.text().await.expect("text")
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_batch_export_and_company_switcher() {
    let data = tempfile::tempdir().expect("tempdir");
    let moloni = standin_issue::Moloni::start().await;
    let (issued, draft, recorded) = seed(data.path(), &moloni).await;
    let driver = Driver::start();
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#company-name").await;
    // The tests speak Portuguese, whatever the machine's language.
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("pt");

    // An issued invoice: its number, ATCUD above a QR code, the certification phrase; no watermark.
    open_document(&app, issued).await;
    assert_eq!(text_of(&app, "#print-number").await, "FT 2026A/1");
    let fiscal = text_of(&app, "#print-fiscal").await;
    assert!(recorded.atcud.starts_with("JJ8XK2P") && recorded.atcud.ends_with("-1"), "{}", recorded.atcud);
    assert!(
        fiscal.contains(&format!("ATCUD:{}", recorded.atcud))
            && fiscal.contains(&format!("{}-Processado por programa certificado", recorded.hash4)),
        "{fiscal}"
    );
    assert!(exists(&app, "#print-fiscal svg path").await, "the QR code is drawn");
    assert!(!exists(&app, ".sheet .watermark").await);
    assert!(text_of(&app, "#print-totals").await.contains("246,00 €"));
    screenshot(&app, "print-01-issued-preview").await;
    wait_for(&app, "#print-close").await.click().await.expect("close preview");

    // A draft: the watermark, the draft label, no fiscal block.
    open_document(&app, draft).await;
    let watermark = text_of(&app, ".sheet .watermark").await;
    assert_eq!(watermark, "RASCUNHO — Este documento não serve de fatura");
    assert_eq!(text_of(&app, "#print-number").await, "Rascunho FT/2");
    assert!(!exists(&app, "#print-fiscal").await, "a draft shows no fiscal marks");
    assert!(text_of(&app, "#print-pages").await.starts_with("1 pág."));
    screenshot(&app, "print-02-draft-preview").await;
    wait_for(&app, "#print-close").await.click().await.expect("close preview");
    wait_for(&app, "#doc-close").await.click().await.expect("close editor");

    // The filtered list (invoices) to a folder, with the progress bar reaching the end.
    let out = data.path().join("exportados");
    wait_for(&app, "#filter-type option[value='FT']").await.click().await.expect("filter FT");
    wait_until("three invoices listed", || async {
        app.find_all(Locator::Css(".document-row")).await.map(|r| r.len() == 3).unwrap_or(false)
    })
    .await;
    wait_for(&app, "#export-pdf").await.click().await.expect("export");
    type_into(&app, "#batch-path", out.to_str().expect("path")).await;
    wait_for(&app, "#batch-start").await.click().await.expect("start");
    let done = text_of(&app, "#batch-done").await;
    assert!(done.starts_with("3 documentos, 3 páginas"), "{done}");
    assert_eq!(text_of(&app, "#batch-count").await, "3 / 3");
    screenshot(&app, "print-03-batch-done").await;
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["FT_2026A-1.pdf", "Rascunho_FT-2.pdf", "Rascunho_FT-3.pdf"]);
    wait_for(&app, "#batch-close").await.click().await.expect("close batch");

    // A second company: created from the switcher, it is on screen and has no documents.
    wait_for(&app, "#company-menu-button").await.click().await.expect("menu");
    wait_for(&app, "#company-new").await.click().await.expect("new company");
    type_into(&app, "#company-name-input", "Tejo Serviços").await;
    type_into(&app, "#company-nif", "503504564").await;
    wait_for(&app, "#company-save").await.click().await.expect("create");
    wait_until("header shows the new company", || async {
        text_of(&app, "#company-name").await.starts_with("Tejo Serviços")
    })
    .await;
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#document-list").await;
    wait_until("no documents in the new company", || async {
        text_of(&app, ".documents .count").await.starts_with("0 ")
    })
    .await;
    wait_for(&app, "#company-menu-button").await.click().await.expect("menu");
    wait_for(&app, "#company-menu").await;
    screenshot(&app, "print-04-company-switcher").await;
    wait_for(&app, ".menu-item[data-company='Contabilidade Rio, Lda']").await.click().await.expect("switch back");
    wait_until("header shows the first company", || async {
        text_of(&app, "#company-name").await.starts_with("Contabilidade Rio")
    })
    .await;
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_until("its three documents are back", || async {
        app.find_all(Locator::Css(".document-row")).await.map(|r| r.len() == 3).unwrap_or(false)
    })
    .await;

    // Its details: a wrong IBAN is refused as typed and nothing is saved; fixed, it saves and prints.
    wait_for(&app, "#company-menu-button").await.click().await.expect("menu");
    wait_for(&app, "#company-details").await.click().await.expect("details");
    wait_until("the profile is loaded", || async {
        wait_for(&app, "#company-nif").await.prop("value").await.ok().flatten().as_deref() == Some("509442013")
    })
    .await;
    type_into(&app, "#company-iban", "PT50 0002 0123 1234 5678 9015 5").await;
    wait_for(&app, "#company-save").await.click().await.expect("save");
    let err = text_of(&app, "#company-iban-error").await;
    assert!(err.contains("IBAN"), "{err}");
    assert!(!exists(&app, "#company-saved").await, "nothing saved with a wrong IBAN");
    type_into(&app, "#company-iban", "PT50 0002 0123 1234 5678 9015 4").await;
    type_into(&app, "#company-capital", "5.000,00").await;
    wait_for(&app, "#company-save").await.click().await.expect("save");
    wait_for(&app, "#company-saved").await;
    screenshot(&app, "print-05-company-details").await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let profile = ws.company_profile().await.expect("profile");
    assert_eq!(profile.share_capital.map(|m| m.to_plain_string()).as_deref(), Some("5000.00"));
    // A draft prints today's details; the issued document prints those it was issued with (its snapshot).
    let view = desk_core::printing::view(&ws, draft, Lang::Pt).await.expect("view");
    assert!(
        view.issuer.legal_lines.contains(&"Capital social 5.000,00 €".to_string()),
        "{:?}",
        view.issuer.legal_lines
    );
    let issued_view = desk_core::printing::view(&ws, issued, Lang::Pt).await.expect("view");
    assert!(
        !issued_view.issuer.legal_lines.iter().any(|l| l.contains("5.000,00")),
        "{:?}",
        issued_view.issuer.legal_lines
    );
}
