//! Test support shared by the integration tests: fresh stores of every kind, a throwaway
//! PostgreSQL cluster, builders for test data, and a CalDAV server on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod corpus;
pub mod data;
pub mod pg;
pub mod server;
pub mod stores;
