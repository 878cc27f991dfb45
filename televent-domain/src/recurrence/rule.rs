//! RRULE text to a recurrence rule (RFC 5545 section 3.3.10), tolerant of what clients write.
//!
//! Parsing is ours (so that a misspelt part costs that part, not the event); generating
//! instances is the `rrule` crate's, fed with wall-clock times (see `expand`).

use chrono::{Month, NaiveDate, NaiveDateTime, Weekday};

use crate::ical::value::{parse_date, parse_date_time};

/// How often a rule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// FREQ=SECONDLY
    Secondly,
    /// FREQ=MINUTELY
    Minutely,
    /// FREQ=HOURLY
    Hourly,
    /// FREQ=DAILY
    Daily,
    /// FREQ=WEEKLY
    Weekly,
    /// FREQ=MONTHLY
    Monthly,
    /// FREQ=YEARLY
    Yearly,
}

/// The UNTIL bound as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// `UNTIL=YYYYMMDD`
    Date(NaiveDate),
    /// `UNTIL=YYYYMMDDTHHMMSS[Z]`; the flag is true for UTC.
    DateTime(NaiveDateTime, bool),
}

/// A parsed RRULE (or EXRULE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurRule {
    /// FREQ
    pub freq: Frequency,
    /// INTERVAL, at least 1.
    pub interval: u16,
    /// COUNT
    pub count: Option<u32>,
    /// UNTIL
    pub until: Option<Until>,
    /// BYSECOND
    pub by_second: Vec<u8>,
    /// BYMINUTE
    pub by_minute: Vec<u8>,
    /// BYHOUR
    pub by_hour: Vec<u8>,
    /// BYDAY: an optional ordinal and a weekday.
    pub by_day: Vec<(Option<i16>, Weekday)>,
    /// BYMONTHDAY
    pub by_month_day: Vec<i8>,
    /// BYYEARDAY
    pub by_year_day: Vec<i16>,
    /// BYWEEKNO
    pub by_week_no: Vec<i8>,
    /// BYMONTH
    pub by_month: Vec<u8>,
    /// BYSETPOS
    pub by_set_pos: Vec<i32>,
    /// WKST, Monday unless given.
    pub week_start: Weekday,
    /// RSCALE (RFC 7529), when present.
    pub rscale: Option<String>,
}

/// Parses an RRULE value. Unknown or malformed parts are dropped and described in the second
/// value; `None` when no usable rule is left (no FREQ, or a FREQ we do not know).
pub fn parse_rrule(text: &str) -> (Option<RecurRule>, Vec<String>) {
    let mut issues = Vec::new();
    let mut freq = None;
    let mut rule = RecurRule {
        freq: Frequency::Daily,
        interval: 1,
        count: None,
        until: None,
        by_second: Vec::new(),
        by_minute: Vec::new(),
        by_hour: Vec::new(),
        by_day: Vec::new(),
        by_month_day: Vec::new(),
        by_year_day: Vec::new(),
        by_week_no: Vec::new(),
        by_month: Vec::new(),
        by_set_pos: Vec::new(),
        week_start: Weekday::Mon,
        rscale: None,
    };
    for part in text.trim().trim_start_matches("RRULE:").split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            issues.push(format!("'{part}' is not NAME=VALUE; ignored"));
            continue;
        };
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim();
        let ok = match key.as_str() {
            "FREQ" => match parse_frequency(value) {
                Some(f) => {
                    freq = Some(f);
                    true
                }
                None => false,
            },
            "INTERVAL" => set(value.parse().ok().filter(|&i| i > 0), &mut rule.interval),
            "COUNT" => value.parse().ok().map(|c| rule.count = Some(c)).is_some(),
            "UNTIL" => parse_until(value).map(|u| rule.until = Some(u)).is_some(),
            "BYSECOND" => list(value, |v| v.parse().ok().filter(|&s: &u8| s <= 60), &mut rule.by_second),
            "BYMINUTE" => list(value, |v| v.parse().ok().filter(|&m: &u8| m <= 59), &mut rule.by_minute),
            "BYHOUR" => list(value, |v| v.parse().ok().filter(|&h: &u8| h <= 23), &mut rule.by_hour),
            "BYDAY" => list(value, parse_by_day, &mut rule.by_day),
            "BYMONTHDAY" => list(value, |v| non_zero_within(v, 31), &mut rule.by_month_day),
            "BYYEARDAY" => list(value, |v| non_zero_within(v, 366), &mut rule.by_year_day),
            "BYWEEKNO" => list(value, |v| non_zero_within(v, 53), &mut rule.by_week_no),
            "BYMONTH" => list(
                value,
                |v| v.parse().ok().filter(|m: &u8| (1..=12).contains(m)),
                &mut rule.by_month,
            ),
            "BYSETPOS" => list(value, |v| non_zero_within(v, 366), &mut rule.by_set_pos),
            "WKST" => set(parse_weekday(value), &mut rule.week_start),
            "RSCALE" => {
                rule.rscale = Some(value.to_ascii_uppercase());
                true
            }
            "SKIP" => true,
            _ => {
                issues.push(format!("unknown rule part {key}; ignored"));
                continue;
            }
        };
        if !ok {
            issues.push(format!("{key}={value} cannot be read; ignored"));
        }
    }
    match freq {
        Some(freq) => {
            rule.freq = freq;
            (Some(rule), issues)
        }
        None => {
            issues.push("the rule has no FREQ".to_owned());
            (None, issues)
        }
    }
}

fn set<T>(value: Option<T>, slot: &mut T) -> bool {
    value.map(|v| *slot = v).is_some()
}

/// Reads a comma list, all or nothing; spaces after commas are tolerated.
fn list<T>(value: &str, item: impl Fn(&str) -> Option<T>, slot: &mut Vec<T>) -> bool {
    let parsed: Option<Vec<T>> = value.split(',').map(|v| item(v.trim())).collect();
    parsed.map(|items| *slot = items).is_some()
}

fn non_zero_within<T: TryFrom<i32>>(value: &str, limit: i32) -> Option<T> {
    let n: i32 = value.trim_start_matches('+').parse().ok()?;
    (n != 0 && n.abs() <= limit).then_some(())?;
    T::try_from(n).ok()
}

fn parse_frequency(value: &str) -> Option<Frequency> {
    Some(match value.to_ascii_uppercase().as_str() {
        "SECONDLY" => Frequency::Secondly,
        "MINUTELY" => Frequency::Minutely,
        "HOURLY" => Frequency::Hourly,
        "DAILY" => Frequency::Daily,
        "WEEKLY" => Frequency::Weekly,
        "MONTHLY" => Frequency::Monthly,
        "YEARLY" => Frequency::Yearly,
        _ => return None,
    })
}

fn parse_until(value: &str) -> Option<Until> {
    if let Some((dt, utc)) = parse_date_time(value) {
        return Some(Until::DateTime(dt, utc));
    }
    parse_date(value).map(Until::Date)
}

/// A weekday code: MO TU WE TH FR SA SU.
pub fn parse_weekday(value: &str) -> Option<Weekday> {
    Some(match value.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn parse_by_day(value: &str) -> Option<(Option<i16>, Weekday)> {
    let split = value.len().checked_sub(2)?;
    let (ordinal, day) = (value.get(..split)?, value.get(split..)?);
    let weekday = parse_weekday(day)?;
    if ordinal.is_empty() {
        return Some((None, weekday));
    }
    let n: i16 = ordinal.trim_start_matches('+').parse().ok()?;
    (n != 0 && n.abs() <= 53).then_some((Some(n), weekday))
}

impl RecurRule {
    /// Converts to the `rrule` crate's rule. `until` is already in the same wall-clock frame as
    /// the DTSTART the caller passes to `build`.
    pub(crate) fn to_rrule(&self, until: Option<NaiveDateTime>) -> rrule::RRule<rrule::Unvalidated> {
        let mut rule = rrule::RRule::new(match self.freq {
            Frequency::Secondly => rrule::Frequency::Secondly,
            Frequency::Minutely => rrule::Frequency::Minutely,
            Frequency::Hourly => rrule::Frequency::Hourly,
            Frequency::Daily => rrule::Frequency::Daily,
            Frequency::Weekly => rrule::Frequency::Weekly,
            Frequency::Monthly => rrule::Frequency::Monthly,
            Frequency::Yearly => rrule::Frequency::Yearly,
        })
        .interval(self.interval)
        .week_start(self.week_start);
        if let Some(count) = self.count {
            rule = rule.count(count);
        }
        if let Some(until) = until {
            rule = rule.until(until.and_utc().with_timezone(&rrule::Tz::UTC));
        }
        if !self.by_second.is_empty() {
            rule = rule.by_second(self.by_second.iter().map(|&s| s.min(59)).collect());
        }
        if !self.by_minute.is_empty() {
            rule = rule.by_minute(self.by_minute.clone());
        }
        if !self.by_hour.is_empty() {
            rule = rule.by_hour(self.by_hour.clone());
        }
        if !self.by_day.is_empty() {
            rule = rule.by_weekday(
                self.by_day
                    .iter()
                    .map(|&(n, day)| match n {
                        Some(n) => rrule::NWeekday::Nth(n, day),
                        None => rrule::NWeekday::Every(day),
                    })
                    .collect(),
            );
        }
        if !self.by_month_day.is_empty() {
            rule = rule.by_month_day(self.by_month_day.clone());
        }
        if !self.by_year_day.is_empty() {
            rule = rule.by_year_day(self.by_year_day.clone());
        }
        if !self.by_week_no.is_empty() {
            rule = rule.by_week_no(self.by_week_no.clone());
        }
        if !self.by_month.is_empty() {
            let months: Vec<Month> = self.by_month.iter().filter_map(|&m| Month::try_from(m).ok()).collect();
            rule = rule.by_month(&months);
        }
        if !self.by_set_pos.is_empty() {
            rule = rule.by_set_pos(self.by_set_pos.clone());
        }
        rule
    }

    /// True unless RSCALE names a calendar other than the Gregorian one (RFC 7529).
    pub fn is_gregorian(&self) -> bool {
        self.rscale.as_deref().is_none_or(|scale| scale == "GREGORIAN")
    }

    /// True when the rule can produce instances without end (no COUNT, no UNTIL).
    pub fn is_unbounded(&self) -> bool {
        self.is_gregorian() && self.count.is_none() && self.until.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_rule() {
        let (rule, issues) =
            parse_rrule("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2MO;BYSETPOS=1;UNTIL=20200101T000000Z;WKST=SU");
        let rule = rule.unwrap();
        assert!(issues.is_empty());
        assert_eq!(rule.freq, Frequency::Monthly);
        assert_eq!(rule.interval, 2);
        assert_eq!(rule.by_day, [(Some(-1), Weekday::Fri), (Some(2), Weekday::Mon)]);
        assert_eq!(rule.week_start, Weekday::Sun);
        assert!(matches!(rule.until, Some(Until::DateTime(_, true))));
    }

    #[test]
    fn drops_what_it_cannot_read_and_keeps_the_rest() {
        let (rule, issues) = parse_rrule("FREQ=WEEKLY;UNTL=20191023;BYDAY=TH");
        assert_eq!(rule.unwrap().by_day, [(None, Weekday::Thu)]);
        assert_eq!(issues, ["unknown rule part UNTL; ignored"]);
        let (rule, _) = parse_rrule("FREQ=WEEKLY;BYDAY=MO, TU");
        assert_eq!(rule.unwrap().by_day.len(), 2);
        let (rule, issues) = parse_rrule("COUNT=3");
        assert!(rule.is_none());
        assert_eq!(issues, ["the rule has no FREQ"]);
    }
}
