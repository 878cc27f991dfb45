//! The in-memory store: the reference semantics of the store ports, for embedding and tests.
//!
//! One mutex guards all state, so each port call is atomic; a write validates everything
//! before it changes anything, so a refused write leaves nothing behind. Nothing survives the
//! process.

mod access;
mod calendars;
mod outbox;
mod users;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use televent_domain::access::{AccessToken, Subscription, TokenHash};
use televent_domain::attendee::CalAddress;
use televent_domain::audit::AuditEntry;
use televent_domain::calendar::Calendar;
use televent_domain::device::DevicePassword;
use televent_domain::event::{Href, StoredObject};
use televent_domain::ids::{CalendarId, UserId};
use televent_domain::outbox::OutboxMessage;
use televent_domain::sync::Change;
use televent_domain::user::{User, UserPreferences};

/// The in-memory store.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    users: BTreeMap<UserId, User>,
    preferences: BTreeMap<UserId, UserPreferences>,
    /// Linked addresses and their users.
    addresses: BTreeMap<CalAddress, UserId>,
    calendars: BTreeMap<CalendarId, CalendarState>,
    devices: Vec<DevicePassword>,
    audit: Vec<AuditEntry>,
    outbox: Vec<OutboxEntry>,
    outbox_keys: HashSet<String>,
    tokens: BTreeMap<TokenHash, AccessToken>,
    subscriptions: BTreeMap<CalendarId, Subscription>,
}

#[derive(Debug, Clone)]
struct CalendarState {
    calendar: Calendar,
    /// The last sequence number given out; the calendar's sync token.
    seq: u64,
    objects: BTreeMap<Href, (StoredObject, u64)>,
    changes: Vec<Change>,
    /// Tokens below this were pruned from `changes`.
    floor: u64,
}

#[derive(Debug, Clone)]
struct OutboxEntry {
    message: OutboxMessage,
    leased_by: Option<String>,
    lease_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave half a write: writes mutate only after
        // validating. So a poisoned lock still guards consistent state.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
