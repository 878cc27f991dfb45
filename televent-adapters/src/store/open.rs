//! Opening the store a URL names, whichever backend it is.

use std::sync::Arc;

use televent_ports::{Store, StoreError};

use super::{PostgresStore, SqliteStore};

/// PostgreSQL connections per process when the URL does not say otherwise.
const POSTGRES_CONNECTIONS: u32 = 16;

/// Connects to the store at `url` and brings its schema up to date: `sqlite://PATH` (or
/// `sqlite:PATH`), or `postgres://...` / `postgresql://...`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        let store = SqliteStore::connect(url).await?;
        store.migrate().await?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::connect(url, POSTGRES_CONNECTIONS).await?;
        store.migrate().await?;
        Ok(Arc::new(store))
    } else {
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        Err(StoreError::Invalid(format!(
            "unknown database URL scheme '{scheme}': use sqlite://PATH or postgres://USER@HOST/DATABASE"
        )))
    }
}
