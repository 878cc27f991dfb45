//! The calendar-query `CALDAV:filter` (RFC 4791 section 9.7) as a typed tree: comp-filter,
//! prop-filter, param-filter, text-match, time-range and is-not-defined.
//!
//! What the server cannot run is refused here as [`FilterError::Unsupported`] (answered
//! `CALDAV:supported-filter`), never silently dropped: a time-range below the object's own
//! component (VALARM) or on a property. It must never evaluate a filter: `http::matching`
//! does.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::names::{CALDAV, Name};
use super::read::{child, elements, text_of};

/// A whole filter: the comp-filters inside the VCALENDAR comp-filter, all of which must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryFilter {
    /// Filters on the VCALENDAR's components (VEVENT, VTODO); empty matches every resource.
    pub comps: Vec<CompFilter>,
}

/// A comp-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompFilter {
    /// VEVENT, VTODO, VALARM, ...
    pub name: String,
    /// Matches when there is *no* such component.
    pub is_not_defined: bool,
    /// The object's occurrences must overlap this range (only on the object's own component).
    pub time_range: Option<TimeRange>,
    /// Each must match a property of the component.
    pub props: Vec<PropFilter>,
    /// Each must match a sub-component.
    pub comps: Vec<CompFilter>,
}

/// A prop-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropFilter {
    /// Property name, upper case.
    pub name: String,
    /// Matches when the component has no such property.
    pub is_not_defined: bool,
    /// The value must match.
    pub text: Option<TextMatch>,
    /// Each must match a parameter of the same property.
    pub params: Vec<ParamFilter>,
}

/// A param-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFilter {
    /// Parameter name, upper case.
    pub name: String,
    /// Matches when the property has no such parameter.
    pub is_not_defined: bool,
    /// A value must match.
    pub text: Option<TextMatch>,
}

/// A text-match: a substring test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    /// The text to find.
    pub text: String,
    /// `i;ascii-casemap` (the default) when true; `i;octet` when false.
    pub case_insensitive: bool,
    /// `negate-condition="yes"`.
    pub negate: bool,
}

/// A CALDAV:time-range; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// `start`
    pub start: Option<DateTime<Utc>>,
    /// `end`
    pub end: Option<DateTime<Utc>>,
}

/// Why a filter cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// A filter element this server does not run (`CALDAV:supported-filter`).
    Unsupported(String),
    /// A collation other than `i;ascii-casemap` and `i;octet` (`CALDAV:supported-collation`).
    Collation(String),
    /// A malformed filter (`CALDAV:valid-filter`).
    Invalid(String),
}

/// A UTC date-time in iCalendar form (`20240101T000000Z`).
pub fn utc(text: &str) -> Result<DateTime<Utc>, FilterError> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y%m%dT%H%M%SZ")
        .map(|naive| naive.and_utc())
        .map_err(|_| FilterError::Invalid(format!("'{text}' is not a UTC date-time like 20240101T000000Z")))
}

fn name_of(node: roxmltree::Node<'_, '_>) -> Result<String, FilterError> {
    match node.attribute("name").map(str::trim) {
        Some(name) if !name.is_empty() => Ok(name.to_ascii_uppercase()),
        _ => Err(FilterError::Invalid(format!("{} needs a name", Name::of(node)))),
    }
}

/// Reads the `CALDAV:filter` of a calendar-query element.
pub fn parse_filter(query: roxmltree::Node<'_, '_>) -> Result<QueryFilter, FilterError> {
    let filter = child(query, CALDAV, "filter")
        .ok_or_else(|| FilterError::Invalid("calendar-query without a filter".to_owned()))?;
    let mut top = elements(filter);
    let calendar = top
        .next()
        .ok_or_else(|| FilterError::Invalid("an empty filter".to_owned()))?;
    if top.next().is_some() || !calendar.has_tag_name((CALDAV, "comp-filter")) || name_of(calendar)? != "VCALENDAR" {
        return Err(FilterError::Invalid(
            "the filter must hold one comp-filter on VCALENDAR".to_owned(),
        ));
    }
    let mut comps = Vec::new();
    for inner in elements(calendar) {
        if !inner.has_tag_name((CALDAV, "comp-filter")) {
            return Err(FilterError::Unsupported(format!("{} on VCALENDAR", Name::of(inner))));
        }
        comps.push(comp_filter(inner, 1)?);
    }
    Ok(QueryFilter { comps })
}

/// A comp-filter at `depth` (1: the object's own component, 2 and more: VALARM and the like).
fn comp_filter(node: roxmltree::Node<'_, '_>, depth: usize) -> Result<CompFilter, FilterError> {
    if depth > 4 {
        return Err(FilterError::Unsupported("comp-filters nested this deep".to_owned()));
    }
    let mut comp = CompFilter {
        name: name_of(node)?,
        is_not_defined: false,
        time_range: None,
        props: Vec::new(),
        comps: Vec::new(),
    };
    for test in elements(node) {
        match (test.tag_name().namespace(), test.tag_name().name()) {
            (Some(CALDAV), "is-not-defined") => comp.is_not_defined = true,
            (Some(CALDAV), "time-range") if depth == 1 => comp.time_range = Some(time_range(test)?),
            (Some(CALDAV), "prop-filter") => comp.props.push(prop_filter(test)?),
            (Some(CALDAV), "comp-filter") => comp.comps.push(comp_filter(test, depth + 1)?),
            _ => {
                return Err(FilterError::Unsupported(format!(
                    "{} in the comp-filter on {}",
                    Name::of(test),
                    comp.name
                )));
            }
        }
    }
    Ok(comp)
}

fn time_range(node: roxmltree::Node<'_, '_>) -> Result<TimeRange, FilterError> {
    let start = node.attribute("start").map(utc).transpose()?;
    let end = node.attribute("end").map(utc).transpose()?;
    match (start, end) {
        (None, None) => Err(FilterError::Invalid("a time-range needs start or end".to_owned())),
        (Some(start), Some(end)) if start >= end => {
            Err(FilterError::Invalid("a time-range must end after it starts".to_owned()))
        }
        _ => Ok(TimeRange { start, end }),
    }
}

fn prop_filter(node: roxmltree::Node<'_, '_>) -> Result<PropFilter, FilterError> {
    let mut prop = PropFilter {
        name: name_of(node)?,
        is_not_defined: false,
        text: None,
        params: Vec::new(),
    };
    for test in elements(node) {
        match (test.tag_name().namespace(), test.tag_name().name()) {
            (Some(CALDAV), "is-not-defined") => prop.is_not_defined = true,
            (Some(CALDAV), "text-match") => prop.text = Some(text_match(test)?),
            (Some(CALDAV), "param-filter") => prop.params.push(param_filter(test)?),
            _ => {
                return Err(FilterError::Unsupported(format!(
                    "{} in the prop-filter on {}",
                    Name::of(test),
                    prop.name
                )));
            }
        }
    }
    Ok(prop)
}

fn param_filter(node: roxmltree::Node<'_, '_>) -> Result<ParamFilter, FilterError> {
    let mut param = ParamFilter {
        name: name_of(node)?,
        is_not_defined: false,
        text: None,
    };
    for test in elements(node) {
        match (test.tag_name().namespace(), test.tag_name().name()) {
            (Some(CALDAV), "is-not-defined") => param.is_not_defined = true,
            (Some(CALDAV), "text-match") => param.text = Some(text_match(test)?),
            _ => {
                return Err(FilterError::Unsupported(format!(
                    "{} in the param-filter on {}",
                    Name::of(test),
                    param.name
                )));
            }
        }
    }
    Ok(param)
}

fn text_match(node: roxmltree::Node<'_, '_>) -> Result<TextMatch, FilterError> {
    let case_insensitive = match node.attribute("collation").unwrap_or("i;ascii-casemap") {
        "i;ascii-casemap" => true,
        "i;octet" => false,
        other => return Err(FilterError::Collation(other.to_owned())),
    };
    let negate = match node.attribute("negate-condition").unwrap_or("no") {
        "yes" => true,
        "no" => false,
        other => {
            return Err(FilterError::Invalid(format!(
                "negate-condition must be yes or no, not '{other}'"
            )));
        }
    };
    Ok(TextMatch {
        text: text_of(node),
        case_insensitive,
        negate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(inner: &str) -> Result<QueryFilter, FilterError> {
        let body = format!(
            "<C:calendar-query xmlns:C='urn:ietf:params:xml:ns:caldav'><C:filter>{inner}</C:filter></C:calendar-query>"
        );
        let document = roxmltree::Document::parse(&body).unwrap();
        parse_filter(document.root_element())
    }

    fn wrap(inner: &str) -> String {
        format!("<C:comp-filter name='VCALENDAR'><C:comp-filter name='VEVENT'>{inner}</C:comp-filter></C:comp-filter>")
    }

    #[test]
    fn reads_the_grammar() {
        assert_eq!(
            filter("<C:comp-filter name='VCALENDAR'/>"),
            Ok(QueryFilter { comps: Vec::new() })
        );
        let ranged = filter(&wrap("<C:time-range start='20240101T000000Z'/>")).unwrap();
        let range = ranged.comps[0].time_range.unwrap();
        assert_eq!(range.start.unwrap().to_rfc3339(), "2024-01-01T00:00:00+00:00");
        assert_eq!(range.end, None);
        let props = filter(&wrap(
            "<C:prop-filter name='summary'><C:text-match collation='i;octet' negate-condition='yes'>Lunch</C:text-match></C:prop-filter>\
             <C:prop-filter name='ATTENDEE'><C:param-filter name='PARTSTAT'><C:is-not-defined/></C:param-filter></C:prop-filter>\
             <C:comp-filter name='VALARM'><C:prop-filter name='ACTION'><C:text-match>display</C:text-match></C:prop-filter></C:comp-filter>",
        ))
        .unwrap();
        let event = &props.comps[0];
        assert_eq!(event.props[0].name, "SUMMARY");
        assert_eq!(
            event.props[0].text,
            Some(TextMatch {
                text: "Lunch".into(),
                case_insensitive: false,
                negate: true
            })
        );
        assert!(event.props[1].params[0].is_not_defined);
        assert_eq!(event.comps[0].name, "VALARM");
        assert!(event.comps[0].props[0].text.as_ref().unwrap().case_insensitive);
    }

    #[test]
    fn refuses_what_it_cannot_run_and_what_is_malformed() {
        let alarm_range = wrap("<C:comp-filter name='VALARM'><C:time-range start='20240101T000000Z'/></C:comp-filter>");
        assert!(matches!(filter(&alarm_range), Err(FilterError::Unsupported(_))));
        let prop_range = wrap("<C:prop-filter name='DTSTAMP'><C:time-range start='20240101T000000Z'/></C:prop-filter>");
        assert!(matches!(filter(&prop_range), Err(FilterError::Unsupported(_))));
        let collation =
            wrap("<C:prop-filter name='UID'><C:text-match collation='i;klingon'>x</C:text-match></C:prop-filter>");
        assert_eq!(filter(&collation), Err(FilterError::Collation("i;klingon".into())));
        assert!(matches!(
            filter(&wrap("<C:time-range start='2024-01-01'/>")),
            Err(FilterError::Invalid(_))
        ));
        assert!(matches!(filter(&wrap("<C:time-range/>")), Err(FilterError::Invalid(_))));
        assert!(matches!(
            filter("<C:comp-filter name='VEVENT'/>"),
            Err(FilterError::Invalid(_))
        ));
        assert!(matches!(
            filter(&wrap("<C:prop-filter/>")),
            Err(FilterError::Invalid(_))
        ));
    }
}
