//! The quick-add parser: the message is read word by word; at each word the recognisers
//! (invitees, repetition, `until`, days, times, lengths, places) are tried in that order, and
//! a word none of them takes stays in the title. The first day, time, length, repetition and
//! place found win; a second one stays in the title as text. Then the parts are placed on the
//! calendar relative to `now`.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::attendees::parse_attendees;
use super::dates::{DateExpr, parse_date, parse_date_range};
use super::draft::{DraftAttendee, DraftRecurrence, DraftTime, EventDraft};
use super::error::QuickAddError;
use super::lexer::{Token, tokenize};
use super::location::parse_location;
use super::recurrence::{Repeat, is_until, parse_repeat};
use super::times::{Length, TimeSpec, parse_length, parse_time};

/// Longer messages are refused: a quick add is one line, and the parser stays cheap.
const MAX_CHARS: usize = 1000;

/// What the recognisers found.
#[derive(Debug, Default)]
struct Found {
    date: Option<DateExpr>,
    range: Option<(DateExpr, DateExpr)>,
    time: Option<TimeSpec>,
    length: Option<Length>,
    repeat: Option<Repeat>,
    until: Option<DateExpr>,
    location: Option<String>,
    attendees: Vec<DraftAttendee>,
}

/// Reads a quick-add message typed at `now` (in the user's zone) into an event draft.
///
/// The rules for what is ambiguous are in the [module documentation](super).
pub fn parse_quick_add(text: &str, now: DateTime<Tz>) -> Result<EventDraft, QuickAddError> {
    if text.trim().is_empty() {
        return Err(QuickAddError::Empty);
    }
    if text.chars().count() > MAX_CHARS {
        return Err(QuickAddError::Invalid(format!(
            "That is too long for a quick add (at most {MAX_CHARS} characters). Try: Dentist tomorrow 15:30 for 1h"
        )));
    }
    // A calendar refuses NUL (crate::ical::decode): the draft would not ingest.
    if text.contains('\0') {
        return Err(QuickAddError::Invalid(
            "That holds a NUL character, which a calendar cannot store. Try: Dentist tomorrow 15:30 for 1h".to_owned(),
        ));
    }
    let tokens = tokenize(text);
    let today = now.date_naive();
    let mut found = Found::default();
    let mut title: Vec<&Token> = Vec::new();
    let mut index = 0;
    while let Some(rest) = tokens.get(index..).filter(|rest| !rest.is_empty()) {
        match recognise(rest, today, &mut found) {
            Some(used) => index += used.max(1),
            None => {
                title.extend(rest.first());
                index += 1;
            }
        }
    }
    build(found, &title, now)
}

/// Tries each recogniser at the start of `tokens`; records what it found and returns how many
/// words it took.
fn recognise(tokens: &[Token], today: NaiveDate, found: &mut Found) -> Option<usize> {
    if let Some((people, used)) = parse_attendees(tokens) {
        for person in people {
            if !found.attendees.contains(&person) {
                found.attendees.push(person);
            }
        }
        return Some(used);
    }
    if found.repeat.is_none()
        && let Some((repeat, used)) = parse_repeat(tokens)
    {
        found.repeat = Some(repeat);
        return Some(used);
    }
    if found.until.is_none()
        && tokens.first().is_some_and(|t| is_until(&t.norm))
        && let Some((until, used)) = tokens.get(1..).and_then(|rest| parse_date(rest, today))
    {
        found.until = Some(until);
        return Some(1 + used);
    }
    if found.date.is_none() && found.range.is_none() {
        if let Some((first, last, used)) = parse_date_range(tokens, today) {
            found.range = Some((first, last));
            return Some(used);
        }
        if let Some((date, used)) = parse_date(tokens, today) {
            found.date = Some(date);
            return Some(used);
        }
    }
    if found.time.is_none()
        && let Some((time, used)) = parse_time(tokens)
    {
        found.time = Some(time);
        return Some(used);
    }
    if found.length.is_none()
        && let Some((length, used)) = parse_length(tokens)
    {
        found.length = Some(length);
        return Some(used);
    }
    if found.location.is_none()
        && let Some((place, used)) = parse_location(tokens, today)
    {
        found.location = Some(place);
        return Some(used);
    }
    None
}

fn invalid(text: &str) -> QuickAddError {
    QuickAddError::Invalid(text.to_owned())
}

fn no_such_day() -> QuickAddError {
    invalid("That day does not exist. Try: Party 24 Dec 19:00")
}

fn add_days(day: NaiveDate, days: u64) -> Result<NaiveDate, QuickAddError> {
    day.checked_add_days(Days::new(days)).ok_or_else(no_such_day)
}

/// The first day from `day` on that a weekly repetition on `weekdays` includes.
fn align(day: NaiveDate, repeat: Option<&Repeat>) -> Result<NaiveDate, QuickAddError> {
    let Some(weekdays) = repeat.map(|r| &r.weekdays).filter(|w| !w.is_empty()) else {
        return Ok(day);
    };
    (0..7)
        .filter_map(|ahead| day.checked_add_days(Days::new(ahead)))
        .find(|d| weekdays.contains(&d.weekday()))
        .ok_or_else(no_such_day)
}

fn build(mut found: Found, title: &[&Token], now: DateTime<Tz>) -> Result<EventDraft, QuickAddError> {
    let today = now.date_naive();
    let now_time = now.time();
    let has_when = found.date.is_some() || found.range.is_some() || found.time.is_some() || found.repeat.is_some();
    if !has_when {
        return Err(QuickAddError::NoDate);
    }
    if let Some(until) = found.until.filter(|_| found.repeat.is_none()) {
        // `Holiday 24 Dec until 2 Jan`: without a repetition, `until` ends a range of days.
        match found.date {
            Some(date) if found.time.is_none() => {
                found.range = Some((date, until));
                found.date = None;
                found.until = None;
            }
            _ => {
                return Err(invalid(
                    "'until' ends a repetition. Try: Standup every weekday 9:00 until 31 Dec",
                ));
            }
        }
    }
    if found.range.is_some() && found.repeat.is_some() {
        return Err(invalid(
            "A repeating event cannot span several days. Try: Gym every Monday 18:00 until 31 Dec",
        ));
    }
    if found.range.is_some() && found.time.is_some() {
        return Err(invalid(
            "Give either a range of days or a time of day. Try: Holiday 24 Dec - 2 Jan, or Workshop 24 Dec 10:00-16:00",
        ));
    }
    if found.time.is_some_and(|t| t.end.is_some()) && found.length.is_some() {
        return Err(invalid(
            "Give either an end time or a length. Try: Meeting 10:00-11:00, or Meeting 10:00 for 1h",
        ));
    }
    if found.time.is_none() && matches!(found.length, Some(Length::Minutes(_))) {
        return Err(invalid(
            "A length needs a start time. Try: Dentist tomorrow 15:30 for 1h",
        ));
    }
    if found.range.is_some() && found.length.is_some() {
        return Err(invalid(
            "Give either a range of days or a length. Try: Holiday 24 Dec - 2 Jan, or Holiday 24 Dec for 10 days",
        ));
    }
    let repeat = found.repeat.as_ref();
    let when = match (found.time, found.range, found.date) {
        (Some(time), _, date) => {
            let passed = time.start <= now_time;
            let day = match date {
                Some(date) => date.resolve(today, passed).ok_or_else(no_such_day)?,
                None if passed => add_days(today, 1)?,
                None => today,
            };
            let day = align(day, repeat)?;
            let start = day.and_time(time.start);
            let later = |length: Duration| start.checked_add_signed(length).ok_or_else(no_such_day);
            let end = match (time.end, found.length) {
                (Some(end), _) if end <= time.start => add_days(day, 1)?.and_time(end),
                (Some(end), _) => day.and_time(end),
                (None, Some(Length::Minutes(minutes))) => later(Duration::minutes(minutes))?,
                (None, Some(Length::Days(days))) => later(Duration::days(i64::from(days)))?,
                (None, None) => later(Duration::hours(1))?,
            };
            DraftTime::Timed { start, end }
        }
        (None, Some((first, last)), _) => {
            let first = first.resolve(today, false).ok_or_else(no_such_day)?;
            let last = last.resolve_after(first).ok_or_else(no_such_day)?;
            if last < first {
                return Err(invalid("The range ends before it starts. Try: Holiday 24 Dec - 2 Jan"));
            }
            DraftTime::AllDay {
                first,
                last_inclusive: last,
            }
        }
        (None, None, date) => {
            let first = match date {
                Some(date) => date.resolve(today, false).ok_or_else(no_such_day)?,
                None if found.repeat.is_some() => today,
                None => return Err(QuickAddError::NoDate),
            };
            let first = align(first, repeat)?;
            let days = match found.length {
                Some(Length::Days(days)) => u64::from(days.max(1)) - 1,
                _ => 0,
            };
            DraftTime::AllDay {
                first,
                last_inclusive: add_days(first, days)?,
            }
        }
    };
    let recurrence = match &found.repeat {
        Some(repeat) => Some(recurrence(repeat, found.until, when, now.timezone())?),
        None => None,
    };
    let summary = match summary(title) {
        Some(summary) => summary,
        // `Tomorrow 15:00 at the dentist`: the place is all there is to call it.
        None => found.location.clone().ok_or(QuickAddError::NoTitle)?,
    };
    Ok(EventDraft {
        summary,
        when,
        recurrence,
        location: found.location,
        attendees: found.attendees,
        zone: now.timezone(),
    })
}

fn recurrence(
    repeat: &Repeat,
    until: Option<DateExpr>,
    when: DraftTime,
    zone: Tz,
) -> Result<DraftRecurrence, QuickAddError> {
    let first = match when {
        DraftTime::Timed { start, .. } => start.date(),
        DraftTime::AllDay { first, .. } => first,
    };
    let mut rrule = repeat.rrule();
    let until = match until {
        Some(until) => {
            let until = until.resolve_after(first).ok_or_else(no_such_day)?;
            if until < first {
                return Err(invalid(
                    "The repetition ends before it starts. Try: Standup every weekday 9:00 until 31 Dec",
                ));
            }
            match when {
                // UNTIL of a zoned start is UTC (RFC 5545 section 3.3.10): the end of that day.
                DraftTime::Timed { .. } => {
                    let end_of_day = until.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
                    let instant = zone
                        .from_local_datetime(&end_of_day)
                        .latest()
                        .or_else(|| zone.from_local_datetime(&(end_of_day - Duration::hours(1))).latest())
                        .map(|t| t.with_timezone(&Utc))
                        .ok_or_else(no_such_day)?;
                    rrule.push_str(&instant.format(";UNTIL=%Y%m%dT%H%M%SZ").to_string());
                }
                DraftTime::AllDay { .. } => rrule.push_str(&until.format(";UNTIL=%Y%m%d").to_string()),
            }
            Some(until)
        }
        None => None,
    };
    Ok(DraftRecurrence {
        rrule,
        human: repeat.human(until),
    })
}

/// Joining words dropped from either end of the title once the parts around them are gone.
const LOOSE_ENDS: &[&str] = &[
    "and", "&", "-", "–", "—", ",", ";", ":", "with", "for", "to", "from", "until", "till", "@",
];
/// Dropped from the end only (`On call` is a title; `Lunch at` is not).
const LOOSE_TAILS: &[&str] = &["at", "on", "in", "by", "the"];

fn summary(title: &[&Token]) -> Option<String> {
    let mut words = title;
    while let Some((first, rest)) = words.split_first() {
        if !LOOSE_ENDS.contains(&first.norm.as_str()) && !first.norm.is_empty() {
            break;
        }
        words = rest;
    }
    while let Some((last, rest)) = words.split_last() {
        let norm = last.norm.as_str();
        if !LOOSE_ENDS.contains(&norm) && !LOOSE_TAILS.contains(&norm) && !norm.is_empty() {
            break;
        }
        words = rest;
    }
    let text: Vec<&str> = words.iter().map(|t| t.raw.as_str()).collect();
    let text = text.join(" ");
    let text = text
        .trim_start_matches(['-', '–', '—', ',', ';', ':'])
        .trim_end_matches(['-', '–', '—', ',', ';', ':'])
        .trim();
    (!text.is_empty()).then(|| text.to_owned())
}
