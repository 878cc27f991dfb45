//! The `televent` binary end to end: real processes, real SQLite files, a real PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod commands;
mod durability;
mod expand_oracle;
mod http;
mod pg_restart;
mod process;
mod run;
mod scale_out;
mod serve;
mod webhook;
mod worker;
