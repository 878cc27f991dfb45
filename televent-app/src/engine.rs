//! The engine and its builder.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::user::TelegramId;
use televent_ports::mailer::{Mail, Mailer, MailerError};
use televent_ports::notifier::{Button, Notifier, NotifierError};
use televent_ports::{Clock, PasswordHasher, Store};

use crate::worker::DeliveryStats;

/// The Televent engine: every use case, over the ports it was built with. Cheap to clone.
#[derive(Clone)]
pub struct Televent {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hasher: Arc<dyn PasswordHasher>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) mailer: Arc<dyn Mailer>,
    /// This process's delivery counters (the worker adds, `/metrics` reads).
    pub(crate) delivery_stats: Arc<DeliveryStats>,
    /// Goes up whenever this process changes a user (their zone): caches of users compare it.
    pub(crate) users_changed: Arc<std::sync::atomic::AtomicU64>,
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

    /// This process's delivery counters, by channel.
    pub fn delivery_stats(&self) -> &Arc<DeliveryStats> {
        &self.delivery_stats
    }

    /// The current time from the clock port.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// A number that goes up whenever this process changes a user. A door that caches users
    /// reads them again when it moved (changes made by other processes are seen when the
    /// cache entry expires).
    pub fn users_generation(&self) -> u64 {
        self.users_changed.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// Builds a [`Televent`]. The store is required; the clock defaults to the system clock and
/// the hasher to one that refuses to hash (set a real one to manage device passwords).
pub struct TeleventBuilder {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hasher: Arc<dyn PasswordHasher>,
    notifier: Arc<dyn Notifier>,
    mailer: Arc<dyn Mailer>,
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
            notifier: Arc::new(ChannelOff),
            mailer: Arc::new(ChannelOff),
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

    /// Sets the Telegram notifier (without one, Telegram messages wait in the outbox).
    pub fn notifier(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// Sets the mailer (without one, e-mail waits in the outbox).
    pub fn mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = mailer;
        self
    }

    /// The engine.
    pub fn build(self) -> Televent {
        Televent {
            store: self.store,
            clock: self.clock,
            hasher: self.hasher,
            notifier: self.notifier,
            mailer: self.mailer,
            delivery_stats: Arc::new(DeliveryStats::default()),
            users_changed: Arc::new(std::sync::atomic::AtomicU64::new(0)),
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

    fn secret(&self) -> Result<String, String> {
        Err("no password hasher configured".to_owned())
    }

    fn hash(&self, _password: &str) -> Result<televent_domain::device::PasswordHash, String> {
        Err("no password hasher configured".to_owned())
    }

    fn verify(&self, _password: &str, _hash: &televent_domain::device::PasswordHash) -> bool {
        false
    }
}

/// A delivery channel that is not configured: messages stay pending until it is.
struct ChannelOff;

#[async_trait]
impl Notifier for ChannelOff {
    async fn send(&self, _chat: TelegramId, _text: &str, _buttons: Vec<Vec<Button>>) -> Result<(), NotifierError> {
        Err(NotifierError::Disabled)
    }
}

#[async_trait]
impl Mailer for ChannelOff {
    async fn send(&self, _mail: &Mail) -> Result<(), MailerError> {
        Err(MailerError::Disabled)
    }
}
