//! Televent's use cases, written against the ports only.
//!
//! **API boundary.** [`Televent`] is the one entry point for embedding the engine: build it
//! with [`TeleventBuilder`] from a store, a clock and a password hasher (adapters of your
//! choice: the in-memory store for tests, SQLite or PostgreSQL for real), then call its
//! methods. Every door (CalDAV, the bot, REST, the CLI) goes through it, so every write obeys
//! the same rule: the resource, its sync bump, its change-log row and its outbox messages
//! commit together.
//!
//! ```no_run
//! # async fn demo() -> Result<(), televent_app::AppError> {
//! use std::sync::Arc;
//! use televent_adapters::{clock::SystemClock, credentials::Argon2Hasher, store::MemoryStore};
//! use televent_app::TeleventBuilder;
//!
//! let engine = TeleventBuilder::new(Arc::new(MemoryStore::new()))
//!     .clock(Arc::new(SystemClock))
//!     .hasher(Arc::new(Argon2Hasher))
//!     .build();
//! let (user, calendar) = engine.create_user("alice", None, Some("Europe/Berlin")).await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod access;
mod agenda;
mod bot;
mod calendars;
mod devices;
mod engine;
mod error;
mod import;
mod invitations;
mod objects;
mod users;
mod worker;

pub use access::{IssuedSecret, LOGIN_LINK_LIFETIME, SESSION_LIFETIME};
pub use agenda::AgendaEntry;
pub use bot::{AgendaDay, EventDetails, EventRef, Invited, ZoneMatch, find_zone, telegram_user_name, zone_near};
pub use devices::NewDevice;
pub use engine::{Televent, TeleventBuilder};
pub use error::AppError;
pub use import::ImportReport;
pub use objects::PutResult;
pub use worker::{
    ChannelStats, DeliveryConfig, DeliveryReport, DeliveryStats, RetryPolicy, RsvpCallback, RsvpOutcome,
    ScheduleConfig, ScheduleReport,
};
