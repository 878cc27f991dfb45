//! The store ports implemented once for every [`Backend`]: each method takes
//! a connection (reads), a writer connection (single-statement writes) or a transaction
//! (writes of several statements), runs statements from [`super::queries`] and turns rows
//! from [`super::rows`] into domain values.

mod access;
mod calendars;
mod devices;
mod outbox;
mod sync;
mod users;
mod write;

use sqlx::Database;

use super::backend::Backend;

/// The connection type of a backend.
type Connection<B> = <<B as Backend>::Db as Database>::Connection;
