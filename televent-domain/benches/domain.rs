//! Criterion benchmarks for the domain's hot paths: ingestion, recurrence expansion, ETags.
//! Run with `cargo bench -p televent-domain` (release build; not part of the test command).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use televent_domain::etag::ETag;
use televent_domain::ingest::{ingest_resource, split_import};
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};

/// A typical client resource: an event in a zone with its VTIMEZONE, an alarm, attendees.
const TYPICAL: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14//EN\r\n\
BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
DTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19961027T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:CET\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:6F2D8B43-1C4E-4B8A-9D0F-3A1B2C3D4E5F\r\nDTSTAMP:20240101T120000Z\r\n\
DTSTART;TZID=Europe/Berlin:20240115T093000\r\nDTEND;TZID=Europe/Berlin:20240115T100000\r\n\
SUMMARY:Weekly planning\r\nLOCATION:Room 4\r\nDESCRIPTION:Agenda:\\n1. Last week\\n2. This week\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Europe/Berlin:20240129T093000\r\n\
ORGANIZER;CN=Anna:mailto:anna@example.com\r\nATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n\
ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.com\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";

fn ingest(c: &mut Criterion) {
    c.bench_function("ingest: typical 1.3 KB resource", |b| {
        b.iter(|| ingest_resource(black_box(TYPICAL.as_bytes())).unwrap())
    });
    let big: String = {
        let body = TYPICAL
            .split("BEGIN:VEVENT")
            .nth(1)
            .unwrap()
            .split("END:VCALENDAR")
            .next()
            .unwrap();
        let events: String = (0..100)
            .map(|i| format!("BEGIN:VEVENT{}", body.replace("6F2D8B43", &format!("{i:08}"))))
            .collect();
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{events}END:VCALENDAR\r\n")
    };
    c.bench_function("import split: 100 events in one file", |b| {
        b.iter(|| split_import(black_box(big.as_bytes())))
    });
}

fn expansion(c: &mut Criterion) {
    let object = ingest_resource(TYPICAL.as_bytes()).unwrap().object;
    let ten_years = Window {
        from: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
        to: Utc.with_ymd_and_hms(2034, 1, 1, 0, 0, 0).unwrap(),
    };
    let options = ExpandOptions {
        floating_in: chrono_tz::Europe::Berlin,
        selection: Selection::Overlaps,
        ..ExpandOptions::default()
    };
    let count = expand(&object, ten_years, &options).occurrences.len();
    assert!((515..=521).contains(&count), "{count}");
    c.bench_function("expand: weekly rule over ten years (~520 occurrences)", |b| {
        b.iter(|| expand(black_box(&object), black_box(ten_years), &options))
    });
    let last_week = Window {
        from: Utc.with_ymd_and_hms(2033, 12, 19, 0, 0, 0).unwrap(),
        to: Utc.with_ymd_and_hms(2033, 12, 26, 0, 0, 0).unwrap(),
    };
    c.bench_function("expand: one week, ten years after DTSTART", |b| {
        b.iter(|| expand(black_box(&object), black_box(last_week), &options))
    });
}

fn etag(c: &mut Criterion) {
    let small = TYPICAL.as_bytes();
    let large = TYPICAL.repeat(80);
    c.bench_function("etag: 1.3 KB", |b| b.iter(|| ETag::of(black_box(small))));
    c.bench_function("etag: 100 KB", |b| b.iter(|| ETag::of(black_box(large.as_bytes()))));
}

criterion_group!(benches, ingest, expansion, etag);
criterion_main!(benches);
