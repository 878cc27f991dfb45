//! The content lines Televent writes for an event's fields (unfolded; callers fold them with
//! `fold_into`), shared by [`super::new_event`] and [`super::apply_patch`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::fields::EventTime;
use crate::ical::value::{parse_date, parse_date_time};
use crate::ical::write::escape_text;
use crate::ical_time::IcalTime;
use crate::tz::Zone;

/// `DTSTART` and `DTEND` lines: `TZID=` an IANA name for timed events (no VTIMEZONE is
/// needed: Televent resolves IANA names itself, like quick add), `VALUE=DATE` for all-day ones.
pub(super) fn start_and_end(when: &EventTime) -> (String, String) {
    match when {
        EventTime::Timed { start, end, zone } => (
            format!("DTSTART;TZID={}:{}", zone.name(), local(*start)),
            format!("DTEND;TZID={}:{}", zone.name(), local(*end)),
        ),
        EventTime::AllDay { start, end_exclusive } => (
            format!("DTSTART;VALUE=DATE:{}", date(*start)),
            format!("DTEND;VALUE=DATE:{}", date(*end_exclusive)),
        ),
    }
}

/// The start of `when` as the reader sees it: the frame an RRULE's UNTIL must match.
pub(super) fn start_frame(when: &EventTime) -> IcalTime {
    match when {
        EventTime::Timed { start, zone, .. } => IcalTime::DateTime(*start, Zone::Iana(*zone)),
        EventTime::AllDay { start, .. } => IcalTime::Date(*start),
    }
}

/// A TEXT property: `NAME:escaped value`.
pub(super) fn text(name: &str, value: &str) -> String {
    format!("{name}:{}", escape_text(value))
}

/// A UTC DATE-TIME property such as DTSTAMP.
pub(super) fn stamp(name: &str, at: DateTime<Utc>) -> String {
    format!("{name}:{}", at.format("%Y%m%dT%H%M%SZ"))
}

/// A VALARM that shows `description` `minutes` before the start.
pub(super) fn reminder(minutes: u32, description: &str) -> [String; 5] {
    let trigger = if minutes == 0 {
        "TRIGGER:PT0S".to_owned()
    } else {
        format!("TRIGGER:-PT{minutes}M")
    };
    let description = if description.trim().is_empty() {
        "Reminder"
    } else {
        description
    };
    [
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        trigger,
        text("DESCRIPTION", description),
        "END:VALARM".to_owned(),
    ]
}

/// An ATTENDEE line; `RSVP=TRUE` while the answer is still awaited.
pub(super) fn attendee(email: &str, name: Option<&str>, status: &str) -> String {
    let mut line = "ATTENDEE".to_owned();
    if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
        line.push_str(";CN=");
        line.push_str(&param_value(name));
    }
    line.push_str(";PARTSTAT=");
    line.push_str(status);
    if status == "NEEDS-ACTION" {
        line.push_str(";RSVP=TRUE");
    }
    line.push_str(":mailto:");
    line.push_str(email);
    line
}

/// A parameter value, quoted when it holds `:` `;` `,`, with RFC 6868 `^` escapes for quotes
/// and line breaks (as `crate::rsvp` writes them).
fn param_value(value: &str) -> String {
    let escaped = value
        .replace('^', "^^")
        .replace('"', "^'")
        .replace("\r\n", "^n")
        .replace(['\n', '\r'], "^n");
    if escaped.contains([':', ';', ',']) {
        format!("\"{escaped}\"")
    } else {
        escaped
    }
}

/// `rrule` with its UNTIL in the form RFC 5545 (3.3.10) asks for the start `frame`: a DATE
/// for all-day events, a UTC DATE-TIME for zoned ones, a local DATE-TIME for floating ones. A
/// date becomes the end of that day. Every other part is kept as written.
pub(super) fn fit_until(rrule: &str, frame: &IcalTime) -> String {
    rrule
        .split(';')
        .map(|part| {
            let Some((key, value)) = part.split_once('=') else {
                return part.to_owned();
            };
            if !key.trim().eq_ignore_ascii_case("UNTIL") {
                return part.to_owned();
            }
            match fitted_until(value.trim(), frame) {
                Some(value) => format!("{key}={value}"),
                None => part.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn fitted_until(value: &str, frame: &IcalTime) -> Option<String> {
    let (time, utc) = match parse_date_time(value) {
        Some(read) => read,
        None => (parse_date(value)?.and_time(end_of_day()), false),
    };
    let was_date = parse_date(value).is_some();
    Some(match frame {
        IcalTime::Date(_) => date(time.date()),
        IcalTime::DateTime(_, Zone::Floating) if !utc => local(time),
        IcalTime::DateTime(_, zone) if !utc || was_date => utc_text(zone.to_utc(time, Tz::UTC)),
        IcalTime::DateTime(..) => return None,
    })
}

fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
}

fn utc_text(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

fn date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}
