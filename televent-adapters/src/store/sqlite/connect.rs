//! Opening a SQLite database: a pool of reader connections and a pool of exactly one writer
//! connection, in WAL mode.
//!
//! One writer means writes never contend for SQLite's write lock inside this process (no
//! `SQLITE_BUSY` when a read transaction would upgrade), and the store's writes are
//! serialized: that is what makes If-Match and the outbox claim safe here. Readers run
//! beside the writer thanks to WAL. A write transaction starts with `BEGIN IMMEDIATE`, so a
//! second process on the same file waits (`busy_timeout`) instead of failing halfway.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};
use televent_ports::StoreError;

use crate::store::sql::{Backend, SqlStore, db_error};

static MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");

/// How long a connection waits for another process's lock on the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Reader connections.
const READERS: u32 = 8;
/// Each reader's page cache, as SQLite's `cache_size` pragma takes it (negative: KiB).
const READER_CACHE_KIB: &str = "-512";

/// The store on SQLite.
pub type SqliteStore = SqlStore<SqliteBackend>;

/// SQLite's connections: readers, and the one writer.
#[derive(Debug, Clone)]
pub struct SqliteBackend {
    readers: SqlitePool,
    writer: SqlitePool,
}

impl Backend for SqliteBackend {
    type Db = Sqlite;

    // One writer: nothing else can claim at the same time.
    const LOCKS_ROWS: bool = false;

    fn read(&self) -> impl Future<Output = Result<PoolConnection<Sqlite>, sqlx::Error>> + Send {
        self.readers.acquire()
    }

    fn write(&self) -> impl Future<Output = Result<PoolConnection<Sqlite>, sqlx::Error>> + Send {
        self.writer.acquire()
    }

    fn begin(&self) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        self.writer.begin_with("BEGIN IMMEDIATE")
    }
}

impl SqlStore<SqliteBackend> {
    /// Opens (and creates, if missing) the database at `sqlite://PATH` or `sqlite:PATH`.
    /// `sqlite::memory:` gives a private in-memory database on one connection, for tests
    /// and experiments.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if !url.starts_with("sqlite:") {
            return Err(StoreError::Invalid(format!(
                "'{url}' is not a SQLite URL (sqlite://PATH)"
            )));
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("bad SQLite URL '{url}': {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let backend = if url.contains(":memory:") || url.contains("mode=memory") {
            // Every connection to `:memory:` would see its own database (or, shared-cache,
            // lock tables against the others): one connection that never closes does both
            // jobs.
            let only = SqlitePoolOptions::new()
                .min_connections(1)
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await
                .map_err(db_error)?;
            SqliteBackend {
                readers: only.clone(),
                writer: only,
            }
        } else {
            // No mmap: reports read calendars from the door's snapshots, not row by row, and
            // a file mapped by every reader counts once per reader in the process's RSS.
            let options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal);
            // The writer first: it creates the file and switches it to WAL.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await
                .map_err(db_error)?;
            // Readers keep small page caches: reports and GETs answer from the door's
            // snapshots, a listing scans the table once per request (through the OS's page
            // cache, which RSS does not count), and eight caches of SQLite's default 2 MB
            // were 16 MB of the process for pages it rarely read twice.
            let readers = SqlitePoolOptions::new()
                .max_connections(READERS)
                .connect_with(options.pragma("cache_size", READER_CACHE_KIB))
                .await
                .map_err(db_error)?;
            SqliteBackend { readers, writer }
        };
        Ok(Self::new(backend))
    }

    /// Brings the schema up to date (`migrations/sqlite`).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.backend().writer)
            .await
            .map_err(|e| StoreError::Unavailable(format!("SQLite migration failed: {e}")))
    }
}
