//! The engine and its builder.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use televent_ports::{Clock, PasswordHasher, Store};

/// The Televent engine: every use case, over the ports it was built with. Cheap to clone.
#[derive(Clone)]
pub struct Televent {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hasher: Arc<dyn PasswordHasher>,
}

impl std::fmt::Debug for Televent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Televent").finish_non_exhaustive()
    }
}

impl Televent {
    /// The store, for doors that read directly (listings, sync).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The current time from the clock port.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Builds a [`Televent`]. The store is required; the clock defaults to the system clock and
/// the hasher to one that refuses to hash (set a real one to manage device passwords).
pub struct TeleventBuilder {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hasher: Arc<dyn PasswordHasher>,
}

impl std::fmt::Debug for TeleventBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeleventBuilder").finish_non_exhaustive()
    }
}

impl TeleventBuilder {
    /// Starts a builder on `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            clock: Arc::new(WallClock),
            hasher: Arc::new(NoHasher),
        }
    }

    /// Sets the clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the password hasher.
    pub fn hasher(mut self, hasher: Arc<dyn PasswordHasher>) -> Self {
        self.hasher = hasher;
        self
    }

    /// The engine.
    pub fn build(self) -> Televent {
        Televent {
            store: self.store,
            clock: self.clock,
            hasher: self.hasher,
        }
    }
}

/// The system time, so that an embedder who needs no fake clock need not pass one.
struct WallClock;

impl Clock for WallClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Refuses: device passwords need a real hasher (the Argon2 adapter).
struct NoHasher;

impl PasswordHasher for NoHasher {
    fn generate(&self) -> Result<String, String> {
        Err("no password hasher configured".to_owned())
    }

    fn hash(&self, _password: &str) -> Result<televent_domain::device::PasswordHash, String> {
        Err("no password hasher configured".to_owned())
    }

    fn verify(&self, _password: &str, _hash: &televent_domain::device::PasswordHash) -> bool {
        false
    }
}
