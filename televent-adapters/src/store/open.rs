//! Opening the store a URL names, whichever backend it is.

use std::sync::Arc;

use televent_ports::{Store, StoreError};

use super::{PostgresStore, SqliteStore};

/// PostgreSQL connections per process when the URL does not say otherwise
/// (`?max_connections=N`).
const POSTGRES_CONNECTIONS: u32 = 16;

/// Connects to the store at `url` and brings its schema up to date: `sqlite://PATH` (or
/// `sqlite:PATH`), or `postgres://...` / `postgresql://...`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        let store = SqliteStore::connect(url).await?;
        store.migrate().await?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let (url, connections) = pool_size(url)?;
        let store = PostgresStore::connect(&url, connections.unwrap_or(POSTGRES_CONNECTIONS)).await?;
        store.migrate().await?;
        Ok(Arc::new(store))
    } else {
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        Err(StoreError::Invalid(format!(
            "unknown database URL scheme '{scheme}': use sqlite://PATH or postgres://USER@HOST/DATABASE"
        )))
    }
}

/// `url` without its `max_connections=N` query parameter (Televent's pool size, not a
/// PostgreSQL option), and N.
fn pool_size(url: &str) -> Result<(String, Option<u32>), StoreError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), None));
    };
    let mut size = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("max_connections", value)) => {
                let parsed = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("max_connections={value}: use a number from 1 to 1000"))
                    })?;
                size = Some(parsed);
            }
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_size_comes_out_of_the_url() {
        assert_eq!(
            pool_size("postgres://u@h/db?max_connections=4&sslmode=disable").unwrap(),
            ("postgres://u@h/db?sslmode=disable".to_owned(), Some(4))
        );
        assert_eq!(
            pool_size("postgres://u@h/db?max_connections=8").unwrap(),
            ("postgres://u@h/db".to_owned(), Some(8))
        );
        assert_eq!(
            pool_size("postgres://u@h/db").unwrap(),
            ("postgres://u@h/db".to_owned(), None)
        );
        assert!(pool_size("postgres://u@h/db?max_connections=0").is_err());
        assert!(pool_size("postgres://u@h/db?max_connections=x").is_err());
    }
}
