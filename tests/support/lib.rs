//! Test support shared by the integration tests: fresh stores of every kind, a throwaway
//! PostgreSQL cluster, and builders for test data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod corpus;
pub mod data;
pub mod stores;
