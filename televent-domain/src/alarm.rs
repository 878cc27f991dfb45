//! VALARM components: when a reminder fires (RFC 5545 section 3.6.6).

use chrono::{DateTime, Duration, Utc};

use crate::ical::Component;
use crate::ical::value::{parse_date_time, parse_duration, unescape_text};

/// When an alarm fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// An offset from the start (or, with `from_end`, the end) of each occurrence.
    Relative {
        /// Negative is before.
        offset: Duration,
        /// RELATED=END
        from_end: bool,
    },
    /// A fixed instant (VALUE=DATE-TIME, always UTC).
    Absolute(DateTime<Utc>),
}

/// A VALARM, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// ACTION: DISPLAY, AUDIO, EMAIL, ...
    pub action: String,
    /// TRIGGER
    pub trigger: Trigger,
    /// DESCRIPTION, if any.
    pub description: Option<String>,
}

impl Alarm {
    /// Reads a VALARM; `None` when its TRIGGER is missing or unreadable (Thunderbird has written
    /// such alarms; the event itself stays fine).
    pub fn from_component(component: &Component) -> Option<Self> {
        let trigger = component.property("TRIGGER")?;
        let trigger = match parse_duration(&trigger.value) {
            Some(offset) => Trigger::Relative {
                offset,
                from_end: trigger.param("RELATED").is_some_and(|r| r.eq_ignore_ascii_case("END")),
            },
            None => {
                let (time, _) = parse_date_time(&trigger.value)?;
                Trigger::Absolute(time.and_utc())
            }
        };
        Some(Self {
            action: component
                .property("ACTION")
                .map_or_else(|| "DISPLAY".to_owned(), |p| p.value.trim().to_ascii_uppercase()),
            trigger,
            description: component.property("DESCRIPTION").map(|p| unescape_text(&p.value)),
        })
    }
}
