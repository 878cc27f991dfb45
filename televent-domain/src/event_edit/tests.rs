use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;
use crate::ingest::ingest_resource;

const BERLIN: Tz = chrono_tz::Europe::Berlin;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 2, 3, 4, 5).unwrap()
}

fn timed(start: NaiveDateTime, end: NaiveDateTime, zone: Tz) -> EventTime {
    EventTime::Timed { start, end, zone }
}

fn attendee(email: &str, name: Option<&str>, status: &str) -> EventAttendee {
    EventAttendee {
        email: email.to_owned(),
        name: name.map(str::to_owned),
        status: status.to_owned(),
    }
}

fn fields(title: &str, when: EventTime) -> EventFields {
    EventFields {
        title: title.to_owned(),
        when,
        location: None,
        description: None,
        recurrence: None,
        reminders: Vec::new(),
        attendees: Vec::new(),
        organizer: None,
    }
}

/// Ingests `text` (it must be a valid resource) and reads it back in `zone`.
fn ingest_and_read(text: &str, zone: Tz) -> EventFields {
    if let Err(error) = ingest_resource(text.as_bytes()) {
        panic!("does not ingest: {error}\n{text}");
    }
    read_event(text.as_bytes(), zone).unwrap()
}

fn patched(stored: &str, patch: &EventPatch) -> String {
    let out = apply_patch(stored.as_bytes(), patch, now()).unwrap().expect("a change");
    ingest_and_read(&out, BERLIN);
    out
}

/// The content lines of `text` as written (folded lines stay folded), without those starting
/// with one of `dropped`.
fn kept(text: &str, dropped: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in text.split("\r\n") {
        match (physical.strip_prefix(' '), lines.last_mut()) {
            (Some(_), Some(last)) => {
                last.push_str("\r\n");
                last.push_str(physical);
            }
            _ => lines.push(physical.to_owned()),
        }
    }
    lines
        .into_iter()
        .filter(|l| !l.trim().is_empty() && !dropped.iter().any(|d| l.starts_with(d)))
        .collect()
}

/// The master lines `apply_patch` always rewrites in `STORED`, before and after.
const STAMPS_BEFORE: [&str; 3] = [
    "SEQUENCE:3",
    "DTSTAMP:20261201T090000Z",
    "LAST-MODIFIED:20261201T090000Z",
];
const STAMPS_AFTER: [&str; 3] = [
    "SEQUENCE:4",
    "DTSTAMP:20270102T030405Z",
    "LAST-MODIFIED:20270102T030405Z",
];

/// Asserts that `after` is `before` with the lines starting with `removed` taken out and
/// those starting with `added` put in, and nothing else changed.
fn check_only(before: &str, after: &str, removed: &[&str], added: &[&str]) {
    let removed: Vec<&str> = removed.iter().chain(&STAMPS_BEFORE).copied().collect();
    let added: Vec<&str> = added.iter().chain(&STAMPS_AFTER).copied().collect();
    assert_eq!(kept(before, &removed), kept(after, &added), "\n{after}");
    for line in STAMPS_AFTER {
        assert!(after.contains(&format!("\r\n{line}\r\n")), "{line} missing in\n{after}");
    }
}

const STORED: &str = "BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Edit//EN\r
BEGIN:VTIMEZONE\r
TZID:Europe/Berlin\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700329T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:edit-1\r
DTSTAMP:20261201T090000Z\r
LAST-MODIFIED:20261201T090000Z\r
CREATED:20261130T080000Z\r
SEQUENCE:3\r
DTSTART;TZID=Europe/Berlin:20261207T100000\r
DTEND;TZID=Europe/Berlin:20261207T110000\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
SUMMARY;LANGUAGE=en:Team sync\r
LOCATION:Room 4\r
DESCRIPTION:A long description that is folded by the client because it is lo\r
 nger than seventy-five octets\\, as clients do.\r
ORGANIZER;CN=Alice:mailto:alice@example.com\r
ATTENDEE;CN=\"Bob, the builder\";PARTSTAT=ACCEPTED;X-NUM-GUESTS=0:mailto:bob@e\r
 xample.com\r
ATTENDEE;PARTSTAT=DECLINED:mailto:carol@example.com\r
ATTENDEE;CUTYPE=ROOM:urn:uuid:room-4\r
X-CLIENT-THING;X-P=\"a:b\":kept as written\r
x-lower-case-thing:also kept\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
TRIGGER:-PT30M\r
DESCRIPTION:Team sync\r
X-WR-ALARMUID:a1\r
END:VALARM\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
TRIGGER;VALUE=DATE-TIME:20261207T080000Z\r
DESCRIPTION:Absolute\r
END:VALARM\r
BEGIN:VALARM\r
ACTION:EMAIL\r
TRIGGER:-PT1H\r
SUMMARY:Mail\r
DESCRIPTION:Mail\r
ATTENDEE:mailto:alice@example.com\r
END:VALARM\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:edit-1\r
RECURRENCE-ID;TZID=Europe/Berlin:20261214T100000\r
DTSTAMP:20261101T000000Z\r
SEQUENCE:1\r
DTSTART;TZID=Europe/Berlin:20261214T120000\r
DTEND;TZID=Europe/Berlin:20261214T130000\r
SUMMARY:Team sync (moved)\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:carol@example.com\r
END:VEVENT\r
END:VCALENDAR\r
";

/// No SEQUENCE, DURATION instead of DTEND, floating time, LF line ends.
const MINIMAL: &str = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:m-1\nDTSTAMP:20261201T090000Z\nDTSTART:20261207T100000\nDURATION:PT45M\nSUMMARY:Call\nEND:VEVENT\nEND:VCALENDAR\n";

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/../../shared/ical-corpus/valid/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// --- new_event and read_event ---

#[test]
fn new_events_read_back_as_written() {
    let mut meeting = fields(
        "Planning, Q1; budget",
        timed(at(2026, 12, 7, 10, 0), at(2026, 12, 7, 11, 30), BERLIN),
    );
    meeting.location = Some("Room 4, 2nd floor".to_owned());
    meeting.description = Some("Agenda:\n1. money\n2. more money".to_owned());
    let holiday = fields(
        "Holiday",
        EventTime::AllDay {
            start: day(2026, 12, 24),
            end_exclusive: day(2026, 12, 27),
        },
    );
    let mut standup = fields(
        "Standup",
        timed(
            at(2026, 12, 7, 9, 0),
            at(2026, 12, 7, 9, 15),
            chrono_tz::America::New_York,
        ),
    );
    standup.recurrence = Some(RecurrencePreset::Weekdays.into());
    standup.reminders = vec![0, 15, 1440];
    standup.organizer = Some("alice@example.com".to_owned());
    standup.attendees = vec![
        attendee("bob@example.com", Some("Doe, Bob \"the builder\""), "NEEDS-ACTION"),
        attendee("carol@example.com", None, "ACCEPTED"),
    ];
    let mut monthly = fields(
        &"Long title ".repeat(12),
        EventTime::AllDay {
            start: day(2026, 1, 31),
            end_exclusive: day(2026, 2, 1),
        },
    );
    monthly.recurrence = Some(Recurrence::from_rrule("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12"));
    monthly.title = monthly.title.trim().to_owned();
    for event in [meeting, holiday, standup, monthly] {
        let text = new_event(&event, "new-1@televent", now()).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75), "unfolded line in\n{text}");
        assert_eq!(ingest_and_read(&text, chrono_tz::Asia::Tokyo), event, "\n{text}");
    }
}

#[test]
fn new_event_writes_the_documented_lines() {
    let mut event = fields("Dentist", timed(at(2026, 12, 7, 10, 0), at(2026, 12, 7, 11, 0), BERLIN));
    event.reminders = vec![15];
    event.attendees = vec![attendee("Anna@Example.com", None, "")];
    let text = new_event(&event, "u-1", now()).unwrap();
    for line in [
        "UID:u-1",
        "DTSTAMP:20270102T030405Z",
        "DTSTART;TZID=Europe/Berlin:20261207T100000",
        "DTEND;TZID=Europe/Berlin:20261207T110000",
        "SUMMARY:Dentist",
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:Dentist\r\nEND:VALARM",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:anna@example.com",
    ] {
        assert!(text.contains(&format!("\r\n{line}\r\n")), "{line} missing in\n{text}");
    }
    assert!(!text.contains("ORGANIZER") && !text.contains("VTIMEZONE"));
    let all_day = fields(
        "Trip",
        EventTime::AllDay {
            start: day(2026, 7, 1),
            end_exclusive: day(2026, 7, 3),
        },
    );
    let text = new_event(&all_day, "u-2", now()).unwrap();
    assert!(text.contains("\r\nDTSTART;VALUE=DATE:20260701\r\nDTEND;VALUE=DATE:20260703\r\n"));
}

#[test]
fn until_takes_the_form_the_start_asks_for() {
    let mut event = fields("Course", timed(at(2026, 3, 2, 18, 0), at(2026, 3, 2, 19, 0), BERLIN));
    event.recurrence = Some(Recurrence::from_rrule("FREQ=WEEKLY;UNTIL=20260330"));
    let text = new_event(&event, "u-3", now()).unwrap();
    assert!(
        text.contains("\r\nRRULE:FREQ=WEEKLY;UNTIL=20260330T215959Z\r\n"),
        "{text}"
    );
    event.when = EventTime::AllDay {
        start: day(2026, 3, 2),
        end_exclusive: day(2026, 3, 3),
    };
    event.recurrence = Some(Recurrence::from_rrule("FREQ=WEEKLY;UNTIL=20260330T215959Z"));
    let text = new_event(&event, "u-3", now()).unwrap();
    assert!(text.contains("\r\nRRULE:FREQ=WEEKLY;UNTIL=20260330\r\n"), "{text}");
}

#[test]
fn presets_are_recognised_in_any_order() {
    let check = |rrule: &str, preset: Option<RecurrencePreset>| {
        assert_eq!(Recurrence::from_rrule(rrule).preset, preset, "{rrule}");
    };
    check("FREQ=DAILY", Some(RecurrencePreset::Daily));
    check("BYDAY=MO,TU,WE,TH,FR;FREQ=WEEKLY", Some(RecurrencePreset::Weekdays));
    check("freq=weekly", Some(RecurrencePreset::Weekly));
    check("FREQ=MONTHLY", Some(RecurrencePreset::Monthly));
    check("FREQ=YEARLY", Some(RecurrencePreset::Yearly));
    check("FREQ=WEEKLY;BYDAY=MO", None);
    check("FREQ=DAILY;COUNT=3", None);
    check("FREQ=WEEKLY;INTERVAL=2", None);
    for preset in RecurrencePreset::ALL {
        assert_eq!(RecurrencePreset::of_rrule(preset.rrule()), Some(preset));
    }
}

#[test]
fn reads_an_apple_event() {
    let event = read_event(&corpus("ical4j__apple-iphone-os-26-structured-location.ics"), BERLIN).unwrap();
    assert_eq!(event.title, "Antrag auf ID Austria");
    assert_eq!(
        event.when,
        timed(
            at(2026, 5, 22, 10, 30),
            at(2026, 5, 22, 10, 40),
            chrono_tz::Europe::Vienna
        )
    );
    assert_eq!(event.location.as_deref(), Some("Hauptstraße 1-5; 4041 Linz"));
    assert_eq!(event.description.as_deref(), Some("Passwesen\nAntrag auf ID Austria"));
    assert_eq!((event.recurrence, event.organizer), (None, None));
    assert!(event.reminders.is_empty() && event.attendees.is_empty());
}

#[test]
fn reads_a_google_event_in_the_callers_zone() {
    let bytes = corpus("python-icalendar__alarm_google_future.ics");
    let event = read_event(&bytes, chrono_tz::Europe::London).unwrap();
    assert_eq!(event.title, "event with alarms");
    // 18:15Z to 19:00Z is 19:15 to 20:00 in London (BST).
    let london = chrono_tz::Europe::London;
    assert_eq!(
        event.when,
        timed(at(2024, 10, 4, 19, 15), at(2024, 10, 4, 20, 0), london)
    );
    // The EMAIL alarm at 15 minutes does not count; the DISPLAY one at 15 does.
    assert_eq!(event.reminders, [10, 14, 15]);
    assert_eq!(event.location, None);
}

#[test]
fn reads_outlook_events_with_windows_zone_names() {
    let event = read_event(&corpus("thunderbird__teams-meeting-invite.ics"), BERLIN).unwrap();
    assert_eq!(event.title, "Teams meeting");
    assert_eq!(
        event.when,
        timed(at(2020, 12, 2, 19, 0), at(2020, 12, 2, 21, 0), chrono_tz::Europe::Kiev)
    );
    assert_eq!(event.organizer.as_deref(), Some("marge@example.com"));
    assert_eq!(
        event.attendees,
        [
            attendee("bart@example.com", Some("bart@eexample.com"), "NEEDS-ACTION"),
            attendee("homer@example.com", Some("homer@example.com"), "NEEDS-ACTION"),
        ]
    );
    assert_eq!(event.reminders, [15]);
    assert_eq!(event.location, None, "LOCATION is empty");
    assert!(
        event
            .description
            .as_deref()
            .is_some_and(|d| d.contains("Microsoft Teams"))
    );

    let event = read_event(&corpus("khal__tz_windows_format.ics"), BERLIN).unwrap();
    assert_eq!(
        event.when,
        timed(
            at(2019, 11, 20, 13, 0),
            at(2019, 11, 20, 14, 30),
            chrono_tz::Pacific::Auckland
        )
    );
}

#[test]
fn reads_an_end_from_duration_or_from_the_start_alone() {
    let event = read_event(&corpus("node-ical__test_date_time_duration.ics"), Tz::UTC).unwrap();
    assert_eq!(event.title, "period test2");
    assert_eq!(
        event.when,
        timed(at(2024, 2, 15, 9, 0), at(2024, 2, 15, 10, 15), Tz::UTC)
    );
    assert_eq!(event.location.as_deref(), Some("Kriftel"));
    assert_eq!(event.description, None, "DESCRIPTION is empty");

    let only_start = |start: &str| {
        let text = format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:s\r\n{start}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        read_event(text.as_bytes(), BERLIN).unwrap().when
    };
    assert_eq!(
        only_start("DTSTART;VALUE=DATE:20260101"),
        EventTime::AllDay {
            start: day(2026, 1, 1),
            end_exclusive: day(2026, 1, 2)
        }
    );
    assert_eq!(
        only_start("DTSTART:20260101T100000"),
        timed(at(2026, 1, 1, 10, 0), at(2026, 1, 1, 10, 0), BERLIN),
        "floating time is shown in the caller's zone"
    );
}

#[test]
fn reads_the_master_and_not_the_overrides() {
    let event = read_event(STORED.as_bytes(), Tz::UTC).unwrap();
    assert_eq!(event.title, "Team sync");
    assert_eq!(
        event.when,
        timed(at(2026, 12, 7, 10, 0), at(2026, 12, 7, 11, 0), BERLIN)
    );
    assert_eq!(
        event.recurrence,
        Some(Recurrence {
            preset: None,
            rrule: "FREQ=WEEKLY;BYDAY=MO".to_owned()
        })
    );
    assert_eq!(event.reminders, [30], "absolute and e-mail alarms are not reminders");
    assert_eq!(
        event.attendees,
        [
            attendee("bob@example.com", Some("Bob, the builder"), "ACCEPTED"),
            attendee("carol@example.com", None, "DECLINED"),
        ],
        "the room is not an e-mail address"
    );
    let overrides_only = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:o\r\nRECURRENCE-ID:20261207T090000Z\r\nDTSTART:20261207T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(read_event(overrides_only.as_bytes(), BERLIN), Err(EditError::NoEvent));
    assert_eq!(
        read_event(
            b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
            BERLIN
        ),
        Err(EditError::NoEvent)
    );
    assert_eq!(read_event(b"not a calendar", BERLIN), Err(EditError::NoEvent));
}

// --- apply_patch ---

#[test]
fn a_new_title_is_escaped_and_nothing_else_moves() {
    let title = "Lunch, then; talk\nnotes\\done";
    let out = patched(
        STORED,
        &EventPatch {
            title: Some(format!("  {title} ")),
            ..EventPatch::default()
        },
    );
    assert!(
        out.contains("\r\nSUMMARY:Lunch\\, then\\; talk\\nnotes\\\\done\r\n"),
        "{out}"
    );
    check_only(STORED, &out, &["SUMMARY;LANGUAGE=en:Team sync"], &["SUMMARY:Lunch"]);
    assert_eq!(read_event(out.as_bytes(), BERLIN).unwrap().title, title);
    assert!(
        out.contains("\r\nSUMMARY:Team sync (moved)\r\n"),
        "the override keeps its title"
    );
}

#[test]
fn moving_the_time_keeps_overrides_and_drops_a_duration() {
    let when = timed(at(2026, 12, 8, 14, 0), at(2026, 12, 8, 15, 30), BERLIN);
    let out = patched(
        STORED,
        &EventPatch {
            when: Some(when),
            ..EventPatch::default()
        },
    );
    check_only(
        STORED,
        &out,
        &[
            "DTSTART;TZID=Europe/Berlin:20261207T100000",
            "DTEND;TZID=Europe/Berlin:20261207T110000",
        ],
        &[
            "DTSTART;TZID=Europe/Berlin:20261208T140000",
            "DTEND;TZID=Europe/Berlin:20261208T153000",
        ],
    );
    assert!(out.contains("RECURRENCE-ID;TZID=Europe/Berlin:20261214T100000\r\nDTSTAMP:20261101T000000Z\r\nSEQUENCE:1\r\nDTSTART;TZID=Europe/Berlin:20261214T120000\r\n"));
    assert_eq!(read_event(out.as_bytes(), Tz::UTC).unwrap().when, when);

    let when = timed(at(2026, 12, 9, 8, 0), at(2026, 12, 9, 9, 0), chrono_tz::Europe::Lisbon);
    let out = patched(
        MINIMAL,
        &EventPatch {
            when: Some(when),
            ..EventPatch::default()
        },
    );
    assert!(
        out.contains("\r\nDTSTART;TZID=Europe/Lisbon:20261209T080000\r\nDTEND;TZID=Europe/Lisbon:20261209T090000\r\nSUMMARY:Call\r\n"),
        "DTEND goes where DURATION was, next to DTSTART:\n{out}"
    );
    assert!(!out.contains("DURATION"));
    assert!(
        out.contains("\r\nSEQUENCE:1\r\n"),
        "SEQUENCE is added when absent:\n{out}"
    );
    assert_eq!(read_event(out.as_bytes(), Tz::UTC).unwrap().when, when);
}

#[test]
fn switches_between_timed_and_all_day() {
    let all_day = EventTime::AllDay {
        start: day(2026, 12, 7),
        end_exclusive: day(2026, 12, 9),
    };
    let out = patched(
        STORED,
        &EventPatch {
            when: Some(all_day),
            ..EventPatch::default()
        },
    );
    assert!(
        out.contains("\r\nDTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261209\r\n"),
        "{out}"
    );
    assert_eq!(read_event(out.as_bytes(), BERLIN).unwrap().when, all_day);

    let back = timed(at(2026, 12, 7, 18, 0), at(2026, 12, 7, 19, 0), BERLIN);
    let again = apply_patch(
        out.as_bytes(),
        &EventPatch {
            when: Some(back),
            ..EventPatch::default()
        },
        now(),
    )
    .unwrap()
    .unwrap();
    ingest_and_read(&again, BERLIN);
    assert_eq!(read_event(again.as_bytes(), BERLIN).unwrap().when, back);
    assert!(again.contains("\r\nSEQUENCE:5\r\n"));

    // An UNTIL written for a timed event becomes a date with the start.
    let until = STORED.replace(
        "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n",
        "RRULE:FREQ=WEEKLY;UNTIL=20261228T090000Z;BYDAY=MO\r\n",
    );
    let out = patched(
        &until,
        &EventPatch {
            when: Some(all_day),
            ..EventPatch::default()
        },
    );
    assert!(
        out.contains("\r\nRRULE:FREQ=WEEKLY;UNTIL=20261228;BYDAY=MO\r\n"),
        "{out}"
    );
}

#[test]
fn sets_changes_and_clears_the_recurrence() {
    let out = patched(
        MINIMAL,
        &EventPatch {
            recurrence: Some(Some("rrule:FREQ=DAILY;COUNT=5".to_owned())),
            ..EventPatch::default()
        },
    );
    assert!(out.contains("\r\nRRULE:FREQ=DAILY;COUNT=5\r\n"), "{out}");
    let read = read_event(out.as_bytes(), BERLIN).unwrap();
    assert_eq!(read.recurrence, Some(Recurrence::from_rrule("FREQ=DAILY;COUNT=5")));

    let out = patched(
        STORED,
        &EventPatch {
            recurrence: Some(Some("FREQ=WEEKLY".to_owned())),
            ..EventPatch::default()
        },
    );
    check_only(STORED, &out, &["RRULE:FREQ=WEEKLY;BYDAY=MO"], &["RRULE:FREQ=WEEKLY"]);
    assert_eq!(
        read_event(out.as_bytes(), BERLIN).unwrap().recurrence,
        Some(RecurrencePreset::Weekly.into())
    );

    let out = patched(
        STORED,
        &EventPatch {
            recurrence: Some(None),
            ..EventPatch::default()
        },
    );
    check_only(STORED, &out, &["RRULE:FREQ=WEEKLY;BYDAY=MO"], &[]);
    assert!(out.contains("RRULE:FREQ=YEARLY;BYMONTH=10"), "VTIMEZONE rules stay");
    assert_eq!(read_event(out.as_bytes(), BERLIN).unwrap().recurrence, None);
}

#[test]
fn replaces_reminders_and_keeps_other_alarms() {
    let out = patched(
        STORED,
        &EventPatch {
            reminders: Some(vec![60, 5, 60]),
            ..EventPatch::default()
        },
    );
    let removed = [
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT30M\r\nDESCRIPTION:Team sync\r\nX-WR-ALARMUID:a1\r\nEND:VALARM\r\n",
    ];
    assert!(!out.contains(removed[0]));
    assert!(out.contains("TRIGGER;VALUE=DATE-TIME:20261207T080000Z\r\nDESCRIPTION:Absolute\r\n"));
    assert!(out.contains("ACTION:EMAIL\r\nTRIGGER:-PT1H\r\n"));
    assert!(out.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:Team sync\r\nEND:VALARM\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT60M\r\nDESCRIPTION:Team sync\r\nEND:VALARM\r\nEND:VEVENT\r\n"), "{out}");
    let stripped = out
        .replace(
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:Team sync\r\nEND:VALARM\r\n",
            "",
        )
        .replace(
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT60M\r\nDESCRIPTION:Team sync\r\nEND:VALARM\r\n",
            "",
        );
    check_only(&STORED.replace(removed[0], ""), &stripped, &[], &[]);
    assert_eq!(read_event(out.as_bytes(), BERLIN).unwrap().reminders, [5, 60]);

    let none = patched(
        STORED,
        &EventPatch {
            reminders: Some(Vec::new()),
            ..EventPatch::default()
        },
    );
    assert!(read_event(none.as_bytes(), BERLIN).unwrap().reminders.is_empty());
    assert!(none.contains("DESCRIPTION:Absolute"));
}

#[test]
fn attendees_who_stay_keep_their_line_and_answer() {
    let patch = EventPatch {
        attendees: Some(vec!["BOB@example.com".to_owned(), "mailto:dave@example.com".to_owned()]),
        ..EventPatch::default()
    };
    let out = patched(STORED, &patch);
    check_only(
        STORED,
        &out,
        &["ATTENDEE;PARTSTAT=DECLINED:mailto:carol@example.com"],
        &["ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.com"],
    );
    assert!(out.contains("ATTENDEE;CUTYPE=ROOM:urn:uuid:room-4\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.com\r\n"), "{out}");
    assert!(
        out.contains("\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:carol@example.com\r\n"),
        "the override keeps carol"
    );
    assert_eq!(
        read_event(out.as_bytes(), BERLIN).unwrap().attendees,
        [
            attendee("bob@example.com", Some("Bob, the builder"), "ACCEPTED"),
            attendee("dave@example.com", None, "NEEDS-ACTION"),
        ]
    );

    let out = patched(
        MINIMAL,
        &EventPatch {
            attendees: Some(vec!["erin@example.org".to_owned()]),
            ..EventPatch::default()
        },
    );
    assert_eq!(
        read_event(out.as_bytes(), BERLIN).unwrap().attendees,
        [attendee("erin@example.org", None, "NEEDS-ACTION")]
    );
}

#[test]
fn location_and_description_are_set_and_removed() {
    let patch = EventPatch {
        location: Some(Some("Café Central, Vienna".to_owned())),
        description: Some(None),
        ..EventPatch::default()
    };
    let out = patched(STORED, &patch);
    check_only(
        STORED,
        &out,
        &["LOCATION:Room 4", "DESCRIPTION:A long description"],
        &["LOCATION:Café Central\\, Vienna"],
    );
    let read = read_event(out.as_bytes(), BERLIN).unwrap();
    assert_eq!(
        (read.location.as_deref(), read.description),
        (Some("Café Central, Vienna"), None)
    );

    let out = patched(
        MINIMAL,
        &EventPatch {
            location: Some(Some("Home".to_owned())),
            ..EventPatch::default()
        },
    );
    assert!(out.contains("\r\nSUMMARY:Call\r\nLOCATION:Home\r\n"), "{out}");

    // Apple's structured location would show the old place on a map.
    let apple = corpus("ical4j__apple-iphone-os-26-structured-location.ics");
    let apple = String::from_utf8(apple).unwrap();
    let out = patched(
        &apple,
        &EventPatch {
            location: Some(Some("Wien".to_owned())),
            ..EventPatch::default()
        },
    );
    assert!(!out.contains("X-APPLE-STRUCTURED-LOCATION") && out.contains("\r\nLOCATION:Wien\r\n"));
}

#[test]
fn every_change_bumps_the_sequence_and_no_change_writes_nothing() {
    let out = patched(
        MINIMAL,
        &EventPatch {
            title: Some("Call Anna".to_owned()),
            ..EventPatch::default()
        },
    );
    assert!(out.contains("\r\nSEQUENCE:1\r\n") && out.contains("\r\nDTSTAMP:20270102T030405Z\r\n"));
    assert!(out.contains("\r\nLAST-MODIFIED:20270102T030405Z\r\n") && !out.contains("20261201T090000Z"));
    let twice = apply_patch(
        out.as_bytes(),
        &EventPatch {
            title: Some("Call Bob".to_owned()),
            ..EventPatch::default()
        },
        now(),
    )
    .unwrap()
    .unwrap();
    assert!(twice.contains("\r\nSEQUENCE:2\r\n"));

    let same = EventPatch {
        title: Some("Team sync".to_owned()),
        when: Some(timed(at(2026, 12, 7, 10, 0), at(2026, 12, 7, 11, 0), BERLIN)),
        location: Some(Some("Room 4".to_owned())),
        recurrence: Some(Some("FREQ=WEEKLY;BYDAY=MO".to_owned())),
        reminders: Some(vec![30]),
        attendees: Some(vec!["carol@example.com".to_owned(), "bob@example.com".to_owned()]),
        description: None,
    };
    assert_eq!(apply_patch(STORED.as_bytes(), &same, now()), Ok(None));
    assert_eq!(apply_patch(STORED.as_bytes(), &EventPatch::default(), now()), Ok(None));
}

#[test]
fn real_files_edit_cleanly() {
    for name in [
        "thunderbird__teams-meeting-invite.ics",
        "python-icalendar__alarm_google_future.ics",
        "khal__tz_windows_format.ics",
        "node-ical__test_date_time_duration.ics",
    ] {
        let bytes = corpus(name);
        let patch = EventPatch {
            title: Some("Renamed".to_owned()),
            when: Some(timed(at(2026, 6, 1, 9, 0), at(2026, 6, 1, 10, 0), BERLIN)),
            reminders: Some(vec![10]),
            attendees: Some(vec!["new@example.com".to_owned()]),
            ..EventPatch::default()
        };
        let out = apply_patch(&bytes, &patch, now()).unwrap().unwrap();
        let read = ingest_and_read(&out, Tz::UTC);
        assert_eq!(
            (read.title.as_str(), read.when, read.reminders),
            ("Renamed", patch.when.unwrap(), vec![10]),
            "{name}"
        );
        assert_eq!(
            read.attendees,
            [attendee("new@example.com", None, "NEEDS-ACTION")],
            "{name}"
        );
    }
}

// --- errors ---

#[test]
fn refuses_bad_values() {
    let refused = |patch: EventPatch, needle: &str| match apply_patch(STORED.as_bytes(), &patch, now()) {
        Err(EditError::Invalid(message)) => assert!(message.contains(needle), "{message}"),
        other => panic!("{other:?} for {patch:?}"),
    };
    refused(
        EventPatch {
            title: Some(" \n ".to_owned()),
            ..EventPatch::default()
        },
        "title is empty",
    );
    refused(
        EventPatch {
            when: Some(timed(at(2026, 1, 1, 10, 0), at(2026, 1, 1, 10, 0), BERLIN)),
            ..EventPatch::default()
        },
        "end must be after",
    );
    refused(
        EventPatch {
            when: Some(EventTime::AllDay {
                start: day(2026, 1, 2),
                end_exclusive: day(2026, 1, 1),
            }),
            ..EventPatch::default()
        },
        "last day",
    );
    refused(
        EventPatch {
            recurrence: Some(Some("FREQ=SOMETIMES".to_owned())),
            ..EventPatch::default()
        },
        "not valid",
    );
    refused(
        EventPatch {
            recurrence: Some(Some("FREQ=DAILY;BYDAY=XX".to_owned())),
            ..EventPatch::default()
        },
        "not valid",
    );
    refused(
        EventPatch {
            recurrence: Some(Some("FREQ=DAILY\r\nX-EVIL:1".to_owned())),
            ..EventPatch::default()
        },
        "line breaks",
    );
    refused(
        EventPatch {
            reminders: Some(vec![15, 40_321]),
            ..EventPatch::default()
        },
        "too early",
    );
    for email in [
        "bob",
        "bob@localhost",
        "a b@example.com",
        "x@example.com\r\nX:1",
        "a;b@example.com",
        "@example.com",
    ] {
        refused(
            EventPatch {
                attendees: Some(vec![email.to_owned()]),
                ..EventPatch::default()
            },
            "not an e-mail address",
        );
    }
    assert!(
        apply_patch(
            STORED.as_bytes(),
            &EventPatch {
                reminders: Some(vec![40_320]),
                ..EventPatch::default()
            },
            now()
        )
        .is_ok()
    );

    let title = EventPatch {
        title: Some("x".to_owned()),
        ..EventPatch::default()
    };
    let todo = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20260101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    assert_eq!(apply_patch(todo.as_bytes(), &title, now()), Err(EditError::NoEvent));
    assert!(matches!(
        apply_patch(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", &title, now()),
        Err(EditError::Unreadable(_))
    ));
    assert!(matches!(
        apply_patch(&[0xff, 0x00, 0x13], &title, now()),
        Err(EditError::Unreadable(_))
    ));

    let good = fields("Ok", timed(at(2026, 1, 1, 10, 0), at(2026, 1, 1, 11, 0), BERLIN));
    let bad = |change: fn(&mut EventFields)| {
        let mut event = good.clone();
        change(&mut event);
        assert!(
            matches!(new_event(&event, "u", now()), Err(EditError::Invalid(_))),
            "{event:?}"
        );
    };
    bad(|e| e.title = "   ".to_owned());
    bad(|e| {
        e.when = EventTime::AllDay {
            start: day(2026, 1, 1),
            end_exclusive: day(2026, 1, 1),
        }
    });
    bad(|e| e.recurrence = Some(Recurrence::from_rrule("INTERVAL=2")));
    bad(|e| e.reminders = vec![u32::MAX]);
    bad(|e| e.organizer = Some("nobody".to_owned()));
    bad(|e| e.attendees = vec![attendee("x@example.com", None, "YES; PLEASE")]);
    assert!(matches!(new_event(&good, "a\r\nb", now()), Err(EditError::Invalid(_))));
    assert!(matches!(new_event(&good, "", now()), Err(EditError::Invalid(_))));
}

#[test]
fn errors_read_as_sentences() {
    assert_eq!(
        EditError::NoEvent.to_string(),
        "the calendar data holds no event to show or change"
    );
    assert_eq!(
        EditError::Invalid("the title is empty".to_owned()).to_string(),
        "the title is empty"
    );
}

#[test]
fn new_lines_are_folded_and_properties_come_before_alarms() {
    let title = "A much longer title that will certainly need folding, because it is long";
    let patch = EventPatch {
        title: Some(title.to_owned()),
        reminders: Some(vec![10]),
        attendees: Some(vec!["new@example.com".to_owned()]),
        ..EventPatch::default()
    };
    let out = patched(MINIMAL, &patch);
    assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out}");
    let position = |needle: &str| out.find(needle).unwrap_or_else(|| panic!("{needle} missing in\n{out}"));
    assert!(position("ATTENDEE;") < position("BEGIN:VALARM"));
    assert!(position("SEQUENCE:1") < position("BEGIN:VALARM"));
    assert!(position("LAST-MODIFIED:") < position("BEGIN:VALARM"));
    assert!(out.ends_with("END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"));
    let read = read_event(out.as_bytes(), BERLIN).unwrap();
    assert_eq!((read.title.as_str(), read.reminders), (title, vec![10]));
}
