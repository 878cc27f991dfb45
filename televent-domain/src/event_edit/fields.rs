//! An event as the few fields people see and change.

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

/// An event's fields, as shown by the REST API and the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    /// SUMMARY, `""` when absent.
    pub title: String,
    /// DTSTART and its end.
    pub when: EventTime,
    /// LOCATION, `None` when absent or empty.
    pub location: Option<String>,
    /// DESCRIPTION, `None` when absent or empty.
    pub description: Option<String>,
    /// The first RRULE of the master.
    pub recurrence: Option<Recurrence>,
    /// Minutes before the start, sorted and without repeats (see the module docs for which
    /// VALARMs count).
    pub reminders: Vec<u32>,
    /// The `mailto:` attendees, in the order written.
    pub attendees: Vec<EventAttendee>,
    /// The organizer's e-mail address, without `mailto:`.
    pub organizer: Option<String>,
}

/// When an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTime {
    /// Wall-clock times in `zone`. Events stored in UTC, as floating time or in a zone known
    /// only from its VTIMEZONE are shown in the zone the reader asks for.
    Timed {
        /// The start.
        start: NaiveDateTime,
        /// The end (after the start when written).
        end: NaiveDateTime,
        /// The zone of both.
        zone: Tz,
    },
    /// Whole days.
    AllDay {
        /// The first day.
        start: NaiveDate,
        /// The day after the last (DTEND of an all-day event).
        end_exclusive: NaiveDate,
    },
}

/// The repetitions people pick from a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecurrencePreset {
    /// `FREQ=DAILY`
    Daily,
    /// `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`
    Weekdays,
    /// `FREQ=WEEKLY`
    Weekly,
    /// `FREQ=MONTHLY`
    Monthly,
    /// `FREQ=YEARLY`
    Yearly,
}

impl RecurrencePreset {
    /// Every preset, in the order a list shows them.
    pub const ALL: [Self; 5] = [Self::Daily, Self::Weekdays, Self::Weekly, Self::Monthly, Self::Yearly];

    /// The RRULE value of the preset.
    pub fn rrule(self) -> &'static str {
        match self {
            Self::Daily => "FREQ=DAILY",
            Self::Weekdays => "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            Self::Weekly => "FREQ=WEEKLY",
            Self::Monthly => "FREQ=MONTHLY",
            Self::Yearly => "FREQ=YEARLY",
        }
    }

    /// The preset whose rule `rrule` is exactly (parts in any order, names in any case);
    /// `None` for any other rule, also one with a COUNT, UNTIL or INTERVAL.
    pub fn of_rrule(rrule: &str) -> Option<Self> {
        let wanted = rule_parts(rrule);
        Self::ALL
            .into_iter()
            .find(|preset| rule_parts(preset.rrule()) == wanted)
    }
}

/// A rule as a sorted list of upper-cased `NAME=VALUE` parts.
fn rule_parts(rrule: &str) -> Vec<String> {
    let mut parts: Vec<String> = rrule
        .trim()
        .split(';')
        .map(|part| part.trim().to_ascii_uppercase())
        .filter(|part| !part.is_empty())
        .collect();
    parts.sort();
    parts
}

/// An event's repetition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// The preset the rule is, if it is one.
    pub preset: Option<RecurrencePreset>,
    /// The RRULE value as written, without the `RRULE:` name.
    pub rrule: String,
}

impl Recurrence {
    /// The repetition `rrule` describes.
    pub fn from_rrule(rrule: &str) -> Self {
        let rrule = rrule.trim();
        Self {
            preset: RecurrencePreset::of_rrule(rrule),
            rrule: rrule.to_owned(),
        }
    }
}

impl From<RecurrencePreset> for Recurrence {
    fn from(preset: RecurrencePreset) -> Self {
        Self {
            preset: Some(preset),
            rrule: preset.rrule().to_owned(),
        }
    }
}

/// An attendee as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventAttendee {
    /// The e-mail address, lower-cased, without `mailto:`.
    pub email: String,
    /// CN
    pub name: Option<String>,
    /// PARTSTAT upper-cased, `NEEDS-ACTION` when absent.
    pub status: String,
}
