//! Office mode's security, in plain SQL against a real PostgreSQL, as each role (issue 18): a viewer writes
//! nothing; an accountant cannot manage people, change a role, touch the audit, change an issued document or a
//! server-owned column; another company's rows are invisible and unwritable; an admin's changes are audited;
//! passwords reach the server only as SCRAM verifiers.

mod office;

use desk_core::server::{self, ServerError};
use desk_model::ipc::ServerRole;
use office::{refused, sqlstate, works, Office};
use sqlx::PgPool;
use uuid::Uuid;

struct Setup {
    office: Office,
    a: Uuid,
    b: Uuid,
    admin: String,
    accountant: String,
    viewer: String,
    outsider: String,
    issued: Uuid,
    draft: Uuid,
    customer_b: Uuid,
}

/// Two companies; an admin, an accountant and a viewer of A, an accountant of B only; in A a customer, a draft
/// with a line and an issued invoice with a line; in B a customer.
async fn setup(tag: &str) -> Setup {
    let office = Office::initialised(tag).await;
    let a = office.company("Empresa A", "500000000").await;
    let b = office.company("Empresa B", "500000001").await;
    let admin = office.person(&office.root, "ana", ServerRole::Admin, &[a]).await;
    let admin_pool = office.as_person(&admin).await;
    // people made by the admin through the engine, as the app and the CLI do
    let accountant = office.person(&admin_pool, "rui", ServerRole::Accountant, &[a]).await;
    let viewer = office.person(&admin_pool, "eva", ServerRole::Viewer, &[a]).await;
    let outsider = office.person(&office.root, "zeca", ServerRole::Accountant, &[b]).await;

    let acc = office.as_person(&accountant).await;
    let draft = Uuid::now_v7();
    works(&acc, &format!("INSERT INTO customers (id, company_id, name, nif, created_at) VALUES ('{}', '{a}', 'Cliente A', '123456789', 'x')", Uuid::now_v7())).await;
    works(&acc, &format!("INSERT INTO documents (id, company_id, doc_type, issue_date, created_at) VALUES ('{draft}', '{a}', 'FT', '2026-11-30', 'x')")).await;
    works(&acc, &format!("INSERT INTO document_lines (id, document_id, description, quantity, unit_price, tax_zone, tax_code, created_at) VALUES ('{}', '{draft}', 'Serviço', '1', '100', 'PT', 'NOR', 'x')", Uuid::now_v7())).await;

    // An issued invoice: only the server issues; in this test the superuser stands in for it, with triggers off.
    let issued = Uuid::now_v7();
    let mut tx = office.root.begin().await.expect("tx");
    for sql in [
        "SET LOCAL session_replication_role = replica".to_string(),
        format!("INSERT INTO documents (id, company_id, doc_type, state, issue_date, created_at, fiscal_number, atcud, total) VALUES ('{issued}', '{a}', 'FT', 'unpaid', '2026-11-30', 'x', 'FT 2026/1', 'ABCD-1', '123.00')"),
        format!("INSERT INTO document_lines (id, company_id, document_id, description, quantity, unit_price, tax_zone, tax_code, created_at) VALUES ('{}', '{a}', '{issued}', 'Consultoria', '1', '100', 'PT', 'NOR', 'x')", Uuid::now_v7()),
    ] {
        sqlx::query(&sql).execute(&mut *tx).await.expect("seed issued");
    }
    tx.commit().await.expect("commit");

    let customer_b = Uuid::now_v7();
    let out = office.as_person(&outsider).await;
    works(
        &out,
        &format!(
            "INSERT INTO customers (id, company_id, name, created_at) VALUES ('{customer_b}', '{b}', 'Cliente B', 'x')"
        ),
    )
    .await;
    Setup { office, a, b, admin, accountant, viewer, outsider, issued, draft, customer_b }
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test]
async fn a_viewer_can_read_but_write_nothing() {
    let s = setup("sec_viewer").await;
    let v = s.office.as_person(&s.viewer).await;
    let a = s.a;
    assert_eq!(count(&v, "SELECT count(*) FROM customers").await, 1, "the viewer reads company A");
    assert_eq!(count(&v, "SELECT count(*) FROM documents").await, 2);
    let id = Uuid::now_v7();
    for sql in [
        format!("INSERT INTO customers (id, company_id, name, created_at) VALUES ('{id}', '{a}', 'X', 'x')"),
        "UPDATE customers SET name = 'X'".to_string(),
        "UPDATE customers SET deleted_at = 'now'".to_string(),
        "DELETE FROM customers".to_string(),
        format!("INSERT INTO products (id, company_id, reference, name, price, created_at) VALUES ('{id}', '{a}', 'R', 'P', '1', 'x')"),
        format!("INSERT INTO documents (id, company_id, doc_type, issue_date, created_at) VALUES ('{id}', '{a}', 'FT', '2026-11-30', 'x')"),
        format!("UPDATE documents SET notes = 'x' WHERE id = '{}'", s.draft),
        "UPDATE document_lines SET description = 'x'".to_string(),
        format!("INSERT INTO payments (id, company_id, document_id, paid_on, amount, amount_cents, method, created_at) VALUES ('{id}', '{a}', '{}', '2026-11-30', '1', 100, 'MB', 'x')", s.issued),
        "UPDATE companies SET name = 'X'".to_string(),
        format!("INSERT INTO companies (id, name, created_at) VALUES ('{id}', 'X', 'x')"),
        format!("INSERT INTO applied_ops (op_id, client_id, seq, company_id) VALUES ('{id}', '{id}', 1, '{a}')"),
        "SELECT count(*) FROM audit".to_string(),
        "UPDATE audit SET db_user = 'x'".to_string(),
        "SELECT * FROM rev_clock".to_string(),
        "SELECT desk_next_rev()".to_string(),
        "UPDATE people SET role = 'admin'".to_string(),
        format!("INSERT INTO memberships (user_name, company_id) VALUES ('{}', '{}')", s.viewer, s.b),
        format!("SELECT desk_user_set_role('{}', 'admin')", s.viewer),
        "CREATE TABLE public.mine (x int)".to_string(),
        "CREATE TEMP TABLE mine (x int)".to_string(),
        "CREATE ROLE mallory LOGIN".to_string(),
        "GRANT desk_admin TO CURRENT_USER".to_string(),
        "GRANT desk_accountant TO CURRENT_USER".to_string(),
    ] {
        refused(&v, "42501", &sql).await;
    }
    // and the engine's own call says so in words
    let e = server::users::add(&v, &s.office.name("x1"), ServerRole::Viewer, &[], Some("Long-enough-pw1"))
        .await
        .expect_err("a viewer adds nobody");
    assert_eq!(e.code(), Some("42501"), "{e}");
    assert_eq!(count(&s.office.root, "SELECT count(*) FROM customers WHERE name = 'X'").await, 0, "nothing changed");
}

#[tokio::test]
async fn an_accountant_edits_drafts_but_cannot_manage_people_the_audit_issued_documents_or_server_columns() {
    let s = setup("sec_accountant").await;
    let acc = s.office.as_person(&s.accountant).await;
    let (a, draft, issued) = (s.a, s.draft, s.issued);

    // what the app does works
    let c = Uuid::now_v7();
    works(
        &acc,
        &format!("INSERT INTO customers (id, company_id, name, created_at) VALUES ('{c}', '{a}', 'Novo', 'x')"),
    )
    .await;
    assert_eq!(works(&acc, &format!("UPDATE customers SET email = 'a@b.pt' WHERE id = '{c}'")).await, 1);
    assert_eq!(
        works(&acc, &format!("UPDATE customers SET deleted_at = '2026-11-30T01:00:00Z' WHERE id = '{c}'")).await,
        1
    );
    assert_eq!(works(&acc, &format!("UPDATE documents SET notes = 'ok' WHERE id = '{draft}'")).await, 1);
    // settlement of an issued invoice moves as payments come in
    assert_eq!(works(&acc, &format!("UPDATE documents SET received = '23.00', open_cents = 10000, state = 'partially_paid' WHERE id = '{issued}'")).await, 1);

    // people and roles
    for sql in [
        format!(
            "SELECT desk_user_add('{}', 'SCRAM-SHA-256$4096:c2FsdA==$YWJj:ZGVm', 'viewer', NULL)",
            s.office.name("x2")
        ),
        format!("SELECT desk_user_set_role('{}', 'admin')", s.accountant),
        format!("SELECT desk_user_set_role('{}', 'accountant')", s.viewer),
        format!("SELECT desk_user_disable('{}')", s.viewer),
        format!("SELECT desk_user_set_companies('{}', ARRAY['{}']::uuid[])", s.accountant, s.b),
        format!("SELECT desk_user_reset('{}', 'SCRAM-SHA-256$4096:c2FsdA==$YWJj:ZGVm')", s.viewer),
        "CREATE ROLE mallory LOGIN".to_string(),
        "ALTER ROLE CURRENT_USER CREATEROLE".to_string(),
        "GRANT desk_admin TO CURRENT_USER".to_string(),
        format!("REVOKE desk_viewer FROM \"{}\"", s.viewer),
        format!("UPDATE people SET role = 'admin' WHERE name = '{}'", s.accountant),
        format!("INSERT INTO memberships (user_name, company_id) VALUES ('{}', '{}')", s.accountant, s.b),
        "DELETE FROM memberships".to_string(),
    ] {
        refused(&acc, "42501", &sql).await;
    }
    // the audit: readable for the own companies, never writable
    assert!(count(&acc, "SELECT count(*) FROM audit").await > 0);
    for sql in [
        "UPDATE audit SET db_user = 'someone'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "INSERT INTO audit (tbl, row_id, action) VALUES ('customers', 'x', 'INSERT')",
        "ALTER TABLE audit DISABLE TRIGGER ALL",
        "DROP TABLE audit",
    ] {
        refused(&acc, "42501", sql).await;
    }
    // issued documents and their lines never change
    for sql in [
        format!("UPDATE documents SET notes = 'changed' WHERE id = '{issued}'"),
        format!("UPDATE documents SET total = '1.00' WHERE id = '{issued}'"),
        format!("UPDATE documents SET deleted_at = 'now' WHERE id = '{issued}'"),
        format!("UPDATE documents SET fiscal_number = 'FT 2026/2' WHERE id = '{issued}'"),
        format!("UPDATE document_lines SET unit_price = '1' WHERE document_id = '{issued}'"),
        format!("INSERT INTO document_lines (id, document_id, description, quantity, unit_price, tax_zone, tax_code, created_at) VALUES ('{}', '{issued}', 'Extra', '1', '1', 'PT', 'NOR', 'x')", Uuid::now_v7()),
    ] {
        refused(&acc, "55000", &sql).await;
    }
    // server-owned columns, the state and fixed columns
    for sql in [
        format!("UPDATE documents SET fiscal_number = 'FT 2026/9' WHERE id = '{draft}'"),
        format!("UPDATE documents SET atcud = 'X-1' WHERE id = '{draft}'"),
        format!("UPDATE documents SET moloni_id = 5 WHERE id = '{draft}'"),
        format!("UPDATE documents SET issued_snapshot = '{{}}' WHERE id = '{draft}'"),
        format!("UPDATE documents SET state = 'issued', fiscal_number = 'FT 1' WHERE id = '{draft}'"),
        format!("UPDATE documents SET state = 'issue_requested' WHERE id = '{draft}'"),
        format!("UPDATE documents SET state = 'cancelled', cancel_reason = 'x' WHERE id = '{issued}'"),
        format!("INSERT INTO documents (id, company_id, doc_type, state, issue_date, created_at, fiscal_number) VALUES ('{}', '{a}', 'FT', 'paid', '2026-11-30', 'x', 'FT 9')", Uuid::now_v7()),
        format!("INSERT INTO documents (id, company_id, doc_type, issue_date, created_at, moloni_id) VALUES ('{}', '{a}', 'FT', '2026-11-30', 'x', 7)", Uuid::now_v7()),
        format!("UPDATE documents SET company_id = '{}' WHERE id = '{draft}'", s.b),
        format!("UPDATE customers SET company_id = '{}'", s.b),
        "UPDATE customers SET id = gen_random_uuid()".to_string(),
        "UPDATE rev_clock SET rev = 0".to_string(),
    ] {
        refused(&acc, "42501", &sql).await;
    }
    // rev is the server's: a written value is replaced by the clock's next one
    let before: i64 = count(&acc, &format!("SELECT rev FROM documents WHERE id = '{draft}'")).await;
    works(&acc, &format!("UPDATE documents SET rev = 1, notes = 'again' WHERE id = '{draft}'")).await;
    let after: i64 = count(&acc, &format!("SELECT rev FROM documents WHERE id = '{draft}'")).await;
    assert!(after > before && after != 1, "rev {before} → {after}");
    // the issued invoice is as it was
    let (notes, total, fiscal): (Option<String>, String, Option<String>) =
        sqlx::query_as(&format!("SELECT notes, total, fiscal_number FROM documents WHERE id = '{issued}'"))
            .fetch_one(&s.office.root)
            .await
            .expect("issued");
    assert_eq!((notes, total.as_str(), fiscal.as_deref()), (None, "123.00", Some("FT 2026/1")));
}

#[tokio::test]
async fn another_company_s_rows_are_invisible_and_unwritable() {
    let s = setup("sec_company").await;
    let (a, b, cb) = (s.a, s.b, s.customer_b);
    for user in [&s.accountant, &s.admin, &s.viewer] {
        let p = s.office.as_person(user).await;
        assert_eq!(count(&p, &format!("SELECT count(*) FROM customers WHERE company_id = '{b}'")).await, 0, "{user}");
        assert_eq!(count(&p, &format!("SELECT count(*) FROM customers WHERE id = '{cb}'")).await, 0, "{user}");
        assert_eq!(count(&p, &format!("SELECT count(*) FROM companies WHERE id = '{b}'")).await, 0, "{user}");
        assert_eq!(count(&p, "SELECT count(*) FROM companies").await, 1, "{user} sees only A");
        if user == &s.viewer {
            continue;
        }
        // updates find nothing, inserts are refused by the policy
        assert_eq!(works(&p, &format!("UPDATE customers SET name = 'hacked' WHERE id = '{cb}'")).await, 0);
        assert_eq!(works(&p, &format!("UPDATE companies SET name = 'hacked' WHERE id = '{b}'")).await, 0);
        refused(
            &p,
            "42501",
            &format!(
                "INSERT INTO customers (id, company_id, name, created_at) VALUES ('{}', '{b}', 'Intruso', 'x')",
                Uuid::now_v7()
            ),
        )
        .await;
        refused(&p, "42501", &format!("INSERT INTO documents (id, company_id, doc_type, issue_date, created_at) VALUES ('{}', '{b}', 'FT', '2026-11-30', 'x')", Uuid::now_v7())).await;
        // moving a row of A into B is refused too
        refused(&p, "42501", &format!("UPDATE customers SET company_id = '{b}' WHERE company_id = '{a}'")).await;
        // the audit of B is not readable either
        assert_eq!(count(&p, &format!("SELECT count(*) FROM audit WHERE company_id = '{b}'")).await, 0, "{user}");
    }
    // the outsider sees B only
    let out = s.office.as_person(&s.outsider).await;
    assert_eq!(count(&out, "SELECT count(*) FROM customers").await, 1);
    assert_eq!(count(&out, &format!("SELECT count(*) FROM documents WHERE company_id = '{a}'")).await, 0);
    let name: String = sqlx::query_scalar(&format!("SELECT name FROM customers WHERE id = '{cb}'"))
        .fetch_one(&s.office.root)
        .await
        .expect("B's customer");
    assert_eq!(name, "Cliente B");
    // an admin adds nobody to a company of which they are not a member
    let admin = s.office.as_person(&s.admin).await;
    let e = server::users::add(&admin, &s.office.name("intr"), ServerRole::Viewer, &[b], None).await.expect_err("B");
    assert_eq!(e.code(), Some("42501"), "{e}");
}

#[tokio::test]
async fn changes_are_audited_with_the_person_before_and_after_even_an_admin_s() {
    let s = setup("sec_audit").await;
    let admin = s.office.as_person(&s.admin).await;
    let acc = s.office.as_person(&s.accountant).await;
    works(&admin, "UPDATE customers SET email = 'admin@a.pt' WHERE name = 'Cliente A'").await;
    works(&acc, &format!("UPDATE documents SET notes = 'nota do rui' WHERE id = '{}'", s.draft)).await;

    let entries =
        server::audit::list(&admin, &desk_model::ipc::AuditQuery { user: Some(s.admin.clone()), ..Default::default() })
            .await
            .expect("audit");
    let edit =
        entries.iter().find(|e| e.entity == "customers" && e.action == "UPDATE").expect("the admin's edit is audited");
    let before: serde_json::Value = serde_json::from_str(edit.before.as_deref().expect("before")).expect("json");
    let after: serde_json::Value = serde_json::from_str(edit.after.as_deref().expect("after")).expect("json");
    assert_eq!(before["email"], serde_json::Value::Null);
    assert_eq!(after["email"], "admin@a.pt");
    assert_eq!(edit.user, s.admin);
    // the people the admin made are audited too (no company: admins read those)
    assert!(entries.iter().any(|e| e.entity == "people" && e.row_id == s.accountant), "adding a person is audited");

    let by_rui = server::audit::list(
        &admin,
        &desk_model::ipc::AuditQuery {
            user: Some(s.accountant.clone()),
            entity: Some("documents".into()),
            ..Default::default()
        },
    )
    .await
    .expect("audit");
    let note = by_rui.iter().find(|e| e.action == "UPDATE").expect("the accountant's edit");
    assert!(note.after.as_deref().unwrap_or_default().contains("nota do rui"));
    assert!(by_rui.iter().all(|e| e.user == s.accountant && e.entity == "documents"), "the filter holds");
    // dates filter: nothing tomorrow
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let none = server::audit::list(&admin, &desk_model::ipc::AuditQuery { from: Some(tomorrow), ..Default::default() })
        .await
        .expect("audit");
    assert!(none.is_empty());
    // nobody alters it, not even the admin
    refused(&admin, "42501", "UPDATE audit SET after = NULL").await;
    refused(&admin, "42501", "DELETE FROM audit").await;
    // and not the superuser either, unless it switches the triggers off
    assert_eq!(sqlstate(&s.office.root, "DELETE FROM audit").await.as_deref(), Some("42501"));
    assert_eq!(sqlstate(&s.office.root, "TRUNCATE audit").await.as_deref(), Some("42501"));
}

#[tokio::test]
async fn passwords_reach_the_server_only_as_scram_verifiers_and_log_in() {
    let s = setup("sec_scram").await;
    // each person logs in with their own password, and not with another
    let admin = s.office.as_person(&s.admin).await;
    let e = s.office.login(&s.viewer, "Wrong-password-123").await.expect_err("a wrong password");
    assert_eq!(e, ServerError::BadLogin);
    // a generated first password works, is shown once, and a reset replaces it
    let name = s.office.name("nova");
    let created = server::users::add(&admin, &name, ServerRole::Viewer, &[], None).await.expect("add");
    let first = created.password.expect("a generated password");
    assert!(desk_core::server::scram::check(&first).is_ok());
    assert_eq!(created.user.companies.len(), 0);
    s.office.login(&name, &first).await.expect("the first password logs in");
    let reset = server::users::reset(&admin, &name, None).await.expect("reset");
    let second = reset.password.expect("a new password");
    assert_eq!(s.office.login(&name, &first).await.expect_err("old password"), ServerError::BadLogin);
    s.office.login(&name, &second).await.expect("the new password logs in");
    // a disabled person cannot log in any more
    server::users::disable(&admin, &name).await.expect("disable");
    assert!(s.office.login(&name, &second).await.is_err());
    // a role change takes effect at once
    server::users::set_role(&admin, &s.viewer, ServerRole::Accountant).await.expect("set role");
    let v = s.office.as_person(&s.viewer).await;
    assert_eq!(server::users::session(&v).await.expect("session").role, Some(ServerRole::Accountant));
    works(&v, &format!("UPDATE documents SET notes = 'now I edit' WHERE id = '{}'", s.draft)).await;

    // pg_authid holds verifiers, and the server's log never saw any password
    let stored: Vec<String> =
        sqlx::query_scalar(&format!("SELECT rolpassword FROM pg_authid WHERE rolname LIKE '{}%'", s.office.prefix))
            .fetch_all(&s.office.root)
            .await
            .expect("pg_authid");
    assert!(stored.len() >= 5);
    assert!(stored.iter().all(|p| p.starts_with("SCRAM-SHA-256$4096:")), "{stored:?}");
    let log = std::fs::read_to_string(desk_tests::required_env("DESK_TEST_PG_LOG")).expect("server log");
    assert!(log.contains("desk_user_add"), "statements are logged (log_statement=all)");
    for secret in [first, second, office::password(&s.admin), office::password(&s.viewer)] {
        assert!(!log.contains(&secret), "a password reached the server's log");
    }
}

#[tokio::test]
async fn the_owner_is_held_by_row_security_too() {
    // A server initialised by an ordinary user with CREATEROLE (not a superuser) owns the tables; FORCE'd row
    // security and the audit triggers hold that owner as well.
    let office = Office::empty("sec_owner").await;
    let owner = office.name("owner");
    sqlx::query(&format!("CREATE ROLE \"{owner}\" LOGIN CREATEROLE PASSWORD '{}'", office::password(&owner)))
        .execute(&office.root)
        .await
        .expect("owner role");
    sqlx::query(&format!("ALTER DATABASE {} OWNER TO \"{owner}\"", office.db))
        .execute(&office.root)
        .await
        .expect("db owner");
    sqlx::query(&format!("ALTER SCHEMA public OWNER TO \"{owner}\""))
        .execute(&office.root)
        .await
        .expect("schema owner");
    let pool = office.as_person(&owner).await;
    assert_eq!(server::init::init(&pool).await.expect("init as the owner"), server::schema_version());
    let a = office.company("A", "500000000").await; // by the superuser, whose membership this is
    works(
        &office.root,
        &format!(
            "INSERT INTO customers (id, company_id, name, created_at) VALUES ('{}', '{a}', 'C', 'x')",
            Uuid::now_v7()
        ),
    )
    .await;
    assert_eq!(
        count(&pool, "SELECT count(*) FROM customers").await,
        0,
        "the owner sees no company it is not a member of"
    );
    assert_eq!(works(&pool, "UPDATE customers SET name = 'owner was here'").await, 0);
    // the audit: row security gives the owner no row to update or delete, and the triggers refuse the rest
    let entries = count(&office.root, "SELECT count(*) FROM audit").await;
    assert!(entries > 0);
    for sql in ["DELETE FROM audit", "UPDATE audit SET db_user = 'x'"] {
        assert!(matches!(sqlstate(&pool, sql).await.as_deref(), None | Some("42501")), "{sql}");
    }
    refused(&pool, "42501", "TRUNCATE audit").await;
    assert_eq!(count(&office.root, "SELECT count(*) FROM audit").await, entries);
    assert_eq!(count(&office.root, "SELECT count(*) FROM audit WHERE db_user = 'x'").await, 0);
}
