//! `CALDAV:expand` in calendar-data (RFC 4791 section 9.6.5): a stored resource rewritten as
//! its occurrences in a window, each its own component with a RECURRENCE-ID, times in UTC, no
//! recurrence rules and no VTIMEZONE.
//!
//! Occurrences come from the domain's `recurrence::expand` (the same as calendar-query uses);
//! each occurrence's lines are copied from the component it came from (master or override),
//! with only DTSTART, DTEND/DUE, DURATION and the recurrence properties replaced. It is pure
//! (no I/O) and a candidate for `televent-domain`; it must never change what is stored.

use chrono::{Datelike, Timelike};
use chrono_tz::Tz;
use televent_domain::ical::parse_document;
use televent_domain::ical_time::IcalTime;
use televent_domain::object::CalendarObject;
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};

/// Properties an expanded instance does not copy: they are rewritten or meaningless there.
const REWRITTEN: [&str; 9] = [
    "DTSTART",
    "DTEND",
    "DUE",
    "DURATION",
    "RRULE",
    "RDATE",
    "EXRULE",
    "EXDATE",
    "RECURRENCE-ID",
];

/// `;VALUE=DATE:20240101` for dates, `:20240101T100000Z` for date-times (in UTC).
fn push_value(out: &mut String, time: &IcalTime, floating_in: Tz) {
    use std::fmt::Write as _;
    match time {
        IcalTime::Date(date) => {
            let _ = write!(
                out,
                ";VALUE=DATE:{:04}{:02}{:02}",
                date.year(),
                date.month(),
                date.day()
            );
        }
        IcalTime::DateTime(..) => {
            let at = time.to_utc(floating_in);
            let _ = write!(
                out,
                ":{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                at.year(),
                at.month(),
                at.day(),
                at.hour(),
                at.minute(),
                at.second()
            );
        }
    }
}

fn property_name(text: &str) -> String {
    text.split([';', ':'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase()
}

/// What an expansion copies from a resource, read once: per VEVENT/VTODO (by the line it
/// starts on), its name, whether it has a DTSTART, and the lines every instance repeats.
#[derive(Debug)]
pub struct ExpandTemplate {
    components: Vec<TemplateComponent>,
}

#[derive(Debug)]
struct TemplateComponent {
    line: u32,
    name: String,
    has_start: bool,
    /// The copied lines, each with its CRLF, as stored.
    body: String,
}

impl ExpandTemplate {
    /// Reads `bytes` (the stored resource).
    pub fn of(bytes: &[u8]) -> Self {
        let (document, _) = parse_document(bytes);
        let components = document
            .calendars
            .iter()
            .flat_map(|calendar| calendar.children.iter())
            .filter(|c| c.name == "VEVENT" || c.name == "VTODO")
            .map(|raw| {
                let inner = raw.first_line.saturating_add(1)..raw.last_line;
                let in_child = |index: usize| {
                    raw.children
                        .iter()
                        .any(|child| (child.first_line..=child.last_line).contains(&index))
                };
                let mut body = String::new();
                for (index, line) in document.lines.iter().enumerate().take(inner.end).skip(inner.start) {
                    if line.text.trim().is_empty() {
                        continue;
                    }
                    if in_child(index) || !REWRITTEN.contains(&property_name(&line.text).as_str()) {
                        body.push_str(&line.raw);
                        body.push_str("\r\n");
                    }
                }
                TemplateComponent {
                    line: raw.line,
                    name: raw.name.clone(),
                    has_start: raw.property("DTSTART").is_some(),
                    body,
                }
            })
            .collect();
        Self { components }
    }

    /// The occurrences of `object` (the resource this template was read from) overlapping
    /// `window` as one VCALENDAR.
    pub fn render(&self, object: &CalendarObject, window: Window, floating_in: Tz) -> String {
        let options = ExpandOptions {
            floating_in,
            selection: Selection::Overlaps,
            ..ExpandOptions::default()
        };
        let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent//Televent//EN\r\n");
        for occurrence in expand(object, window, &options).occurrences {
            let Some(raw) = self.components.iter().find(|c| c.line == occurrence.component.line) else {
                continue;
            };
            out.push_str("BEGIN:");
            out.push_str(&raw.name);
            out.push_str("\r\n");
            let todo = raw.name == "VTODO";
            if !todo || raw.has_start {
                out.push_str("DTSTART");
                push_value(&mut out, &occurrence.start, floating_in);
                out.push_str("\r\n");
                if let Some(end) = &occurrence.end {
                    out.push_str(if todo { "DUE" } else { "DTEND" });
                    push_value(&mut out, end, floating_in);
                    out.push_str("\r\n");
                }
            } else {
                // A to-do without DTSTART: its "start" is its DUE.
                out.push_str("DUE");
                push_value(&mut out, &occurrence.start, floating_in);
                out.push_str("\r\n");
            }
            if let Some(recurrence_id) = &occurrence.recurrence_id {
                out.push_str("RECURRENCE-ID");
                push_value(&mut out, recurrence_id, floating_in);
                out.push_str("\r\n");
            }
            out.push_str(&raw.body);
            out.push_str("END:");
            out.push_str(&raw.name);
            out.push_str("\r\n");
        }
        out.push_str("END:VCALENDAR\r\n");
        out
    }
}

/// The occurrences of `object` (read from `bytes`) overlapping `window` as one VCALENDAR.
pub fn expand_calendar_data(bytes: &[u8], object: &CalendarObject, window: Window, floating_in: Tz) -> String {
    ExpandTemplate::of(bytes).render(object, window, floating_in)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn expands_a_rule_with_an_override_and_an_exdate() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n\
            BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
            BEGIN:VEVENT\r\nUID:r\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20240603T100000\r\nDURATION:PT1H\r\n\
            RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=Europe/Berlin:20240604T100000\r\nSUMMARY:Daily\r\n\
            BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:r\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240605T100000\r\n\
            DTSTART;TZID=Europe/Berlin:20240605T150000\r\nDTEND;TZID=Europe/Berlin:20240605T160000\r\nSUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let window = Window {
            from: Utc.with_ymd_and_hms(2024, 6, 3, 0, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2024, 6, 6, 0, 0, 0).unwrap(),
        };
        let object = televent_domain::ingest::ingest_resource(text.as_bytes())
            .unwrap()
            .object;
        let expanded = expand_calendar_data(text.as_bytes(), &object, window, Tz::UTC);
        assert!(
            !expanded.contains("RRULE") && !expanded.contains("EXDATE") && !expanded.contains("VTIMEZONE"),
            "{expanded}"
        );
        assert_eq!(expanded.matches("BEGIN:VEVENT").count(), 2, "{expanded}");
        assert!(
            expanded
                .contains("DTSTART:20240603T080000Z\r\nDTEND:20240603T090000Z\r\nRECURRENCE-ID:20240603T080000Z\r\n"),
            "{expanded}"
        );
        assert!(
            expanded
                .contains("DTSTART:20240605T130000Z\r\nDTEND:20240605T140000Z\r\nRECURRENCE-ID:20240605T080000Z\r\n"),
            "{expanded}"
        );
        assert!(expanded.contains("SUMMARY:Moved") && expanded.contains("BEGIN:VALARM"));
        assert!(
            televent_domain::ical::parse_document(expanded.as_bytes())
                .1
                .iter()
                .all(|p| p.severity != televent_domain::ical::Severity::Fatal)
        );
    }
}
