//! The CalDAV door: a CalDAV server (RFC 4918, 4791, 6578) over hyper and tower, driving the
//! use cases of `televent-app`.
//!
//! **API boundary.** The URL layout and the wire format are documented in docs/caldav.md.
//! `server::run` serves; `handler::Dav::handle` answers one request (for embedding in another
//! server). Statuses and CalDAV preconditions come from `error` alone.

pub mod api;
pub mod auth;
pub mod body;
pub mod config;
pub mod error;
pub mod expand;
pub mod handler;
pub mod matching;
pub mod methods;
pub mod metrics;
pub mod object_cache;
pub mod partial;
pub mod paths;
pub mod props;
pub mod rate_limit;
pub mod response;
pub mod server;
pub mod snapshots;
pub mod throttle;
pub mod tls;
pub mod web;
pub mod xml;

pub use config::{HttpConfig, RateLimit};
pub use handler::Dav;
pub use server::run;
