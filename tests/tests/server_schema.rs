//! `desk server init` and `upgrade` on a real PostgreSQL (issue 18): an empty database gets the office
//! schema; an initialised one or one holding other tables is left as it was, with a clear message; the
//! central tables carry exactly the desktop entities' synced columns; versions are checked both ways.

mod office;

use desk_core::server::{self, schema, ServerError};
use office::Office;
use sqlx::PgPool;

/// Every object of the database and its definition, to show nothing changed.
async fn fingerprint(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT md5(coalesce(string_agg(c.relname || ':' || c.relkind::text || ':' || coalesce(c.relacl::text, ''), ',' ORDER BY c.relname), '')
                 || (SELECT coalesce(string_agg(p.proname || md5(p.prosrc), ',' ORDER BY p.proname), '') FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public')
                 || (SELECT coalesce(string_agg(version::text, ','), '') FROM public._sqlx_migrations))
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    )
    .fetch_one(pool)
    .await
    .expect("fingerprint")
}

#[tokio::test]
async fn init_on_an_empty_database_then_again_changes_nothing_the_second_time() {
    let office = Office::empty("schema_init").await;
    assert_eq!(server::init::installed_version(&office.root).await.expect("version"), None);
    let v = office::init(&office.root).await.expect("init on an empty database");
    assert_eq!(v, server::schema_version());
    assert_eq!(server::init::check_version(&office.root).await.expect("check"), v);
    let before = fingerprint(&office.root).await;
    let again = server::init::init(&office.root).await.expect_err("a second init");
    assert_eq!(again, ServerError::AlreadyInitialised { version: v });
    assert!(again.message().en.contains("already initialised") && again.message().pt.contains("já está preparado"));
    assert_eq!(fingerprint(&office.root).await, before, "nothing changed");
    // upgrade with nothing new to apply
    assert_eq!(server::init::upgrade(&office.root).await.expect("upgrade"), (v, v));
    assert_eq!(fingerprint(&office.root).await, before);
}

#[tokio::test]
async fn init_refuses_a_database_that_holds_other_tables() {
    let office = Office::empty("schema_busy").await;
    sqlx::query("CREATE TABLE invoices_2019 (id int)").execute(&office.root).await.expect("other table");
    assert_eq!(server::init::init(&office.root).await, Err(ServerError::NotEmpty { tables: 1 }));
    assert_eq!(server::init::installed_version(&office.root).await.expect("v"), None, "nothing was applied");
    let e = server::init::upgrade(&office.root).await.expect_err("upgrade of a non-office database");
    assert_eq!(e, ServerError::NotInitialised);
}

#[tokio::test]
async fn a_desktop_older_than_its_server_is_refused_and_a_newer_one_asks_for_an_upgrade() {
    let office = Office::initialised("schema_versions").await;
    let ours = server::schema_version();
    // a later migration applied by a newer app
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, 'later', true, '\\x00', 0)",
    )
    .bind(ours + 1)
    .execute(&office.root)
    .await
    .expect("newer server");
    assert_eq!(
        server::init::check_version(&office.root).await,
        Err(ServerError::ServerNewer { server: ours + 1, ours })
    );
    assert_eq!(server::init::upgrade(&office.root).await, Err(ServerError::ServerNewer { server: ours + 1, ours }));
    // an older server (as if this app brought a migration it lacks)
    sqlx::query("DELETE FROM _sqlx_migrations").execute(&office.root).await.expect("older");
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (0, 'older', true, '\\x00', 0)")
        .execute(&office.root)
        .await
        .expect("older");
    let e = server::init::check_version(&office.root).await.expect_err("older server");
    assert_eq!(e, ServerError::ServerOlder { server: 0, ours });
    assert!(e.message().en.contains("desk server upgrade"));
}

#[tokio::test]
async fn the_central_tables_carry_exactly_the_entities_synced_columns() {
    let office = Office::initialised("schema_columns").await;
    for t in schema::synced_tables() {
        let mut columns: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(t.table)
        .fetch_all(&office.root)
        .await
        .expect("columns");
        columns.sort();
        assert_eq!(columns, t.columns, "{}: the central table and Entity::COLUMNS (minus Local) differ", t.table);
        // every synced table takes its rev from the clock, is audited and is held by row security
        let (triggers, forced): (Vec<String>, bool) = sqlx::query_as(
            "SELECT coalesce(array_agg(tgname::text ORDER BY tgname) FILTER (WHERE NOT tgisinternal), '{}'), bool_and(relforcerowsecurity)
               FROM pg_class c LEFT JOIN pg_trigger g ON g.tgrelid = c.oid
              WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace",
        )
        .bind(t.table)
        .fetch_one(&office.root)
        .await
        .expect("triggers");
        for needed in ["audit", "guard", "stamp"] {
            assert!(triggers.iter().any(|g| g == needed), "{}: no {needed} trigger in {triggers:?}", t.table);
        }
        assert!(forced, "{}: row security is not FORCE'd", t.table);
    }
    // every SECURITY DEFINER function has a fixed search_path
    let loose: Vec<String> = sqlx::query_scalar(
        "SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef
            AND NOT coalesce(proconfig::text LIKE '%search_path=%', false)",
    )
    .fetch_all(&office.root)
    .await
    .expect("functions");
    assert!(loose.is_empty(), "SECURITY DEFINER without a fixed search_path: {loose:?}");
}
