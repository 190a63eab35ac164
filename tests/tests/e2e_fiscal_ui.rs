//! End to end on the real app (issue 13, what the screens show): VAT rate labels come from the dated table for each
//! line's zone and the document's date (Azores, Madeira, a 2024 date); a product's zone and kind; the draft label
//! in the UI language ("Draft FT/1"); a customer's warnings (terms over 60 days between companies, an unusual
//! withholding rate) and its withholding rate starting its documents. What was stored is read through the engine
//! after the app is closed. Screenshots in target/e2e/.

use desk_core::{customers, documents, products, Workspace};
use desk_model::document::DocState;
use desk_model::tax::{FiscalZone, TaxCode};
use desk_tests::{exists, screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::{Client, Locator};
use std::path::Path;

/// The scenarios run one at a time: two apps at once on two cores would only slow both.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const ESC: &str = "\u{E00C}";

async fn text(app: &Client, css: &str) -> String {
    match app.find(Locator::Css(css)).await {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn value(app: &Client, css: &str) -> String {
    wait_for(app, css).await.prop("value").await.ok().flatten().unwrap_or_default()
}

/// The texts of a select's options, in order.
async fn options(app: &Client, select: &str) -> Vec<String> {
    let mut out = Vec::new();
    for o in app.find_all(Locator::Css(&format!("{select} option"))).await.unwrap_or_default() {
        out.push(o.text().await.unwrap_or_default());
    }
    out
}

async fn pick(app: &Client, select: &str, value: &str) {
    wait_for(app, &format!("{select} option[value='{value}']"))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot choose {value} in {select}: {e}"));
}

/// Launches the app on a fresh data folder: the first run (with or without the sample customers), then `lang`.
async fn first_run(driver: &Driver, data: &Path, samples: bool, lang: &str) -> Client {
    let app = driver.launch(data).await;
    wait_for(&app, "#first-run-form").await;
    type_into(&app, "#fr-company-name", "Contabilidade Silva").await;
    if !samples {
        wait_for(&app, "#fr-sample").await.click().await.expect("no samples");
    }
    wait_for(&app, "#fr-start").await.click().await.expect("start");
    wait_for(&app, &format!("#lang-{lang}")).await.click().await.expect("language");
    wait_for(&app, "#nav-documents").await;
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_labels_follow_the_lines_zone_and_the_documents_date() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path(), true, "pt-PT").await;

    // A service located in the Azores: the form labels the Azores rates in force today.
    wait_for(&app, "#nav-products").await.click().await.expect("products");
    wait_for(&app, "#new-product").await.click().await.expect("new product");
    assert_eq!(options(&app, "#pf-tax").await, ["23 %", "13 %", "6 %", "Isento"], "mainland by default");
    pick(&app, "#pf-zone", "PT-AC").await;
    wait_until("the Azores rates", || async { options(&app, "#pf-tax").await == ["16 %", "9 %", "4 %", "Isento"] })
        .await;
    pick(&app, "#pf-kind", "service").await;
    type_into(&app, "#pf-reference", "ACOR-H").await;
    type_into(&app, "#pf-name", "Hora de consultoria nos Açores").await;
    type_into(&app, "#pf-price", "100").await;
    screenshot(&app, "fiscal-01-azores-product").await;
    wait_for(&app, "#pf-save").await.click().await.expect("save product");
    let row = wait_for(&app, ".product-row[data-reference='ACOR-H']").await;
    assert!(row.text().await.expect("row").contains("16 % Açores"), "the list shows the zone's rate");

    // A draft: the line picked from the product takes its zone, and its select says 16 %, 9 %, 4 %.
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");
    type_into(&app, "#doc-customer", "padaria").await;
    wait_for(&app, "#customer-suggestions li").await.click().await.expect("pick customer");
    assert_eq!(options(&app, "#line-0-tax").await, ["23 %", "13 %", "6 %", "Isento"]);
    type_into(&app, "#line-0-description", "Hora de").await;
    wait_for(&app, "#line-0-suggestions li").await.click().await.expect("pick product");
    wait_until("the line is in the Azores", || async { value(&app, "#line-0-zone").await == "PT-AC" }).await;
    assert_eq!(options(&app, "#line-0-tax").await, ["16 %", "9 %", "4 %", "Isento"]);
    // 100.00 + 16 % = 116.00.
    wait_until("the Azores total", || async { text(&app, "#total-total").await == "116,00 €" }).await;
    screenshot(&app, "fiscal-02-azores-line").await;

    // Madeira, reduced rate: 4 % today, 5 % on 30/09/2024 (DLR 6/2024/M changed it on 01/10/2024).
    pick(&app, "#line-0-zone", "PT-MA").await;
    wait_until("the Madeira rates", || async {
        options(&app, "#line-0-tax").await == ["22 %", "12 %", "4 %", "Isento"]
    })
    .await;
    pick(&app, "#line-0-tax", "RED").await;
    wait_until("the Madeira total today", || async { text(&app, "#total-total").await == "104,00 €" }).await;
    type_into(&app, "#doc-date", "30/09/2024").await;
    wait_until("the 2024 Madeira rates", || async {
        options(&app, "#line-0-tax").await == ["22 %", "12 %", "5 %", "Isento"]
    })
    .await;
    wait_until("the 2024 total", || async { text(&app, "#total-total").await == "105,00 €" }).await;
    screenshot(&app, "fiscal-03-madeira-2024").await;
    // Esc right after the last change stores it.
    wait_for(&app, "#doc-date").await.send_keys(ESC).await.expect("Esc");
    wait_for(&app, "#document-list").await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let p = products::by_reference(&ws, "ACOR-H").await.expect("product");
    assert_eq!(
        (p.tax.zone, p.tax.code, p.kind),
        (FiscalZone::PtAc, TaxCode::Nor, desk_model::ipc::ProductKind::Service)
    );
    let page = documents::list(&ws, &Default::default()).await.expect("list");
    assert_eq!(page.items.len(), 1);
    let doc = documents::get(&ws, page.items[0].id).await.expect("get");
    assert_eq!((doc.lines[0].tax.zone, doc.lines[0].tax.code), (FiscalZone::PtMa, TaxCode::Red));
    assert_eq!(doc.date.to_string(), "2024-09-30");
    assert_eq!((doc.vat.to_plain_string(), doc.total.to_plain_string()), ("5.00".into(), "105.00".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_english_draft_label_and_a_customers_warnings_and_withholding() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path(), false, "en").await;

    // A company agreed at 90 days: the form warns under the field (DL 62/2013), and still saves.
    wait_for(&app, "#nav-customers").await.click().await.expect("customers");
    wait_for(&app, "#new-customer").await.click().await.expect("new customer");
    type_into(&app, "#cf-name", "Tejo Consultores, Lda.").await;
    type_into(&app, "#cf-nif", "501964843").await;
    type_into(&app, "#cf-address", "Rua do Ouro 12").await;
    type_into(&app, "#cf-postal", "1100-060").await;
    type_into(&app, "#cf-city", "Lisboa").await;
    type_into(&app, "#cf-terms", "90").await;
    let hint = wait_for(&app, "#cf-terms-error.field-hint").await.text().await.expect("hint");
    assert_eq!(hint, "A 90-day term: between businesses, more than 60 days needs an express agreement (DL 62/2013).");
    // A withholding rate outside the table warns; 23 % (CIRS art. 101, art. 151 professions) does not.
    type_into(&app, "#cf-withholding", "21.5").await;
    let hint = wait_for(&app, "#cf-withholding-error.field-hint").await.text().await.expect("hint");
    assert!(hint.starts_with("Withholding rate 21.5%"), "{hint}");
    screenshot(&app, "fiscal-04-customer-warnings").await;
    type_into(&app, "#cf-withholding", "23").await;
    wait_until("no withholding warning", || async { !exists(&app, "#cf-withholding-error").await }).await;
    wait_for(&app, "#cf-save").await.click().await.expect("save customer");
    wait_for(&app, ".customer-row[data-nif='501964843']").await;

    // A new document for it starts with its withholding and warns on the 90-day due date.
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");
    type_into(&app, "#doc-customer", "tejo").await;
    wait_for(&app, "#customer-suggestions li").await.click().await.expect("pick customer");
    wait_until("the customer's withholding", || async { value(&app, "#doc-withholding").await == "23" }).await;
    let due = wait_for(&app, "#doc-due-warning").await.text().await.expect("due warning");
    assert!(due.starts_with("A 90-day term"), "{due}");
    type_into(&app, "#line-0-description", "Consulting").await;
    type_into(&app, "#line-0-price", "1000").await;
    // The stored draft's label, in English.
    wait_until("the English draft label", || async { text(&app, "#doc-number").await == "Draft FT/1" }).await;
    // 1,000.00 + 23 % VAT = 1,230.00; 23 % withheld on 1,000.00 = 230.00; payable 1,000.00.
    wait_until("the amount payable", || async { text(&app, "#total-payable").await.contains("1,000.00") }).await;
    screenshot(&app, "fiscal-05-english-draft").await;
    wait_for(&app, "#doc-close").await.click().await.expect("close");
    let row = wait_for(&app, ".document-row td").await.text().await.expect("row");
    assert_eq!(row, "Draft FT/1");
    screenshot(&app, "fiscal-06-english-list").await;
    // The same draft in Portuguese.
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    wait_until("the Portuguese draft label", || async { text(&app, ".document-row td").await == "Rascunho FT/1" })
        .await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let page = customers::list(&ws, &Default::default()).await.expect("customers");
    let c = &page.items[0];
    assert_eq!((c.payment_terms_days, c.withholding_rate.map(|p| p.0.to_string())), (Some(90), Some("23".into())));
    let rows = documents::list(&ws, &Default::default()).await.expect("list");
    let doc = documents::get(&ws, rows.items[0].id).await.expect("get");
    assert_eq!(doc.state, DocState::Draft);
    // The data keeps no language: the number the CLI prints, and the draft number the screens label.
    assert_eq!((doc.number.as_str(), doc.draft_number), ("Rascunho FT/1", Some(1)));
    assert_eq!(doc.withholding_rate.map(|p| p.0.to_string()), Some("23".into()));
    assert_eq!(doc.due_date.map(|d| (d - doc.date).num_days()), Some(90));
    assert_eq!((doc.withholding.to_plain_string(), doc.total.to_plain_string()), ("230.00".into(), "1230.00".into()));
}

/// Withholding per line (CIRS art. 101): a service carries its own rate on the product form; a document for a
/// customer who withholds shows the per-line column; a line picked from the service takes its rate, one picked
/// from goods withholds nothing; a rate typed on a line and left at once with Esc is stored.
#[tokio::test(flavor = "multi_thread")]
async fn a_service_brings_its_withholding_to_its_line_and_goods_none() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path(), false, "pt-PT").await;
    {
        let ws = Workspace::open_dir(data.path(), "set-up".into()).await.expect("open");
        let c = desk_model::ipc::CustomerInput {
            name: "Tejo Consultores, Lda.".into(),
            nif: "501964843".into(),
            address: "Rua do Ouro 12".into(),
            postal_code: "1100-060".into(),
            city: "Lisboa".into(),
            withholding: "23".into(),
            ..Default::default()
        };
        customers::create(&ws, &c).await.expect("customer");
        ws.store().close().await;
    }
    // A service with its own rate; goods have no such field.
    wait_for(&app, "#nav-products").await.click().await.expect("products");
    wait_for(&app, "#new-product").await.click().await.expect("new product");
    assert!(!exists(&app, "#pf-withholding").await, "goods are not withheld on");
    pick(&app, "#pf-kind", "service").await;
    type_into(&app, "#pf-reference", "RENDA").await;
    type_into(&app, "#pf-name", "Renda do escritório").await;
    type_into(&app, "#pf-price", "100").await;
    type_into(&app, "#pf-withholding", "25").await;
    screenshot(&app, "fiscal-07-service-withholding").await;
    wait_for(&app, "#pf-save").await.click().await.expect("save service");
    wait_for(&app, ".product-row[data-reference='RENDA']").await;
    wait_for(&app, "#new-product").await.click().await.expect("new product");
    type_into(&app, "#pf-reference", "LIVRO").await;
    type_into(&app, "#pf-name", "Livro de apoio").await;
    type_into(&app, "#pf-price", "20").await;
    wait_for(&app, "#pf-save").await.click().await.expect("save goods");
    wait_for(&app, ".product-row[data-reference='LIVRO']").await;

    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");
    assert!(!exists(&app, "#line-0-withholding").await, "no column while nothing is withheld");
    type_into(&app, "#doc-customer", "tejo").await;
    wait_for(&app, "#customer-suggestions li").await.click().await.expect("pick customer");
    wait_until("the customer's withholding", || async { value(&app, "#doc-withholding").await == "23" }).await;
    type_into(&app, "#line-0-description", "Renda").await;
    wait_for(&app, "#line-0-suggestions li").await.click().await.expect("pick the service");
    wait_until("the service's rate", || async { value(&app, "#line-0-withholding").await == "25" }).await;
    wait_for(&app, "#add-line").await.click().await.expect("add line");
    type_into(&app, "#line-1-description", "Livro").await;
    wait_for(&app, "#line-1-suggestions li").await.click().await.expect("pick the goods");
    wait_until("nothing on goods", || async { value(&app, "#line-1-withholding").await == "0" }).await;
    // 25 % of 100,00 = 25,00 withheld; the book none
    wait_until("the withholding", || async { text(&app, "#totals").await.contains("25,00 €") }).await;
    screenshot(&app, "fiscal-08-line-withholding").await;
    // a rate typed on the line, then Esc at once
    type_into(&app, "#line-0-withholding", "11,5").await;
    wait_for(&app, "#line-0-withholding").await.send_keys(ESC).await.expect("Esc");
    wait_for(&app, "#document-list").await;
    app.close().await.expect("close");
    drop(driver);

    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let p = products::by_reference(&ws, "RENDA").await.expect("service");
    assert_eq!(p.withholding_rate.map(|r| r.0.to_string()), Some("25".into()));
    let rows = documents::list(&ws, &Default::default()).await.expect("list");
    let doc = documents::get(&ws, rows.items[0].id).await.expect("get");
    let rates: Vec<Option<String>> = doc.lines.iter().map(|l| l.withholding.map(|r| r.0.to_string())).collect();
    assert_eq!(rates, [Some("11.5".to_string()), Some("0".to_string())]);
    // 11,5 % of 100,00 = 11,50
    assert_eq!(doc.withholding.to_plain_string(), "11.50");
}
