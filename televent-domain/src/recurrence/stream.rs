//! The occurrences of every VEVENT and VTODO in a whole iCalendar stream, owned and sorted:
//! what `televent expand` prints and what the corpus is checked against.

use chrono_tz::Tz;

use super::expand::{ExpandOptions, Window, expand};
use crate::component::ComponentKind;
use crate::ical::{Problem, parse_document};
use crate::ical_time::IcalTime;
use crate::ingest::{Duplicates, FoundObject, read_calendar};
use crate::object::CalendarObject;

/// One occurrence, detached from the parsed stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamOccurrence {
    /// VEVENT or VTODO.
    pub kind: ComponentKind,
    /// UID, if the component had one.
    pub uid: Option<String>,
    /// RECURRENCE-ID, set only when the occurrence is an override component.
    pub recurrence_id: Option<IcalTime>,
    /// Start.
    pub start: IcalTime,
    /// End (DTEND, DUE, or computed).
    pub end: Option<IcalTime>,
    /// SUMMARY
    pub summary: Option<String>,
    /// STATUS
    pub status: Option<String>,
}

/// Occurrences of a stream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamExpansion {
    /// Sorted by start (floating read in the caller's zone), then UID.
    pub occurrences: Vec<StreamOccurrence>,
    /// True when any object hit the instance cap.
    pub truncated: bool,
    /// Problems met while reading.
    pub problems: Vec<Problem>,
}

/// Expands every VEVENT and VTODO of `bytes` in `window`. Objects are grouped by UID as an
/// import would group them; a VEVENT without a readable start is left out and reported.
pub fn expand_stream(bytes: &[u8], window: Window, options: &ExpandOptions) -> StreamExpansion {
    let (document, problems) = parse_document(bytes);
    let read = read_calendar(&document, problems, Duplicates::FirstPerCalendar);
    let mut result = StreamExpansion {
        problems: read.problems.clone(),
        ..StreamExpansion::default()
    };
    for found in &read.objects {
        for object in objects_as_written(found, &mut result.problems) {
            collect(&object, found.uid.clone(), window, options, &mut result);
        }
    }
    let floating_in = options.floating_in;
    result.occurrences.sort_by(|a, b| {
        let key = |o: &StreamOccurrence| (o.start.to_utc(floating_in), o.uid.clone());
        key(a).cmp(&key(b)).then_with(|| a.summary.cmp(&b.summary))
    });
    result
}

/// One object per master (several VCALENDARs may each define a UID; each definition is
/// expanded with the UID's overrides), or one object of overrides alone. Events without a
/// start are reported.
fn objects_as_written(found: &FoundObject<'_>, problems: &mut Vec<Problem>) -> Vec<CalendarObject> {
    let uid = found.uid.clone().unwrap_or_default();
    let mut usable = Vec::new();
    for (raw, component) in &found.components {
        if component.kind == ComponentKind::Event && component.start.is_none() {
            problems.push(Problem::skipped(
                raw.line,
                format!("{} has no readable DTSTART; not expanded", raw.name),
            ));
        } else {
            usable.push(component);
        }
    }
    let (masters, overrides): (Vec<_>, Vec<_>) = usable.into_iter().partition(|c| c.recurrence_id.is_none());
    let Some(kind) = masters.first().or(overrides.first()).map(|c| c.kind) else {
        return Vec::new();
    };
    let overrides: Vec<_> = overrides.into_iter().cloned().collect();
    if masters.is_empty() {
        return vec![CalendarObject {
            uid,
            kind,
            master: None,
            overrides,
        }];
    }
    masters
        .into_iter()
        .map(|master| CalendarObject {
            uid: uid.clone(),
            kind,
            master: Some(master.clone()),
            overrides: overrides.clone(),
        })
        .collect()
}

fn collect(
    object: &CalendarObject,
    uid: Option<String>,
    window: Window,
    options: &ExpandOptions,
    result: &mut StreamExpansion,
) {
    let expansion = expand(object, window, options);
    result.truncated |= expansion.truncated;
    for occurrence in expansion.occurrences {
        result.occurrences.push(StreamOccurrence {
            kind: object.kind,
            uid: uid.clone(),
            recurrence_id: if occurrence.is_override {
                occurrence.recurrence_id
            } else {
                None
            },
            start: occurrence.start,
            end: occurrence.end,
            summary: occurrence.component.summary.clone(),
            status: occurrence.component.status.clone(),
        });
    }
}

/// The zone `expand_stream` callers use to match the corpus oracle: floating times as UTC.
pub const ORACLE_FLOATING_ZONE: Tz = Tz::UTC;
