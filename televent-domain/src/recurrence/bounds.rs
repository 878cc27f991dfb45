//! The span of time an object's occurrences can touch, stored with each resource so that a
//! time-range query reads only candidates.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::expand::{DEFAULT_MAX_INSTANCES, ExpandOptions, Selection, Window, expand};
use crate::object::CalendarObject;

/// How far a floating time or a date can move with the reader's zone (UTC-12 to UTC+14).
const FLOATING_SLACK: Duration = Duration::hours(14);

/// The first instant any occurrence can start and the last it can end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeBounds {
    /// `None`: no lower bound (a to-do without dates matches every range).
    pub start: Option<DateTime<Utc>>,
    /// `None`: no upper bound (a rule without COUNT or UNTIL, or too many instances to count).
    pub end: Option<DateTime<Utc>>,
}

impl TimeBounds {
    /// Bounds that match every window.
    pub const UNBOUNDED: Self = Self { start: None, end: None };

    /// Could an occurrence within these bounds overlap `[from, to)`?
    pub fn may_overlap(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.start.is_none_or(|start| start <= to) && self.end.is_none_or(|end| end >= from)
    }
}

/// Computes the bounds of `object`, widened for floating times and dates.
pub fn bounds(object: &CalendarObject) -> TimeBounds {
    let floats = object.components().any(|c| {
        [c.start.as_ref(), c.end.as_ref()]
            .into_iter()
            .flatten()
            .any(|t| t.is_date() || t.is_floating())
    });
    let slack = if floats { FLOATING_SLACK } else { Duration::zero() };
    let unbounded_rule = object
        .master
        .as_ref()
        .is_some_and(|m| m.rrules.iter().any(|r| r.is_unbounded()));
    let (mut start, mut end): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    let mut truncated = false;
    if unbounded_rule {
        // No need to walk a rule without end: it starts at the earliest start it names and
        // never ends. Overrides and RDATEs can only move instances, not before their anchors.
        let anchors = object.components().flat_map(|c| {
            c.start
                .iter()
                .chain(c.end.iter())
                .chain(c.rdates.iter().map(|r| r.start()))
                .map(|t| t.to_utc(Tz::UTC))
        });
        start = anchors.min();
    } else {
        let all_time = Window {
            from: far(1),
            to: far(9999),
        };
        let options = ExpandOptions {
            floating_in: Tz::UTC,
            selection: Selection::Overlaps,
            max_instances: DEFAULT_MAX_INSTANCES / 5,
        };
        let expansion = expand(object, all_time, &options);
        truncated = expansion.truncated;
        for occurrence in &expansion.occurrences {
            let s = occurrence.start.to_utc(Tz::UTC);
            let e = occurrence.end.as_ref().map_or(s, |e| e.to_utc(Tz::UTC)).max(s);
            start = Some(start.map_or(s, |x| x.min(s)));
            end = Some(end.map_or(e, |x| x.max(e)));
        }
    }
    let Some(first) = start else {
        return TimeBounds::UNBOUNDED;
    };
    let open = unbounded_rule || truncated;
    TimeBounds {
        start: Some(first - slack),
        end: if open { None } else { end.map(|e| e + slack) },
    }
}

fn far(year: i32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .unwrap_or_default()
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
}
