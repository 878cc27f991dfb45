//! What the shared store needs from a backend: connections to read on, connections and
//! transactions to write on. [`SqlStore`] implements every store port on top of it.

use std::future::Future;

use sqlx::pool::PoolConnection;
use sqlx::{Database, Transaction};
use televent_ports::StoreError;

use super::conn::Conn;
use super::error::db_error;

/// A database the shared store runs on.
pub trait Backend: Send + Sync + 'static {
    /// The sqlx database.
    type Db: Database<Connection: Conn>;

    /// Whether the outbox claim locks the rows it picks (`FOR UPDATE SKIP LOCKED`): needed
    /// where several writers run at once, meaningless where writes are already serialized.
    const LOCKS_ROWS: bool;

    /// A connection for reading.
    fn read(&self) -> impl Future<Output = Result<PoolConnection<Self::Db>, sqlx::Error>> + Send;

    /// A connection for a single-statement write.
    fn write(&self) -> impl Future<Output = Result<PoolConnection<Self::Db>, sqlx::Error>> + Send;

    /// A transaction for a write of several statements.
    fn begin(&self) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

/// The store ports on a SQL database. `SqliteStore` and `PostgresStore` are this with their
/// backend.
#[derive(Debug)]
pub struct SqlStore<B> {
    backend: B,
}

impl<B: Backend> SqlStore<B> {
    pub(crate) fn new(backend: B) -> Self {
        Self { backend }
    }

    /// The backend (pools, options).
    pub(crate) fn backend(&self) -> &B {
        &self.backend
    }

    pub(super) async fn reader(&self) -> Result<PoolConnection<B::Db>, StoreError> {
        self.backend.read().await.map_err(db_error)
    }

    pub(super) async fn writer(&self) -> Result<PoolConnection<B::Db>, StoreError> {
        self.backend.write().await.map_err(db_error)
    }

    pub(super) async fn begin(&self) -> Result<Transaction<'static, B::Db>, StoreError> {
        self.backend.begin().await.map_err(db_error)
    }
}

/// Commits a transaction.
pub(super) async fn commit<DB: Database>(transaction: Transaction<'static, DB>) -> Result<(), StoreError> {
    transaction.commit().await.map_err(db_error)
}
