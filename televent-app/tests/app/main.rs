//! The use cases over the in-memory store, with mockall mocks for the clock and the hasher.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod auth;
mod calendars;
mod linked;
mod writes;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use televent_adapters::store::MemoryStore;
use televent_app::{Televent, TeleventBuilder};
use televent_ports::clock::MockClock;

/// The instant the mocked clock always says.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap()
}

/// An engine on a fresh memory store with a fixed clock.
pub fn engine() -> Televent {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(now());
    TeleventBuilder::new(Arc::new(MemoryStore::new()))
        .clock(Arc::new(clock))
        .build()
}
