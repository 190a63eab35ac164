//! End to end on the real app in office mode (issue 18): an admin initialises a server (`desk server init`)
//! and joins; in the app the badge says "Escritório · ligado", and in Utilizadores the admin adds an
//! accountant and a viewer (first passwords shown once); the accountant's edit on the server appears in the
//! audit viewer with before and after side by side; the viewer's app shows no editing control. Screenshots in
//! target/e2e/.

mod office;

use desk_model::ipc::ServerRole;
use desk_tests::{exists, screenshot, type_into, wait_for, wait_until, Driver};
use fantoccini::Client;
use office::{desk, Office};

async fn badge(app: &Client) -> String {
    wait_for(app, "#mode-badge").await.text().await.unwrap_or_default()
}

/// Adds a person in Utilizadores and returns the first password the screen shows.
async fn add_person(app: &Client, name: &str, role: &str) -> String {
    type_into(app, "#user-name", name).await;
    wait_for(app, "#user-role-new").await.select_by_value(role).await.expect("role");
    wait_for(app, "#user-add").await.click().await.expect("add");
    let row = format!("#users-list tr.user-row[data-name='{name}']");
    wait_for(app, &row).await;
    let shown = wait_for(app, "#user-password").await.text().await.unwrap_or_default();
    assert!(shown.contains(name), "{shown}");
    wait_for(app, "#user-password-value").await.text().await.expect("password")
}

/// Clicks a table row (a cell of it: WebKit's driver may call a re-rendered row not interactable) until
/// `then` shows.
async fn open_row(app: &Client, row: &str, then: &str) {
    let cell = format!("{row} td");
    wait_until(then, || async {
        if let Ok(td) = app.find(fantoccini::Locator::Css(&cell)).await {
            let _ = td.click().await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        exists(app, then).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_up_people_the_audit_shows_an_edit_and_a_viewer_sees_no_editing_control() {
    let office = Office::empty("e2e_office").await;
    let service = format!("desk-office-e2e-{}", uuid::Uuid::now_v7());
    let (admin_dir, viewer_dir) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));

    // The server: initialised from the command line; the first admin person joins with the office's company.
    let init = desk(admin_dir.path(), &service, &["server", "init", "--url", &office.address("postgres").url()], None);
    assert!(init.contains("initialised"), "{init}");
    let ana = office.person(&office.root, "ana", ServerRole::Admin, &[]).await;
    desk(
        admin_dir.path(),
        &service,
        &["company", "set", "--name", "Contabilidades Tejo, Lda", "--nif", "503504564"],
        None,
    );
    desk(
        admin_dir.path(),
        &service,
        &["server", "join", "--url", &office.address(&ana).url()],
        Some(&office::password(&ana)),
    );

    let driver = Driver::start_with_env(&[("DESK_KEYRING", "kernel"), ("DESK_KEYRING_SERVICE", &service)]);
    let app = driver.launch(admin_dir.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    wait_until("Escritório · ligado", || async { badge(&app).await == "Escritório · ligado" }).await;

    // Utilizadores: an accountant and a viewer
    wait_for(&app, "#nav-users").await.click().await.expect("Utilizadores");
    let (rui, eva) = (office.name("rui"), office.name("eva"));
    let rui_password = add_person(&app, &rui, "accountant").await;
    let eva_password = add_person(&app, &eva, "viewer").await;
    assert_ne!(rui_password, eva_password);
    let list = wait_for(&app, "#users-list").await.text().await.unwrap_or_default();
    assert!(list.contains(&ana) && list.contains("Contabilista") && list.contains("Consulta"), "{list}");
    screenshot(&app, "office-users").await;

    // The accountant edits a customer on the server (with psql or, from issue 19, their app's sync).
    let rui_pool = office.login(&rui, &rui_password).await.expect("the accountant logs in with the shown password");
    let company: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM companies").fetch_one(&rui_pool).await.expect("company");
    let customer = uuid::Uuid::now_v7();
    sqlx::query("INSERT INTO customers (id, company_id, name, email, created_at) VALUES ($1, $2, 'Padaria Central', 'geral@padaria.pt', '2026-11-30T01:00:00Z')")
        .bind(customer)
        .bind(company)
        .execute(&rui_pool)
        .await
        .expect("insert");
    sqlx::query("UPDATE customers SET email = 'contabilidade@padaria.pt', city = 'Lisboa' WHERE id = $1")
        .bind(customer)
        .execute(&rui_pool)
        .await
        .expect("update");

    // Auditoria: the edit, by the accountant, before and after side by side
    wait_for(&app, "#nav-audit").await.click().await.expect("Auditoria");
    wait_for(&app, "#audit-entity").await.select_by_value("customers").await.expect("filter");
    // the filtered list replaces the first one: wait for it, then open the accountant's change
    wait_until("only customers listed", || async {
        exists(&app, "#audit-list tr.audit-row").await
            && !exists(&app, "#audit-list tr.audit-row:not([data-entity='customers'])").await
    })
    .await;
    let edit = format!("#audit-list tr.audit-row[data-user='{rui}'][data-action='UPDATE']");
    open_row(&app, &edit, "#audit-detail").await;
    let email = wait_for(&app, "#audit-fields tr.audit-field.changed[data-field='email']").await;
    assert_eq!(
        email.find(fantoccini::Locator::Css("td.before")).await.expect("before").text().await.expect("t"),
        "geral@padaria.pt"
    );
    assert_eq!(
        email.find(fantoccini::Locator::Css("td.after")).await.expect("after").text().await.expect("t"),
        "contabilidade@padaria.pt"
    );
    let detail = wait_for(&app, "#audit-detail").await.text().await.unwrap_or_default();
    assert!(detail.contains(&rui) && detail.contains("Alterou"), "{detail}");
    assert!(
        !exists(&app, "#audit-fields tr.audit-field.changed[data-field='name']").await,
        "an unchanged field is not marked as changed"
    );
    screenshot(&app, "office-audit").await;
    app.close().await.expect("close");

    // The viewer's desktop: a draft of its own from before, and it joins in Definições › Escritório.
    desk(
        viewer_dir.path(),
        &service,
        &["company", "set", "--name", "Contabilidades Tejo, Lda", "--nif", "503504564"],
        None,
    );
    desk(viewer_dir.path(), &service, &["documents", "add", "--line", "Consultoria;1;100;NOR"], None);
    let app = driver.launch(viewer_dir.path()).await;
    wait_for(&app, "#lang-pt-PT").await.click().await.expect("Portuguese");
    assert_eq!(badge(&app).await, "Local · modo solo");
    wait_for(&app, "#nav-settings").await.click().await.expect("Definições");
    let viewer_address = office.address(&eva);
    type_into(&app, "#office-host", &viewer_address.host).await;
    type_into(&app, "#office-port", &viewer_address.port.to_string()).await;
    type_into(&app, "#office-database", &viewer_address.database).await;
    type_into(&app, "#office-user", &eva).await;
    wait_for(&app, "#office-sslmode").await.select_by_value("disable").await.expect("sslmode");
    type_into(&app, "#office-password", "not-her-password").await;
    wait_for(&app, "#office-join").await.click().await.expect("join");
    let refused = wait_for(&app, "#office-error").await.text().await.unwrap_or_default();
    assert!(refused.contains("recusou o utilizador ou a palavra-passe"), "{refused}");
    type_into(&app, "#office-password", &eva_password).await;
    screenshot(&app, "office-join").await;
    wait_for(&app, "#office-join").await.click().await.expect("join");
    wait_until("Escritório · ligado", || async { badge(&app).await == "Escritório · ligado" }).await;
    wait_for(&app, "#nav-customers").await.click().await.expect("Clientes");
    wait_for(&app, "#customer-search").await;
    for control in ["#new-customer", "#nav-users", "#nav-audit", "#nav-settings"] {
        assert!(!exists(&app, control).await, "the viewer sees {control}");
    }
    wait_for(&app, "#nav-products").await.click().await.expect("Produtos");
    wait_for(&app, "#product-search").await;
    assert!(!exists(&app, "#new-product").await);
    wait_for(&app, "#nav-documents").await.click().await.expect("Documentos");
    wait_for(&app, "tr.document-row").await;
    assert!(!exists(&app, "#new-document").await);
    screenshot(&app, "office-viewer-documents").await;
    open_row(&app, "tr.document-row", "#doc-read-only").await;
    for control in ["#doc-save", "#doc-delete", "#doc-duplicate", "#add-line", "#doc-issue"] {
        assert!(!exists(&app, control).await, "the viewer's editor shows {control}");
    }
    for field in ["#doc-notes", "#line-0-description", "#line-0-quantity", "#doc-customer"] {
        let el = wait_for(&app, field).await;
        assert_eq!(el.prop("disabled").await.expect("prop").as_deref(), Some("true"), "{field} can be typed into");
    }
    wait_for(&app, "#company-menu-button").await.click().await.expect("company menu");
    assert!(!exists(&app, "#company-new").await && !exists(&app, "#company-details").await);
    screenshot(&app, "office-viewer-editor").await;
    app.close().await.expect("close");
}
