//! End to end on two real app windows (two data folders) against one office server (issue 19): a customer made
//! with `desk` on one desktop reaches the other through `desk sync --once`; an edit typed in window A appears in
//! window B's list without a click; with B closed, both change the same e-mail (B from the command line), and
//! when B opens again its sync centre shows the conflict, base, mine and theirs side by side; "Manter o meu"
//! settles it on the server and in window A. Screenshots in target/e2e/ (office-sync-*).

mod office;

use desk_model::ipc::ServerRole;
use desk_tests::{screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::{Client, Locator};
use office::{desk, Office};
use std::time::Instant;

const NIF: &str = "503504564";

async fn row_text(app: &Client) -> String {
    match app.find(Locator::Css(".customer-row[data-nif='501234560']")).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Opens the customer's form in `app`, sets `field` to `value`, saves.
async fn edit_customer(app: &Client, field: &str, value: &str) {
    wait_for(app, ".customer-row[data-nif='501234560'] td").await.click().await.expect("open the customer");
    type_into(app, field, value).await;
    wait_for(app, "#cf-save").await.click().await.expect("save");
    wait_until("the form closes", || async { app.find(Locator::Css("#customer-form")).await.is_err() }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_in_one_window_appears_in_the_other_and_a_conflict_is_settled_from_the_queue() {
    let office = Office::initialised("e2e_osync").await;
    let company = office.company("Contabilidades Tejo, Lda", NIF).await;
    let ana = office.person(&office.root, "ana", ServerRole::Accountant, &[company]).await;
    let bea = office.person(&office.root, "bea", ServerRole::Accountant, &[company]).await;
    let service = format!("desk-osync-e2e-{}", uuid::Uuid::now_v7());
    let (a_dir, b_dir) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    for (dir, who) in [(a_dir.path(), &ana), (b_dir.path(), &bea)] {
        desk(dir, &service, &["company", "set", "--name", "Contabilidades Tejo, Lda", "--nif", NIF], None);
        desk(dir, &service, &["server", "join", "--url", &office.address(who).url()], Some(&office::password(who)));
    }
    desk(
        a_dir.path(),
        &service,
        &["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560", "--city", "Óbidos"],
        None,
    );
    let sent = desk(a_dir.path(), &service, &["sync", "--once", "--json"], None);
    assert!(sent.contains("\"pushed\": 1"), "{sent}");
    let got = desk(b_dir.path(), &service, &["sync", "--once"], None);
    assert!(got.contains("pulled"), "{got}");
    let shown = desk(b_dir.path(), &service, &["customers", "show", "501234560"], None);
    assert!(shown.contains("Óbidos"), "{shown}");

    let env = [("DESK_KEYRING", "kernel"), ("DESK_KEYRING_SERVICE", service.as_str())];
    let (driver_a, driver_b) = (Driver::start_with_env(&env), Driver::start_with_env(&env));
    let a = driver_a.launch(a_dir.path()).await;
    let b = driver_b.launch(b_dir.path()).await;
    for app in [&a, &b] {
        wait_for(app, "#lang-pt-PT").await.click().await.expect("Portuguese");
        wait_for(app, "#nav-customers").await.click().await.expect("Clientes");
        wait_for(app, ".customer-row[data-nif='501234560']").await;
    }

    // A types a new town; B's list shows it with nobody touching B
    edit_customer(&a, "#cf-city", "Porto").await;
    let saved = Instant::now();
    wait_until("B shows A's edit", || async { row_text(&b).await.contains("Porto") }).await;
    eprintln!("an edit in A appeared in B's list after {} ms", saved.elapsed().as_millis());
    screenshot(&a, "office-sync-01-a-edited").await;
    screenshot(&b, "office-sync-02-b-sees-it").await;

    // B closes; both change the e-mail: B from the command line (offline from A's point of view), A in its window
    b.close().await.expect("close B");
    drop(driver_b);
    desk(b_dir.path(), &service, &["customers", "edit", "501234560", "--email", "bea@padaria.pt"], None);
    edit_customer(&a, "#cf-email", "ana@padaria.pt").await;
    wait_until("A's e-mail on the server", || async {
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM customers WHERE nif = '501234560'")
            .fetch_one(&office.root)
            .await
            .unwrap_or(None);
        email.as_deref() == Some("ana@padaria.pt")
    })
    .await;

    // B opens again: its first round meets A's e-mail, and the sync centre shows the conflict
    let driver_b = Driver::start_with_env(&env);
    let b = driver_b.launch(b_dir.path()).await;
    wait_for(&b, "#lang-pt-PT").await.click().await.expect("Portuguese");
    wait_for(&b, "#sync-badge").await;
    wait_for(&b, "#nav-sync").await.click().await.expect("Sincronização");
    let row = wait_for(&b, "#conflicts-list tr.conflict-row[data-field='email']").await;
    let cell = |css: &'static str| {
        let row = row.clone();
        async move { row.find(Locator::Css(css)).await.expect(css).text().await.unwrap_or_default() }
    };
    assert_eq!(cell(".conflict-mine").await, "bea@padaria.pt");
    assert!(cell(".conflict-theirs").await.starts_with("ana@padaria.pt"));
    assert_eq!(cell(".conflict-label").await, "Padaria Ribeiro");
    screenshot(&b, "office-sync-03-conflict").await;
    wait_for(&b, ".conflict-row[data-field='email'] .conflict-keep-mine").await.click().await.expect("keep mine");
    wait_until("the conflict leaves the queue", || async { b.find(Locator::Css("#conflicts-empty")).await.is_ok() })
        .await;
    screenshot(&b, "office-sync-04-settled").await;

    // settled everywhere: the server holds B's value, no conflict is open, and A's window shows it
    wait_until("B's e-mail on the server and the conflict closed", || async {
        let (email, open): (Option<String>, i64) = sqlx::query_as(
            "SELECT (SELECT email FROM customers WHERE nif = '501234560'), (SELECT count(*) FROM conflicts WHERE status = 'open')",
        )
        .fetch_one(&office.root)
        .await
        .unwrap_or((None, -1));
        email.as_deref() == Some("bea@padaria.pt") && open == 0
    })
    .await;
    wait_until("A shows B's e-mail", || async { row_text(&a).await.contains("bea@padaria.pt") }).await;
    let status = desk(a_dir.path(), &service, &["sync", "status", "--json"], None);
    assert!(status.contains("\"conflicts\": 0") && status.contains("\"pending\": 0"), "{status}");
    a.close().await.expect("close A");
    b.close().await.expect("close B");
}
