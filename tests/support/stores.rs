//! Fresh stores of each kind, one per test.

use std::sync::Arc;

use televent_adapters::store::{MemoryStore, PostgresStore, SqliteStore};
use televent_ports::Store;

/// A store for one test and whatever keeps it alive (a temp dir, a database).
pub struct TestStore {
    /// The store under test.
    pub store: Arc<dyn Store>,
    _guard: Option<Box<dyn std::any::Any + Send>>,
}

impl std::fmt::Debug for TestStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestStore")
    }
}

impl TestStore {
    /// A second handle on the same store, keeping nothing alive: the first handle keeps the
    /// temp dir or database, so it must outlive this one.
    pub fn share(&self) -> TestStore {
        TestStore {
            store: Arc::clone(&self.store),
            _guard: None,
        }
    }
}

impl std::ops::Deref for TestStore {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        &*self.store
    }
}

/// A fresh in-memory store.
pub async fn memory() -> TestStore {
    TestStore {
        store: Arc::new(MemoryStore::new()),
        _guard: None,
    }
}

/// A fresh SQLite store on a file in a temporary directory (WAL needs a real file).
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("televent.db").display());
    let store = SqliteStore::connect(&url).await.expect("opening SQLite");
    store.migrate().await.expect("migrating SQLite");
    TestStore {
        store: Arc::new(store),
        _guard: Some(Box::new(dir)),
    }
}

/// A fresh PostgreSQL store on its own database of the test server (see [`crate::pg`]).
pub async fn postgres() -> TestStore {
    let (url, guard) = crate::pg::fresh_database().await;
    let store = PostgresStore::connect(&url, 8).await.expect("connecting to PostgreSQL");
    store.migrate().await.expect("migrating PostgreSQL");
    TestStore {
        store: Arc::new(store),
        _guard: Some(guard),
    }
}
