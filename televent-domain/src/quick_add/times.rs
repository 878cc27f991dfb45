//! Times of day and lengths: `15:30`, `3pm`, `3:30 pm`, `at 9`, `noon`, `midnight`, ranges
//! (`from 10 to 11:30`, `10-11`, `3-4pm`) and `for 1h`, `for 90 min`, `for 1.5 hours`.
//!
//! A bare number (`9`) is an hour only after `at`, `@`, `from` or as one end of a range, so
//! that house numbers and counts in a title stay text.

use chrono::{NaiveTime, Timelike};

use super::lexer::{Token, count, is_range_separator};

/// A time of day as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    time: NaiveTime,
    /// `Some(true)` for pm, `Some(false)` for am.
    meridiem: Option<bool>,
    /// Written as a bare number (`9`), no minutes, no am/pm.
    bare: bool,
    /// Written with a leading zero (`09:00`): a 24-hour time, never moved by 12 hours.
    padded: bool,
}

/// A start time and, when a range was written, an end time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeSpec {
    /// The start.
    pub(crate) start: NaiveTime,
    /// The end of a range; may be at or before the start (then it is on the next day).
    pub(crate) end: Option<NaiveTime>,
}

/// The length of an event as written after `for`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    /// Hours and minutes, in minutes.
    Minutes(i64),
    /// Whole days (`for 3 days`): on a date without a time, an all-day range.
    Days(u32),
}

fn word(tokens: &[Token], index: usize) -> &str {
    tokens.get(index).map_or("", |t| t.norm.as_str())
}

fn meridiem_word(norm: &str) -> Option<bool> {
    match norm {
        "am" | "a.m" => Some(false),
        "pm" | "p.m" => Some(true),
        _ => None,
    }
}

/// A time of day at the start of `tokens`, and how many words it took.
fn clock(tokens: &[Token]) -> Option<(Clock, usize)> {
    let first = word(tokens, 0);
    let fixed = |hour| {
        let time = NaiveTime::from_hms_opt(hour, 0, 0)?;
        Some((
            Clock {
                time,
                meridiem: None,
                bare: false,
                padded: true,
            },
            1,
        ))
    };
    match first {
        "noon" | "midday" => return fixed(12),
        "midnight" => return fixed(0),
        _ => {}
    }
    let (text, mut meridiem) = ["am", "a.m", "pm", "p.m"]
        .iter()
        .find_map(|suffix| {
            let rest = first.strip_suffix(suffix)?;
            (!rest.is_empty()).then(|| (rest, meridiem_word(suffix)))
        })
        .unwrap_or((first, None));
    let mut used = 1;
    if meridiem.is_none() && matches!(word(tokens, 1), "am" | "a.m" | "pm" | "p.m") {
        meridiem = meridiem_word(word(tokens, 1));
        used = 2;
    }
    let text = text.strip_suffix('h').unwrap_or(text);
    let (hour_text, minute_text) = match text.split_once([':', '.']) {
        Some((hour, minute)) => (hour, Some(minute)),
        None => (text, None),
    };
    // `9.30` is a time only with am/pm; alone it could be a date.
    if text.contains('.') && meridiem.is_none() {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hour_text) || hour_text.len() > 2 || minute_text.is_some_and(|m| !digits(m) || m.len() != 2) {
        return None;
    }
    let mut hour: u32 = hour_text.parse().ok()?;
    let minute: u32 = minute_text.map_or(Some(0), |m| m.parse().ok())?;
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    if word(tokens, used) == "o'clock" {
        used += 1;
    }
    let time = NaiveTime::from_hms_opt(hour, minute, 0)?;
    let bare = minute_text.is_none() && meridiem.is_none();
    // `12 Dec` is a day, not noon.
    if bare && super::dates::month_name(word(tokens, used)).is_some() {
        return None;
    }
    let padded = hour_text.len() == 2 && hour_text.starts_with('0');
    Some((
        Clock {
            time,
            meridiem,
            bare,
            padded,
        },
        used,
    ))
}

/// A time or a range of times at the start of `tokens` (with `at`, `@`, `from` or `between`
/// before it), and how many words it took.
pub(crate) fn parse_time(tokens: &[Token]) -> Option<(TimeSpec, usize)> {
    let prefix = matches!(word(tokens, 0), "at" | "@" | "from" | "between" | "around");
    let between = word(tokens, 0) == "between";
    let skip = usize::from(prefix);
    let rest = tokens.get(skip..)?;
    let (start, used) = clock(rest)?;
    let separator = word(rest, used);
    let is_separator = is_range_separator(separator) || (between && separator == "and");
    let end = if is_separator {
        rest.get(used + 1..).and_then(clock)
    } else {
        None
    };
    match end {
        Some((end, end_used)) => {
            // `5 to 6` with no `at`/`from` is too likely to be text; `10-11` is a range.
            if !prefix && start.bare && end.bare && !matches!(separator, "-" | "–" | "—") {
                return None;
            }
            let (start, end) = settle(start, end);
            Some((TimeSpec { start, end: Some(end) }, skip + used + 1 + end_used))
        }
        None if start.bare && !prefix => None,
        None if between => None,
        None => Some((
            TimeSpec {
                start: start.time,
                end: None,
            },
            skip + used,
        )),
    }
}

/// Reads the two ends of a range the way people mean them: `3-4pm` is 15:00–16:00, `11-1pm` is
/// 11:00–13:00, `9-5` is 9:00–17:00; `22:00-01:00` stays (it ends the next day).
fn settle(start: Clock, end: Clock) -> (NaiveTime, NaiveTime) {
    let shifted = |clock: Clock| {
        (clock.meridiem.is_none() && !clock.padded && clock.time.hour() < 12)
            .then(|| clock.time.with_hour(clock.time.hour() + 12))
            .flatten()
    };
    let start_time = match shifted(start) {
        Some(later) if end.meridiem == Some(true) && later < end.time => later,
        _ => start.time,
    };
    let end_time = match shifted(end) {
        Some(later) if end.time <= start_time && later > start_time => later,
        _ => end.time,
    };
    (start_time, end_time)
}

/// True for a word that names a unit of a length (`h`, `min`, `hours`, `days`).
pub(crate) fn is_length_unit(norm: &str) -> bool {
    unit_minutes(norm).is_some()
}

fn unit_minutes(norm: &str) -> Option<i64> {
    Some(match norm {
        "m" | "min" | "mins" | "minute" | "minutes" => 1,
        "h" | "hr" | "hrs" | "hour" | "hours" => 60,
        "d" | "day" | "days" => 24 * 60,
        _ => return None,
    })
}

/// A number such as `2`, `1.5`, `1,5`, `an`, `two`, in hundredths.
fn amount(text: &str) -> Option<i64> {
    if let Some(n) = count(text) {
        return Some(i64::from(n) * 100);
    }
    let (whole, fraction) = text.split_once(['.', ','])?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + fraction)
}

/// One part of a length: `1h`, `1.5h`, `90min`, `1h30`, `1h30m` in one word, or a number and a
/// unit in two (`90 min`, `an hour`). Returns minutes, whether the unit was days, and words used.
fn length_part(tokens: &[Token]) -> Option<(i64, bool, usize)> {
    let first = word(tokens, 0);
    if first == "half" && matches!(word(tokens, 1), "an" | "a") && word(tokens, 2) == "hour" {
        return Some((30, false, 3));
    }
    if let (Some(amount), Some(unit)) = (amount(first), unit_minutes(word(tokens, 1))) {
        return Some((amount * unit / 100, unit == 24 * 60, 2));
    }
    // One word: digits, a unit, and for hours optionally minutes (`1h30`, `1h30m`).
    let split = first.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, tail) = (first.get(..split)?, first.get(split..)?);
    let amount = amount(number)?;
    let unit_end = tail.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(tail.len());
    let unit = unit_minutes(tail.get(..unit_end)?)?;
    let after = tail.get(unit_end..)?;
    let extra = match after.strip_suffix('m').or(after.strip_suffix("min")).unwrap_or(after) {
        "" => 0,
        minutes if unit == 60 && minutes.len() <= 2 && minutes.bytes().all(|b| b.is_ascii_digit()) => {
            minutes.parse::<i64>().ok()?
        }
        _ => return None,
    };
    Some((amount * unit / 100 + extra, unit == 24 * 60, 1))
}

/// `for` and a length at the start of `tokens`, and how many words it took. Two parts add up
/// (`for 1 hour 30 minutes`, `for 1h 30m`).
pub(crate) fn parse_length(tokens: &[Token]) -> Option<(Length, usize)> {
    if word(tokens, 0) != "for" {
        return None;
    }
    let (mut minutes, days, used) = length_part(tokens.get(1..)?)?;
    let mut total_used = 1 + used;
    let mut only_days = days;
    let joiner = usize::from(word(tokens, total_used) == "and");
    if let Some((more, more_days, more_used)) = tokens.get(total_used + joiner..).and_then(length_part) {
        minutes += more;
        only_days = only_days && more_days;
        total_used += joiner + more_used;
    }
    if minutes <= 0 {
        return None;
    }
    let length = match only_days {
        true if minutes % (24 * 60) == 0 => Length::Days(u32::try_from(minutes / (24 * 60)).ok()?),
        _ => Length::Minutes(minutes),
    };
    Some((length, total_used))
}
