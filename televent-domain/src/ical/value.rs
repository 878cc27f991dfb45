//! Typed readers for iCalendar value syntax (RFC 5545 section 3.3): DATE, DATE-TIME, DURATION,
//! UTC-OFFSET and TEXT. Each returns `None` on text it cannot read; callers report where.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// `YYYYMMDD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text.get(0..4)?.parse().ok()?;
    let month = text.get(4..6)?.parse().ok()?;
    let day = text.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `YYYYMMDDTHHMMSS` with an optional `Z`; returns the wall-clock time and whether it was UTC.
/// Tolerates a lower-case `z` and a missing seconds field, both seen in the wild.
pub fn parse_date_time(text: &str) -> Option<(NaiveDateTime, bool)> {
    let text = text.trim();
    let (body, utc) = match text.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (text, false),
    };
    let (date, time) = body.split_once(['T', 't'])?;
    let date = parse_date(date)?;
    if !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hour, minute, second) = match time.len() {
        6 => (time.get(0..2)?, time.get(2..4)?, time.get(4..6)?),
        4 => (time.get(0..2)?, time.get(2..4)?, "00"),
        _ => return None,
    };
    let mut second: u32 = second.parse().ok()?;
    // A leap second (60) is legal in iCalendar but not in chrono: read it as 59.
    if second == 60 {
        second = 59;
    }
    let time = NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, second)?;
    Some((date.and_time(time), utc))
}

/// `[+|-]P[nW]` or `[+|-]P[nD][T[nH][nM][nS]]`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut seconds: i64 = 0;
    let mut number: Option<i64> = None;
    let mut in_time = false;
    let mut seen_unit = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' => {
                let digit = i64::from(c.to_digit(10)?);
                number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(digit)?);
            }
            'T' => in_time = true,
            unit => {
                let n = number.take()?;
                let factor = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                seconds = seconds.checked_add(n.checked_mul(factor)?)?;
                seen_unit = true;
            }
        }
    }
    if number.is_some() || !seen_unit {
        return None;
    }
    let duration = Duration::try_seconds(seconds)?;
    Some(if negative { -duration } else { duration })
}

/// `+HHMM[SS]` or `-HHMM[SS]`, as seconds east of UTC. Minutes and seconds above 59 are refused.
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = text.get(1..)?;
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits.get(0..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    let seconds: i32 = digits.get(4..6).map_or(Some(0), |s| s.parse().ok())?;
    if minutes > 59 || seconds > 59 || hours > 23 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

/// Unescapes a TEXT value: `\\`, `\;`, `\,`, `\n` / `\N`.
pub fn unescape_text(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a multi-valued property value on commas that are not escaped.
pub fn split_list(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ',' if !escaped => {
                parts.push(text.get(start..index).unwrap_or_default());
                start = index + 1;
            }
            _ => escaped = false,
        }
    }
    parts.push(text.get(start..).unwrap_or_default());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times() {
        assert_eq!(parse_date("20240229"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(parse_date("20230229"), None);
        assert_eq!(parse_date("2006717"), None);
        let (dt, utc) = parse_date_time("20240101T093000Z").unwrap();
        assert_eq!(dt.to_string(), "2024-01-01 09:30:00");
        assert!(utc);
        assert_eq!(
            parse_date_time("20240101T0930").unwrap().0.to_string(),
            "2024-01-01 09:30:00"
        );
        assert_eq!(parse_date_time("186^T0509T225504"), None);
        assert_eq!(parse_date_time("20240101T250000"), None);
    }

    #[test]
    fn durations() {
        let check = |text: &str, seconds: Option<i64>| {
            assert_eq!(parse_duration(text).map(|d| d.num_seconds()), seconds, "{text}");
        };
        check("PT1H30M", Some(5400));
        check("-PT15M", Some(-900));
        check("P1W", Some(604_800));
        check("P1DT2H", Some(93_600));
        check("+P0D", Some(0));
        check("PT", None);
        check("P1H", None);
        check("1H", None);
    }

    #[test]
    fn utc_offsets() {
        assert_eq!(parse_utc_offset("+0100"), Some(3600));
        assert_eq!(parse_utc_offset("-0000"), Some(0));
        assert_eq!(parse_utc_offset("+005744"), Some(3464));
        assert_eq!(parse_utc_offset("+5744"), None);
        assert_eq!(parse_utc_offset("0"), None);
    }

    #[test]
    fn text_escapes_and_lists() {
        assert_eq!(unescape_text(r"a\, b\; c\\d\nE\N"), "a, b; c\\d\nE\n");
        assert_eq!(split_list(r"a,b\,c,d"), ["a", r"b\,c", "d"]);
    }
}
