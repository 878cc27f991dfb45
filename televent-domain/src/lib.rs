//! Televent's calendar domain: pure code, no I/O, no async.
//!
//! The stored iCalendar bytes of a resource are the truth; everything parsed from them is an
//! index. This crate reads those bytes tolerantly ([`ical`]), turns them into calendar object
//! resources ([`ingest`]), expands recurrences ([`recurrence`]), and holds the entities and
//! rules the rest of Televent shares.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
pub mod alarm;
pub mod attendee;
pub mod audit;
pub mod calendar;
pub mod component;
pub mod device;
pub mod etag;
pub mod event;
pub mod event_edit;
pub mod export;
pub mod ical;
pub mod ical_time;
pub mod ids;
pub mod ingest;
pub mod interceptor;
pub mod itip;
pub mod object;
pub mod outbox;
mod path_segment;
pub mod quick_add;
pub mod recurrence;
pub mod reminder;
pub mod rsvp;
pub mod sync;
pub mod tz;
pub mod uid;
pub mod user;
