//! Bytes a client PUTs or imports: `ingest_resource` and `split_import` must never panic, and
//! neither must what runs on what they accept (recurrence expansion with the default instance
//! cap, the event editor's read and patch).

#![no_main]

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use televent_domain::event_edit::{EventPatch, EventTime, apply_patch, read_event};
use televent_domain::ingest::{ingest_resource, split_import};
use televent_domain::recurrence::{ExpandOptions, Window, expand};

fuzz_target!(|data: &[u8]| {
    let (Some(from), Some(to), Some(now)) = (
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single(),
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).single(),
    ) else {
        return;
    };
    let window = Window { from, to };
    let options = ExpandOptions::default();

    if let Ok(resource) = ingest_resource(data) {
        let _ = expand(&resource.object, window, &options);
        let _ = read_event(data, Tz::Europe__Berlin);
        if let Ok(Some(text)) = apply_patch(data, &patch(), now) {
            // apply_patch promises its output is itself a valid resource.
            if let Err(error) = ingest_resource(text.as_bytes()) {
                panic!("apply_patch wrote a resource ingest_resource refuses: {error:?}\n{text}");
            }
        }
    } else {
        // The editor reads whatever is stored, valid or not.
        let _ = read_event(data, Tz::Europe__Berlin);
    }

    let split = split_import(data);
    for resource in &split.resources {
        let _ = expand(&resource.object, window, &options);
        // Every resource an import makes is itself a valid PUT body.
        if let Err(error) = ingest_resource(&resource.bytes) {
            panic!(
                "split_import made a resource ingest_resource refuses: {error:?}\n{}",
                String::from_utf8_lossy(&resource.bytes)
            );
        }
    }
});

/// One fixed patch touching every field.
fn patch() -> EventPatch {
    let day = NaiveDate::from_ymd_opt(2025, 6, 2);
    let when = day
        .and_then(|d| Some((d.and_hms_opt(10, 0, 0)?, d.and_hms_opt(11, 30, 0)?)))
        .map(|(start, end)| EventTime::Timed {
            start,
            end,
            zone: Tz::Europe__Berlin,
        });
    EventPatch {
        title: Some("Fuzzed title, with; specials \\ and ünïcode".to_owned()),
        when,
        location: Some(None),
        description: Some(Some("line one\nline two".to_owned())),
        recurrence: Some(Some("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5".to_owned())),
        reminders: Some(vec![10, 60]),
        attendees: Some(vec!["anna@example.com".to_owned(), "bob@example.org".to_owned()]),
    }
}
