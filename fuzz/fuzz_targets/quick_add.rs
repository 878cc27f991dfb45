//! Quick add: any text at a fixed `now` (Wednesday 2026-11-25 10:00 Europe/Berlin, as the
//! quick-add tests) must parse or be refused without a panic, and every draft it makes must be
//! written as iCalendar that `ingest_resource` accepts.

#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use televent_domain::ingest::ingest_resource;
use televent_domain::quick_add::parse_quick_add;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (Some(now), Some(dtstamp)) = (
        chrono_tz::Europe::Berlin
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
            .single(),
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).single(),
    ) else {
        return;
    };
    let Ok(draft) = parse_quick_add(text, now) else { return };
    let ics = draft.to_ics("quick-add-fuzz@televent", dtstamp);
    if let Err(error) = ingest_resource(ics.as_bytes()) {
        panic!("a quick-add draft does not ingest: {error:?}\ninput: {text:?}\n{ics}");
    }
});
