//! The storage engine shared by SQLite and PostgreSQL: one implementation of every store
//! port, written against a small [`Backend`] trait, with statements built by sea-query for
//! both dialects.
//!
//! Layout: `schema` names the tables, `queries` builds statements, `rows` decodes what they
//! return, `payload` is the stored JSON of outbox messages, `codec` converts values, and
//! `ports` implements the traits. The `sqlite` and `postgres` modules only connect,
//! migrate and provide connections.
//!
//! **Invariant:** no statement text is written by hand here; everything goes through
//! sea-query with bound values (see `conn`).

mod backend;
mod codec;
mod conn;
mod error;
mod payload;
mod ports;
mod queries;
mod rows;
mod schema;

pub use backend::{Backend, SqlStore};
pub use conn::{Conn, Decodable};
pub(crate) use error::db_error;
