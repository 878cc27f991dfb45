//! Televent's calendar domain: pure code, no I/O, no async.
//!
//! The stored iCalendar bytes of a resource are the truth; everything parsed from them is an
//! index. This crate reads those bytes tolerantly ([`ical`]), turns them into calendar object
//! resources ([`ingest`]), expands recurrences ([`recurrence`]), and holds the entities and
//! rules the rest of Televent shares.
#![forbid(unsafe_code)]

pub mod ical;
pub mod recurrence;
pub mod tz;
pub mod alarm;
pub mod attendee;
pub mod component;
pub mod ical_time;
pub mod object;
pub mod etag;
pub mod ingest;
pub mod uid;
pub mod audit;
pub mod calendar;
pub mod device;
pub mod event;
pub mod ids;
pub mod interceptor;
pub mod outbox;
pub mod reminder;
pub mod sync;
pub mod user;
