//! DATE and DATE-TIME values with their zone, as read from a property.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::ical::Property;
use crate::ical::value::{parse_date, parse_date_time};
use crate::tz::{Resolution, Zone, ZoneResolver};

/// A DATE (all-day) or a DATE-TIME in a zone.
#[derive(Debug, Clone, PartialEq)]
pub enum IcalTime {
    /// A calendar date: a whole day wherever the reader is.
    Date(NaiveDate),
    /// A wall-clock time and the zone it is in.
    DateTime(NaiveDateTime, Zone),
}

impl IcalTime {
    /// True for DATE values.
    pub fn is_date(&self) -> bool {
        matches!(self, Self::Date(_))
    }

    /// True for floating DATE-TIME values. Dates float too but are reported by [`Self::is_date`].
    pub fn is_floating(&self) -> bool {
        matches!(self, Self::DateTime(_, Zone::Floating))
    }

    /// The wall-clock reading: the time itself, or midnight for a date.
    pub fn local(&self) -> NaiveDateTime {
        match self {
            Self::Date(date) => date.and_time(NaiveTime::MIN),
            Self::DateTime(time, _) => *time,
        }
    }

    /// The zone of a DATE-TIME; `None` for dates.
    pub fn zone(&self) -> Option<&Zone> {
        match self {
            Self::Date(_) => None,
            Self::DateTime(_, zone) => Some(zone),
        }
    }

    /// The instant this value denotes; dates and floating times are read in `floating_in`.
    pub fn to_utc(&self, floating_in: Tz) -> DateTime<Utc> {
        match self {
            Self::Date(_) => Zone::Floating.to_utc(self.local(), floating_in),
            Self::DateTime(time, zone) => zone.to_utc(*time, floating_in),
        }
    }

    /// The same kind of value (date or time in the same zone) at wall-clock `local`.
    pub fn with_local(&self, local: NaiveDateTime) -> Self {
        match self {
            Self::Date(_) => Self::Date(local.date()),
            Self::DateTime(_, zone) => Self::DateTime(local, zone.clone()),
        }
    }

    /// The value converted into the frame of `like`: the same instant in `like`'s zone, or the
    /// date of this value when `like` is a date.
    pub fn in_frame_of(&self, like: &IcalTime, floating_in: Tz) -> NaiveDateTime {
        match (like, self) {
            (Self::DateTime(_, like_zone), Self::DateTime(_, zone))
                if !like_zone.is_floating() && !zone.is_floating() =>
            {
                like_zone.to_local(self.to_utc(floating_in), floating_in)
            }
            // Dates and floating times have no instant to convert: their wall clock is the frame.
            _ => self.local(),
        }
    }
}

/// Why a date or date-time property could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(pub String);

/// Reads a DATE or DATE-TIME property value (one value), resolving its TZID.
pub fn read_time(property: &Property, zones: &ZoneResolver) -> Result<(IcalTime, Option<String>), TimeError> {
    read_time_text(property.value.trim(), property, zones)
}

/// Reads one DATE or DATE-TIME text with the parameters of `property`. The second value is a
/// note when the TZID named nothing known.
pub fn read_time_text(
    text: &str,
    property: &Property,
    zones: &ZoneResolver,
) -> Result<(IcalTime, Option<String>), TimeError> {
    let wants_date = property.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    if let Some(date) = parse_date(text) {
        return Ok((IcalTime::Date(date), None));
    }
    if let Some((time, utc)) = parse_date_time(text) {
        if wants_date {
            // VALUE=DATE with a time: the date is what the writer meant.
            return Ok((IcalTime::Date(time.date()), None));
        }
        let Some(tzid) = property.param("TZID") else {
            if utc {
                return Ok((IcalTime::DateTime(time, Zone::Utc), None));
            }
            return Ok((
                IcalTime::DateTime(time, zones.calendar_zone().map_or(Zone::Floating, Zone::Iana)),
                None,
            ));
        };
        let (zone, resolution) = zones.resolve(tzid);
        if utc && resolution == Resolution::Unknown {
            return Ok((IcalTime::DateTime(time, Zone::Utc), None));
        }
        // A TZID on a time that also ends in Z (ownCloud wrote these): the TZID is what the
        // writer meant; the Z is a formatting slip.
        let note = (resolution == Resolution::Unknown)
            .then(|| format!("TZID '{tzid}' names no known zone and has no VTIMEZONE; read as floating time"));
        return Ok((IcalTime::DateTime(time, zone), note));
    }
    // `20210527Z`: a date with a stray UTC marker (DAVx5 once wrote these).
    if let Some(date) = text.strip_suffix(['Z', 'z']).and_then(parse_date) {
        return Ok((IcalTime::Date(date), None));
    }
    Err(TimeError(format!(
        "{} value '{text}' is not a date or date-time",
        property.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::content_line::parse_line;

    fn read(line: &str) -> IcalTime {
        read_time(&parse_line(line, 1).unwrap(), &ZoneResolver::default())
            .unwrap()
            .0
    }

    #[test]
    fn reads_each_form() {
        assert!(read("DTSTART;VALUE=DATE:20240101").is_date());
        assert!(read("DTSTART:20240101").is_date());
        assert_eq!(read("DTSTART:20240101T100000Z").zone(), Some(&Zone::Utc));
        assert!(read("DTSTART:20240101T100000").is_floating());
        assert_eq!(
            read("DTSTART;TZID=Europe/Paris:20240101T100000").zone(),
            Some(&Zone::Iana(chrono_tz::Europe::Paris))
        );
        assert!(read("DTSTART:20210527Z").is_date());
        assert!(
            read_time(
                &parse_line("DTSTART:2006717T080000Z", 1).unwrap(),
                &ZoneResolver::default()
            )
            .is_err()
        );
    }
}
