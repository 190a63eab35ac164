//! Shared by the office-server tests: a fresh database per test inside the throwaway cluster that
//! `cargo xtask test` starts, initialised by the engine, and connections as the people made in it.
//! Roles are cluster-wide, so every person's name starts with the test's own prefix.

#![allow(dead_code)]

use desk_core::server::{self, ServerAddress};
use desk_model::ipc::ServerRole;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use uuid::Uuid;

/// A fresh database for one test.
pub struct Office {
    /// The database's name.
    pub db: String,
    /// Names of people start with this (roles are cluster-wide).
    pub prefix: String,
    /// The superuser's pool on the database.
    pub root: PgPool,
    options: PgConnectOptions,
}

/// The cluster's superuser options.
pub fn cluster() -> PgConnectOptions {
    let url = desk_tests::required_env("DESK_TEST_PG_URL");
    PgConnectOptions::from_str(&url).expect("DESK_TEST_PG_URL")
}

impl Office {
    /// Creates an empty database `<tag>_<pid>` (dropping a leftover).
    pub async fn empty(tag: &str) -> Office {
        let db = format!("{tag}_{}", std::process::id());
        let mut admin = PgConnection::connect_with(&cluster()).await.expect("connect to the test cluster");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).execute(&mut admin).await.expect("drop");
        sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await.expect("create");
        admin.close().await.expect("close");
        let options = cluster().database(&db);
        let root = PgPoolOptions::new().max_connections(4).connect_with(options.clone()).await.expect("own db");
        Office { prefix: format!("{tag}{}_", std::process::id()), db, root, options }
    }

    /// A database initialised by the engine as the superuser.
    pub async fn initialised(tag: &str) -> Office {
        let office = Office::empty(tag).await;
        init(&office.root).await.expect("init");
        office
    }

    /// The address of the database for `user`.
    pub fn address(&self, user: &str) -> ServerAddress {
        ServerAddress {
            host: self.options.get_host().to_string(),
            port: self.options.get_port(),
            database: self.db.clone(),
            user: user.to_string(),
            sslmode: "disable".into(),
            ca_file: None,
        }
    }

    /// A person's full name in this test.
    pub fn name(&self, short: &str) -> String {
        format!("{}{short}", self.prefix)
    }

    /// Adds a company as the superuser (who then belongs to it, so it can add people to it).
    pub async fn company(&self, name: &str, nif: &str) -> Uuid {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO companies (id, name, nif, created_at) VALUES ($1, $2, $3, '2026-11-30T00:00:00Z')")
            .bind(id)
            .bind(name)
            .bind(nif)
            .execute(&self.root)
            .await
            .expect("company");
        id
    }

    /// Adds a person through the engine (as `by`), with a known password; returns their full name.
    pub async fn person(&self, by: &PgPool, short: &str, role: ServerRole, companies: &[Uuid]) -> String {
        let name = self.name(short);
        server::users::add(by, &name, role, companies, Some(&password(&name))).await.expect("add user");
        name
    }

    /// A pool logged in as `user` with `password`.
    pub async fn login(&self, user: &str, password: &str) -> Result<PgPool, server::ServerError> {
        server::connect(&self.address(user), Some(password)).await
    }

    /// A pool logged in as a person made by [`Office::person`].
    pub async fn as_person(&self, user: &str) -> PgPool {
        self.login(user, &password(user)).await.unwrap_or_else(|e| panic!("login as {user}: {e}"))
    }

    /// One connection logged in as a person.
    pub async fn conn(&self, user: &str) -> PgConnection {
        let pw = password(user);
        let o = self.options.clone().username(user).password(&pw);
        PgConnection::connect_with(&o).await.unwrap_or_else(|e| panic!("connect as {user}: {e}"))
    }
}

/// `server::init::init`, one at a time in this test process: the group roles are cluster-wide, and two inits
/// at once race to create them.
pub async fn init(pool: &PgPool) -> Result<i64, server::ServerError> {
    static INIT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = INIT.lock().await;
    server::init::init(pool).await
}

/// The password the tests give a person: long, printable, theirs alone.
pub fn password(user: &str) -> String {
    format!("Pw-{user}-7kQ!x")
}

/// Runs `sql` and returns its SQLSTATE on failure, or None when it worked.
pub async fn sqlstate(pool: &PgPool, sql: &str) -> Option<String> {
    match sqlx::query(sql).execute(pool).await {
        Ok(_) => None,
        Err(sqlx::Error::Database(d)) => Some(d.code().map(|c| c.to_string()).unwrap_or_default()),
        Err(e) => panic!("{sql}: not a database refusal: {e}"),
    }
}

/// Asserts `sql` is refused with `code`.
pub async fn refused(pool: &PgPool, code: &str, sql: &str) {
    assert_eq!(sqlstate(pool, sql).await.as_deref(), Some(code), "expected {code} for: {sql}");
}

/// Asserts `sql` works, returning the rows it changed.
pub async fn works(pool: &PgPool, sql: &str) -> u64 {
    match sqlx::query(sql).execute(pool).await {
        Ok(r) => r.rows_affected(),
        Err(e) => panic!("expected to work: {sql}: {e}"),
    }
}

/// Runs `desk` on `dir` with the kernel keyring under `service` (and `PGPASSWORD` when given); its output, after
/// asserting it succeeded.
pub fn desk(dir: &std::path::Path, service: &str, args: &[&str], pgpassword: Option<&str>) -> String {
    let mut cmd = std::process::Command::new(desk_tests::required_env("DESK_CLI_BIN"));
    cmd.args(args)
        .env("DESK_DATA_DIR", dir)
        .env("DESK_KEYRING_SERVICE", service)
        .env("DESK_KEYRING", "kernel")
        .env_remove("PGPASSWORD");
    if let Some(p) = pgpassword {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().expect("run desk");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "desk {args:?}: {text}");
    text
}
