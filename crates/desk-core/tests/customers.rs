//! Customers on a real SQLite file: validation, unique NIF, search with folded accents, pages, archive, audit.

use desk_core::{customers, CoreError, Workspace};
use desk_model::ipc::{CustomerInput, CustomerQuery, ErrorKind};

async fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    (dir, ws)
}

fn customer(name: &str, nif: &str) -> CustomerInput {
    CustomerInput { name: name.into(), nif: nif.into(), ..Default::default() }
}

async fn count(ws: &Workspace, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(ws.store().reader()).await.expect("count")
}

fn search(text: &str) -> CustomerQuery {
    CustomerQuery { text: text.into(), ..Default::default() }
}

#[tokio::test]
async fn create_writes_the_row_its_audit_entry_and_its_outbox_op_together() {
    let (_d, ws) = workspace().await;
    let (audit0, outbox0) = (count(&ws, "audit_log").await, count(&ws, "outbox").await);
    let c = customers::create(&ws, &customer("Padaria Ribeiro", "501234560")).await.expect("create");
    assert_eq!(c.nif.as_deref(), Some("501234560"));
    assert_eq!(c.id.get_version_num(), 7, "ids are UUIDv7");
    assert_eq!(count(&ws, "audit_log").await, audit0 + 1);
    assert_eq!(count(&ws, "outbox").await, outbox0 + 1);
    let got = customers::get(&ws, c.id).await.expect("get");
    assert_eq!(got, c);
}

#[tokio::test]
async fn bad_input_stores_nothing() {
    let (_d, ws) = workspace().await;
    let before = (count(&ws, "customers").await, count(&ws, "audit_log").await, count(&ws, "outbox").await);
    let long = "x".repeat(2000);
    for input in [
        customer("", "501234560"),
        customer("Padaria", "501234561"),
        customer(&long, ""),
        customer("Café ☕ Central", ""),
        customer("Robert'); DROP TABLE customers;--", "12345"),
    ] {
        let err = customers::create(&ws, &input).await.expect_err("must refuse");
        let app = err.to_app_error();
        assert_eq!(app.kind, ErrorKind::Validation, "{input:?}");
        assert!(!app.fields.is_empty(), "names the field");
    }
    let after = (count(&ws, "customers").await, count(&ws, "audit_log").await, count(&ws, "outbox").await);
    assert_eq!(before, after);
}

#[tokio::test]
async fn sql_quotes_are_just_text() {
    let (_d, ws) = workspace().await;
    let name = "O'Brien \"Irmãos\"; DROP TABLE customers;--";
    let c = customers::create(&ws, &customer(name, "")).await.expect("create");
    assert_eq!(customers::get(&ws, c.id).await.expect("get").name, name);
    assert_eq!(customers::list(&ws, &search("o'brien")).await.expect("list").total, 1);
}

#[tokio::test]
async fn a_nif_belongs_to_one_customer_per_company_except_the_final_consumer() {
    let (_d, ws) = workspace().await;
    customers::create(&ws, &customer("Padaria Ribeiro", "501234560")).await.expect("first");
    let err = customers::create(&ws, &customer("Outra Padaria", "501 234 560")).await.expect_err("dup");
    assert!(matches!(err, CoreError::DuplicateNif { .. }), "{err:?}");
    assert_eq!(err.to_app_error().kind, ErrorKind::Conflict);
    assert!(err.to_app_error().message.pt.contains("Padaria Ribeiro"));
    customers::create(&ws, &customer("Consumidor A", "999999990")).await.expect("final consumer");
    customers::create(&ws, &customer("Consumidor B", "999999990")).await.expect("final consumer again");
    // The database refuses a duplicate even if the engine's check were bypassed.
    let raw = sqlx::query(
        "INSERT INTO customers (id, company_id, name, name_key, nif, search_text, created_at, updated_at)
         SELECT 'x', company_id, 'dup', 'dup', nif, '', created_at, updated_at FROM customers WHERE nif = '501234560'",
    )
    .execute(ws.store().reader())
    .await;
    assert!(raw.is_err(), "unique index must refuse");
}

#[tokio::test]
async fn search_folds_accents_and_matches_word_prefixes_in_name_nif_email_and_town() {
    let (_d, ws) = workspace().await;
    desk_core::sample::load_starter_customers(&ws).await.expect("sample");
    let names =
        |p: desk_model::ipc::Page<desk_model::ipc::Customer>| p.items.into_iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(names(customers::list(&ws, &search("joao")).await.expect("q")), ["João Gonçalves & Filhos, Lda."]);
    assert_eq!(names(customers::list(&ws, &search("GONÇ fil")).await.expect("q")), ["João Gonçalves & Filhos, Lda."]);
    assert_eq!(names(customers::list(&ws, &search("5012")).await.expect("q")), ["Padaria Ribeiro, Lda."]);
    assert_eq!(names(customers::list(&ws, &search("obidos")).await.expect("q")), ["Câmara Municipal de Óbidos"]);
    assert_eq!(names(customers::list(&ws, &search("ponta delg")).await.expect("q")), ["Açores Pescas, S.A."]);
    assert_eq!(customers::list(&ws, &search("xyzzy")).await.expect("q").total, 0);
    // FTS syntax typed by a user is just text
    assert_eq!(customers::list(&ws, &search("\"padaria* (rib")).await.expect("q").total, 1);
}

#[tokio::test]
async fn pages_follow_the_name_order_without_gaps_or_repeats() {
    let (_d, ws) = workspace().await;
    for i in 0..23 {
        customers::create(&ws, &customer(&format!("Cliente {:02}", 22 - i), "")).await.expect("create");
    }
    let mut seen = Vec::new();
    let mut q = CustomerQuery { limit: 5, ..Default::default() };
    loop {
        let page = customers::list(&ws, &q).await.expect("page");
        assert_eq!(page.total, 23);
        seen.extend(page.items.into_iter().map(|c| c.name));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    let expected: Vec<String> = (0..23).map(|i| format!("Cliente {i:02}")).collect();
    assert_eq!(seen, expected);
    let bad = CustomerQuery { after: Some("not-a-cursor!".into()), ..Default::default() };
    assert!(customers::list(&ws, &bad).await.is_err());
}

#[tokio::test]
async fn edit_and_archive_are_audited_and_archived_customers_leave_the_list() {
    let (_d, ws) = workspace().await;
    let c = customers::create(&ws, &customer("Padaria", "501234560")).await.expect("create");
    let mut input = CustomerInput::from(&c);
    input.city = "Porto".into();
    let edited = customers::update(&ws, c.id, &input).await.expect("update");
    assert_eq!(edited.city.as_deref(), Some("Porto"));
    let outbox: String = sqlx::query_scalar("SELECT new_values FROM outbox ORDER BY seq DESC LIMIT 1")
        .fetch_one(ws.store().reader())
        .await
        .expect("op");
    assert_eq!(outbox, r#"{"city":"Porto"}"#, "the op carries only the changed field");

    customers::set_archived(&ws, c.id, true).await.expect("archive");
    assert_eq!(customers::list(&ws, &CustomerQuery::default()).await.expect("list").total, 0);
    let all = CustomerQuery { include_archived: true, ..Default::default() };
    assert_eq!(customers::list(&ws, &all).await.expect("list").total, 1);
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE table_name = 'customers' ORDER BY seq")
            .fetch_all(ws.store().reader())
            .await
            .expect("audit");
    assert_eq!(actions, ["insert", "update", "update"]);
    let tamper = sqlx::query("UPDATE audit_log SET actor = 'someone else'").execute(ws.store().reader()).await;
    assert!(tamper.is_err(), "the audit trail is append-only");
}

/// A file holding another company's customers: the search counts through the company token, and neither the
/// other company's customers nor archived ones show or count.
#[tokio::test]
async fn another_companys_customers_neither_show_nor_count() {
    let (_d, ws) = workspace().await;
    let ours = customers::create(&ws, &customer("Padaria Ribeiro", "501234560")).await.expect("ours");
    let archived = customers::create(&ws, &customer("Padaria Archivada", "")).await.expect("archived");
    customers::set_archived(&ws, archived.id, true).await.expect("archive");
    let search_all = || search("padaria");
    assert_eq!(customers::list(&ws, &search_all()).await.expect("q").total, 1, "archived ones do not count");
    // another company's customer, written straight into the file (a test's set-up, not an edit)
    let mut w = ws.store().write("test").await.expect("write");
    let other = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO companies (id, name, created_at, updated_at) VALUES (?, 'Outra', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
        .bind(&other)
        .execute(w.conn())
        .await
        .expect("company");
    sqlx::query(
        "INSERT INTO customers (id, company_id, name, name_key, archived, search_text, created_at, updated_at)
         VALUES (?, ?, 'Padaria Alheia', 'padaria alheia', 0, 'padaria alheia', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&other)
    .execute(w.conn())
    .await
    .expect("customer");
    w.commit().await.expect("commit");
    let page = customers::list(&ws, &search_all()).await.expect("q");
    assert_eq!((page.total, page.total_is_lower_bound), (1, false));
    assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), [ours.id]);
    let with_archived = CustomerQuery { include_archived: true, ..search_all() };
    assert_eq!(customers::list(&ws, &with_archived).await.expect("q").total, 2);
}

/// A search reads its page one of two ways, by how many customers match (sort the matches, or walk the name
/// order checking each against them); both must give the same pages: name order, no gaps or repeats, archived
/// ones out unless asked for, and the right count.
#[tokio::test]
async fn a_search_with_many_matches_pages_like_one_with_few() {
    let (_d, ws) = workspace().await;
    // 1,620 bakeries (more than the 1,500 the sorted way takes) in scrambled order, 20 of them archived,
    // and butchers that never match.
    let mut bakeries = Vec::new();
    for i in 0..1620u32 {
        let n = (i * 7919) % 1620;
        let c = customers::create(&ws, &customer(&format!("Padaria Nº {n:04}"), "")).await.expect("create");
        if n % 81 == 0 {
            customers::set_archived(&ws, c.id, true).await.expect("archive");
        } else {
            bakeries.push(format!("Padaria Nº {n:04}"));
        }
        if i % 10 == 0 {
            customers::create(&ws, &customer(&format!("Talho {i}"), "")).await.expect("create");
        }
    }
    bakeries.sort();
    assert_eq!(bakeries.len(), 1600);

    let walk = |text: &str, include_archived: bool| {
        let ws = &ws;
        let text = text.to_string();
        async move {
            let mut q = CustomerQuery { text, include_archived, limit: 200, ..Default::default() };
            let (mut names, mut totals) = (Vec::new(), Vec::new());
            loop {
                let page = customers::list(ws, &q).await.expect("page");
                totals.push(page.total);
                names.extend(page.items.into_iter().map(|c| c.name));
                match page.next {
                    Some(n) => q.after = Some(n),
                    None => return (names, totals),
                }
            }
        }
    };
    // many matches: the name-order walk
    let (names, totals) = walk("padaria", false).await;
    assert_eq!(names, bakeries);
    assert!(totals.iter().all(|t| *t == 1600), "{totals:?}");
    let (all, totals) = walk("PADARIA", true).await;
    assert_eq!(all.len(), 1620);
    assert!(all.windows(2).all(|w| w[0] < w[1]), "name order");
    assert!(totals.iter().all(|t| *t == 1620), "{totals:?}");
    // few matches: sorted matches ("Nº 01xx": 100 names, one of them archived)
    let (few, totals) = walk("padaria 01", false).await;
    let expected: Vec<String> = bakeries.iter().filter(|n| n.contains("Nº 01")).cloned().collect();
    assert_eq!(few, expected);
    assert_eq!(expected.len(), 99);
    assert_eq!(totals, vec![99]);
}

#[tokio::test]
async fn rule_cirs_101_a_customers_withholding_rate_is_stored_synced_and_cleared() {
    let (_d, ws) = workspace().await;
    let mut input = customer("Tejo Consultores, Lda.", "501964843");
    input.withholding = "11,5".into();
    input.lang = desk_model::msg::Lang::Pt;
    let c = customers::create(&ws, &input).await.expect("create");
    assert_eq!(c.withholding_rate.map(|p| p.0.to_string()), Some("11.5".into()));
    assert_eq!(customers::get(&ws, c.id).await.expect("get"), c, "a save returns what a read gives");
    // The op carries the column, as the text every rate is stored in.
    let op: String = sqlx::query_scalar("SELECT new_values FROM outbox WHERE entity = 'customers' ORDER BY seq DESC")
        .fetch_one(ws.store().reader())
        .await
        .expect("op");
    assert!(op.contains(r#""withholding_rate":"11.5""#), "{op}");
    // Blank clears it; towards a customer without a NIF it is refused and nothing changes.
    let edited = customers::update(&ws, c.id, &CustomerInput { withholding: String::new(), ..input.clone() })
        .await
        .expect("update");
    assert_eq!(edited.withholding_rate, None);
    let consumer = CustomerInput { nif: String::new(), withholding: "23".into(), ..input };
    let err = customers::update(&ws, c.id, &consumer).await.expect_err("no NIF, no withholding");
    assert!(err.to_app_error().field("withholding").is_some());
    assert_eq!(customers::get(&ws, c.id).await.expect("get"), edited);
}
