//! The journal of unsaved editor forms on a real SQLite file: what is written reads back whole and newest first,
//! per company, survives reopening the file, is forgotten on clear, and never reaches the audit trail or outbox.

use desk_core::{unsaved, CoreError, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{DocumentInput, LineInput};
use desk_model::unsaved::UnsavedForm;
use uuid::Uuid;

fn form(description: &str) -> UnsavedForm {
    let mut input = DocumentInput::new(DocType::Ft, "21/11/2026");
    input.lines.push(LineInput {
        description: description.into(),
        quantity: "1".into(),
        unit_price: "12,".into(),
        ..Default::default()
    });
    UnsavedForm { key: Uuid::now_v7(), document_id: None, customer_text: "pada".into(), input, updated_at: None }
}

async fn count(ws: &Workspace, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(ws.store().reader()).await.expect("count")
}

#[tokio::test]
async fn forms_are_kept_whole_per_editor_newest_first_and_survive_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    let (audit0, outbox0) = (count(&ws, "audit_log").await, count(&ws, "outbox").await);
    let first = form("Trabalho por orçamentar");
    let mut second = form("Outro");
    unsaved::put(&ws, &first).await.expect("put first");
    unsaved::put(&ws, &second).await.expect("put second");
    // The same editor writes again: its row is replaced, not added.
    second.input.lines[0].description = "Outro, revisto".into();
    second.document_id = Some(Uuid::now_v7());
    unsaved::put(&ws, &second).await.expect("put second again");
    let listed = unsaved::list(&ws).await.expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].key, second.key, "newest first");
    assert_eq!(listed[0].input, second.input);
    assert_eq!(listed[0].document_id, second.document_id);
    assert!(listed[0].updated_at.is_some());
    assert_eq!(
        (count(&ws, "audit_log").await, count(&ws, "outbox").await),
        (audit0, outbox0),
        "never audited or synced"
    );
    ws.store().close().await;
    drop(ws);

    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("reopen");
    let listed = unsaved::list(&ws).await.expect("list after reopening");
    assert_eq!(listed.iter().map(|f| f.key).collect::<Vec<_>>(), vec![second.key, first.key]);
    assert_eq!(listed[1].input.lines[0].unit_price, "12,", "a half-typed price is kept as typed");
    unsaved::clear(&ws, first.key).await.expect("clear");
    unsaved::clear(&ws, first.key).await.expect("clearing twice is fine");
    assert_eq!(unsaved::list(&ws).await.expect("list").len(), 1);
}

#[tokio::test]
async fn another_company_sees_none_of_them_and_a_huge_form_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    unsaved::put(&ws, &form("Da primeira empresa")).await.expect("put");
    ws.create_company(&CompanyInput { name: "Tejo Serviços".into(), nif: "503504564".into(), ..Default::default() })
        .await
        .expect("company");
    assert!(unsaved::list(&ws).await.expect("list").is_empty());

    let mut huge = form("x");
    huge.input.notes = "x".repeat(2_100_000);
    match unsaved::put(&ws, &huge).await {
        Err(CoreError::Invalid(fields)) => assert_eq!(fields[0].field, "input"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(unsaved::list(&ws).await.expect("list").is_empty(), "nothing written");
}
