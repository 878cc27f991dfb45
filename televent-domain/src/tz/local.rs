//! Local wall-clock times of a user's zone placed on the time line: when a digest at 07:00
//! goes out, where a user's day begins and ends.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant a local wall-clock time names in `zone`: the earlier of two in a fall-back
/// hour, and the first instant after a spring-forward gap.
pub fn local_instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = date.and_time(time);
    (0..=180)
        .find_map(|minutes| {
            zone.from_local_datetime(&(local + Duration::minutes(minutes)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

/// The instants a local date spans in `zone` (a DST day is 23 or 25 hours long).
pub fn local_day(date: NaiveDate, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = local_instant(date, NaiveTime::MIN, zone);
    let end = date.succ_opt().map_or(start + Duration::days(1), |next| {
        local_instant(next, NaiveTime::MIN, zone)
    });
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn days_and_times_across_dst() {
        let date = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert_eq!(
            local_day(date(29), Berlin),
            (utc("2026-03-28T23:00:00Z"), utc("2026-03-29T22:00:00Z"))
        );
        let gap = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(local_instant(date(29), gap, Berlin), utc("2026-03-29T01:00:00Z"));
        let repeated = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        assert_eq!(local_instant(repeated, gap, Berlin), utc("2026-10-25T00:30:00Z"));
    }
}
