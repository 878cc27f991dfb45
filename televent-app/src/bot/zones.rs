//! A time zone from what a user types: an IANA name (`Europe/Berlin`) or a city
//! (`Berlin`, `new york`), matched against the last part of the zone names.

use chrono_tz::TZ_VARIANTS;
use televent_domain::user::TimeZoneId;

/// Most zones offered when a city is ambiguous.
const MAX_CHOICES: usize = 8;

/// What a typed place names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneMatch {
    /// Exactly one zone.
    One(TimeZoneId),
    /// Several zones share the city name (at most eight, sorted by name): ask which.
    Several(Vec<TimeZoneId>),
    /// No zone.
    None,
}

/// The zone `text` names: a whole IANA name, case-insensitive, or a city, compared with the
/// last part of each zone name case-insensitively with spaces as underscores (`new york` is
/// `America/New_York`).
pub fn find_zone(text: &str) -> ZoneMatch {
    let wanted = text.split_whitespace().collect::<Vec<_>>().join("_");
    if wanted.is_empty() {
        return ZoneMatch::None;
    }
    if let Some(zone) = TZ_VARIANTS.iter().find(|tz| tz.name().eq_ignore_ascii_case(&wanted))
        && let Ok(zone) = TimeZoneId::parse(zone.name())
    {
        return ZoneMatch::One(zone);
    }
    let mut found: Vec<TimeZoneId> = TZ_VARIANTS
        .iter()
        .filter(|tz| {
            tz.name()
                .rsplit('/')
                .next()
                .is_some_and(|city| city.eq_ignore_ascii_case(&wanted))
        })
        .filter_map(|tz| TimeZoneId::parse(tz.name()).ok())
        .collect();
    found.sort_by_key(|zone| zone.name());
    found.truncate(MAX_CHOICES);
    match found.as_slice() {
        [] => ZoneMatch::None,
        [one] => ZoneMatch::One(*one),
        _ => ZoneMatch::Several(found),
    }
}

#[cfg(test)]
mod tests {
    use super::{ZoneMatch, find_zone};

    fn names(found: ZoneMatch) -> Vec<&'static str> {
        match found {
            ZoneMatch::One(zone) => vec![zone.name()],
            ZoneMatch::Several(zones) => zones.into_iter().map(|z| z.name()).collect(),
            ZoneMatch::None => Vec::new(),
        }
    }

    #[test]
    fn cities_and_names() {
        assert_eq!(names(find_zone("Berlin")), ["Europe/Berlin"]);
        assert_eq!(names(find_zone("  new   york ")), ["America/New_York"]);
        assert_eq!(names(find_zone("europe/paris")), ["Europe/Paris"]);
        assert_eq!(names(find_zone("UTC")), ["UTC"]);
        assert_eq!(names(find_zone("Atlantis")), Vec::<&str>::new());
        assert_eq!(names(find_zone("")), Vec::<&str>::new());
        let several = names(find_zone("buenos aires"));
        assert!(
            several.len() > 1 && several.contains(&"America/Argentina/Buenos_Aires"),
            "{several:?}"
        );
    }
}
