//! End to end on the real app (issue 10): the document editor never loses typing. What was stored is read through
//! the engine with the `desk` CLI (`--json`), never from the screen: autosave after a pause, Esc right after
//! typing, continuous typing on a new draft (one draft, however the saves overlap), a form that is not a draft
//! yet surviving SIGKILL and offered back, and search answers that arrive out of order.

use desk_tests::{exists, required_env, screenshot, wait_for, wait_until, Driver};
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The scenarios run one at a time: each measures time, and two apps at once on two cores would blur that.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const ESC: &str = "\u{E00C}";
const END: &str = "\u{E010}";

/// `desk --data-dir <data> --json <args>`, parsed.
fn desk(data: &Path, args: &[&str]) -> Value {
    let bin = required_env("DESK_CLI_BIN");
    let out = Command::new(&bin)
        .arg("--data-dir")
        .arg(data)
        .arg("--json")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    assert!(out.status.success(), "desk {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("desk {args:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The stored documents (rows), as the engine lists them.
fn stored_rows(data: &Path) -> Vec<Value> {
    desk(data, &["documents", "list"])["items"].as_array().cloned().unwrap_or_default()
}

/// The first line's description of a stored document.
fn stored_description(data: &Path, id: &str) -> String {
    desk(data, &["documents", "show", id])["lines"][0]["description"].as_str().unwrap_or_default().to_string()
}

/// Polls the engine until `check` holds, for at most `within`; returns how long it took.
async fn engine_until(what: &str, within: Duration, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if check() {
            return start.elapsed();
        }
        assert!(start.elapsed() < within, "the engine did not show {what} within {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn value(app: &Client, css: &str) -> String {
    wait_for(app, css).await.prop("value").await.ok().flatten().unwrap_or_default()
}

async fn text(app: &Client, css: &str) -> String {
    match app.find(Locator::Css(css)).await {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Types `s` one character at a time, `gap` apart (each character its own key events, as a person types).
async fn type_slowly(app: &Client, css: &str, s: &str, gap: Duration) {
    let el = wait_for(app, css).await;
    el.click().await.unwrap_or_else(|e| panic!("cannot focus {css}: {e}"));
    el.send_keys(END).await.unwrap_or_else(|e| panic!("cannot go to the end of {css}: {e}"));
    for c in s.chars() {
        el.send_keys(&c.to_string()).await.unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
        tokio::time::sleep(gap).await;
    }
}

/// Launches the app on a fresh data folder and completes the first run with the sample customers.
async fn first_run(driver: &Driver, data: &Path) -> Client {
    let app = driver.launch(data).await;
    wait_for(&app, "#first-run-form").await;
    desk_tests::type_into(&app, "#fr-company-name", "Contabilidade Silva").await;
    wait_for(&app, "#fr-start").await.click().await.expect("start");
    // The texts checked below are the Portuguese ones, whatever the machine's language.
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    wait_for(&app, "#nav-documents").await;
    app
}

/// A new document with a customer picked by search.
async fn new_document_for_padaria(app: &Client) {
    wait_for(app, "#nav-documents").await.click().await.expect("documents");
    wait_for(app, "#new-document").await.click().await.expect("new document");
    desk_tests::type_into(app, "#doc-customer", "padaria").await;
    wait_for(app, "#customer-suggestions li").await.click().await.expect("pick customer");
}

/// A stored draft for Padaria Ribeiro with one line «Consultoria» at 60 €, made in the editor; returns its id.
async fn stored_draft(app: &Client, data: &Path) -> String {
    new_document_for_padaria(app).await;
    desk_tests::type_into(app, "#line-0-price", "60").await;
    desk_tests::type_into(app, "#line-0-description", "Consultoria").await;
    let start = Instant::now();
    while stored_rows(data).len() != 1 {
        if start.elapsed() > Duration::from_secs(10) {
            screenshot(app, "editor-failed-new-draft").await;
            panic!(
                "the new draft was not stored within 10 s; the status line says «{}»",
                text(app, "#save-status").await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stored_rows(data)[0]["id"].as_str().expect("id").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_then_stopping_stores_every_character_within_three_seconds() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path()).await;
    let id = stored_draft(&app, data.path()).await;

    engine_until("the first description", Duration::from_secs(5), || {
        stored_description(data.path(), &id) == "Consultoria"
    })
    .await;
    let typed = " fiscal de novembro";
    type_slowly(&app, "#line-0-description", typed, Duration::from_millis(60)).await;
    let took = engine_until("every character typed", Duration::from_secs(3), || {
        stored_description(data.path(), &id) == "Consultoria fiscal de novembro"
    })
    .await;
    eprintln!("stored {} characters {took:?} after the last keystroke", typed.chars().count());
    wait_until("the status line says when it was saved", || async {
        text(&app, "#save-status").await.starts_with("Guardado às")
    })
    .await;
    assert_eq!(stored_rows(data.path()).len(), 1, "still one draft");
    screenshot(&app, "editor-01-saved-status").await;
    app.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_right_after_typing_stores_the_edit_and_reopening_shows_it() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path()).await;
    let id = stored_draft(&app, data.path()).await;
    engine_until("the description", Duration::from_secs(5), || stored_description(data.path(), &id) == "Consultoria")
        .await;
    wait_for(&app, "#doc-close").await.click().await.expect("close editor");

    // Reopen the stored draft, type, and press Esc at once (well within 200 ms of the last key).
    wait_for(&app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("open draft");
    let field = wait_for(&app, "#line-0-description").await;
    wait_until("the stored text is on screen", || async { value(&app, "#line-0-description").await == "Consultoria" })
        .await;
    field.click().await.expect("focus");
    field.send_keys(END).await.expect("end");
    field.send_keys(" fiscal").await.expect("type");
    let typed_at = Instant::now();
    field.send_keys(ESC).await.expect("esc");
    let esc_after = typed_at.elapsed();
    assert!(esc_after < Duration::from_millis(200), "Esc came {esc_after:?} after typing");
    wait_for(&app, "#document-list").await;
    engine_until("the edit made just before Esc", Duration::from_secs(2), || {
        stored_description(data.path(), &id) == "Consultoria fiscal"
    })
    .await;

    wait_for(&app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("reopen");
    wait_until("reopening shows the edit", || async {
        value(&app, "#line-0-description").await == "Consultoria fiscal"
    })
    .await;
    assert!(!exists(&app, "#recover-draft").await, "nothing to recover: it was stored");
    app.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn six_seconds_of_typing_on_a_new_draft_make_exactly_one_draft() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    // Slow saves, so saves overlap the typing and each other would if the editor let them.
    let driver = Driver::start_with_env(&[("DESK_TEST_DELAYS", "document_save=1200")]);
    let app = first_run(&driver, data.path()).await;
    new_document_for_padaria(&app).await;

    let price = wait_for(&app, "#line-0-price").await;
    price.click().await.expect("focus price");
    price.send_keys("60").await.expect("price");
    let field = wait_for(&app, "#line-0-description").await;
    field.click().await.expect("focus description");
    let words = "Serviços de contabilidade organizada mensal ";
    let mut typed = String::new();
    let start = Instant::now();
    let mut saw_saving = false;
    let mut statuses: Vec<String> = Vec::new();
    while start.elapsed() < Duration::from_secs(6) && typed.chars().count() < 190 {
        let c = words.chars().nth(typed.chars().count() % words.chars().count()).unwrap_or('x');
        field.send_keys(&c.to_string()).await.expect("type");
        typed.push(c);
        let status = text(&app, "#save-status").await;
        if status == "A guardar…" {
            saw_saving = true;
        }
        if statuses.last() != Some(&status) {
            statuses.push(status);
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    eprintln!("typed {} characters in {:?}", typed.chars().count(), start.elapsed());
    assert!(saw_saving, "a save ran while typing went on (every 3 s at the latest); the status said {statuses:?}");
    // The last save runs 1.2 s: the status line says so while it does.
    wait_until("the status line while saving", || async { text(&app, "#save-status").await == "A guardar…" }).await;
    screenshot(&app, "editor-02-saving-status").await;
    let want = typed.trim_end().to_string();
    engine_until("everything typed, in one draft", Duration::from_secs(8), || {
        let rows = stored_rows(data.path());
        rows.len() == 1 && rows[0]["id"].as_str().is_some_and(|id| stored_description(data.path(), id) == want)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(stored_rows(data.path()).len(), 1, "exactly one draft");
    app.close().await.expect("close");
}

/// The app processes started with this data folder (only ours: the folder is a fresh temporary one).
fn app_pids(data: &Path) -> Vec<String> {
    let out =
        Command::new("pgrep").args(["-f", "--"]).arg(format!("--data-dir {}", data.display())).output().expect("pgrep");
    String::from_utf8_lossy(&out.stdout).split_whitespace().map(str::to_string).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_without_customer_survives_sigkill_and_is_offered_back() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path()).await;
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");
    let desc = wait_for(&app, "#line-0-description").await;
    desc.click().await.expect("focus");
    desc.send_keys("Trabalho por orçamentar").await.expect("description");
    let price = wait_for(&app, "#line-0-price").await;
    price.click().await.expect("focus");
    price.send_keys("12,").await.expect("half-typed price");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pids = app_pids(data.path());
    assert!(!pids.is_empty(), "the app process was not found");
    for pid in &pids {
        let _ = Command::new("kill").args(["-KILL", pid]).status();
    }
    drop(app);
    drop(driver);
    assert!(stored_rows(data.path()).is_empty(), "an incomplete form never becomes a document");

    let driver = Driver::start();
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#recover-draft").await;
    let summary = text(&app, "#recover-summary").await;
    assert!(summary.contains("Trabalho por orçamentar"), "the offer names the form: {summary}");
    screenshot(&app, "editor-03-recovery-prompt").await;
    wait_for(&app, "#recover-draft").await.click().await.expect("recover");
    wait_until("the form is back", || async { value(&app, "#line-0-description").await == "Trabalho por orçamentar" })
        .await;
    assert_eq!(value(&app, "#line-0-price").await, "12,");
    wait_until("the status line says what is missing", || async {
        text(&app, "#save-status").await.contains("escolha o cliente")
    })
    .await;
    screenshot(&app, "editor-04-incomplete-status").await;
    assert!(stored_rows(data.path()).is_empty(), "still not a document");

    // Finish it: with a customer and a price it is stored, and the offer goes away.
    desk_tests::type_into(&app, "#line-0-price", "120").await;
    desk_tests::type_into(&app, "#doc-customer", "padaria").await;
    wait_for(&app, "#customer-suggestions li").await.click().await.expect("pick customer");
    engine_until("the recovered form stored", Duration::from_secs(5), || {
        let rows = stored_rows(data.path());
        rows.len() == 1
            && rows[0]["id"].as_str().is_some_and(|id| stored_description(data.path(), id) == "Trabalho por orçamentar")
    })
    .await;
    wait_for(&app, "#doc-close").await.click().await.expect("close");
    wait_for(&app, "#document-list").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!exists(&app, "#recover-draft").await, "nothing left to recover");
    app.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_late_customer_search_answer_never_replaces_a_newer_one() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start_with_env(&[("DESK_TEST_DELAYS", "customers_list:lda=1500")]);
    let app = first_run(&driver, data.path()).await;
    // Without ordering, the late answer would show more than one customer.
    let broad = desk(data.path(), &["customers", "list", "--search", "lda"]);
    let broad = broad["items"].as_array().or_else(|| broad.as_array()).map(Vec::len).unwrap_or(0);
    assert!(broad >= 2, "«lda» matches several customers ({broad})");

    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#new-document").await.click().await.expect("new document");
    let field = wait_for(&app, "#doc-customer").await;
    field.click().await.expect("focus");
    field.send_keys("lda").await.expect("type");
    tokio::time::sleep(Duration::from_millis(100)).await;
    field.send_keys(" joao").await.expect("type more");
    wait_until("the newer answer", || async { text(&app, "#customer-suggestions").await.contains("João Gonçalves") })
        .await;
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let shown = app.find_all(Locator::Css("#customer-suggestions li")).await.expect("suggestions");
    let mut names = Vec::new();
    for li in shown {
        names.push(li.text().await.unwrap_or_default());
    }
    assert_eq!(names.len(), 1, "only the newer search's answer is shown: {names:?}");
    assert!(names[0].contains("João Gonçalves"), "{names:?}");
    app.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_a_customer_form_with_changes_asks_first() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path()).await;
    wait_for(&app, "#nav-customers").await.click().await.expect("customers");
    wait_for(&app, "#new-customer").await.click().await.expect("new customer");
    desk_tests::type_into(&app, "#cf-name", "Oficina Moura").await;

    // Staying: the form and what was typed are still there.
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    let question = wait_for(&app, "#leave-question").await.text().await.expect("question");
    assert!(question.contains("alterações por guardar"), "{question}");
    screenshot(&app, "editor-05-leave-question").await;
    wait_for(&app, "#leave-stay").await.click().await.expect("stay");
    assert_eq!(value(&app, "#cf-name").await, "Oficina Moura");
    assert!(!exists(&app, "#leave-question").await);

    // Leaving: asked again, and it goes.
    wait_for(&app, "#nav-documents").await.click().await.expect("documents");
    wait_for(&app, "#leave-discard").await.click().await.expect("leave");
    wait_for(&app, "#document-list").await;
    app.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_window_right_after_typing_stores_the_edit() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path()).await;
    let id = stored_draft(&app, data.path()).await;
    engine_until("the description", Duration::from_secs(5), || stored_description(data.path(), &id) == "Consultoria")
        .await;

    let field = wait_for(&app, "#line-0-description").await;
    field.click().await.expect("focus");
    field.send_keys(END).await.expect("end");
    field.send_keys(" urgente").await.expect("type");
    // As the window's close button does: a close request the shell holds until the page has stored its work.
    let _ = app.execute("window.__TAURI__.window.getCurrentWindow().close()", vec![]).await;
    engine_until("the edit made just before the window closed", Duration::from_secs(6), || {
        stored_description(data.path(), &id) == "Consultoria urgente"
    })
    .await;
    let gone = Instant::now();
    while !app_pids(data.path()).is_empty() {
        assert!(gone.elapsed() < Duration::from_secs(8), "the app did not end after its window closed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_withholding_rate_typed_then_esc_is_stored_and_shows_the_amount_payable() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start();
    let app = first_run(&driver, data.path()).await;
    let id = stored_draft(&app, data.path()).await;
    engine_until("the description", Duration::from_secs(5), || stored_description(data.path(), &id) == "Consultoria")
        .await;

    // 60,00 € at 23 % VAT is 73,80 €; 11,5 % withheld on the 60,00 € base is 6,90 €, so 66,90 € is payable.
    let field = wait_for(&app, "#doc-withholding").await;
    field.click().await.expect("focus");
    field.send_keys("11,5").await.expect("type");
    wait_until("the totals show the amount payable", || async { text(&app, "#total-payable").await == "66,90 €" })
        .await;
    screenshot(&app, "editor-withholding").await;
    field.send_keys(ESC).await.expect("esc");
    wait_for(&app, "#document-list").await;
    engine_until("the withholding typed just before Esc", Duration::from_secs(2), || {
        let doc = desk(data.path(), &["documents", "show", &id]);
        doc["withholding_rate"].as_str() == Some("11.5") && doc["withholding"].as_str() == Some("6.90")
    })
    .await;

    // Reopened, the rate reads back the Portuguese way (11,5, not 11.5, which would read as 115).
    wait_for(&app, &format!(".document-row[data-id='{id}'] td")).await.click().await.expect("reopen");
    wait_until("reopening shows the rate as typed", || async { value(&app, "#doc-withholding").await == "11,5" }).await;
    app.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_totals_round_as_the_company_does_and_match_what_is_stored() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().expect("tempdir");
    // A company that rounds per line (Moloni's "arredondamento à linha"), set up before the app opens.
    desk(data.path(), &["company", "set", "--rounding", "line"]);
    desk(
        data.path(),
        &["customers", "add", "--name", "Padaria Ribeiro, Lda.", "--nif", "501234560", "--city", "Porto"],
    );
    let driver = Driver::start();
    let app = driver.launch(data.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    new_document_for_padaria(&app).await;
    // Three pens at 2,37 € and 23 %: per document the VAT is 23 % of 7,11 € = 1,64 € (total 8,75 €); per line it is
    // 3 × 0,55 € = 1,65 € (total 8,76 €).
    for i in 0..3 {
        if i > 0 {
            wait_for(&app, "#add-line").await.click().await.expect("add line");
        }
        desk_tests::type_into(&app, &format!("#line-{i}-description"), "Caneta").await;
        desk_tests::type_into(&app, &format!("#line-{i}-price"), "2,37").await;
    }
    wait_until("the live total is the per-line one", || async { text(&app, "#total-total").await == "8,76 €" }).await;
    engine_until("the stored total is the one on screen", Duration::from_secs(5), || {
        stored_rows(data.path()).first().and_then(|d| d["total"].as_str().map(str::to_string)).as_deref()
            == Some("8.76")
    })
    .await;
    app.close().await.expect("close");
}
