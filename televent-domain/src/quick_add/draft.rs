//! What a quick-add message means: an [`EventDraft`] the bot shows for confirmation and then
//! stores as iCalendar ([`EventDraft::to_ics`]).

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

/// An event read from a quick-add message, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    /// The title: what is left of the message once the recognised parts are taken out.
    pub summary: String,
    /// When, in wall-clock time of [`Self::zone`].
    pub when: DraftTime,
    /// The repetition, if one was asked for.
    pub recurrence: Option<DraftRecurrence>,
    /// Where (`at Main St 5`, `@ Cafe Central`, `in Room 4`).
    pub location: Option<String>,
    /// Who else is invited (`with anna@example.com and @bob`).
    pub attendees: Vec<DraftAttendee>,
    /// The user's zone (the zone of the `now` the message was read at). The wall-clock times
    /// are in it; a time that does not exist there (a spring-forward gap) is resolved by the
    /// zone when the event is read, like any stored local time.
    pub zone: Tz,
}

/// When a draft takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftTime {
    /// From `start` to `end` (after `start`), wall-clock times in the draft's zone.
    Timed {
        /// The start.
        start: NaiveDateTime,
        /// The end.
        end: NaiveDateTime,
    },
    /// Whole days from `first` to `last_inclusive`.
    AllDay {
        /// The first day.
        first: NaiveDate,
        /// The last day, included (the iCalendar DTEND is the day after).
        last_inclusive: NaiveDate,
    },
}

/// A repetition of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecurrence {
    /// The RRULE value, e.g. `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`; an UNTIL is in UTC for timed
    /// events and a DATE for all-day ones (RFC 5545 section 3.3.10).
    pub rrule: String,
    /// The same in words for the confirmation message, e.g. `every weekday until 31 Dec 2026`.
    pub human: String,
}

/// Someone invited from a quick-add message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftAttendee {
    /// An e-mail address, lower-cased.
    Email(String),
    /// A Telegram username of a Televent user, without the `@`, lower-cased.
    TelegramUser(String),
}
