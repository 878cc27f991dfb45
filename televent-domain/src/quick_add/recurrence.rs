//! Repetition phrases: `every day`, `daily`, `every weekday`, `every week`, `weekly`,
//! `every Monday`, `every Monday and Thursday`, `every 2 weeks`, `every other week`,
//! `every month`, `monthly`, `every year`, `on Mondays`, and `until 31 Dec`. Read into a [`Repeat`], written
//! out as an RRULE and as words for the confirmation message.

use chrono::{NaiveDate, Weekday};

use super::dates::weekday_name;
use super::lexer::{Token, count};

/// How often an event repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A repetition as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repeat {
    pub(crate) frequency: Frequency,
    /// At least 1.
    pub(crate) interval: u32,
    /// The weekdays of a weekly rule (`every Monday and Thursday`); empty for the start's day.
    pub(crate) weekdays: Vec<Weekday>,
}

const WORKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

fn word(tokens: &[Token], index: usize) -> &str {
    tokens.get(index).map_or("", |t| t.norm.as_str())
}

/// A weekday name, also in the plural (`Mondays`).
fn weekday_word(norm: &str) -> Option<Weekday> {
    weekday_name(norm).or_else(|| norm.strip_suffix('s').and_then(weekday_name))
}

/// Weekday names joined by `and`, `&` or commas, and how many words they took.
fn weekday_list(tokens: &[Token]) -> Option<(Vec<Weekday>, usize)> {
    let mut days = vec![weekday_word(word(tokens, 0))?];
    let mut used = 1;
    loop {
        let joiner = usize::from(matches!(word(tokens, used), "and" | "&" | ","));
        let Some(day) = weekday_word(word(tokens, used + joiner)) else {
            break;
        };
        if !days.contains(&day) {
            days.push(day);
        }
        used += joiner + 1;
    }
    days.sort_by_key(|d| d.num_days_from_monday());
    Some((days, used))
}

fn unit(norm: &str) -> Option<Frequency> {
    Some(match norm {
        "day" | "days" => Frequency::Daily,
        "week" | "weeks" => Frequency::Weekly,
        "month" | "months" => Frequency::Monthly,
        "year" | "years" => Frequency::Yearly,
        _ => return None,
    })
}

/// A repetition at the start of `tokens`, and how many words it took.
pub(crate) fn parse_repeat(tokens: &[Token]) -> Option<(Repeat, usize)> {
    let simple = |frequency, interval| {
        Some((
            Repeat {
                frequency,
                interval,
                weekdays: Vec::new(),
            },
            1,
        ))
    };
    match word(tokens, 0) {
        "daily" => return simple(Frequency::Daily, 1),
        "weekly" => return simple(Frequency::Weekly, 1),
        "fortnightly" | "biweekly" => return simple(Frequency::Weekly, 2),
        "monthly" => return simple(Frequency::Monthly, 1),
        "yearly" | "annually" => return simple(Frequency::Yearly, 1),
        "every" | "each" => {}
        _ => return plural_weekdays(tokens),
    }
    let rest = tokens.get(1..)?;
    let weekly = |weekdays: Vec<Weekday>, used: usize| {
        Some((
            Repeat {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays,
            },
            1 + used,
        ))
    };
    match word(rest, 0) {
        "weekday" | "weekdays" | "workday" | "workdays" => return weekly(WORKDAYS.to_vec(), 1),
        "working" if word(rest, 1) == "day" => return weekly(WORKDAYS.to_vec(), 2),
        "weekend" | "weekends" => return weekly(vec![Weekday::Sat, Weekday::Sun], 1),
        _ => {}
    }
    if let Some((weekdays, used)) = weekday_list(rest) {
        return weekly(weekdays, used);
    }
    let (interval, skip) = match word(rest, 0) {
        "other" | "second" => (2, 1),
        n => match count(n) {
            // A larger interval is a typo, not a plan.
            Some(n) if (1..=1000).contains(&n) && unit(word(rest, 1)).is_some() => (n, 1),
            _ => (1, 0),
        },
    };
    let frequency = unit(word(rest, skip))?;
    let mut used = 1 + skip + 1;
    let mut weekdays = Vec::new();
    // every 2 weeks on Monday
    if frequency == Frequency::Weekly
        && word(tokens, used) == "on"
        && let Some((days, days_used)) = tokens.get(used + 1..).and_then(weekday_list)
    {
        weekdays = days;
        used += 1 + days_used;
    }
    Some((
        Repeat {
            frequency,
            interval,
            weekdays,
        },
        used,
    ))
}

/// `Mondays`, `on Mondays and Thursdays`: weekdays in the plural repeat weekly.
fn plural_weekdays(tokens: &[Token]) -> Option<(Repeat, usize)> {
    let on = usize::from(word(tokens, 0) == "on");
    let first = word(tokens, on);
    if weekday_name(first).is_some() || weekday_word(first).is_none() {
        return None;
    }
    let (weekdays, used) = weekday_list(tokens.get(on..)?)?;
    Some((
        Repeat {
            frequency: Frequency::Weekly,
            interval: 1,
            weekdays,
        },
        on + used,
    ))
}

/// `until` and a date at the start of `tokens` is read by the parser; this says whether a word
/// introduces it.
pub(crate) fn is_until(norm: &str) -> bool {
    matches!(norm, "until" | "till" | "til" | "through" | "thru")
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn weekday_english(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

impl Repeat {
    /// The RRULE value without UNTIL.
    pub(crate) fn rrule(&self) -> String {
        let mut rule = format!(
            "FREQ={}",
            match self.frequency {
                Frequency::Daily => "DAILY",
                Frequency::Weekly => "WEEKLY",
                Frequency::Monthly => "MONTHLY",
                Frequency::Yearly => "YEARLY",
            }
        );
        if self.interval > 1 {
            rule.push_str(&format!(";INTERVAL={}", self.interval));
        }
        if !self.weekdays.is_empty() {
            let codes: Vec<&str> = self.weekdays.iter().map(|d| weekday_code(*d)).collect();
            rule.push_str(";BYDAY=");
            rule.push_str(&codes.join(","));
        }
        rule
    }

    /// The repetition in words: `every weekday`, `every 2 weeks`, `every Monday and Thursday`.
    pub(crate) fn human(&self, until: Option<NaiveDate>) -> String {
        let unit = match self.frequency {
            Frequency::Daily => "day",
            Frequency::Weekly => "week",
            Frequency::Monthly => "month",
            Frequency::Yearly => "year",
        };
        let mut text = match (self.interval, self.weekdays.as_slice()) {
            (1, days) if days == WORKDAYS => "every weekday".to_owned(),
            (1, [Weekday::Sat, Weekday::Sun]) => "every weekend".to_owned(),
            (1, []) => format!("every {unit}"),
            (n, []) => format!("every {n} {unit}s"),
            (n, days) => {
                let names: Vec<&str> = days.iter().map(|d| weekday_english(*d)).collect();
                let list = match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                    _ => names.join(""),
                };
                if n == 1 {
                    format!("every {list}")
                } else {
                    format!("every {n} weeks on {list}")
                }
            }
        };
        if let Some(until) = until {
            text.push_str(&until.format(" until %-d %b %Y").to_string());
        }
        text
    }
}
