//! Day phrases of a quick-add message: `today`, `tomorrow`, `Friday`, `next Monday`,
//! `in 3 days`, `24 Dec`, `Dec 24`, `24.12`, `24/12`, `2026-12-24`, `24 December 2026`, and
//! ranges of days (`24 Dec - 2 Jan`, `24-26 Dec`, `Monday to Wednesday`).
//!
//! A phrase is read into a [`DateExpr`] first and placed on the calendar later, when the time
//! of day is known (a weekday whose time has passed today means next week).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::lexer::{Token, count, is_range_separator};

/// A day as written, not yet placed relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateExpr {
    /// A day known exactly (`today`, `in 3 days`, a date with its year).
    Fixed(NaiveDate),
    /// A day and month without a year: the next such date from today on, today included.
    DayMonth {
        /// 1–31
        day: u32,
        /// 1–12
        month: u32,
    },
    /// A weekday name. Not `strict` (`Friday`, `on Friday`, `this Friday`): the nearest such day
    /// from today on. `strict` (`next Friday`): the nearest one after today.
    Weekday {
        /// The day of the week.
        weekday: Weekday,
        /// Today does not count.
        strict: bool,
    },
}

impl DateExpr {
    /// The day this expression means, counted from `today`. `time_passed` says that the event's
    /// start time is already over today: a weekday that is today then means next week.
    /// `None` for a day and month that never exist (31 Feb).
    pub(crate) fn resolve(self, today: NaiveDate, time_passed: bool) -> Option<NaiveDate> {
        match self {
            Self::Fixed(date) => Some(date),
            Self::DayMonth { day, month } => next_day_month(day, month, today),
            Self::Weekday { weekday, strict } => {
                let ahead = (weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
                let ahead = if ahead == 0 && (strict || time_passed) {
                    7
                } else {
                    ahead
                };
                today.checked_add_days(Days::new(u64::from(ahead)))
            }
        }
    }

    /// The day this expression means as the end of a range starting on `start`: the first such
    /// day on or after `start` (a fixed day is kept as written).
    pub(crate) fn resolve_after(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Fixed(date) => Some(date),
            Self::DayMonth { .. } | Self::Weekday { strict: false, .. } => self.resolve(start, false),
            Self::Weekday { strict: true, .. } => self.resolve(start, true),
        }
    }
}

fn next_day_month(day: u32, month: u32, today: NaiveDate) -> Option<NaiveDate> {
    // Eight years always reach a 29 February.
    (0..=8)
        .filter_map(|offset| NaiveDate::from_ymd_opt(today.year() + offset, month, day))
        .find(|date| *date >= today)
}

/// A month name or its abbreviation, 1–12.
pub(crate) fn month_name(norm: &str) -> Option<u32> {
    Some(match norm {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// A weekday name or its abbreviation.
pub(crate) fn weekday_name(norm: &str) -> Option<Weekday> {
    Some(match norm {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// A day of the month: `24`, `24th`, `1st`, `2nd`, `3rd`.
fn day_number(norm: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| norm.strip_suffix(suffix))
        .unwrap_or(norm);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(norm: &str) -> Option<i32> {
    if norm.len() != 4 {
        return None;
    }
    norm.parse().ok().filter(|y| (1900..=2200).contains(y))
}

fn word(tokens: &[Token], index: usize) -> &str {
    tokens.get(index).map_or("", |t| t.norm.as_str())
}

/// A day phrase at the start of `tokens`, and how many words it took. `on`, `from` or
/// `starting` before it is taken with it.
pub(crate) fn parse_date(tokens: &[Token], today: NaiveDate) -> Option<(DateExpr, usize)> {
    if matches!(word(tokens, 0), "on" | "from" | "starting" | "beginning") {
        let (date, used) = parse_bare_date(tokens.get(1..)?, today)?;
        return Some((date, used + 1));
    }
    parse_bare_date(tokens, today)
}

fn parse_bare_date(tokens: &[Token], today: NaiveDate) -> Option<(DateExpr, usize)> {
    let w = |i| word(tokens, i);
    let plus = |days: u64| today.checked_add_days(Days::new(days)).map(DateExpr::Fixed);
    match w(0) {
        "today" | "tonight" => return Some((DateExpr::Fixed(today), 1)),
        "tomorrow" | "tmrw" | "tmr" | "tomorow" | "tommorow" | "tomorrrow" => return Some((plus(1)?, 1)),
        "overmorrow" => return Some((plus(2)?, 1)),
        "day" if w(1) == "after" && w(2) == "tomorrow" => return Some((plus(2)?, 3)),
        "the" if w(1) == "day" && w(2) == "after" && w(3) == "tomorrow" => return Some((plus(2)?, 4)),
        "next" | "this" => {
            let weekday = weekday_name(w(1))?;
            let strict = w(0) == "next";
            return Some((DateExpr::Weekday { weekday, strict }, 2));
        }
        "in" => {
            let n = count(w(1))?;
            let date = match w(2) {
                "day" | "days" => today.checked_add_days(Days::new(u64::from(n))),
                "week" | "weeks" => today.checked_add_days(Days::new(u64::from(n) * 7)),
                "fortnight" if n == 1 => today.checked_add_days(Days::new(14)),
                "month" | "months" => today.checked_add_months(Months::new(n)),
                "year" | "years" => today.checked_add_months(Months::new(n.checked_mul(12)?)),
                _ => None,
            }?;
            return Some((DateExpr::Fixed(date), 3));
        }
        _ => {}
    }
    if let Some(weekday) = weekday_name(w(0)) {
        return Some((DateExpr::Weekday { weekday, strict: false }, 1));
    }
    // `1.5 hours` is a length, not 1 May.
    if let Some(date) = numeric_date(w(0)).filter(|_| !super::times::is_length_unit(w(1))) {
        return Some((date, 1));
    }
    // 24 Dec [2026] / 24th of December
    if let Some(day) = day_number(w(0)) {
        let of = usize::from(w(1) == "of");
        let month = month_name(w(1 + of))?;
        return Some(with_year(day, month, year_number(w(2 + of)), 2 + of));
    }
    // Dec 24 [2026] / December 24th, 2026
    if let Some(month) = month_name(w(0)) {
        let day = day_number(w(1))?;
        return Some(with_year(day, month, year_number(w(2)), 2));
    }
    None
}

fn with_year(day: u32, month: u32, year: Option<i32>, used: usize) -> (DateExpr, usize) {
    match year.and_then(|y| NaiveDate::from_ymd_opt(y, month, day)) {
        Some(date) => (DateExpr::Fixed(date), used + 1),
        None => (DateExpr::DayMonth { day, month }, used),
    }
}

/// `2026-12-24`, `2026/12/24`, `24.12`, `24.12.`, `24.12.2026`, `24.12.26`, `24/12`,
/// `24/12/2026` (European order: day first).
fn numeric_date(norm: &str) -> Option<DateExpr> {
    let parts: Vec<&str> = norm.split(['-', '/', '.']).collect();
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    match parts.as_slice() {
        [year, _, _] if year.len() == 4 => {
            let date = NaiveDate::from_ymd_opt(i32::try_from(number(0)?).ok()?, number(1)?, number(2)?)?;
            Some(DateExpr::Fixed(date))
        }
        _ if norm.contains('-') => None,
        [day, month] if day.len() <= 2 && month.len() <= 2 => {
            let (day, month) = (number(0)?, number(1)?);
            NaiveDate::from_ymd_opt(2000, month, day)?;
            Some(DateExpr::DayMonth { day, month })
        }
        [day, month, year] if day.len() <= 2 && month.len() <= 2 && matches!(year.len(), 2 | 4) => {
            let year = number(2)?;
            let year = if year < 100 { year + 2000 } else { year };
            let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, number(1)?, number(0)?)?;
            Some(DateExpr::Fixed(date))
        }
        _ => None,
    }
}

/// A range of days at the start of `tokens` (`24 Dec - 2 Jan`, `24-26 Dec`, `from Monday to
/// Wednesday`), and how many words it took.
pub(crate) fn parse_date_range(tokens: &[Token], today: NaiveDate) -> Option<(DateExpr, DateExpr, usize)> {
    let from = usize::from(word(tokens, 0) == "from");
    let rest = tokens.get(from..)?;
    let w = |i| word(rest, i);
    // 24-26 Dec [2026]
    if let (Some(first), true, Some(last), Some(month)) = (
        day_number(w(0)),
        is_range_separator(w(1)),
        day_number(w(2)),
        month_name(w(3)),
    ) {
        let (end, used) = with_year(last, month, year_number(w(4)), 4);
        let start = match end {
            DateExpr::Fixed(end) => DateExpr::Fixed(NaiveDate::from_ymd_opt(end.year(), month, first)?),
            _ => DateExpr::DayMonth { day: first, month },
        };
        return Some((start, end, from + used));
    }
    let (start, used) = parse_bare_date(rest, today)?;
    if !is_range_separator(w(used)) {
        return None;
    }
    let (end, end_used) = parse_bare_date(rest.get(used + 1..)?, today)?;
    Some((start, end, from + used + 1 + end_used))
}
