//! Many stored resources to one VCALENDAR stream, for export and subscriptions.
//!
//! Components are copied line for line; VTIMEZONE blocks are kept once per TZID.

use std::collections::BTreeSet;

use crate::ical::parse_document;

/// Joins resources (each a VCALENDAR) into one VCALENDAR with `name` as X-WR-CALNAME.
pub fn merge_calendars<'a>(resources: impl IntoIterator<Item = &'a [u8]>, name: &str) -> String {
    let mut zones = String::new();
    let mut components = String::new();
    let mut seen_zones = BTreeSet::new();
    for bytes in resources {
        let (document, _) = parse_document(bytes);
        for calendar in &document.calendars {
            for component in &calendar.children {
                let target = if component.name == "VTIMEZONE" {
                    let tzid = component
                        .property("TZID")
                        .map(|p| p.value.trim().to_owned())
                        .unwrap_or_default();
                    if !seen_zones.insert(tzid) {
                        continue;
                    }
                    &mut zones
                } else {
                    &mut components
                };
                for line in document
                    .lines
                    .get(component.first_line..=component.last_line)
                    .unwrap_or_default()
                {
                    if !line.text.trim().is_empty() {
                        target.push_str(&line.raw);
                        target.push_str("\r\n");
                    }
                }
            }
        }
    }
    let name = name
        .replace(['\r', '\n'], " ")
        .replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;");
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent//Televent//EN\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:{name}\r\n{zones}{components}END:VCALENDAR\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::split_import;

    #[test]
    fn merged_resources_split_back_into_the_same_objects() {
        let zone = "BEGIN:VTIMEZONE\r\nTZID:Z\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let one = |uid: &str| {
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{zone}BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;TZID=Z:20240101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            )
        };
        let (a, b) = (one("a"), one("b"));
        let merged = merge_calendars([a.as_bytes(), b.as_bytes()], "Work; home");
        assert_eq!(merged.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(merged.contains("X-WR-CALNAME:Work\\; home\r\n"));
        let split = split_import(merged.as_bytes());
        let uids: Vec<&str> = split.resources.iter().map(|r| r.uid.as_str()).collect();
        assert_eq!(uids, ["a", "b"]);
        assert!(split.rejected.is_empty());
    }
}
