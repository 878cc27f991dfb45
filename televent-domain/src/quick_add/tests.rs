//! The quick-add table: phrases and the drafts they make, read at a fixed `now`
//! (Wednesday 2026-11-25 10:00 Europe/Berlin), and drafts written as iCalendar read back.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;

use super::*;

fn now() -> DateTime<Tz> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
        .unwrap()
}

/// A draft in one line: `summary | when [| rrule (words)] [| at place] [| with a, @b]`, or
/// `error: Kind`.
fn render(result: Result<EventDraft, QuickAddError>) -> String {
    let draft = match result {
        Ok(draft) => draft,
        Err(error) => {
            let kind = match error {
                QuickAddError::Empty => "Empty",
                QuickAddError::NoTitle => "NoTitle",
                QuickAddError::NoDate => "NoDate",
                QuickAddError::Invalid(_) => "Invalid",
            };
            return format!("error: {kind}");
        }
    };
    let when = match draft.when {
        DraftTime::Timed { start, end } if start.date() == end.date() => {
            format!("{}–{}", start.format("%Y-%m-%d %H:%M"), end.format("%H:%M"))
        }
        DraftTime::Timed { start, end } => {
            format!("{}–{}", start.format("%Y-%m-%d %H:%M"), end.format("%Y-%m-%d %H:%M"))
        }
        DraftTime::AllDay { first, last_inclusive } if first == last_inclusive => first.to_string(),
        DraftTime::AllDay { first, last_inclusive } => format!("{first}..{last_inclusive}"),
    };
    let mut out = format!("{} | {when}", draft.summary);
    if let Some(recurrence) = &draft.recurrence {
        out.push_str(&format!(" | {} ({})", recurrence.rrule, recurrence.human));
    }
    if let Some(location) = &draft.location {
        out.push_str(&format!(" | at {location}"));
    }
    if !draft.attendees.is_empty() {
        let people: Vec<String> = draft
            .attendees
            .iter()
            .map(|a| match a {
                DraftAttendee::Email(email) => email.clone(),
                DraftAttendee::TelegramUser(name) => format!("@{name}"),
            })
            .collect();
        out.push_str(&format!(" | with {}", people.join(", ")));
    }
    out
}

/// Checks every row and reports all mismatches at once.
fn check(table: &[(&str, &str)]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(input, expected)| {
            let actual = render(parse_quick_add(input, now()));
            (actual != *expected).then(|| format!("{input:?}\n   expected: {expected}\n     actual: {actual}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn now_is_a_wednesday() {
    assert_eq!(now().weekday(), Weekday::Wed);
    assert_eq!(now().date_naive(), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
}

#[test]
fn relative_days() {
    check(&[
        (
            "Dentist tomorrow 15:30 for 1h at Main St 5",
            "Dentist | 2026-11-26 15:30–16:30 | at Main St 5",
        ),
        ("Dentist today 15:30", "Dentist | 2026-11-25 15:30–16:30"),
        ("Lunch day after tomorrow at noon", "Lunch | 2026-11-27 12:00–13:00"),
        ("Flight tmrw 6am", "Flight | 2026-11-26 06:00–07:00"),
        ("Review on Friday 14:00", "Review | 2026-11-27 14:00–15:00"),
        ("Gym Friday", "Gym | 2026-11-27"),
        ("Gym FRIDAY", "Gym | 2026-11-27"),
        // A weekday that is today: today while the time is ahead, else next week.
        ("Team call wednesday 11:00", "Team call | 2026-11-25 11:00–12:00"),
        ("Team call wednesday 9:00", "Team call | 2026-12-02 09:00–10:00"),
        ("Team call this Wednesday", "Team call | 2026-11-25"),
        // `next` skips today.
        ("Retro next Wednesday 11:00", "Retro | 2026-12-02 11:00–12:00"),
        ("Retro next Monday", "Retro | 2026-11-30"),
        ("Pay rent in 3 days", "Pay rent | 2026-11-28"),
        ("Follow up in 2 weeks 9:00", "Follow up | 2026-12-09 09:00–10:00"),
        ("Renew passport in a month", "Renew passport | 2026-12-25"),
    ]);
}

#[test]
fn explicit_days() {
    check(&[
        ("Party 24 Dec", "Party | 2026-12-24"),
        ("Party Dec 24 20:00", "Party | 2026-12-24 20:00–21:00"),
        ("Party 24.12 8pm", "Party | 2026-12-24 20:00–21:00"),
        ("Party 24/12", "Party | 2026-12-24"),
        ("Party 2026-12-24", "Party | 2026-12-24"),
        ("Party 24 December 2027", "Party | 2027-12-24"),
        ("Party Dec 24, 2027 at 8pm", "Party | 2027-12-24 20:00–21:00"),
        // A day and month already past this year is next year; today is today.
        ("Anniversary 20 Nov", "Anniversary | 2027-11-20"),
        ("Report due 25 Nov", "Report due | 2026-11-25"),
        ("Conference 3rd of March", "Conference | 2027-03-03"),
        ("Dinner December 5th at 7pm", "Dinner | 2026-12-05 19:00–20:00"),
        ("Check-up 15.01.2027 10:30", "Check-up | 2027-01-15 10:30–11:30"),
        // DST: 2027-03-28 02:30 does not exist in Berlin; the draft keeps the wall clock.
        ("Early run 28 Mar 2:30", "Early run | 2027-03-28 02:30–03:30"),
    ]);
}

#[test]
fn times_of_day() {
    check(&[
        ("Meeting 10am-2pm tomorrow", "Meeting | 2026-11-26 10:00–14:00"),
        ("Meeting tomorrow 10:00 till 11:30", "Meeting | 2026-11-26 10:00–11:30"),
        ("Dentist at 3pm on Friday", "Dentist | 2026-11-27 15:00–16:00"),
        // A time without a day: today while it is ahead, else tomorrow; `now` itself has passed.
        ("Call mom 9:00", "Call mom | 2026-11-26 09:00–10:00"),
        ("Call mom 18:00", "Call mom | 2026-11-25 18:00–19:00"),
        ("Call mom at 10", "Call mom | 2026-11-26 10:00–11:00"),
        ("Standup at 9 tomorrow", "Standup | 2026-11-26 09:00–10:00"),
        ("Coffee 3pm", "Coffee | 2026-11-25 15:00–16:00"),
        ("Coffee 3:30pm tomorrow", "Coffee | 2026-11-26 15:30–16:30"),
        ("Coffee 3 pm tomorrow", "Coffee | 2026-11-26 15:00–16:00"),
        ("Breakfast tomorrow 10am", "Breakfast | 2026-11-26 10:00–11:00"),
        ("Lunch tomorrow noon", "Lunch | 2026-11-26 12:00–13:00"),
        ("Deploy tomorrow midnight", "Deploy | 2026-11-26 00:00–01:00"),
        (
            "Workshop from 10 to 11:30 tomorrow",
            "Workshop | 2026-11-26 10:00–11:30",
        ),
        ("Workshop tomorrow 10-11", "Workshop | 2026-11-26 10:00–11:00"),
        ("Workshop tomorrow 10:00–11:00", "Workshop | 2026-11-26 10:00–11:00"),
        ("Workshop tomorrow 10:00 - 11:00", "Workshop | 2026-11-26 10:00–11:00"),
        ("Seminar Friday 3-4pm", "Seminar | 2026-11-27 15:00–16:00"),
        ("Shift Friday 9-5", "Shift | 2026-11-27 09:00–17:00"),
        (
            "Night shift Friday 22:00-06:00",
            "Night shift | 2026-11-27 22:00–2026-11-28 06:00",
        ),
        (
            "Meeting tomorrow between 2pm and 3pm",
            "Meeting | 2026-11-26 14:00–15:00",
        ),
    ]);
}

#[test]
fn lengths() {
    check(&[
        ("Run tomorrow 7:00 for 90 min", "Run | 2026-11-26 07:00–08:30"),
        ("Study tomorrow 14:00 for 1.5 hours", "Study | 2026-11-26 14:00–15:30"),
        ("Study tomorrow 14:00 for 2 hours", "Study | 2026-11-26 14:00–16:00"),
        ("Nap tomorrow 13:00 for 30m", "Nap | 2026-11-26 13:00–13:30"),
        ("Movie tomorrow 20:00 for 2h30", "Movie | 2026-11-26 20:00–22:30"),
        ("Tea tomorrow 16:00 for half an hour", "Tea | 2026-11-26 16:00–16:30"),
        ("Dentist tomorrow 15:30 for 1h", "Dentist | 2026-11-26 15:30–16:30"),
        (
            "Dinner for two tomorrow 19:00",
            "Dinner for two | 2026-11-26 19:00–20:00",
        ),
    ]);
}

#[test]
fn all_day_ranges() {
    check(&[
        ("Holiday from 24 Dec to 2 Jan", "Holiday | 2026-12-24..2027-01-02"),
        ("Conference 24-26 Dec 2027", "Conference | 2027-12-24..2027-12-26"),
        ("Holiday 24 Dec - 2 Jan", "Holiday | 2026-12-24..2027-01-02"),
        ("Holiday 24-26 Dec", "Holiday | 2026-12-24..2026-12-26"),
        ("Holiday 24.12 - 2.1.", "Holiday | 2026-12-24..2027-01-02"),
        ("Offsite from Monday to Wednesday", "Offsite | 2026-11-30..2026-12-02"),
        ("Trip Mon-Wed", "Trip | 2026-11-30..2026-12-02"),
        ("Ski trip 2 Jan until 9 Jan", "Ski trip | 2027-01-02..2027-01-09"),
        ("Camping Friday for 3 days", "Camping | 2026-11-27..2026-11-29"),
    ]);
}

#[test]
fn repetitions() {
    const WORKDAYS: &str = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
    check(&[
        (
            "Standup every weekday 9:00",
            &format!("Standup | 2026-11-26 09:00–10:00 | {WORKDAYS} (every weekday)"),
        ),
        (
            "Standup every weekday 10:30",
            &format!("Standup | 2026-11-25 10:30–11:30 | {WORKDAYS} (every weekday)"),
        ),
        (
            "Standup every weekday 9:00 until 31 Dec",
            &format!(
                "Standup | 2026-11-26 09:00–10:00 | {WORKDAYS};UNTIL=20261231T225959Z (every weekday until 31 Dec 2026)"
            ),
        ),
        (
            "Vitamins every day 8am",
            "Vitamins | 2026-11-26 08:00–09:00 | FREQ=DAILY (every day)",
        ),
        (
            "Vitamins daily 21:00",
            "Vitamins | 2026-11-25 21:00–22:00 | FREQ=DAILY (every day)",
        ),
        (
            "Review weekly Friday 16:00",
            "Review | 2026-11-27 16:00–17:00 | FREQ=WEEKLY (every week)",
        ),
        ("Review every week", "Review | 2026-11-25 | FREQ=WEEKLY (every week)"),
        (
            "Gym every Monday and Thursday 18:00",
            "Gym | 2026-11-26 18:00–19:00 | FREQ=WEEKLY;BYDAY=MO,TH (every Monday and Thursday)",
        ),
        (
            "Yoga every Monday",
            "Yoga | 2026-11-30 | FREQ=WEEKLY;BYDAY=MO (every Monday)",
        ),
        (
            "Yoga on Mondays",
            "Yoga | 2026-11-30 | FREQ=WEEKLY;BYDAY=MO (every Monday)",
        ),
        (
            "Choir Tuesdays and Thursdays 19:00",
            "Choir | 2026-11-26 19:00–20:00 | FREQ=WEEKLY;BYDAY=TU,TH (every Tuesday and Thursday)",
        ),
        (
            "1:1 with @bob every 2 weeks Tuesday 11:00",
            "1:1 | 2026-12-01 11:00–12:00 | FREQ=WEEKLY;INTERVAL=2 (every 2 weeks) | with @bob",
        ),
        (
            "Planning every 2 weeks on Tuesday 11:00",
            "Planning | 2026-12-01 11:00–12:00 | FREQ=WEEKLY;INTERVAL=2;BYDAY=TU (every 2 weeks on Tuesday)",
        ),
        (
            "Cleaning every other week Saturday",
            "Cleaning | 2026-11-28 | FREQ=WEEKLY;INTERVAL=2 (every 2 weeks)",
        ),
        (
            "Water plants every Monday, Wednesday and Friday 8:00",
            "Water plants | 2026-11-27 08:00–09:00 | FREQ=WEEKLY;BYDAY=MO,WE,FR (every Monday, Wednesday and Friday)",
        ),
        ("Rent monthly 1 Dec", "Rent | 2026-12-01 | FREQ=MONTHLY (every month)"),
        (
            "Rent every month on 1 Dec",
            "Rent | 2026-12-01 | FREQ=MONTHLY (every month)",
        ),
        (
            "Birthday Anna every year 3 March",
            "Birthday Anna | 2027-03-03 | FREQ=YEARLY (every year)",
        ),
        (
            "Piano every Tuesday until 22 Dec",
            "Piano | 2026-12-01 | FREQ=WEEKLY;BYDAY=TU;UNTIL=20261222 (every Tuesday until 22 Dec 2026)",
        ),
        (
            "Backup every 3 days 23:00",
            "Backup | 2026-11-25 23:00–2026-11-26 00:00 | FREQ=DAILY;INTERVAL=3 (every 3 days)",
        ),
    ]);
}

#[test]
fn places_and_people() {
    check(&[
        (
            "Lunch 12:30 with @anna @ Cafe Central",
            "Lunch | 2026-11-25 12:30–13:30 | at Cafe Central | with @anna",
        ),
        ("Meeting in Berlin tomorrow", "Meeting | 2026-11-26 | at Berlin"),
        (
            "Flight to Berlin tomorrow 7:00",
            "Flight to Berlin | 2026-11-26 07:00–08:00",
        ),
        (
            "Coffee tomorrow 9:00 @ Cafe Central",
            "Coffee | 2026-11-26 09:00–10:00 | at Cafe Central",
        ),
        (
            "Meeting in Room 4 tomorrow 10:00",
            "Meeting | 2026-11-26 10:00–11:00 | at Room 4",
        ),
        (
            "Drinks in the evening tomorrow 19:00",
            "Drinks in the evening | 2026-11-26 19:00–20:00",
        ),
        (
            "Lunch at Luigi's tomorrow at 12:30 with anna@example.com",
            "Lunch | 2026-11-26 12:30–13:30 | at Luigi's | with anna@example.com",
        ),
        (
            "Party at home Saturday 20:00",
            "Party | 2026-11-28 20:00–21:00 | at home",
        ),
        (
            "Dinner at Main St 5, for 2h tomorrow 19:00",
            "Dinner | 2026-11-26 19:00–21:00 | at Main St 5",
        ),
        // Only a place is left: it names the event too.
        (
            "Tomorrow 15:00 at the dentist",
            "the dentist | 2026-11-26 15:00–16:00 | at the dentist",
        ),
        (
            "Planning with anna@example.com and bob@example.com Friday 10:00",
            "Planning | 2026-11-27 10:00–11:00 | with anna@example.com, bob@example.com",
        ),
        (
            "Sync with @bob tomorrow 11:00",
            "Sync | 2026-11-26 11:00–12:00 | with @bob",
        ),
        (
            "Lunch with Anna tomorrow 12:00",
            "Lunch with Anna | 2026-11-26 12:00–13:00",
        ),
        (
            "Review tomorrow 14:00 with Anna@Example.com, @Bob",
            "Review | 2026-11-26 14:00–15:00 | with anna@example.com, @bob",
        ),
    ]);
}

#[test]
fn titles() {
    check(&[
        ("Dentist, tomorrow, 15:30", "Dentist | 2026-11-26 15:30–16:30"),
        (
            "Call the bank about Friday's fee tomorrow 9:00",
            "Call the bank about Friday's fee | 2026-11-26 09:00–10:00",
        ),
        // The first day wins; a second one stays in the title.
        (
            "Review Q3 report Monday for Friday",
            "Review Q3 report for Friday | 2026-11-30",
        ),
        ("On call tomorrow", "On call | 2026-11-26"),
        ("Tomorrow: dentist at 15:30", "dentist | 2026-11-26 15:30–16:30"),
    ]);
}

#[test]
fn failures() {
    check(&[
        ("", "error: Empty"),
        ("   ", "error: Empty"),
        ("tomorrow 15:30", "error: NoTitle"),
        ("24 Dec", "error: NoTitle"),
        ("every weekday 9:00", "error: NoTitle"),
        ("Buy milk", "error: NoDate"),
        ("asdf qwer zxcv", "error: NoDate"),
        ("Meeting for 1h", "error: NoDate"),
        ("Meeting tomorrow for 1h", "error: Invalid"),
        ("Holiday 24 Dec - 2 Jan 10:00", "error: Invalid"),
        ("Meeting 10:00-11:00 for 2h tomorrow", "error: Invalid"),
        ("Party 31 Feb", "error: Invalid"),
        ("Standup 9:00 until Friday", "error: Invalid"),
        ("Trip every week 24-26 Dec", "error: Invalid"),
    ]);
}

#[test]
fn errors_say_what_works() {
    for error in [QuickAddError::Empty, QuickAddError::NoTitle, QuickAddError::NoDate] {
        assert!(error.to_string().contains("Dentist tomorrow 15:30 for 1h"), "{error}");
    }
    let Err(QuickAddError::Invalid(message)) = parse_quick_add("Meeting tomorrow for 1h", now()) else {
        panic!("expected Invalid");
    };
    assert!(message.contains("Try:"), "{message}");
}

#[test]
fn never_panics_on_odd_input() {
    let long = "a ".repeat(2000);
    let odd = [
        "-",
        "–",
        "@",
        "at",
        "in",
        "every",
        "for",
        "from",
        "until",
        "with",
        "on",
        "the day after",
        "24-",
        "-24",
        "99:99",
        "25:00",
        "13pm",
        "0am",
        "1.5.",
        "....",
        "@@",
        "a@",
        "@a",
        "every 0 days",
        "in 0 days",
        "for 0h",
        "in 99999999999 years",
        "for 99999999999 days",
        "9999-99-99",
        "24.12.99999",
        "every 9999999999 weeks",
        "for 4000000000 days",
        "for 4000000000 hours",
        "every 4000000000 days",
        "in 4000000000 weeks",
        "in 4000000000 years",
        "in 4000000000 months",
        "Dec 31 9999",
        "Ünïcødé 🎉 tomorrow",
        "x\u{0}y tomorrow",
        long.as_str(),
    ];
    for text in odd {
        let _ = parse_quick_add(text, now());
        let _ = parse_quick_add(&format!("Thing {text} tomorrow 10:00"), now());
    }
}

/// Fuzz target `quick_add` (docs/reliability.md), minimised: a NUL made a draft whose
/// iCalendar the reader refuses (the NUL went into SUMMARY). Every draft must ingest.
#[test]
fn a_nul_is_refused_not_written_into_the_draft() {
    for text in [
        "\0 9 Jan",
        ",\0 9 Jan",
        "Lunch\0 tomorrow 12:00",
        "Lunch tomorrow 12:00 at Cafe\0",
    ] {
        match parse_quick_add(text, now()) {
            Err(QuickAddError::Invalid(message)) => assert!(message.contains("NUL"), "{text:?}: {message}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

fn ingest(draft: &EventDraft) -> crate::ingest::Resource {
    let dtstamp = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let ics = draft.to_ics("quick-add-1@televent", dtstamp);
    assert!(
        ics.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "CRLF line ends:\n{ics}"
    );
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets:\n{ics}");
    crate::ingest::ingest_resource(ics.as_bytes()).unwrap()
}

#[test]
fn timed_draft_reads_back() {
    let draft = parse_quick_add(
        "Standup; sync, notes every weekday 9:00 until 31 Dec at Main St 5 with anna@example.com and @Bob",
        now(),
    )
    .unwrap();
    let resource = ingest(&draft);
    let event = resource.object.primary().unwrap();
    assert_eq!(event.summary.as_deref(), Some("Standup; sync, notes"));
    assert_eq!(event.location.as_deref(), Some("Main St 5"));
    let start = event.start.as_ref().unwrap();
    assert_eq!(start.local().to_string(), "2026-11-26 09:00:00");
    assert_eq!(
        start.to_utc(chrono_tz::UTC),
        chrono::Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap()
    );
    assert_eq!(event.end.as_ref().unwrap().local().to_string(), "2026-11-26 10:00:00");
    let rule = event.rrules.first().unwrap();
    assert_eq!(rule.freq, crate::recurrence::rule::Frequency::Weekly);
    assert_eq!(rule.by_day.len(), 5);
    assert!(rule.until.is_some());
    let people: Vec<&str> = event.attendees.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(people, ["mailto:anna@example.com", "mailto:bob@televent.internal"]);
    assert!(event.attendees.iter().all(|a| a.rsvp));
    assert_eq!(resource.uid.as_str(), "quick-add-1@televent");
    assert!(resource.index.recurring);
}

#[test]
fn all_day_draft_reads_back() {
    let draft = parse_quick_add("Holiday 24 Dec - 2 Jan", now()).unwrap();
    let resource = ingest(&draft);
    let event = resource.object.primary().unwrap();
    assert_eq!(event.summary.as_deref(), Some("Holiday"));
    assert_eq!(
        event.start,
        Some(crate::ical_time::IcalTime::Date(
            NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()
        ))
    );
    // DTEND is exclusive: the day after the last day.
    assert_eq!(
        event.end,
        Some(crate::ical_time::IcalTime::Date(
            NaiveDate::from_ymd_opt(2027, 1, 3).unwrap()
        ))
    );
    assert!(resource.index.all_day);
    assert!(event.rrules.is_empty());
}

#[test]
fn long_and_odd_titles_fold_and_escape() {
    let title = "Überlange Besprechung; mit vielen Themen, Rückfragen \\ und Notizen über alles Mögliche 🎉";
    let draft = parse_quick_add(&format!("{title} tomorrow 15:00"), now()).unwrap();
    assert_eq!(draft.summary, title);
    let dtstamp = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let ics = draft.to_ics("u-1", dtstamp);
    assert!(ics.contains("SUMMARY:Überlange Besprechung\\; mit vielen Themen\\, Rückfragen \\\\ und"));
    assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20261126T150000\r\n"));
    assert!(ics.contains("PRODID:-//Televent//Quick add//EN\r\n"));
    assert!(!ics.contains("VTIMEZONE"));
    let resource = ingest(&draft);
    assert_eq!(resource.object.primary().unwrap().summary.as_deref(), Some(title));
}
