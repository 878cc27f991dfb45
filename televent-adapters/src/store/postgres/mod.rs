//! PostgreSQL: for running several Televent processes on one database. See
//! [`PostgresStore`].

mod connect;

pub use connect::{PostgresBackend, PostgresStore};
