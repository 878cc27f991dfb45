//! A tolerant iCalendar (RFC 5545) reader: bytes to logical lines to a component tree (and, in
//! `write`, the little Televent writes itself).
//!
//! It never fails outright: it returns what it could read and the problems it met, and leaves
//! the decision to refuse to the caller (see `crate::ingest`). It does no I/O.

pub mod content_line;
pub mod decode;
pub mod problem;
pub mod tree;
pub mod value;
pub mod write;

pub use content_line::{Param, Property};
pub use problem::{Problem, Severity};
pub use tree::{Component, Document, parse_document};
