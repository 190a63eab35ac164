//! Products on a real SQLite file: validation, unique reference, accent-blind search, pages, archive, audit.

use desk_core::{products, CoreError, Workspace};
use desk_model::ipc::{ErrorKind, ProductInput, ProductKind, ProductQuery};
use desk_model::msg::Lang;

async fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    (dir, ws)
}

fn product(reference: &str, name: &str, price: &str) -> ProductInput {
    ProductInput { reference: reference.into(), name: name.into(), price: price.into(), ..Default::default() }
}

async fn count(ws: &Workspace, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(ws.store().reader()).await.expect("count")
}

fn search(text: &str) -> ProductQuery {
    ProductQuery { text: text.into(), ..Default::default() }
}

#[tokio::test]
async fn create_reads_pt_numbers_and_writes_audit_and_outbox() {
    let (_d, ws) = workspace().await;
    let (audit0, outbox0) = (count(&ws, "audit_log").await, count(&ws, "outbox").await);
    let p = products::create(&ws, &product("CAF-01", "Café em grão 1 kg", "1.234,5")).await.expect("create");
    assert_eq!(p.price.0.to_string(), "1234.5");
    assert_eq!(p.unit, "un");
    assert_eq!(p.tax.code.as_str(), "NOR");
    assert_eq!(p.id.get_version_num(), 7);
    assert_eq!((count(&ws, "audit_log").await, count(&ws, "outbox").await), (audit0 + 1, outbox0 + 1));
    assert_eq!(products::get(&ws, p.id).await.expect("get"), p);
    assert_eq!(products::by_reference(&ws, "CAF-01").await.expect("by ref"), p);

    let en = ProductInput {
        lang: Lang::En,
        kind: ProductKind::Service,
        unit: "h".into(),
        ..product("SRV", "Consultoria", "1,234.5")
    };
    assert_eq!(products::create(&ws, &en).await.expect("en").price.0.to_string(), "1234.5");
}

#[tokio::test]
async fn bad_input_names_the_field_and_stores_nothing() {
    let (_d, ws) = workspace().await;
    let before = (count(&ws, "products").await, count(&ws, "audit_log").await, count(&ws, "outbox").await);
    let zero_without_reason = ProductInput { tax_code: "ISE".into(), ..product("A", "Livro", "10") };
    let rate_with_reason = ProductInput { exemption: "M07".into(), ..product("A", "Livro", "10") };
    for (input, field) in [
        (product("", "Café", "1"), "reference"),
        (product("A", "", "1"), "name"),
        (product("A", "Café", "abc"), "price"),
        (product("A", "Café", "-1"), "price"),
        (product("A", "Café", "1,1234567"), "price"),
        (zero_without_reason, "tax"),
        (rate_with_reason, "tax"),
        (ProductInput { tax_zone: "ES".into(), ..product("A", "Café", "1") }, "tax"),
        (product("A", "Café ☕", "1"), "name"),
    ] {
        let err = products::create(&ws, &input).await.expect_err("must refuse");
        let app = err.to_app_error();
        assert_eq!(app.kind, ErrorKind::Validation, "{input:?}");
        assert!(app.field(field).is_some(), "{field}: {app:?}");
    }
    let after = (count(&ws, "products").await, count(&ws, "audit_log").await, count(&ws, "outbox").await);
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_reference_belongs_to_one_product() {
    let (_d, ws) = workspace().await;
    products::create(&ws, &product("CAF-01", "Café", "1")).await.expect("first");
    let err = products::create(&ws, &product("CAF-01", "Chá", "1")).await.expect_err("dup");
    assert!(matches!(err, CoreError::DuplicateReference { .. }), "{err:?}");
    assert_eq!(err.to_app_error().kind, ErrorKind::Conflict);
    assert!(err.to_app_error().field("reference").is_some());
}

#[tokio::test]
async fn search_folds_accents_and_matches_prefixes_of_name_and_reference() {
    let (_d, ws) = workspace().await;
    products::create(&ws, &ProductInput { category: "Cafetaria".into(), ..product("CAF-01", "Café em grão", "12") })
        .await
        .expect("a");
    products::create(&ws, &product("PAO-02", "Pão de forma", "2")).await.expect("b");
    let exempt = ProductInput {
        tax_code: "ISE".into(),
        exemption: "M07".into(),
        ..product("FORM-1", "Formação profissional", "100")
    };
    let f = products::create(&ws, &exempt).await.expect("c");
    assert_eq!(f.tax.exemption.map(|e| e.to_string()).as_deref(), Some("M07"));
    let names =
        |p: desk_model::ipc::Page<desk_model::ipc::Product>| p.items.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(names(products::list(&ws, &search("cafe")).await.expect("q")), ["Café em grão"]);
    assert_eq!(names(products::list(&ws, &search("GRAO")).await.expect("q")), ["Café em grão"]);
    assert_eq!(names(products::list(&ws, &search("pao-0")).await.expect("q")), ["Pão de forma"]);
    assert_eq!(names(products::list(&ws, &search("cafet")).await.expect("q")), ["Café em grão"]);
    assert_eq!(
        names(products::list(&ws, &search("form")).await.expect("q")),
        ["Formação profissional", "Pão de forma"]
    );
    assert_eq!(products::list(&ws, &search("\"x* (")).await.expect("q").total, 0);
}

#[tokio::test]
async fn pages_have_no_gaps_or_repeats_and_archive_hides() {
    let (_d, ws) = workspace().await;
    let mut ids = Vec::new();
    for i in 0..23 {
        ids.push(
            products::create(&ws, &product(&format!("R{i}"), &format!("Artigo {:02}", 22 - i), "1"))
                .await
                .expect("create")
                .id,
        );
    }
    let mut seen = Vec::new();
    let mut q = ProductQuery { limit: 5, ..Default::default() };
    loop {
        let page = products::list(&ws, &q).await.expect("page");
        assert_eq!(page.total, 23);
        seen.extend(page.items.into_iter().map(|p| p.name));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, (0..23).map(|i| format!("Artigo {i:02}")).collect::<Vec<_>>());
    products::set_archived(&ws, ids[0], true).await.expect("archive");
    assert_eq!(products::list(&ws, &ProductQuery::default()).await.expect("list").total, 22);
    assert_eq!(
        products::list(&ws, &ProductQuery { include_archived: true, ..Default::default() }).await.expect("list").total,
        23
    );
    let edited = products::update(&ws, ids[1], &product("R1", "Artigo renomeado", "2,5")).await.expect("update");
    assert_eq!(edited.price.0.to_string(), "2.5");
    let (audits,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM audit_log WHERE table_name = 'products' AND action = 'update'")
            .fetch_one(ws.store().reader())
            .await
            .expect("audits");
    assert_eq!(audits, 2);
}
