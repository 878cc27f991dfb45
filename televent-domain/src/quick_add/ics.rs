//! A draft written as an iCalendar object resource: one VCALENDAR with one VEVENT, CRLF line
//! ends, lines folded at 75 octets. No VTIMEZONE: the TZID is an IANA name, which Televent's
//! reader resolves by name.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};

use super::draft::{DraftAttendee, DraftTime, EventDraft};
use crate::ical::write::{escape_text, fold_into};

impl EventDraft {
    /// The draft as iCalendar text, with `uid` and `dtstamp` (the moment it is created).
    /// Telegram users are invited as `mailto:NAME@televent.internal`.
    pub fn to_ics(&self, uid: &str, dtstamp: DateTime<Utc>) -> String {
        let mut out = String::new();
        let mut line = |text: &str| fold_into(text, &mut out);
        line("BEGIN:VCALENDAR");
        line("VERSION:2.0");
        line("PRODID:-//Televent//Quick add//EN");
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(uid)));
        line(&format!("DTSTAMP:{}", dtstamp.format("%Y%m%dT%H%M%SZ")));
        match self.when {
            DraftTime::Timed { start, end } => {
                line(&format!("DTSTART;TZID={}:{}", self.zone.name(), local(start)));
                line(&format!("DTEND;TZID={}:{}", self.zone.name(), local(end)));
            }
            DraftTime::AllDay { first, last_inclusive } => {
                let after = last_inclusive.checked_add_days(Days::new(1)).unwrap_or(last_inclusive);
                line(&format!("DTSTART;VALUE=DATE:{}", date(first)));
                line(&format!("DTEND;VALUE=DATE:{}", date(after)));
            }
        }
        if let Some(recurrence) = &self.recurrence {
            line(&format!("RRULE:{}", recurrence.rrule));
        }
        line(&format!("SUMMARY:{}", escape_text(&self.summary)));
        if let Some(location) = &self.location {
            line(&format!("LOCATION:{}", escape_text(location)));
        }
        for attendee in &self.attendees {
            let address = match attendee {
                DraftAttendee::Email(email) => email.clone(),
                DraftAttendee::TelegramUser(name) => format!("{}@televent.internal", name.to_lowercase()),
            };
            line(&format!("ATTENDEE;RSVP=TRUE:mailto:{address}"));
        }
        line("END:VEVENT");
        line("END:VCALENDAR");
        out
    }
}

fn local(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}
