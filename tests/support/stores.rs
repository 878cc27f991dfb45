//! Fresh stores of each kind, one per test.

use std::sync::Arc;

use televent_adapters::store::MemoryStore;
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

impl std::ops::Deref for TestStore {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        &*self.store
    }
}

/// A fresh in-memory store.
pub async fn memory() -> TestStore {
    TestStore { store: Arc::new(MemoryStore::new()), _guard: None }
}
