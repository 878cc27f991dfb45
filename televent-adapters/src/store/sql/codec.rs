//! How domain values are written to columns and read back: instants as microseconds since
//! the Unix epoch, counters as signed 64-bit integers, limits clamped to what SQL takes.
//!
//! Reading never panics: a value out of range is [`StoreError::Corrupt`].

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use televent_ports::StoreError;

use super::error::corrupt;

/// An instant as stored: microseconds since the epoch (sub-microsecond precision is dropped).
pub fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// A stored instant.
pub fn instant(micros: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| corrupt(format!("instant {micros} is out of range")))
}

/// A stored optional instant.
pub fn optional_instant(micros: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    micros.map(instant).transpose()
}

/// A counter as stored. Counters never come near `i64::MAX`; saturating keeps this total.
pub fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A stored counter, which is never negative.
pub fn unsigned(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| corrupt(format!("counter {value} is negative")))
}

/// A stored `u32` (attempts, minutes).
pub fn small(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| corrupt(format!("{value} does not fit 32 bits")))
}

/// A row limit for `LIMIT`: sea-query binds it unsigned, and the binders refuse anything
/// above `i64::MAX`.
pub fn limit(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(u64::MAX).min(i64::MAX.unsigned_abs())
}

/// A time of day as stored: whole seconds after midnight.
pub fn time_of_day(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight())
}

/// A stored time of day.
pub fn stored_time_of_day(seconds: i64) -> Result<NaiveTime, StoreError> {
    u32::try_from(seconds)
        .ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0))
        .ok_or_else(|| corrupt(format!("{seconds} s is not a time of day")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let at = DateTime::from_timestamp_micros(1_717_243_200_123_456).unwrap();
        assert_eq!(instant(micros(at)), Ok(at));
        assert!(instant(i64::MAX).is_err());
        assert_eq!(unsigned(signed(7)), Ok(7));
        assert!(unsigned(-1).is_err());
        assert_eq!(limit(usize::MAX), i64::MAX.unsigned_abs());
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        assert_eq!(stored_time_of_day(time_of_day(eight)), Ok(eight));
        assert!(stored_time_of_day(86_400).is_err());
    }
}
