//! Occurrences of a user's calendars in a time range, in the user's zone.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use televent_domain::calendar::Calendar;
use televent_domain::component::ComponentKind;
use televent_domain::ingest::ingest_resource;
use televent_domain::recurrence::expand::DEFAULT_MAX_INSTANCES;
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};
use televent_domain::user::User;

use crate::engine::Televent;
use crate::error::AppError;

/// One occurrence, placed in the user's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaEntry {
    /// The calendar's display name.
    pub calendar: String,
    /// The calendar's slug (its id in URLs).
    pub calendar_slug: String,
    /// The resource holding the event.
    pub href: String,
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// The object's UID.
    pub uid: String,
    /// SUMMARY
    pub summary: Option<String>,
    /// LOCATION
    pub location: Option<String>,
    /// Start in the user's zone.
    pub start: DateTime<Tz>,
    /// End in the user's zone.
    pub end: Option<DateTime<Tz>>,
    /// An all-day occurrence.
    pub all_day: bool,
    /// True when this occurrence is one instance of a recurring object.
    pub recurring: bool,
}

impl Televent {
    /// Occurrences overlapping `[from, to)` in `calendars` (all of the user's when empty),
    /// recurring ones expanded, cancelled ones left out, sorted by start. Floating times and
    /// all-day events are read in the user's zone. At most `DEFAULT_MAX_INSTANCES`, the
    /// earliest (see [`Self::agenda_limited`]).
    pub async fn agenda(
        &self,
        user: &User,
        calendars: &[Calendar],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<AgendaEntry>, AppError> {
        Ok(self
            .agenda_limited(user, calendars, from, to, DEFAULT_MAX_INSTANCES)
            .await?
            .0)
    }

    /// [`Self::agenda`] with at most `max` entries, the earliest, and whether more were left
    /// out. Memory stays within about twice `max` entries however many events expand into the
    /// window (each event's expansion is capped too).
    pub async fn agenda_limited(
        &self,
        user: &User,
        calendars: &[Calendar],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        max: usize,
    ) -> Result<(Vec<AgendaEntry>, bool), AppError> {
        let max = max.max(1);
        let mut truncated = false;
        let zone = user.time_zone.tz();
        let owned;
        let calendars = if calendars.is_empty() {
            owned = self.store.calendars(user.id).await?;
            owned.as_slice()
        } else {
            calendars
        };
        let options = ExpandOptions {
            floating_in: zone,
            selection: Selection::Overlaps,
            ..ExpandOptions::default()
        };
        let mut entries = Vec::new();
        for calendar in calendars.iter().filter(|c| c.owner == user.id) {
            for stored in self.store.candidates(calendar.id, from, to).await? {
                // Stored bytes passed ingestion once; one that no longer parses is skipped,
                // not fatal to the agenda.
                let Ok(resource) = ingest_resource(&stored.bytes) else {
                    continue;
                };
                for occurrence in expand(&resource.object, Window { from, to }, &options).occurrences {
                    if occurrence.component.status.as_deref() == Some("CANCELLED") {
                        continue;
                    }
                    entries.push(AgendaEntry {
                        calendar: calendar.display_name.clone(),
                        calendar_slug: calendar.slug.as_str().to_owned(),
                        href: stored.href.as_str().to_owned(),
                        kind: resource.object.kind,
                        uid: resource.object.uid.clone(),
                        summary: occurrence.component.summary.clone(),
                        location: occurrence.component.location.clone(),
                        start: occurrence.start.to_utc(zone).with_timezone(&zone),
                        end: occurrence.end.as_ref().map(|e| e.to_utc(zone).with_timezone(&zone)),
                        all_day: occurrence.start.is_date(),
                        recurring: occurrence.recurrence_id.is_some(),
                    });
                }
                if entries.len() > max {
                    truncated = true;
                    sort(&mut entries);
                    entries.truncate(max);
                }
            }
        }
        sort(&mut entries);
        Ok((entries, truncated))
    }
}

fn sort(entries: &mut [AgendaEntry]) {
    entries.sort_by(|a, b| (a.start, &a.summary).cmp(&(b.start, &b.summary)));
}
