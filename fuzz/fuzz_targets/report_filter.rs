//! The calendar-query filter evaluator: a filter read from the input's first part (a
//! CALDAV:calendar-query or CALDAV:filter element, XML) run against a resource read from its
//! second part (iCalendar). The parts are split at the first NUL byte, which XML cannot hold.
//! `matches` must never panic, whatever the filter and the resource.

#![no_main]

use chrono::{TimeZone, Utc};
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use televent_adapters::http::matching::matches;
use televent_adapters::http::object_cache::ObjectCache;
use televent_adapters::http::xml::filter::parse_filter;
use televent_adapters::http::xml::read::{parse, text};
use televent_domain::event::{Href, ObjectIndexRow, StoredObject};
use televent_domain::ids::{CalendarId, EventId};
use televent_domain::ingest::ingest_resource;
use televent_domain::recurrence::{ExpandOptions, Selection};

fuzz_target!(|data: &[u8]| {
    let Some(split) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let (xml, ics) = (
        data.get(..split).unwrap_or_default(),
        data.get(split + 1..).unwrap_or_default(),
    );
    let Ok(body) = text(xml) else { return };
    let Ok(document) = parse(body) else { return };
    let Ok(filter) = parse_filter(document.root_element()) else {
        return;
    };
    let Ok(resource) = ingest_resource(ics) else { return };
    let (Ok(href), Some(now)) = (
        Href::parse("fuzz.ics"),
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).single(),
    ) else {
        return;
    };
    let stored = StoredObject {
        id: EventId::from_uuid(uuid::Uuid::nil()),
        calendar: CalendarId::from_uuid(uuid::Uuid::nil()),
        href,
        etag: resource.etag.clone(),
        bytes: resource.bytes.clone(),
        index: ObjectIndexRow::of(&resource),
        created_at: now,
        updated_at: now,
    };
    // As methods::query runs it: overlap semantics, floating times in the user's zone.
    let options = ExpandOptions {
        floating_in: Tz::America__New_York,
        selection: Selection::Overlaps,
        ..ExpandOptions::default()
    };
    let objects = ObjectCache::new(4);
    let _ = matches(&filter, &stored, &options, &objects);
});
