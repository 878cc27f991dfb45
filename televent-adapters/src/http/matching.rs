//! Whether a stored resource matches a calendar-query filter (RFC 4791 section 9.7).
//!
//! Components, properties and parameters are read from the stored bytes again (the tolerant
//! reader, so what was stored can always be read); a time-range is matched against the
//! object's real occurrences (RFC 4791 section 9.9, overlap semantics), floating times in the
//! caller's zone. A comp-filter matches when *one* component of that name passes all its tests.
//! It is pure and must never touch the store.

use chrono::{DateTime, Duration, TimeZone, Utc};
use televent_domain::component::ComponentKind;
use televent_domain::event::StoredObject;
use televent_domain::ical::value::unescape_text;
use televent_domain::ical::{Component, Property, parse_document};
use televent_domain::object::CalendarObject;
use televent_domain::recurrence::{ExpandOptions, Window, expand};

use super::object_cache::ObjectCache;
use super::xml::filter::{CompFilter, ParamFilter, PropFilter, QueryFilter, TextMatch, TimeRange};

/// What an open time-range start stands for.
pub fn far_past() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(1900, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// What an open time-range end stands for.
pub fn far_future() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2200, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The closed window a time-range stands for.
pub fn window_of(range: TimeRange) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        range.start.unwrap_or_else(far_past),
        range.end.unwrap_or_else(far_future),
    )
}

/// True when `object` has an occurrence overlapping `[from, to)`. Windows grow from one year so
/// that an open-ended query over an endless rule stops at the first occurrence it finds.
pub fn occurs(object: &CalendarObject, from: DateTime<Utc>, to: DateTime<Utc>, options: &ExpandOptions) -> bool {
    let mut start = from;
    let mut width = Duration::days(366);
    while start < to {
        let end = start.checked_add_signed(width).map_or(to, |end| end.min(to));
        let expansion = expand(object, Window { from: start, to: end }, options);
        // A capped expansion is taken as a match: better one resource too many than one lost.
        if !expansion.occurrences.is_empty() || expansion.truncated {
            return true;
        }
        start = end;
        width = width * 2;
    }
    false
}

/// True when the stored resource passes `filter`.
pub fn matches(filter: &QueryFilter, stored: &StoredObject, options: &ExpandOptions, objects: &ObjectCache) -> bool {
    if filter.comps.is_empty() {
        return true;
    }
    // The common filters (a kind, maybe a time-range) are answered from the index and the
    // occurrences, without reading the component tree.
    let on_kinds_only = filter
        .comps
        .iter()
        .all(|c| c.props.is_empty() && c.comps.is_empty() && ComponentKind::from_name(&c.name).is_some());
    if on_kinds_only {
        return filter.comps.iter().all(|comp| {
            let present = ComponentKind::from_name(&comp.name) == Some(stored.index.kind);
            if comp.is_not_defined {
                return !present;
            }
            present
                && comp
                    .time_range
                    .is_none_or(|range| in_range(stored, range, options, objects))
        });
    }
    matches_document(filter, stored, options, objects)
}

/// `matches` on the component tree read from `bytes`: every kind of filter.
fn matches_document(
    filter: &QueryFilter,
    stored: &StoredObject,
    options: &ExpandOptions,
    objects: &ObjectCache,
) -> bool {
    let (document, _) = parse_document(&stored.bytes);
    let components: Vec<&Component> = document
        .calendars
        .iter()
        .flat_map(|calendar| calendar.children.iter())
        .collect();
    filter
        .comps
        .iter()
        .all(|comp| comp_matches(comp, &components, Some((stored, options, objects))))
}

/// `top` is set for the object's own component, where a time-range is matched against the
/// occurrences of the whole object.
fn comp_matches(
    filter: &CompFilter,
    components: &[&Component],
    top: Option<(&StoredObject, &ExpandOptions, &ObjectCache)>,
) -> bool {
    let named: Vec<&Component> = components.iter().copied().filter(|c| c.name == filter.name).collect();
    if filter.is_not_defined {
        return named.is_empty();
    }
    if named.is_empty() {
        return false;
    }
    if let (Some(range), Some((stored, options, objects))) = (filter.time_range, top)
        && !in_range(stored, range, options, objects)
    {
        return false;
    }
    named.iter().any(|component| {
        let children: Vec<&Component> = component.children.iter().collect();
        filter.props.iter().all(|prop| prop_matches(prop, component))
            && filter.comps.iter().all(|comp| comp_matches(comp, &children, None))
    })
}

/// True when the resource has an occurrence in `range`.
fn in_range(stored: &StoredObject, range: TimeRange, options: &ExpandOptions, objects: &ObjectCache) -> bool {
    let (from, to) = window_of(range);
    if let Some(listed) = objects.occurs_listed(stored, Window { from, to }, options) {
        return listed;
    }
    let Some(object) = objects.object(stored) else {
        return false;
    };
    occurs(&object, from, to, options)
}

fn prop_matches(filter: &PropFilter, component: &Component) -> bool {
    let properties: Vec<&Property> = component
        .properties
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case(&filter.name))
        .collect();
    if filter.is_not_defined {
        return properties.is_empty();
    }
    properties.iter().any(|property| {
        filter
            .text
            .as_ref()
            .is_none_or(|text| text_matches(text, &unescape_text(&property.value)))
            && filter.params.iter().all(|param| param_matches(param, property))
    })
}

fn param_matches(filter: &ParamFilter, property: &Property) -> bool {
    let Some(param) = property
        .params
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(&filter.name))
    else {
        return filter.is_not_defined;
    };
    if filter.is_not_defined {
        return false;
    }
    filter
        .text
        .as_ref()
        .is_none_or(|text| param.values.iter().any(|value| text_matches(text, value)))
}

fn text_matches(test: &TextMatch, value: &str) -> bool {
    let found = if test.case_insensitive {
        value.to_ascii_lowercase().contains(&test.text.to_ascii_lowercase())
    } else {
        value.contains(&test.text)
    };
    found != test.negate
}

#[cfg(test)]
mod tests {
    use televent_domain::ingest::ingest_resource;

    use super::*;
    use crate::http::xml::filter::parse_filter;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20240101T000000Z\r\n\
        DTSTART:20240601T100000Z\r\nDURATION:PT1H\r\nSUMMARY:Lunch\\, with Bob\r\n\
        ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:mailto:bob@example.com\r\n\
        BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn check(inner: &str, expected: bool) {
        let body = format!(
            "<C:calendar-query xmlns:C='urn:ietf:params:xml:ns:caldav'><C:filter><C:comp-filter name='VCALENDAR'>{inner}</C:comp-filter></C:filter></C:calendar-query>"
        );
        let document = roxmltree::Document::parse(&body).unwrap();
        let filter = parse_filter(document.root_element()).unwrap();
        let resource = ingest_resource(EVENT.as_bytes()).unwrap();
        let now = chrono::Utc::now();
        let stored = StoredObject {
            id: televent_domain::ids::EventId::new_random(),
            calendar: televent_domain::ids::CalendarId::new_random(),
            href: televent_domain::event::Href::parse("u1.ics").unwrap(),
            etag: resource.etag.clone(),
            bytes: resource.bytes.clone(),
            index: televent_domain::event::ObjectIndexRow::of(&resource),
            created_at: now,
            updated_at: now,
        };
        let options = ExpandOptions::default();
        let objects = ObjectCache::new(4);
        assert_eq!(matches(&filter, &stored, &options, &objects), expected, "{inner}");
        // The shortcut from the index agrees with reading the tree.
        assert_eq!(
            matches_document(&filter, &stored, &options, &objects),
            expected,
            "{inner} (tree)"
        );
    }

    fn event(inner: &str) -> String {
        format!("<C:comp-filter name='VEVENT'>{inner}</C:comp-filter>")
    }

    #[test]
    fn matches_properties_parameters_text_and_sub_components() {
        let cases = [
            (String::new(), true),
            (event(""), true),
            ("<C:comp-filter name='VTODO'/>".to_owned(), false),
            (event("<C:is-not-defined/>"), false),
            (
                "<C:comp-filter name='VTODO'><C:is-not-defined/></C:comp-filter>".to_owned(),
                true,
            ),
            (
                event("<C:prop-filter name='SUMMARY'><C:text-match>lunch, WITH</C:text-match></C:prop-filter>"),
                true,
            ),
            (
                event(
                    "<C:prop-filter name='SUMMARY'><C:text-match collation='i;octet'>lunch</C:text-match></C:prop-filter>",
                ),
                false,
            ),
            (
                event(
                    "<C:prop-filter name='SUMMARY'><C:text-match negate-condition='yes'>dinner</C:text-match></C:prop-filter>",
                ),
                true,
            ),
            (
                event("<C:prop-filter name='LOCATION'><C:is-not-defined/></C:prop-filter>"),
                true,
            ),
            (event("<C:prop-filter name='LOCATION'/>"), false),
            (event("<C:prop-filter name='UID'/>"), true),
            (
                event(
                    "<C:prop-filter name='ATTENDEE'><C:param-filter name='PARTSTAT'><C:text-match>accepted</C:text-match></C:param-filter></C:prop-filter>",
                ),
                true,
            ),
            (
                event(
                    "<C:prop-filter name='ATTENDEE'><C:param-filter name='ROLE'><C:is-not-defined/></C:param-filter></C:prop-filter>",
                ),
                true,
            ),
            (
                event(
                    "<C:prop-filter name='ATTENDEE'><C:param-filter name='CN'><C:is-not-defined/></C:param-filter></C:prop-filter>",
                ),
                false,
            ),
            (
                event(
                    "<C:comp-filter name='VALARM'><C:prop-filter name='ACTION'><C:text-match>display</C:text-match></C:prop-filter></C:comp-filter>",
                ),
                true,
            ),
            (
                event(
                    "<C:comp-filter name='VALARM'><C:prop-filter name='ACTION'><C:text-match>audio</C:text-match></C:prop-filter></C:comp-filter>",
                ),
                false,
            ),
            (
                event("<C:time-range start='20240601T103000Z' end='20240601T110000Z'/>"),
                true,
            ),
            (event("<C:time-range start='20240601T110000Z'/>"), false),
            (event("<C:time-range end='20240601T100000Z'/>"), false),
            (
                event(
                    "<C:time-range start='20240601T000000Z'/><C:prop-filter name='SUMMARY'><C:text-match>Lunch</C:text-match></C:prop-filter>",
                ),
                true,
            ),
        ];
        for (inner, expected) in cases {
            check(&inner, expected);
        }
    }
}
