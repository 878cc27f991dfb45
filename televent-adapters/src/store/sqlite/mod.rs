//! SQLite: the embedded default. See [`SqliteStore`].

mod connect;

pub use connect::{SqliteBackend, SqliteStore};
