//! The local SQLite cache: opening it (WAL, migrations, clear errors when locked or damaged), settings, the
//! read-only readers, and the one way to write ([`Writer`], and [`Store::bulk`] for sample data).

mod checkpoint;
pub mod entity;
mod writer;

pub use entity::{col, Column, Entity, NaturalKey, Policy, Value};
pub use writer::{Kind, Writer, SCHEMA_VERSION};

use crate::error::{CoreError, CoreResult};
use crate::paths::DB_FILE;
use checkpoint::Checkpointer;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Sqlite;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use uuid::Uuid;

/// The setting that holds this desktop's id (the `desktop_id` of its ops).
const DESKTOP_ID: &str = "desktop_id";

/// The local schema, embedded in the binary; applied at every start.
/// Each connection's page cache, in KiB (a first office pull raises the writer's for its duration).
pub(crate) const CACHE_KIB: i64 = 32_000;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/local");

/// An open local database: a pool of readers and one writer connection.
///
/// Every write transaction goes through the one writer, so writers queue in the pool (first come, first
/// served) rather than in SQLite's busy handler, and the writer's page cache stays warm: SQLite empties a
/// connection's cache whenever another connection has written, so writes spread over a pool would re-read
/// the B-tree pages of every index they touch.
///
/// WAL checkpoints run in the background after writes (see `checkpoint`), not inside a commit.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    writer: SqlitePool,
    path: PathBuf,
    checkpointer: Arc<Checkpointer>,
    desktop_id: Uuid,
    /// Companies holding sample data: their rows never sync (no ops).
    demo: Arc<RwLock<HashSet<Uuid>>>,
    /// Commits since opening: every [`TRIM_EVERY`]th trims a solo desktop's outbox.
    commits: Arc<AtomicU64>,
    /// Joined to an office: the outbox then keeps every op until the server acknowledges it.
    office: Arc<AtomicBool>,
    /// Signalled after each commit that wrote ops: office sync pushes them at once.
    outbox_changed: Arc<tokio::sync::Notify>,
    /// A first pull has set the list indexes aside (`sync::first_pull`): queries must not name them.
    lists_aside: Arc<AtomicBool>,
}

/// How often (in commits) a solo desktop trims its outbox to `sync::outbox::SOLO_KEEP` ops.
pub const TRIM_EVERY: u64 = 500;

/// The writer connection lent to the sample-data loader (see [`Store::bulk`]).
pub struct Bulk {
    conn: sqlx::pool::PoolConnection<Sqlite>,
}

impl Bulk {
    /// The connection (`synchronous = OFF`; the loader runs its own transactions).
    pub fn conn(&mut self) -> &mut sqlx::SqliteConnection {
        &mut self.conn
    }

    /// Puts durability back before the connection returns to the pool.
    pub async fn finish(mut self) -> CoreResult<()> {
        sqlx::query("PRAGMA synchronous = FULL").execute(&mut *self.conn).await?;
        Ok(())
    }
}

/// How long a write waits for the writer connection before reporting the database busy.
const WRITER_WAIT: Duration = Duration::from_secs(10);

/// SQLite's primary result codes that mean "someone else holds the file" and "this is not a sound database".
const SQLITE_BUSY: &str = "5";
const SQLITE_LOCKED: &str = "6";
const SQLITE_CORRUPT: &str = "11";
const SQLITE_NOTADB: &str = "26";

/// Maps SQLite's own error codes to the errors a user can act on.
fn classify(e: sqlx::Error, path: &Path) -> CoreError {
    if matches!(e, sqlx::Error::PoolTimedOut) {
        return CoreError::Busy(path.to_path_buf());
    }
    if let sqlx::Error::Database(db) = &e {
        let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
        // extended codes carry the primary code in their low byte
        let primary = code.parse::<u32>().map(|c| (c & 0xff).to_string()).unwrap_or(code);
        match primary.as_str() {
            SQLITE_BUSY | SQLITE_LOCKED => return CoreError::Locked(path.to_path_buf()),
            SQLITE_CORRUPT | SQLITE_NOTADB => return CoreError::Corrupt(path.to_path_buf()),
            _ => {}
        }
    }
    CoreError::Db(e)
}

fn classify_migrate(e: sqlx::migrate::MigrateError, path: &Path) -> CoreError {
    match e {
        sqlx::migrate::MigrateError::Execute(inner) => classify(inner, path),
        other => CoreError::Migrate(other),
    }
}

impl Store {
    /// Opens (creating if needed) the database in `dir`, in WAL mode, and applies pending migrations.
    pub async fn open(dir: &Path) -> CoreResult<Store> {
        std::fs::create_dir_all(dir).map_err(|source| CoreError::DataDir { path: dir.to_path_buf(), source })?;
        Store::open_file(&dir.join(DB_FILE)).await
    }

    /// Opens a database file directly.
    pub async fn open_file(path: &Path) -> CoreResult<Store> {
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(CoreError::Db)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed edit and its outbox op survive a power cut (sync-anchors.md §5.3).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(3))
            .pragma("cache_size", format!("-{CACHE_KIB}"));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(WRITER_WAIT)
            // a local file has no connection to lose; the ping is one more trip to SQLite's thread per write
            .test_before_acquire(false)
            .connect_with(options.clone().pragma("wal_autocheckpoint", checkpoint::SAFETY_LIMIT_PAGES.to_string()))
            .await
            .map_err(|e| classify(e, path))?;
        // A write lock proves no other program holds the file exclusively; a damaged file fails here too.
        sqlx::query("BEGIN IMMEDIATE; COMMIT;").execute(&writer).await.map_err(|e| classify(e, path))?;
        // indexes a first office pull set aside and a crash left so are made again before a migration needs them
        crate::sync::first_pull::restore_on_open(&writer).await?;
        MIGRATOR.run(&writer).await.map_err(|e| classify_migrate(e, path))?;
        let desktop_id = Store::desktop_identity(&writer).await.map_err(|e| classify(e, path))?;
        let office: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(crate::server::join::URL)
            .fetch_optional(&writer)
            .await
            .map_err(|e| classify(e, path))?;
        let demo: Vec<String> = sqlx::query_scalar("SELECT id FROM companies WHERE demo = 1")
            .fetch_all(&writer)
            .await
            .map_err(|e| classify(e, path))?;
        // Readers cannot write: every write goes through the writer connection, in a Writer.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .test_before_acquire(false)
            .connect_with(options.pragma("query_only", "ON"))
            .await
            .map_err(|e| classify(e, path))?;
        let checkpointer = Arc::new(Checkpointer::start(pool.clone()));
        let demo = demo.iter().filter_map(|id| Uuid::parse_str(id).ok()).collect();
        Ok(Store {
            pool,
            writer,
            path: path.to_path_buf(),
            checkpointer,
            desktop_id,
            demo: Arc::new(RwLock::new(demo)),
            commits: Arc::new(AtomicU64::new(0)),
            office: Arc::new(AtomicBool::new(office.is_some())),
            lists_aside: Arc::new(AtomicBool::new(false)),
            outbox_changed: Arc::new(tokio::sync::Notify::new()),
        })
    }

    /// This desktop's id, made on the first start and kept in the file's settings.
    async fn desktop_identity(writer: &SqlitePool) -> Result<Uuid, sqlx::Error> {
        let fresh = Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
            .bind(DESKTOP_ID)
            .bind(&fresh)
            .execute(writer)
            .await?;
        let id: String =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(DESKTOP_ID).fetch_one(writer).await?;
        Ok(Uuid::parse_str(&id).unwrap_or_default())
    }

    /// The readers (read-only connections: `query_only`).
    pub fn reader(&self) -> &SqlitePool {
        &self.pool
    }

    /// The id of this desktop, in every op it writes.
    pub fn desktop_id(&self) -> Uuid {
        self.desktop_id
    }

    /// Whether this desktop has joined an office.
    pub fn is_office(&self) -> bool {
        self.office.load(Ordering::Relaxed)
    }

    /// Records joining or leaving an office (see [`crate::server::join`]).
    pub(crate) fn set_office(&self, joined: bool) {
        self.office.store(joined, Ordering::Relaxed);
    }

    /// ` INDEXED BY <index>` for a list query, or nothing while a first pull has the list indexes set aside (a
    /// query naming a missing index fails; without the hint SQLite plans with what is there).
    pub fn indexed_by(&self, index: &str) -> String {
        if self.lists_aside.load(Ordering::Acquire) {
            String::new()
        } else {
            format!(" INDEXED BY {index}")
        }
    }

    /// Records that a first pull set the list indexes aside, or made them again.
    pub(crate) fn set_lists_aside(&self, aside: bool) {
        self.lists_aside.store(aside, Ordering::Release);
    }

    /// Whether a company holds sample data (its rows never sync).
    pub fn is_demo(&self, company: Uuid) -> bool {
        self.demo.read().map(|d| d.contains(&company)).unwrap_or(false)
    }

    /// Starts the one kind of write transaction: rows, audit entries and ops together (see [`Writer`]).
    pub async fn write<'s>(&'s self, actor: &'s str) -> CoreResult<Writer<'s>> {
        let tx = self.begin().await?;
        Ok(Writer::new(tx, self, actor))
    }

    /// The bulk door, for sample data only: marks `company` as demo data (its rows never sync and write no
    /// ops) and lends the writer connection with `synchronous = OFF` until [`Bulk::finish`].
    pub async fn bulk(&self, company: Uuid) -> CoreResult<Bulk> {
        self.checkpointer.write_started();
        let mut conn = self.writer.acquire().await.map_err(|e| classify(e, &self.path))?;
        sqlx::query("UPDATE companies SET demo = 1 WHERE id = ?").bind(company.to_string()).execute(&mut *conn).await?;
        // what the company wrote before it held sample data never leaves either
        sqlx::query("DELETE FROM outbox WHERE company_id = ?").bind(company.to_string()).execute(&mut *conn).await?;
        if let Ok(mut d) = self.demo.write() {
            d.insert(company);
        }
        sqlx::query("PRAGMA synchronous = OFF").execute(&mut *conn).await?;
        Ok(Bulk { conn })
    }

    /// Counts a commit; true when this one should trim a solo desktop's outbox (a desktop joined to an office
    /// never trims: its ops wait for the server).
    pub(crate) fn trim_due(&self) -> bool {
        (self.commits.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(TRIM_EVERY) && !self.is_office()
    }

    /// Signalled after each commit that wrote ops (office sync waits on it to push at once).
    pub fn outbox_changed(&self) -> &Arc<tokio::sync::Notify> {
        &self.outbox_changed
    }

    /// Called after each commit: schedules the background checkpoint.
    pub(crate) fn after_write(&self) {
        self.checkpointer.write_started();
    }

    /// The writer connection, for this desktop's local tables (settings, unsaved forms) only: never a synced
    /// table, which only a [`Writer`] writes.
    pub(crate) fn local(&self) -> &SqlitePool {
        &self.writer
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A write transaction. IMMEDIATE takes the write lock at the start, so two writers queue on the busy
    /// timeout instead of one failing at once with "database is locked" when it upgrades a stale read snapshot
    /// (or meets a transaction that an error path dropped and sqlx is still rolling back).
    ///
    /// A write whose future was dropped while its BEGIN ran (a cancelled call) leaves the writer connection inside
    /// a transaction nobody owns, and sqlx then refuses every BEGIN: as the writer connection is only ever lent
    /// to one transaction at a time, holding it proves the leftover is abandoned, so it is rolled back and the
    /// BEGIN tried again.
    async fn begin(&self) -> CoreResult<sqlx::Transaction<'static, Sqlite>> {
        self.checkpointer.write_started();
        match self.writer.begin_with("BEGIN IMMEDIATE").await {
            Err(sqlx::Error::InvalidSavePointStatement) => {
                let mut conn = self.writer.acquire().await.map_err(|e| classify(e, &self.path))?;
                <<Sqlite as sqlx::Database>::TransactionManager as sqlx::TransactionManager>::rollback(&mut conn)
                    .await
                    .map_err(|e| classify(e, &self.path))?;
                drop(conn);
                self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(|e| classify(e, &self.path))
            }
            other => other.map_err(|e| classify(e, &self.path)),
        }
    }

    /// Reads a setting.
    pub async fn setting(&self, key: &str) -> CoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(&self.pool).await?)
    }

    /// Writes a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> CoreResult<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.local())
        .await?;
        Ok(())
    }

    /// Closes both pools; the last connection to close checkpoints the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_that_is_not_a_database_gives_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(DB_FILE);
        std::fs::write(&path, b"this is a spreadsheet, not a database, padded to more than one page....".repeat(100))
            .expect("write");
        let err = Store::open(dir.path()).await.expect_err("must refuse");
        assert!(matches!(err, CoreError::Corrupt(_)), "{err:?}");
        assert_eq!(err.to_app_error().kind, desk_model::ipc::ErrorKind::Corrupt);
    }

    #[tokio::test]
    async fn migrations_apply_once_and_settings_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).await.expect("open");
        store.set_setting("lang", "pt-PT").await.expect("set");
        store.close().await;
        let again = Store::open(dir.path()).await.expect("reopen");
        assert_eq!(again.setting("lang").await.expect("get").as_deref(), Some("pt-PT"));
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(again.reader()).await.expect("pragma");
        assert_eq!(mode, "wal");
    }

    /// A trigger's condition never holds an IN list of more than two constants: SQLite builds a temporary table
    /// for one each time the trigger fires (migration 0022), which made every insert of a pull many times slower.
    #[tokio::test]
    async fn no_trigger_tests_a_list_of_constants_with_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).await.expect("open");
        let triggers: Vec<(String, String)> =
            sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                .fetch_all(store.reader())
                .await
                .expect("triggers");
        assert!(triggers.len() > 10, "the schema has its triggers: {}", triggers.len());
        let in_list = |sql: &str| {
            sql.to_ascii_uppercase().match_indices(" IN (").any(|(at, _)| {
                let rest = &sql[at + 5..];
                let inside = &rest[..rest.find(')').unwrap_or(rest.len())];
                !inside.trim_start().to_ascii_uppercase().starts_with("SELECT") && inside.matches(',').count() >= 2
            })
        };
        let slow: Vec<&String> = triggers.iter().filter(|(_, sql)| in_list(sql)).map(|(name, _)| name).collect();
        assert!(slow.is_empty(), "triggers with an IN list: {slow:?}");
        assert!(in_list("WHEN new.state IN ('a', 'b', 'c')"), "the check finds one");
    }

    /// Commits leave their pages in the WAL; the background task copies them into the database file soon after.
    #[tokio::test]
    async fn writes_reach_the_database_file_through_the_background_checkpoint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).await.expect("open");
        let main_file = || std::fs::read(dir.path().join(DB_FILE)).expect("read");
        let before = main_file();
        let mut w = store.write("t").await.expect("begin");
        sqlx::query("INSERT INTO settings (key, value) VALUES ('probe', ?)")
            .bind("x".repeat(3000))
            .execute(w.conn())
            .await
            .expect("insert");
        w.commit().await.expect("commit");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while main_file() == before {
            assert!(std::time::Instant::now() < deadline, "the committed pages never reached the database file");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let limit: i64 =
            sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(store.local()).await.expect("pragma");
        assert_eq!(
            limit,
            i64::from(checkpoint::SAFETY_LIMIT_PAGES),
            "commits do not checkpoint before the safety limit"
        );
    }

    #[tokio::test]
    async fn a_database_held_by_another_writer_is_reported_locked() {
        let dir = tempfile::tempdir().expect("tempdir");
        Store::open(dir.path()).await.expect("open").close().await;
        // Another program holding the file in exclusive locking mode keeps every other connection out.
        use sqlx::Connection;
        let url = format!("sqlite:{}", dir.path().join(DB_FILE).display());
        let mut other = sqlx::SqliteConnection::connect(&url).await.expect("connect");
        sqlx::query("PRAGMA locking_mode = EXCLUSIVE").execute(&mut other).await.expect("pragma");
        sqlx::query("BEGIN EXCLUSIVE").execute(&mut other).await.expect("begin");
        let err = Store::open(dir.path()).await.expect_err("must refuse");
        assert!(matches!(err, CoreError::Locked(_)), "{err:?}");
    }
}
