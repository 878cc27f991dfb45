//! Storage adapters. Each implements every store port and the outbox, and passes the one
//! contract suite in `tests/it/store_contract`.
//!
//! [`memory`] is the reference semantics; [`sqlite`] and [`postgres`] are the same engine
//! ([`sql`]) on two databases. [`open()`] picks one by URL.

pub mod memory;
mod open;
pub mod postgres;
pub mod sql;
pub mod sqlite;

pub use memory::MemoryStore;
pub use open::open;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
