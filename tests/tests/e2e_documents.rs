//! End to end on the real app: a draft invoice with three lines (23 %, 6 % and an exempt line with its
//! M-code) shows live totals computed by desk-model, saves, and the engine stores exactly what was shown.

use desk_model::money::format_money;
use desk_model::msg::Lang;
use desk_tests::{screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread")]
async fn a_three_rate_draft_shows_the_engines_totals_and_survives_a_restart() {
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = driver.launch(data.path()).await;

    // First run with the sample customers, then the documents page.
    wait_for(&app, "#first-run-form").await;
    type_into(&app, "#fr-company-name", "Contabilidade Silva").await;
    wait_for(&app, "#fr-start").await.click().await.expect("start");
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");

    // Customer by search.
    type_into(&app, "#doc-customer", "padaria").await;
    wait_for(&app, "#customer-suggestions li").await.click().await.expect("pick customer");

    // Three lines: 23 %, 6 %, exempt M07.
    type_into(&app, "#line-0-description", "Consultoria fiscal").await;
    type_into(&app, "#line-0-quantity", "2").await;
    type_into(&app, "#line-0-price", "100").await;
    for (i, desc, qty, price, tax) in
        [(1, "Livro de contabilidade", "1", "10", "RED"), (2, "Formação profissional", "1", "50", "ISE")]
    {
        wait_for(&app, "#add-line").await.click().await.expect("add line");
        type_into(&app, &format!("#line-{i}-description"), desc).await;
        type_into(&app, &format!("#line-{i}-quantity"), qty).await;
        type_into(&app, &format!("#line-{i}-price"), price).await;
        wait_for(&app, &format!("#line-{i}-tax option[value='{tax}']")).await.click().await.expect("tax");
    }
    // Without the exemption reason the totals wait for it.
    wait_for(&app, "#line-2-exemption option[value='M07']").await.click().await.expect("exemption");
    wait_until("live totals", || async { app.find(Locator::Css("#total-total")).await.is_ok() }).await;
    let shown_total = wait_for(&app, "#total-total").await.text().await.expect("total");
    let shown_vat = wait_for(&app, "#total-vat").await.text().await.expect("vat");
    let vat_rows = app.find_all(Locator::Css(".vat-row")).await.expect("rows").len();
    assert_eq!(vat_rows, 3, "one VAT summary row per rate");
    screenshot(&app, "documents-01-draft-three-rates").await;

    wait_for(&app, "#doc-save").await.click().await.expect("save");
    wait_for(&app, "#doc-status").await;
    app.close().await.expect("close");
    drop(driver);

    // The engine stored what the screen showed, computed by the same desk-model code.
    let ws = desk_core::Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let page = desk_core::documents::list(&ws, &Default::default()).await.expect("list");
    assert_eq!(page.items.len(), 1);
    let doc = desk_core::documents::get(&ws, page.items[0].id).await.expect("get");
    assert_eq!(doc.lines.len(), 3);
    assert_eq!(doc.customer_name, "Padaria Ribeiro, Lda.");
    assert_eq!(doc.total.to_plain_string(), "306.60");
    assert_eq!(doc.vat.to_plain_string(), "46.60");
    let lang = if shown_total.contains('€') && shown_total.starts_with('€') { Lang::En } else { Lang::Pt };
    assert_eq!(shown_total, format_money(doc.total, lang));
    assert_eq!(shown_vat, format_money(doc.vat, lang));
    assert!(doc.fiscal.is_none() && doc.state == desk_model::document::DocState::Draft, "a draft has no fiscal data");
}
