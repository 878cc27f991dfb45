//! Partial calendar-data: a stored resource reduced to the components and properties a
//! `CALDAV:comp` selection names (RFC 4791 section 9.6.1), or to the master and the overrides
//! that touch a window (`limit-recurrence-set`, section 9.6.6). Lines are copied as stored
//! (folds and all); nothing is rewritten.
//!
//! It is pure (no I/O) and must never change what is stored.

use std::collections::HashSet;

use chrono_tz::Tz;
use televent_domain::ical::decode::LogicalLine;
use televent_domain::ical::{Component, parse_document};
use televent_domain::object::CalendarObject;
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};

use super::xml::calendar_data::CompSelection;

fn property_name(text: &str) -> String {
    text.split([';', ':'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase()
}

/// The parts of `bytes` that `selection` (on VCALENDAR) names; `None` when the selection is not
/// on VCALENDAR.
pub fn select_calendar_data(bytes: &[u8], selection: &CompSelection) -> Option<String> {
    if selection.name != "VCALENDAR" {
        return None;
    }
    let (document, _) = parse_document(bytes);
    let mut out = String::new();
    for calendar in &document.calendars {
        write(calendar, selection, &document.lines, &mut out);
    }
    Some(out)
}

/// The resource in `bytes` with only the overrides (RECURRENCE-ID components) whose instance
/// touches `window`, at its new time or at its original one; the master and everything else
/// stay.
pub fn limit_recurrence_set(bytes: &[u8], object: &CalendarObject, window: Window, floating_in: Tz) -> String {
    let options = ExpandOptions {
        floating_in,
        selection: Selection::Overlaps,
        ..ExpandOptions::default()
    };
    let mut kept: HashSet<u32> = expand(object, window, &options)
        .occurrences
        .iter()
        .filter(|o| o.is_override)
        .map(|o| o.component.line)
        .collect();
    for component in &object.overrides {
        let original = component.recurrence_id.as_ref().map(|id| id.time.to_utc(floating_in));
        if original.is_some_and(|at| at >= window.from && at < window.to) {
            kept.insert(component.line);
        }
    }
    let (document, _) = parse_document(bytes);
    let dropped: Vec<(usize, usize)> = document
        .calendars
        .iter()
        .flat_map(|calendar| calendar.children.iter())
        .filter(|c| {
            (c.name == "VEVENT" || c.name == "VTODO")
                && c.property("RECURRENCE-ID").is_some()
                && !kept.contains(&c.line)
        })
        .map(|c| (c.first_line, c.last_line))
        .collect();
    let mut out = String::new();
    for calendar in &document.calendars {
        for (index, line) in document
            .lines
            .iter()
            .enumerate()
            .take(calendar.last_line.saturating_add(1))
            .skip(calendar.first_line)
        {
            if line.text.trim().is_empty() || dropped.iter().any(|(first, last)| (*first..=*last).contains(&index)) {
                continue;
            }
            out.push_str(&line.raw);
            out.push_str("\r\n");
        }
    }
    out
}

fn write(component: &Component, selection: &CompSelection, lines: &[LogicalLine], out: &mut String) {
    out.push_str(&format!("BEGIN:{}\r\n", component.name));
    let in_child = |index: usize| {
        component
            .children
            .iter()
            .any(|child| (child.first_line..=child.last_line).contains(&index))
    };
    for (index, line) in lines
        .iter()
        .enumerate()
        .take(component.last_line.saturating_add(1))
        .skip(component.first_line)
    {
        if line.text.trim().is_empty() || in_child(index) {
            continue;
        }
        let name = property_name(&line.text);
        if name == "BEGIN" || name == "END" {
            continue;
        }
        if selection.all_props || selection.props.contains(&name) {
            out.push_str(&line.raw);
            out.push_str("\r\n");
        }
    }
    for child in &component.children {
        if selection.all_comps {
            let (first, last) = (child.first_line, child.last_line);
            for line in lines.iter().take(last.saturating_add(1)).skip(first) {
                out.push_str(&line.raw);
                out.push_str("\r\n");
            }
        } else if let Some(inner) = selection.comps.iter().find(|s| s.name == child.name) {
            write(child, inner, lines, out);
        }
    }
    out.push_str(&format!("END:{}\r\n", component.name));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_the_recurrence_set_to_the_window() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n\
            BEGIN:VEVENT\r\nUID:r\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240601T100000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=10\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:r\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:20240602T100000Z\r\nDTSTART:20240602T150000Z\r\nDURATION:PT1H\r\nSUMMARY:early\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:r\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:20240608T100000Z\r\nDTSTART:20240608T150000Z\r\nDURATION:PT1H\r\nSUMMARY:late\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n";
        let window = Window {
            from: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 6, 7, 0, 0, 0).unwrap(),
            to: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 6, 9, 0, 0, 0).unwrap(),
        };
        let object = televent_domain::ingest::ingest_resource(text.as_bytes())
            .unwrap()
            .object;
        let limited = limit_recurrence_set(text.as_bytes(), &object, window, Tz::UTC);
        assert!(
            limited.contains("RRULE:FREQ=DAILY") && limited.contains("SUMMARY:late"),
            "{limited}"
        );
        assert!(!limited.contains("SUMMARY:early"), "{limited}");
        assert!(
            limited.starts_with("BEGIN:VCALENDAR\r\n") && limited.ends_with("END:VCALENDAR\r\n"),
            "{limited}"
        );
    }

    #[test]
    fn keeps_only_what_is_selected() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240101T000000Z\r\n\
            DTSTART:20240101T100000Z\r\nSUMMARY:Long\r\n  folded\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let selection = CompSelection {
            name: "VCALENDAR".into(),
            all_props: false,
            props: vec!["VERSION".into()],
            all_comps: false,
            comps: vec![CompSelection {
                name: "VEVENT".into(),
                all_props: false,
                props: vec!["UID".into(), "SUMMARY".into()],
                all_comps: false,
                comps: Vec::new(),
            }],
        };
        let selected = select_calendar_data(text.as_bytes(), &selection).unwrap();
        assert_eq!(
            selected,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Long\r\n  folded\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }
}
