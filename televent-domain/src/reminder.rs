//! When reminders fire: from the user's default ("15 minutes before") and from each event's own
//! VALARMs, for every occurrence, across DST.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::alarm::Trigger;
use crate::object::CalendarObject;
use crate::recurrence::{ExpandOptions, Selection, Window, expand};
use crate::user::UserPreferences;

/// Where a reminder comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderSource {
    /// The user's `reminder_minutes_before`.
    Preference,
    /// The event's VALARM at this index (in its component).
    Alarm(usize),
}

/// One reminder to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// When to send it.
    pub fire_at: DateTime<Utc>,
    /// When the occurrence starts.
    pub occurrence_start: DateTime<Utc>,
    /// SUMMARY of the occurrence.
    pub summary: Option<String>,
    /// Default or VALARM.
    pub source: ReminderSource,
}

/// The reminders of `object` that fire in `window`, for a user in `zone` (floating times and
/// all-day events are read there). The preference applies to timed occurrences only: a
/// reminder at 23:45 the night before an all-day event helps nobody; their VALARMs still count.
/// Cancelled occurrences remind no one, and a user with notifications off gets nothing.
pub fn reminders(object: &CalendarObject, preferences: &UserPreferences, zone: Tz, window: Window) -> Vec<Reminder> {
    if !preferences.notifications_enabled || window.to <= window.from {
        return Vec::new();
    }
    let preference = preferences
        .reminder_minutes_before
        .map(|m| Duration::minutes(i64::from(m)));
    let mut lead = preference.unwrap_or_else(Duration::zero);
    let mut lag = Duration::zero();
    for alarm in object.components().flat_map(|c| c.alarms.iter()) {
        if let Trigger::Relative { offset, from_end } = alarm.trigger {
            lead = lead.max(-offset);
            // An alarm after the end of a long event can fire long after its start.
            lag = lag.max(offset + if from_end { Duration::days(7) } else { Duration::zero() });
        }
    }
    let search = Window {
        from: window.from - lag - Duration::days(1),
        to: window.to + lead + Duration::days(1),
    };
    let options = ExpandOptions {
        floating_in: zone,
        selection: Selection::StartsIn,
        ..ExpandOptions::default()
    };
    let mut found = Vec::new();
    for occurrence in expand(object, search, &options).occurrences {
        if occurrence.component.status.as_deref() == Some("CANCELLED") {
            continue;
        }
        let start = occurrence.start.to_utc(zone);
        let end = occurrence.end.as_ref().map_or(start, |e| e.to_utc(zone));
        let summary = occurrence.component.summary.clone();
        let mut push = |fire_at: DateTime<Utc>, source| {
            if fire_at >= window.from && fire_at < window.to {
                found.push(Reminder {
                    fire_at,
                    occurrence_start: start,
                    summary: summary.clone(),
                    source,
                });
            }
        };
        if let Some(before) = preference
            && !occurrence.start.is_date()
        {
            push(start - before, ReminderSource::Preference);
        }
        for (index, alarm) in occurrence.component.alarms.iter().enumerate() {
            if let Trigger::Relative { offset, from_end } = alarm.trigger {
                push(
                    if from_end { end } else { start } + offset,
                    ReminderSource::Alarm(index),
                );
            }
        }
    }
    // Absolute triggers fire once, whatever the recurrence.
    for component in object.components() {
        for (index, alarm) in component.alarms.iter().enumerate() {
            if let Trigger::Absolute(at) = alarm.trigger
                && at >= window.from
                && at < window.to
            {
                let start = component.start.as_ref().map_or(at, |s| s.to_utc(zone));
                found.push(Reminder {
                    fire_at: at,
                    occurrence_start: start,
                    summary: component.summary.clone(),
                    source: ReminderSource::Alarm(index),
                });
            }
        }
    }
    found.sort_by_key(|r| (r.fire_at, r.occurrence_start));
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest_resource;
    use chrono::TimeZone;

    fn object(body: &str) -> CalendarObject {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:u\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        ingest_resource(text.as_bytes()).unwrap().object
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_weekly_reminder_keeps_local_time_across_dst() {
        let object =
            object("DTSTART;TZID=Europe/Berlin:20240321T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n");
        let prefs = UserPreferences {
            reminder_minutes_before: Some(15),
            ..UserPreferences::default()
        };
        let window = Window {
            from: utc(2024, 3, 1, 0, 0),
            to: utc(2024, 4, 30, 0, 0),
        };
        let fired: Vec<_> = reminders(&object, &prefs, chrono_tz::Europe::Berlin, window)
            .into_iter()
            .map(|r| r.fire_at)
            .collect();
        // 08:45 Berlin: CET (UTC+1) before 31 March, CEST (UTC+2) after.
        assert_eq!(
            fired,
            [utc(2024, 3, 21, 7, 45), utc(2024, 3, 28, 7, 45), utc(2024, 4, 4, 6, 45)]
        );
    }

    #[test]
    fn alarms_count_and_notifications_off_silences_all() {
        let object = object(
            "DTSTART:20240101T100000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT1H\r\nEND:VALARM\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=DATE-TIME:20231231T120000Z\r\nEND:VALARM\r\n",
        );
        let prefs = UserPreferences {
            reminder_minutes_before: None,
            ..UserPreferences::default()
        };
        let window = Window {
            from: utc(2023, 12, 1, 0, 0),
            to: utc(2024, 2, 1, 0, 0),
        };
        let fired: Vec<_> = reminders(&object, &prefs, Tz::UTC, window)
            .into_iter()
            .map(|r| (r.fire_at, r.source))
            .collect();
        assert_eq!(
            fired,
            [
                (utc(2023, 12, 31, 12, 0), ReminderSource::Alarm(1)),
                (utc(2024, 1, 1, 9, 0), ReminderSource::Alarm(0))
            ]
        );
        let off = UserPreferences {
            notifications_enabled: false,
            ..prefs
        };
        assert!(reminders(&object, &off, Tz::UTC, window).is_empty());
    }
}
