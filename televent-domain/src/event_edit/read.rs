//! Stored bytes to [`EventFields`].

use chrono::{Days, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::error::EditError;
use super::fields::{EventAttendee, EventFields, EventTime, Recurrence};
use crate::alarm::{Alarm, Trigger};
use crate::component::ObjectComponent;
use crate::ical::{Component, Document, parse_document};
use crate::ical_time::IcalTime;
use crate::recurrence::expand::end_of;
use crate::tz::resolve::{iana, windows_zone};
use crate::tz::{Zone, ZoneResolver};

/// The master VEVENT of `bytes` (the first VEVENT without RECURRENCE-ID) as fields. The end
/// comes from DTEND, else DURATION, else the start (plus one day for all-day events, RFC 5545
/// section 3.6.1). Times in UTC, floating, or in a zone known only from a VTIMEZONE whose TZID
/// names no IANA or Windows zone are shown in `default_zone`; a Windows TZID (`W. Europe
/// Standard Time`) is shown as its IANA zone.
///
/// Reading is tolerant like the rest of `crate::ical`: unreadable properties are left out.
/// Fails with [`EditError::NoEvent`] when there is no master VEVENT, and with
/// [`EditError::Unreadable`] when it has no readable start.
pub fn read_event(bytes: &[u8], default_zone: Tz) -> Result<EventFields, EditError> {
    let (document, _) = parse_document(bytes);
    let (calendar, raw) = find_master(&document).ok_or(EditError::NoEvent)?;
    let zones = ZoneResolver::from_calendar(calendar);
    let master = ObjectComponent::read(raw, &zones, &mut Vec::new()).ok_or(EditError::NoEvent)?;
    let when = when_of(&master, default_zone)
        .ok_or_else(|| EditError::Unreadable("the event has no readable DTSTART".to_owned()))?;
    let mut reminders: Vec<u32> = raw
        .children_named("VALARM")
        .filter_map(Alarm::from_component)
        .filter_map(|alarm| reminder_minutes(&alarm))
        .collect();
    reminders.sort_unstable();
    reminders.dedup();
    Ok(EventFields {
        title: master.summary.clone().unwrap_or_default(),
        when,
        location: master.location.clone().filter(|t| !t.trim().is_empty()),
        description: master.description.clone().filter(|t| !t.trim().is_empty()),
        recurrence: raw.property("RRULE").map(|p| Recurrence::from_rrule(&p.value)),
        reminders,
        attendees: master
            .attendees
            .iter()
            .filter_map(|a| {
                Some(EventAttendee {
                    email: a.address.email()?.to_owned(),
                    name: a.common_name.clone(),
                    status: a.status.as_str().to_ascii_uppercase(),
                })
            })
            .collect(),
        organizer: master
            .organizer
            .as_ref()
            .and_then(|o| o.address.email())
            .map(str::to_owned),
    })
}

/// The first VCALENDAR's first VEVENT without RECURRENCE-ID, and that VCALENDAR.
pub(super) fn find_master(document: &Document) -> Option<(&Component, &Component)> {
    document.calendars.iter().find_map(|calendar| {
        calendar
            .children_named("VEVENT")
            .find(|c| c.property("RECURRENCE-ID").is_none())
            .map(|event| (calendar, event))
    })
}

/// The minutes before the start a reminder alarm fires at: DISPLAY or AUDIO, relative to the
/// start, at or before it. `None` for every other alarm.
pub(super) fn reminder_minutes(alarm: &Alarm) -> Option<u32> {
    if !matches!(alarm.action.as_str(), "DISPLAY" | "AUDIO") {
        return None;
    }
    match alarm.trigger {
        Trigger::Relative {
            offset,
            from_end: false,
        } if offset <= chrono::Duration::zero() => u32::try_from(-offset.num_minutes()).ok(),
        _ => None,
    }
}

fn when_of(master: &ObjectComponent, default_zone: Tz) -> Option<EventTime> {
    let start = master.start.as_ref()?;
    let end = end_of(master, start, default_zone);
    if let IcalTime::Date(first) = start {
        let after = first.checked_add_days(Days::new(1)).unwrap_or(*first);
        let end_exclusive = end.map(|e| e.local().date()).filter(|e| e > first).unwrap_or(after);
        return Some(EventTime::AllDay {
            start: *first,
            end_exclusive,
        });
    }
    let (start_local, zone) = shown(start, default_zone);
    let end_local = match end {
        Some(end) => match shown(&end, default_zone) {
            (local, end_zone) if end_zone == zone => local,
            _ => zone
                .from_utc_datetime(&end.to_utc(default_zone).naive_utc())
                .naive_local(),
        },
        None => start_local,
    };
    Some(EventTime::Timed {
        start: start_local,
        end: end_local.max(start_local),
        zone,
    })
}

/// A wall-clock time and the IANA zone to show it in.
fn shown(time: &IcalTime, default_zone: Tz) -> (NaiveDateTime, Tz) {
    let in_default = || {
        let instant = time.to_utc(default_zone);
        (
            default_zone.from_utc_datetime(&instant.naive_utc()).naive_local(),
            default_zone,
        )
    };
    match time {
        IcalTime::DateTime(local, Zone::Iana(tz)) => (*local, *tz),
        IcalTime::DateTime(local, Zone::Floating) => (*local, default_zone),
        // A VTIMEZONE named like a Windows zone (Exchange writes one for every TZID it uses)
        // means that zone: its wall clock is kept, as when the TZID resolves without one.
        IcalTime::DateTime(local, custom @ Zone::Custom(_)) => {
            match iana(custom.name()).or_else(|| windows_zone(custom.name())) {
                Some(tz) => (*local, tz),
                None => in_default(),
            }
        }
        IcalTime::DateTime(_, Zone::Utc) | IcalTime::Date(_) => in_default(),
    }
}
