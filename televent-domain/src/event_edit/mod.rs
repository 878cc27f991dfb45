//! An event's fields read from, and written into, stored iCalendar bytes: what the REST API and
//! the Telegram bot show and change.
//!
//! - [`read_event`]: the master VEVENT (the one without RECURRENCE-ID) as [`EventFields`].
//! - [`new_event`]: [`EventFields`] as a new resource (one VCALENDAR, one VEVENT, like quick add).
//! - [`apply_patch`]: an [`EventPatch`] written into stored bytes. Only the lines of the patched
//!   fields of the master change (plus SEQUENCE, DTSTAMP and LAST-MODIFIED); every other line,
//!   overrides, VTIMEZONEs, X- properties and VALARMs Televent did not make are copied as
//!   written, folding included (the stored bytes are the truth; see `crate::rsvp`).
//!
//! What counts as a reminder: a DISPLAY or AUDIO VALARM whose TRIGGER is a duration relative to
//! the start that is zero or negative (at or before the start). Other alarms (absolute, after
//! the start, RELATED=END, EMAIL) are neither shown nor touched.
//!
//! Attendees are the `mailto:` ATTENDEE lines; others (`urn:uuid:`...) are neither shown nor
//! touched.
//!
//! Pure: no I/O, and `now` is given by the caller. It never panics on any input.

mod error;
mod fields;
mod lines;
mod patch;
mod read;
mod validate;
mod write;

#[cfg(test)]
mod tests;

pub use error::EditError;
pub use fields::{EventAttendee, EventFields, EventTime, Recurrence, RecurrencePreset};
pub use patch::{EventPatch, apply_patch};
pub use read::read_event;
pub use write::new_event;
