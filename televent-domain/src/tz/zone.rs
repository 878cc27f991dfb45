//! Where a wall-clock time is: UTC, floating, an IANA zone, or a zone defined by a VTIMEZONE.

use std::sync::Arc;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::vtimezone::CustomZone;

/// The zone of a DATE-TIME value.
#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    /// A UTC time (`Z` suffix).
    Utc,
    /// A floating time: the same wall clock wherever the reader is (RFC 5545 form #1). Readers
    /// choose the zone to read it in.
    Floating,
    /// An IANA zone, from the TZID itself or from a Windows zone name.
    Iana(Tz),
    /// A zone known only from the VTIMEZONE in the same object.
    Custom(Arc<CustomZone>),
}

impl Zone {
    /// The instant of wall-clock time `local` in this zone. Floating times are read in
    /// `floating_in`. A time that falls in a DST gap is moved forward by the gap and an ambiguous
    /// one takes the first of its two instants (RFC 5545 section 3.3.5).
    pub fn to_utc(&self, local: NaiveDateTime, floating_in: Tz) -> DateTime<Utc> {
        match self {
            Self::Utc => local.and_utc(),
            Self::Floating => iana_to_utc(floating_in, local),
            Self::Iana(tz) => iana_to_utc(*tz, local),
            Self::Custom(zone) => zone.to_utc(local),
        }
    }

    /// The wall-clock time of `instant` in this zone (floating reads in `floating_in`).
    pub fn to_local(&self, instant: DateTime<Utc>, floating_in: Tz) -> NaiveDateTime {
        match self {
            Self::Utc => instant.naive_utc(),
            Self::Floating => instant.with_timezone(&floating_in).naive_local(),
            Self::Iana(tz) => instant.with_timezone(tz).naive_local(),
            Self::Custom(zone) => zone.to_local(instant),
        }
    }

    /// True for floating times.
    pub fn is_floating(&self) -> bool {
        matches!(self, Self::Floating)
    }

    /// A name for people and logs: `UTC`, `floating`, the IANA name or the TZID.
    pub fn name(&self) -> &str {
        match self {
            Self::Utc => "UTC",
            Self::Floating => "floating",
            Self::Iana(tz) => tz.name(),
            Self::Custom(zone) => zone.tzid(),
        }
    }
}

fn iana_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(time) => time.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: use the offset in force before it, which moves the time forward.
            let before = local - Duration::hours(30);
            let offset = tz.offset_from_utc_datetime(&before).fix().local_minus_utc();
            (local - Duration::seconds(i64::from(offset))).and_utc()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn iana_times_across_dst() {
        let berlin = Zone::Iana(chrono_tz::Europe::Berlin);
        assert_eq!(
            berlin.to_utc(at(2024, 1, 10, 9, 0), Tz::UTC),
            at(2024, 1, 10, 8, 0).and_utc()
        );
        assert_eq!(
            berlin.to_utc(at(2024, 7, 10, 9, 0), Tz::UTC),
            at(2024, 7, 10, 7, 0).and_utc()
        );
        // 02:30 does not exist on 31 March 2024: read as 03:30 CEST.
        assert_eq!(
            berlin.to_utc(at(2024, 3, 31, 2, 30), Tz::UTC),
            at(2024, 3, 31, 1, 30).and_utc()
        );
        // 02:30 happens twice on 27 October 2024: the first is CEST.
        assert_eq!(
            berlin.to_utc(at(2024, 10, 27, 2, 30), Tz::UTC),
            at(2024, 10, 27, 0, 30).and_utc()
        );
    }

    #[test]
    fn floating_times_read_in_the_callers_zone() {
        let local = at(2024, 1, 10, 9, 0);
        assert_eq!(
            Zone::Floating.to_utc(local, chrono_tz::Asia::Tokyo),
            at(2024, 1, 10, 0, 0).and_utc()
        );
        assert_eq!(Zone::Floating.to_utc(local, Tz::UTC), local.and_utc());
    }
}
