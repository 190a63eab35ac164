//! The throwaway PostgreSQL cluster `cargo xtask test` starts: reachable, new enough, and able to give each
//! test its own database. Office mode's schema tests build on this.

use sqlx::{Connection, PgConnection};

#[tokio::test]
async fn the_test_cluster_is_a_real_postgresql_that_gives_each_test_its_own_database() {
    let url = desk_tests::required_env("DESK_TEST_PG_URL");
    let mut admin = PgConnection::connect(&url).await.expect("connect to the test cluster");
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
        .fetch_one(&mut admin)
        .await
        .expect("version");
    assert!(version >= 130000, "PostgreSQL 13 or newer is needed (xid8, pg_current_xact_id); found {version}");

    let db = format!("t_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db}")).execute(&mut admin).await.expect("drop");
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await.expect("create");
    let own_url = format!("{}/{db}", url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&url));
    let mut own = PgConnection::connect(&own_url).await.expect("connect to own db");
    let name: String = sqlx::query_scalar("SELECT current_database()").fetch_one(&mut own).await.expect("db");
    assert_eq!(name, db);
    own.close().await.expect("close");
    sqlx::query(&format!("DROP DATABASE {db}")).execute(&mut admin).await.expect("drop");
}
