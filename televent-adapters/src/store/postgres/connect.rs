//! Opening a PostgreSQL database: one pool for reads and writes.
//!
//! Writers of one calendar serialize on the calendar's row (see `sql::ports::write`), and
//! the outbox claim locks rows with `FOR UPDATE SKIP LOCKED`, so any number of Televent
//! processes can share the database.

use std::future::Future;
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection, Postgres, Transaction};
use televent_ports::StoreError;

use crate::store::sql::{Backend, SqlStore, db_error};

static MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// The store on PostgreSQL.
pub type PostgresStore = SqlStore<PostgresBackend>;

/// PostgreSQL's connection pool.
#[derive(Debug, Clone)]
pub struct PostgresBackend {
    pool: PgPool,
}

impl Backend for PostgresBackend {
    type Db = Postgres;

    // Several processes claim at once.
    const LOCKS_ROWS: bool = true;

    fn read(&self) -> impl Future<Output = Result<PoolConnection<Postgres>, sqlx::Error>> + Send {
        self.pool.acquire()
    }

    fn write(&self) -> impl Future<Output = Result<PoolConnection<Postgres>, sqlx::Error>> + Send {
        self.pool.acquire()
    }

    fn begin(&self) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        self.pool.begin()
    }
}

impl SqlStore<PostgresBackend> {
    /// Connects to `postgres://...` (or `postgresql://...`) with a pool of at most
    /// `max_connections`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Invalid(
                "not a PostgreSQL URL (postgres://USER@HOST/DATABASE)".to_owned(),
            ));
        }
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Invalid(format!("bad PostgreSQL URL: {e}")))?;
        // One connection first, so that a wrong host or password fails now with its own
        // message rather than as a pool timeout half a minute later.
        let probe = PgConnection::connect_with(&options).await.map_err(db_error)?;
        probe.close().await.map_err(db_error)?;
        // A database that went away is answered as unavailable (503) within seconds, not after
        // sqlx's default half minute; the pool reconnects by itself when it is back.
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect_lazy_with(options);
        Ok(Self::new(PostgresBackend { pool }))
    }

    /// Brings the schema up to date (`migrations/postgres`).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.backend().pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("PostgreSQL migration failed: {e}")))
    }
}
