//! Test support shared by the integration tests: fresh stores of every kind, a throwaway
//! PostgreSQL cluster, builders for test data, and a CalDAV server on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod clock;
pub mod corpus;
pub mod data;
pub mod fake_telegram;
pub mod pg;
pub mod server;
pub mod smtp_server;
pub mod stores;
