//! A time zone defined by a VTIMEZONE block (RFC 5545 section 3.6.5), for TZIDs that name no
//! IANA zone: Outlook's and Exchange's names, "US-Eastern", typos.
//!
//! The observances are turned into a sorted list of UTC transitions once, up to year
//! [`LAST_YEAR`]; after that the last offset holds.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Utc};

use crate::ical::tree::Component;
use crate::ical::value::{parse_date_time, parse_utc_offset, unescape_text};
use crate::recurrence::rule::{RecurRule, Until, parse_rrule};

/// Transitions are computed up to this year.
pub const LAST_YEAR: i32 = 2200;
/// At most this many onsets per observance, whatever its rule says.
const MAX_ONSETS: usize = 4_000;

/// A zone built from a VTIMEZONE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomZone {
    tzid: String,
    /// Offset (seconds east of UTC) before the first transition.
    initial_offset: i32,
    /// `(UTC seconds, offset after)`, sorted by time.
    transitions: Vec<(i64, i32)>,
}

impl CustomZone {
    /// Builds the zone from a VTIMEZONE component; `None` when it has no usable observance.
    pub fn from_component(component: &Component) -> Option<Self> {
        let tzid = unescape_text(component.property("TZID")?.value.trim());
        let mut transitions = Vec::new();
        let mut earliest: Option<(NaiveDateTime, i32)> = None;
        let mut fallback_offset = None;
        for observance in component
            .children
            .iter()
            .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
        {
            let Some(to) = observance
                .property("TZOFFSETTO")
                .and_then(|p| parse_utc_offset(&p.value))
            else {
                continue;
            };
            let from = observance
                .property("TZOFFSETFROM")
                .and_then(|p| parse_utc_offset(&p.value))
                .unwrap_or(to);
            fallback_offset.get_or_insert(to);
            let Some((start, _)) = observance.property("DTSTART").and_then(|p| parse_date_time(&p.value)) else {
                continue;
            };
            if earliest.is_none_or(|(first, _)| start < first) {
                earliest = Some((start, from));
            }
            for onset in onsets(observance, start, from) {
                let utc = onset - Duration::seconds(i64::from(from));
                transitions.push((utc.and_utc().timestamp(), to));
            }
        }
        transitions.sort_unstable();
        transitions.dedup_by_key(|(at, _)| *at);
        let initial_offset = earliest.map(|(_, from)| from).or(fallback_offset)?;
        Some(Self {
            tzid,
            initial_offset,
            transitions,
        })
    }

    /// The TZID as written.
    pub fn tzid(&self) -> &str {
        &self.tzid
    }

    /// The offset in force at `utc_seconds`.
    fn offset_at(&self, utc_seconds: i64) -> i32 {
        let index = self.transitions.partition_point(|(at, _)| *at <= utc_seconds);
        match index.checked_sub(1).and_then(|i| self.transitions.get(i)) {
            Some((_, offset)) => *offset,
            None => self.initial_offset,
        }
    }

    /// Wall-clock time to instant; gaps move forward, ambiguous times take the first instant.
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let naive_seconds = local.and_utc().timestamp();
        let before = self.offset_at(naive_seconds - 86_400);
        let after = self.offset_at(naive_seconds + 86_400);
        let mut candidates = [before, after];
        // Of two valid readings the one with the larger offset is the earlier instant.
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        for offset in candidates {
            let utc = naive_seconds - i64::from(offset);
            if self.offset_at(utc) == offset {
                return seconds_to_utc(utc);
            }
        }
        seconds_to_utc(naive_seconds - i64::from(before))
    }

    /// Instant to wall-clock time.
    pub fn to_local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        let offset = self.offset_at(instant.timestamp());
        instant.naive_utc() + Duration::seconds(i64::from(offset))
    }
}

fn seconds_to_utc(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// Local onset times of one observance: DTSTART, its RRULE instances and its RDATEs.
fn onsets(observance: &Component, start: NaiveDateTime, offset_from: i32) -> Vec<NaiveDateTime> {
    let mut onsets = vec![start];
    for property in observance.properties_named("RDATE") {
        for value in property.value.split(',') {
            if let Some((time, utc)) = parse_date_time(value.split('/').next().unwrap_or_default()) {
                onsets.push(if utc {
                    time + Duration::seconds(i64::from(offset_from))
                } else {
                    time
                });
            }
        }
    }
    let Some(rule) = observance.property("RRULE").and_then(|p| parse_rrule(&p.value).0) else {
        return onsets;
    };
    let until = match rule.until {
        Some(Until::DateTime(time, true)) => Some(time + Duration::seconds(i64::from(offset_from))),
        Some(Until::DateTime(time, false)) => Some(time),
        Some(Until::Date(date)) => date.and_hms_opt(23, 59, 59),
        None => None,
    };
    if let Some(yearly) = yearly_onsets(&rule, start, until) {
        onsets.extend(yearly);
        return onsets;
    }
    let rule_start = fast_forward(&rule, start);
    let Ok(set) = rule
        .to_rrule(until)
        .build(rule_start.and_utc().with_timezone(&rrule::Tz::UTC))
    else {
        return onsets;
    };
    let set = set.limit();
    onsets.extend(
        (&set)
            .into_iter()
            .map(|time| time.naive_utc())
            .take_while(|time| time.year() <= LAST_YEAR)
            .take(MAX_ONSETS),
    );
    onsets
}

/// The shape almost every VTIMEZONE rule has (`FREQ=YEARLY;BYMONTH=m;BYDAY=nWD`, the n-th or
/// n-th last weekday of a month), computed directly: a hundred times cheaper than the general
/// rule engine, and zones are built on every parse of an Outlook resource.
fn yearly_onsets(rule: &RecurRule, start: NaiveDateTime, until: Option<NaiveDateTime>) -> Option<Vec<NaiveDateTime>> {
    use crate::recurrence::rule::Frequency;
    let simple = rule.freq == Frequency::Yearly
        && rule.interval == 1
        && rule.count.is_none()
        && rule.by_month.len() == 1
        && rule.by_day.len() == 1
        && rule.by_month_day.is_empty()
        && rule.by_year_day.is_empty()
        && rule.by_week_no.is_empty()
        && rule.by_set_pos.is_empty()
        && rule.by_hour.is_empty()
        && rule.by_minute.is_empty()
        && rule.by_second.is_empty();
    if !simple {
        return None;
    }
    let month = u32::from(*rule.by_month.first()?);
    let (Some(nth), weekday) = *rule.by_day.first()? else {
        return None;
    };
    let mut onsets = Vec::new();
    for year in start.year().max(1900)..=LAST_YEAR {
        let Some(date) = nth_weekday(year, month, nth, weekday) else {
            continue;
        };
        let onset = date.and_time(start.time());
        if onset < start {
            continue;
        }
        if until.is_some_and(|u| onset > u) {
            break;
        }
        onsets.push(onset);
    }
    Some(onsets)
}

/// The `nth` (1-based; negative counts from the end) `weekday` of a month.
fn nth_weekday(year: i32, month: u32, nth: i16, weekday: chrono::Weekday) -> Option<chrono::NaiveDate> {
    use chrono::NaiveDate;
    if nth > 0 {
        let n = u8::try_from(nth).ok()?;
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    } else {
        let first_of_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }?;
        let last = first_of_next.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        let last_match = last - Duration::days(i64::from(back));
        let weeks_back = i64::from(-nth - 1);
        let date = last_match - Duration::weeks(weeks_back);
        (date.month() == month).then_some(date)
    }
}

/// Outlook starts its observances in 1601: a yearly rule without COUNT gives the same onsets
/// from 1900 on whichever year it starts, so start there and skip three centuries of work.
fn fast_forward(rule: &RecurRule, start: NaiveDateTime) -> NaiveDateTime {
    use crate::recurrence::rule::Frequency;
    if rule.freq != Frequency::Yearly || rule.count.is_some() || rule.interval != 1 || start.year() >= 1900 {
        return start;
    }
    start.with_year(1900).unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::tree::parse_document;
    use chrono::NaiveDate;

    fn zone(text: &str) -> CustomZone {
        let (doc, _) = parse_document(text.as_bytes());
        CustomZone::from_component(&doc.calendars[0].children[0]).unwrap()
    }

    const W_EUROPE: &str = "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n";

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn an_outlook_zone_follows_its_rules() {
        let zone = zone(W_EUROPE);
        assert_eq!(zone.to_utc(at(2024, 1, 10, 9, 0)), at(2024, 1, 10, 8, 0).and_utc());
        assert_eq!(zone.to_utc(at(2024, 7, 10, 9, 0)), at(2024, 7, 10, 7, 0).and_utc());
        assert_eq!(zone.to_utc(at(2024, 3, 31, 2, 30)), at(2024, 3, 31, 1, 30).and_utc());
        assert_eq!(zone.to_utc(at(2024, 10, 27, 2, 30)), at(2024, 10, 27, 0, 30).and_utc());
        assert_eq!(zone.to_local(at(2024, 7, 10, 7, 0).and_utc()), at(2024, 7, 10, 9, 0));
    }

    #[test]
    fn a_us_zone_agrees_with_the_iana_database_for_decades() {
        let zone = zone(
            "BEGIN:VTIMEZONE\nTZID:Eastern Standard Time\nBEGIN:STANDARD\nDTSTART:16010101T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n",
        );
        let mut instant = at(2007, 1, 1, 0, 0).and_utc();
        while instant < at(2040, 1, 1, 0, 0).and_utc() {
            let iana = instant.with_timezone(&chrono_tz::America::New_York).naive_local();
            assert_eq!(zone.to_local(instant), iana, "{instant}");
            instant += Duration::hours(5);
        }
    }

    #[test]
    fn nth_and_last_weekdays() {
        use chrono::Weekday::Sun;
        assert_eq!(nth_weekday(2024, 3, -1, Sun), NaiveDate::from_ymd_opt(2024, 3, 31));
        assert_eq!(nth_weekday(2024, 10, -1, Sun), NaiveDate::from_ymd_opt(2024, 10, 27));
        assert_eq!(nth_weekday(2024, 3, 2, Sun), NaiveDate::from_ymd_opt(2024, 3, 10));
        assert_eq!(nth_weekday(2024, 2, 5, Sun), None);
        assert_eq!(nth_weekday(2024, 12, -2, Sun), NaiveDate::from_ymd_opt(2024, 12, 22));
    }

    #[test]
    fn a_zone_without_rules_is_a_fixed_offset() {
        let zone = zone(
            "BEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE\n",
        );
        assert_eq!(zone.to_utc(at(2024, 1, 1, 5, 30)), at(2024, 1, 1, 0, 0).and_utc());
        assert_eq!(zone.to_utc(at(1900, 1, 1, 5, 30)), at(1900, 1, 1, 0, 0).and_utc());
    }
}
