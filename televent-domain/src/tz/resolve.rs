//! TZID to [`Zone`]: IANA names (also behind vendor prefixes), then the object's own
//! VTIMEZONE blocks, then Windows zone IDs (CLDR), else floating.
//!
//! The order follows what clients mean: an IANA name means that zone even when a stale
//! VTIMEZONE rides along; a made-up name means the VTIMEZONE that defines it.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono_tz::Tz;

use super::vtimezone::CustomZone;
use super::windows_zones::WINDOWS_ZONES;
use super::zone::Zone;
use crate::ical::tree::Component;

/// How a TZID was understood, for problem reports and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// An IANA zone name, possibly behind a vendor prefix.
    Iana,
    /// The VTIMEZONE block with that TZID.
    VTimezone,
    /// A Windows zone ID mapped through CLDR's table.
    Windows,
    /// Nothing defines it: read as floating time.
    Unknown,
}

/// Resolves TZIDs within one VCALENDAR.
#[derive(Debug, Clone, Default)]
pub struct ZoneResolver {
    /// VTIMEZONE blocks by TZID, each turned into a zone only when a TZID needs it: most
    /// TZIDs are IANA names, and building a zone from its rules costs far more than parsing.
    custom: HashMap<String, Arc<LazyZone>>,
    calendar_zone: Option<Tz>,
}

#[derive(Debug)]
struct LazyZone {
    block: Component,
    zone: OnceLock<Option<Arc<CustomZone>>>,
}

impl LazyZone {
    fn get(&self) -> Option<Arc<CustomZone>> {
        self.zone
            .get_or_init(|| CustomZone::from_component(&self.block).map(Arc::new))
            .clone()
    }
}

impl ZoneResolver {
    /// Collects the VTIMEZONE blocks of `calendar`, and its X-WR-TIMEZONE.
    pub fn from_calendar(calendar: &Component) -> Self {
        let mut custom = HashMap::new();
        for block in calendar.children_named("VTIMEZONE") {
            let Some(tzid) = block
                .property("TZID")
                .map(|p| crate::ical::value::unescape_text(p.value.trim()))
            else {
                continue;
            };
            custom.entry(tzid).or_insert_with(|| {
                Arc::new(LazyZone {
                    block: block.clone(),
                    zone: OnceLock::new(),
                })
            });
        }
        let calendar_zone = calendar.property("X-WR-TIMEZONE").and_then(|p| iana(p.value.trim()));
        Self { custom, calendar_zone }
    }

    /// The zone X-WR-TIMEZONE gives the calendar (Google and Apple exports): floating times in
    /// such a calendar are in that zone.
    pub fn calendar_zone(&self) -> Option<Tz> {
        self.calendar_zone
    }

    /// The zone a TZID parameter names.
    pub fn resolve(&self, tzid: &str) -> (Zone, Resolution) {
        let tzid = tzid.trim().trim_matches('"');
        if let Some(tz) = iana(tzid) {
            return (Zone::Iana(tz), Resolution::Iana);
        }
        let unescaped = crate::ical::value::unescape_text(tzid);
        if let Some(zone) = self
            .custom
            .get(tzid)
            .or_else(|| self.custom.get(&unescaped))
            .and_then(|lazy| lazy.get())
        {
            return (Zone::Custom(zone), Resolution::VTimezone);
        }
        if let Some(tz) = windows_zone(tzid) {
            return (Zone::Iana(tz), Resolution::Windows);
        }
        (Zone::Floating, Resolution::Unknown)
    }
}

/// An IANA name, also after a vendor prefix such as `/softwarestudio.org/Tzfile/` or
/// `/mozilla.org/20050126_1/`.
pub fn iana(tzid: &str) -> Option<Tz> {
    if let Ok(tz) = tzid.parse::<Tz>() {
        return Some(tz);
    }
    if !tzid.contains('/') {
        return None;
    }
    let mut rest = tzid.trim_start_matches('/');
    while let Some((_, tail)) = rest.split_once('/') {
        if let Ok(tz) = tail.parse::<Tz>() {
            return Some(tz);
        }
        rest = tail;
    }
    None
}

/// A Windows zone ID (`W. Europe Standard Time`) through CLDR's windowsZones table.
pub fn windows_zone(tzid: &str) -> Option<Tz> {
    let index = WINDOWS_ZONES
        .binary_search_by(|(windows, _)| (*windows).cmp(tzid))
        .ok()?;
    WINDOWS_ZONES.get(index)?.1.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_in_order() {
        let resolver = ZoneResolver::default();
        assert_eq!(
            resolver.resolve("Europe/Berlin").0,
            Zone::Iana(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            resolver.resolve("/softwarestudio.org/Tzfile/America/Chicago").0,
            Zone::Iana(chrono_tz::America::Chicago)
        );
        assert_eq!(resolver.resolve("\"W. Europe Standard Time\"").1, Resolution::Windows);
        assert_eq!(
            resolver.resolve("W. Europe Standard Time").0,
            Zone::Iana(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            resolver.resolve("tzone://Microsoft/Custom"),
            (Zone::Floating, Resolution::Unknown)
        );
    }
}
