//! The local SQLite cache: opening it (WAL, migrations, clear errors when locked or damaged) and settings.

mod checkpoint;

use crate::error::{CoreError, CoreResult};
use crate::paths::DB_FILE;
use checkpoint::Checkpointer;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Sqlite;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The local schema, embedded in the binary; applied at every start.
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
            .pragma("cache_size", "-32000");
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
        MIGRATOR.run(&writer).await.map_err(|e| classify_migrate(e, path))?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| classify(e, path))?;
        let checkpointer = Arc::new(Checkpointer::start(pool.clone()));
        Ok(Store { pool, writer, path: path.to_path_buf(), checkpointer })
    }

    /// The readers' pool, for the services in this crate.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The writer connection's pool (one connection), for single write statements outside a transaction.
    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a write transaction. IMMEDIATE takes the write lock at the start, so two writers queue on the busy
    /// timeout instead of one failing at once with "database is locked" when it upgrades a stale read snapshot
    /// (or meets a transaction that an error path dropped and sqlx is still rolling back).
    pub async fn begin(&self) -> CoreResult<sqlx::Transaction<'static, Sqlite>> {
        self.checkpointer.write_started();
        self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(|e| classify(e, &self.path))
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
        .execute(&self.writer)
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
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(again.pool()).await.expect("pragma");
        assert_eq!(mode, "wal");
    }

    /// Commits leave their pages in the WAL; the background task copies them into the database file soon after.
    #[tokio::test]
    async fn writes_reach_the_database_file_through_the_background_checkpoint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).await.expect("open");
        let main_file = || std::fs::read(dir.path().join(DB_FILE)).expect("read");
        let before = main_file();
        let mut tx = store.begin().await.expect("begin");
        sqlx::query("INSERT INTO settings (key, value) VALUES ('probe', ?)")
            .bind("x".repeat(3000))
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while main_file() == before {
            assert!(std::time::Instant::now() < deadline, "the committed pages never reached the database file");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let limit: i64 =
            sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(store.writer()).await.expect("pragma");
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
