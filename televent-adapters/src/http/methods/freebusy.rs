//! REPORT free-busy-query (RFC 4791 section 7.10): a VFREEBUSY of the calendar's busy time in a
//! range, answered 200 as text/calendar.
//!
//! Busy time is the occurrences of events (not to-dos) that overlap the range, each clipped to
//! it, except transparent (TRANSP:TRANSPARENT) and cancelled ones; tentative ones are
//! `FBTYPE=BUSY-TENTATIVE`. Periods of one type that touch are merged. This module must never
//! write, and never say more than busy periods (no summaries, no UIDs).

use chrono::{DateTime, Duration, Utc};
use http::StatusCode;
use televent_domain::calendar::Calendar;
use televent_domain::component::ComponentKind;
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};

use crate::http::error::app_error;
use crate::http::handler::Dav;
use crate::http::props::PropContext;
use crate::http::response::{Condition, HttpResponse, dav_error, with_body};
use crate::http::xml::filter::TimeRange;
use crate::http::xml::names::CALDAV;

/// A busy period, `[start, end)`, and whether it is only tentative.
type Period = (DateTime<Utc>, DateTime<Utc>, bool);

const FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The VFREEBUSY text for `periods` in `[from, to)`, stamped `now`.
pub fn vfreebusy(mut periods: Vec<Period>, from: DateTime<Utc>, to: DateTime<Utc>, now: DateTime<Utc>) -> String {
    periods.sort_by_key(|(start, end, tentative)| (*tentative, *start, *end));
    let mut merged: Vec<Period> = Vec::new();
    for (start, end, tentative) in periods {
        match merged.last_mut() {
            Some(last) if last.2 == tentative && start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end, tentative)),
        }
    }
    let mut out =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent//Televent//EN\r\nBEGIN:VFREEBUSY\r\n");
    out.push_str(&format!(
        "DTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\n",
        now.format(FORMAT),
        from.format(FORMAT),
        to.format(FORMAT)
    ));
    for (start, end, tentative) in merged {
        let kind = if tentative { ";FBTYPE=BUSY-TENTATIVE" } else { "" };
        out.push_str(&format!(
            "FREEBUSY{kind}:{}/{}\r\n",
            start.format(FORMAT),
            end.format(FORMAT)
        ));
    }
    out.push_str("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
    out
}

/// free-busy-query on `calendar`.
pub async fn free_busy(
    dav: &Dav,
    ctx: &PropContext<'_>,
    calendar: &Calendar,
    range: Option<TimeRange>,
) -> HttpResponse {
    let Some((from, to)) = range.and_then(|r| r.start.zip(r.end)) else {
        let message = "free-busy-query needs a time-range with start and end";
        return dav_error(StatusCode::FORBIDDEN, Condition::new(CALDAV, "valid-filter"), message);
    };
    let candidates = match dav.engine.store().candidates(calendar.id, from, to).await {
        Ok(candidates) => candidates,
        Err(error) => return app_error(&error.into(), &|href| href.to_string()),
    };
    let zone = ctx.user.time_zone.tz();
    let options = ExpandOptions {
        floating_in: zone,
        selection: Selection::Overlaps,
        ..ExpandOptions::default()
    };
    let mut periods = Vec::new();
    for stored in candidates.iter().filter(|s| s.index.kind == ComponentKind::Event) {
        let Some(object) = dav.objects.object(stored) else {
            continue;
        };
        for occurrence in expand(&object, Window { from, to }, &options).occurrences {
            let component = occurrence.component;
            let status = component.status.as_deref().map(str::to_ascii_uppercase);
            if component.transparent || status.as_deref() == Some("CANCELLED") {
                continue;
            }
            let start = occurrence.start.to_utc(zone);
            let end = match &occurrence.end {
                Some(end) => end.to_utc(zone),
                // An all-day event without an end takes its day; a moment takes no time.
                None if occurrence.start.is_date() => start + Duration::days(1),
                None => start,
            };
            let (start, end) = (start.max(from), end.min(to));
            if start < end {
                periods.push((start, end, status.as_deref() == Some("TENTATIVE")));
            }
        }
    }
    with_body(
        StatusCode::OK,
        "text/calendar; charset=utf-8",
        vfreebusy(periods, from, to, dav.engine.now()),
    )
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 1, hour, 0, 0).unwrap()
    }

    #[test]
    fn merges_touching_periods_of_one_type() {
        let text = vfreebusy(
            vec![
                (at(10), at(11), false),
                (at(9), at(10), false),
                (at(12), at(13), false),
                (at(10), at(12), true),
            ],
            at(0),
            at(23),
            at(8),
        );
        assert!(
            text.contains("FREEBUSY:20240601T090000Z/20240601T110000Z\r\n"),
            "{text}"
        );
        assert!(
            text.contains("FREEBUSY:20240601T120000Z/20240601T130000Z\r\n"),
            "{text}"
        );
        assert!(
            text.contains("FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240601T100000Z/20240601T120000Z\r\n"),
            "{text}"
        );
        assert!(
            text.contains("DTSTART:20240601T000000Z\r\nDTEND:20240601T230000Z\r\n"),
            "{text}"
        );
    }
}
