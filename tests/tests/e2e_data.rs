//! End to end on the real app (issue 17): the import wizard (a path typed and the screen left at once keeps it;
//! the preview; a column mapped by hand; a profile name typed and left; the commit with its result), the review
//! list, the dashboard's sales against last year with its chart, the VAT report with its period typed and left,
//! and an export written to the documents folder. Screenshots in target/e2e/: data-import-preview,
//! data-dashboard, data-report-vat, data-review.

use desk_core::api::RunMut;
use desk_core::Workspace;
use desk_model::ipc::call;
use desk_model::ipc::{CustomerInput, FirstRunInput, ImportKind, ImportProgress, ImportRequest};
use desk_tests::{exists, screenshot, type_into, wait_for, wait_until, Driver};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import").join(name)
}

/// A data folder with Contabilidade Silva and generated customers and documents (30 products).
async fn with_sample(dir: &Path, customers: usize, documents: usize) -> Workspace {
    let mut ws = Workspace::open_dir(dir, "tester".into()).await.expect("open");
    call::FirstRun {
        input: FirstRunInput {
            company_name: "Contabilidade Silva".into(),
            company_nif: "501964843".into(),
            load_sample_data: false,
        },
    }
    .run_mut(&mut ws)
    .await
    .expect("first run");
    let spec = desk_core::sample::SampleSpec { customers, documents, products: 30, ..Default::default() };
    desk_core::sample::generate(&ws, &spec, |_, _, _| {}).await.expect("sample");
    ws
}

/// A company past its first run, with generated sales and one value waiting for review.
async fn seed(dir: &Path) {
    let ws = with_sample(dir, 40, 900).await;
    desk_core::customers::create(
        &ws,
        &CustomerInput {
            name: "Papelaria Central".into(),
            nif: "226758257".into(),
            city: "Braga".into(),
            ..Default::default()
        },
    )
    .await
    .expect("customer");
    let csv = dir.join("papelaria.csv");
    std::fs::write(&csv, "Nome;NIF;Localidade\nPapelaria Central;226758257;Guimarães\n").expect("csv");
    let req = ImportRequest { kind: ImportKind::Customers, path: csv.display().to_string(), ..Default::default() };
    let progress = |_: ImportProgress| {};
    desk_core::import::commit(&ws, &req, &progress, &AtomicBool::new(false)).await.expect("import");
    ws.store().close().await;
}

async fn value(app: &fantoccini::Client, css: &str) -> String {
    wait_for(app, css).await.prop("value").await.ok().flatten().unwrap_or_default()
}

async fn text(app: &fantoccini::Client, css: &str) -> String {
    wait_for(app, css).await.text().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn import_review_dashboard_reports_and_export() {
    let data = tempfile::tempdir().expect("tempdir");
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir_all(home.path().join("Documents")).expect("documents");
    seed(data.path()).await;
    let driver = Driver::start_with_env(&[("HOME", &home.path().display().to_string())]);
    let app = driver.launch(data.path()).await;
    // the screens in Portuguese, the exports too (CSV with BOM and ;)
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("pt");

    // The import wizard: the path typed, the screen left at once, and back: it is still there.
    wait_for(&app, "#nav-import").await.click().await.expect("import");
    let path = fixture("phc-windows-1252.csv").display().to_string();
    type_into(&app, "#import-file", &path).await;
    wait_for(&app, "#nav-dashboard").await.click().await.expect("away");
    wait_for(&app, "#nav-import").await.click().await.expect("back");
    wait_until("the typed path is back", || async { value(&app, "#import-file").await == path }).await;

    wait_for(&app, "#import-preview-run").await.click().await.expect("preview");
    wait_for(&app, "#import-preview").await;
    screenshot(&app, "data-import-preview").await;
    assert!(text(&app, "#import-format").await.contains("windows-1252"), "{}", text(&app, "#import-format").await);
    assert!(text(&app, "#import-new").await.contains('4'), "{}", text(&app, "#import-new").await);
    // (the sample cells clip their overflow; WebKit's driver reads their text as blank, so read the content)
    let first = wait_for(&app, "#import-mapping tbody tr:nth-child(2) td:first-child")
        .await
        .prop("textContent")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert_eq!(first, "Padaria Conceição, Lda.");

    // A column mapped by hand: the notes column ignored, the preview follows.
    let notes = wait_for(&app, "#map-col-7").await;
    notes.select_by_value("").await.expect("ignore notes");
    wait_until("the mapping is kept", || async { value(&app, "#map-col-7").await.is_empty() }).await;

    // A profile name typed, the screen left at once, and back: kept.
    type_into(&app, "#import-profile-name", "Exportação PHC antiga").await;
    wait_for(&app, "#nav-reports").await.click().await.expect("away");
    wait_for(&app, "#nav-import").await.click().await.expect("back");
    wait_until("the profile name is back", || async {
        value(&app, "#import-profile-name").await == "Exportação PHC antiga"
    })
    .await;
    wait_until("the hand mapping is back", || async { value(&app, "#map-col-7").await.is_empty() }).await;
    wait_for(&app, "#import-profile-save").await.click().await.expect("save profile");
    wait_for(&app, "#import-profile-message").await;

    wait_for(&app, "#import-commit").await.click().await.expect("commit");
    wait_until("the import ends", || async { exists(&app, "#import-result").await }).await;
    let result = text(&app, "#import-result").await;
    assert!(result.contains("4 novos") || result.contains("4 new"), "{result}");

    // The review list: the city that differed, taken.
    wait_for(&app, "#nav-review").await.click().await.expect("review");
    let row = text(&app, "#review-0").await;
    assert!(row.contains("Braga") && row.contains("Guimarães"), "{row}");
    screenshot(&app, "data-review").await;
    wait_for(&app, "#review-take-0").await.click().await.expect("take");
    wait_for(&app, "#review-empty").await;

    // The dashboard: this year against last year, the monthly chart drawn as SVG.
    wait_for(&app, "#nav-dashboard").await.click().await.expect("dashboard");
    wait_for(&app, "#tile-year").await;
    wait_for(&app, "#dashboard-chart svg rect.bar").await;
    wait_for(&app, "#top-customers").await;
    screenshot(&app, "data-dashboard").await;

    // The VAT report: the period typed and the screen left at once; back, it is kept and the report shows it.
    wait_for(&app, "#nav-reports").await.click().await.expect("reports");
    wait_for(&app, "#report-vat").await.click().await.expect("vat");
    type_into(&app, "#report-from", "01/01/2020").await;
    wait_for(&app, "#nav-customers").await.click().await.expect("away");
    wait_for(&app, "#nav-reports").await.click().await.expect("back");
    wait_until("the period is back", || async { value(&app, "#report-from").await == "01/01/2020" }).await;
    let total = text(&app, "#report-total").await;
    assert!(total.contains('€'), "{total}");
    wait_for(&app, "#report-chart").await;
    screenshot(&app, "data-report-vat").await;

    // Export it: a CSV in the documents folder, Portuguese (BOM and ;).
    wait_for(&app, "#export-csv").await.click().await.expect("export");
    let saved = wait_for(&app, "#export-saved").await.attr("title").await.ok().flatten().unwrap_or_default();
    let file = std::fs::read_dir(home.path().join("Documents/desk-moloni"))
        .expect("export folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("a csv");
    assert!(saved.contains(&file.display().to_string()), "{saved}");
    let bytes = std::fs::read(&file).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFZona;C"), "{:?}", &bytes[..20]);
    app.close().await.expect("close");
    drop(driver);

    // The engine agrees: the import stored 4 more customers, the review took the incoming city.
    let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
    let c = desk_core::customers::list(
        &ws,
        &desk_model::ipc::CustomerQuery { text: "papelaria".into(), ..Default::default() },
    )
    .await
    .expect("list");
    assert_eq!(c.items[0].city.as_deref(), Some("Guimarães"));
    let kept = desk_core::screen::get(&ws, "import").await.expect("kept").unwrap_or_default();
    assert!(kept.contains("Exportação PHC antiga"), "{kept}");
}

/// Over an office's worth of customers the report by customer lists the 300 largest and says so; the total counts
/// them all.
#[tokio::test(flavor = "multi_thread")]
async fn the_report_by_customer_shows_the_300_largest_and_says_there_are_more() {
    let data = tempfile::tempdir().expect("tempdir");
    {
        let ws = with_sample(data.path(), 500, 1500).await;
        ws.store().close().await;
    }
    let full = {
        let ws = Workspace::open_dir(data.path(), "check".into()).await.expect("open");
        let from = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
        let to = chrono::Local::now().date_naive();
        let r = desk_core::reports::sales(&ws, from, to, desk_model::ipc::SalesBy::Customer).await.expect("report");
        ws.store().close().await;
        r
    };
    assert!(full.rows.len() > 300, "the data has more than 300 customers with sales: {}", full.rows.len());
    let driver = Driver::start();
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("pt");
    wait_for(&app, "#nav-reports").await.click().await.expect("reports");
    wait_for(&app, "#report-sales").await.click().await.expect("sales");
    type_into(&app, "#report-from", "01/01/2020").await;
    wait_for(&app, "#report-by").await.select_by_value("customer").await.expect("by customer");
    wait_until("the note that there are more", || async { exists(&app, "#report-more").await }).await;
    let rows = app.find_all(fantoccini::Locator::Css("#report-table tbody tr")).await.expect("rows");
    assert_eq!(rows.len(), 300, "the 300 largest");
    let first = rows[0].text().await.expect("first row");
    assert!(first.starts_with(&full.rows[0].label), "the largest first: {first}");
    let total = text(&app, "#report-total").await;
    assert!(total.contains(&full.documents.to_string()), "the total counts every document: {total}");
    wait_for(&app, "#report-more").await.click().await.expect("look at the note");
    screenshot(&app, "data-report-customers").await;
    app.close().await.expect("close");
}
