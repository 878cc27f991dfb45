//! Televent's adapters: the ports implemented on real technology.
//!
//! Only this crate knows sqlx, hyper, teloxide and mail-send. Storage comes in three kinds
//! that pass one contract suite: in memory ([`store::memory`]), SQLite ([`store::sqlite`], the
//! embedded default) and PostgreSQL ([`store::postgres`], for running many processes). The CalDAV
//! server is [`http`].

pub mod clock;
pub mod credentials;
pub mod http;
pub mod mail;
pub mod store;
pub mod telegram;
