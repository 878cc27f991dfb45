//! REPORT bodies as typed requests: calendar-multiget (RFC 4791 section 7.9), calendar-query
//! (section 7.8, filters in [`QueryFilter`]), free-busy-query (section 7.10), sync-collection
//! (RFC 6578 section 3.2), and the principal reports expand-property (RFC 3253),
//! principal-search-property-set and principal-property-search (RFC 3744).
//!
//! It must never run a report: `methods::report` does.

use super::calendar_data::{DataRequest, data_request};
use super::filter::{FilterError, QueryFilter, TimeRange, parse_filter, utc};
use super::names::{CALDAV, DAV, Name};
use super::read::{XmlError, child, elements, parse, text_of};

/// A REPORT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRequest {
    /// CALDAV:calendar-multiget: these properties of these resources.
    Multiget {
        /// Requested properties (`calendar-data` included).
        props: Vec<Name>,
        /// The hrefs as sent.
        hrefs: Vec<String>,
        /// How calendar-data is wanted (expanded, partial).
        data: DataRequest,
    },
    /// DAV:sync-collection: what changed since a token.
    SyncCollection {
        /// The token; empty for the initial sync.
        token: String,
        /// `DAV:limit/DAV:nresults`.
        limit: Option<usize>,
        /// Requested properties.
        props: Vec<Name>,
    },
    /// CALDAV:calendar-query.
    CalendarQuery {
        /// Requested properties.
        props: Vec<Name>,
        /// The filter, or why it cannot be run.
        filter: Result<QueryFilter, FilterError>,
        /// How calendar-data is wanted (expanded, partial).
        data: DataRequest,
    },
    /// CALDAV:free-busy-query: busy time in a range.
    FreeBusy {
        /// Its time-range (start and end are both required).
        range: Option<TimeRange>,
    },
    /// DAV:expand-property (RFC 3253 section 3.8): answered as the top-level properties,
    /// unexpanded (no property here holds hrefs worth expanding).
    ExpandProperty {
        /// The top-level `property` elements.
        props: Vec<Name>,
    },
    /// DAV:principal-search-property-set (RFC 3744 section 9.5).
    PrincipalSearchPropertySet,
    /// DAV:principal-property-search (RFC 3744 section 9.4).
    PrincipalPropertySearch {
        /// Each `property-search`: the properties and the text to find in them.
        searches: Vec<(Vec<Name>, String)>,
        /// `test="anyof"`: one search suffices (the default is all of them).
        any_of: bool,
        /// Properties to return.
        props: Vec<Name>,
    },
    /// A report this server does not know.
    Unsupported(Name),
}

fn props_of(root: roxmltree::Node<'_, '_>) -> Vec<Name> {
    child(root, DAV, "prop")
        .map(|prop| elements(prop).map(Name::of).collect())
        .unwrap_or_default()
}

/// Reads a REPORT body.
pub fn parse_report(body: &str) -> Result<ReportRequest, XmlError> {
    let document = parse(body)?;
    let root = document.root_element();
    let name = Name::of(root);
    if name.is(CALDAV, "calendar-multiget") {
        let hrefs = elements(root)
            .filter(|n| n.has_tag_name((DAV, "href")))
            .map(|n| text_of(n).trim().to_owned())
            .collect();
        return Ok(ReportRequest::Multiget {
            props: props_of(root),
            hrefs,
            data: data_request(root)?,
        });
    }
    if name.is(CALDAV, "calendar-query") {
        return Ok(ReportRequest::CalendarQuery {
            props: props_of(root),
            filter: parse_filter(root),
            data: data_request(root)?,
        });
    }
    if name.is(DAV, "expand-property") {
        let props = elements(root)
            .filter(|n| n.has_tag_name((DAV, "property")))
            .filter_map(|n| {
                n.attribute("name")
                    .map(|local| Name::new(n.attribute("namespace").unwrap_or(DAV), local))
            })
            .collect();
        return Ok(ReportRequest::ExpandProperty { props });
    }
    if name.is(DAV, "principal-search-property-set") {
        return Ok(ReportRequest::PrincipalSearchPropertySet);
    }
    if name.is(DAV, "principal-property-search") {
        let searches = elements(root)
            .filter(|n| n.has_tag_name((DAV, "property-search")))
            .map(|search| {
                let names = child(search, DAV, "prop")
                    .map(|p| elements(p).map(Name::of).collect())
                    .unwrap_or_default();
                let text = child(search, DAV, "match").map(text_of).unwrap_or_default();
                (names, text)
            })
            .collect();
        let any_of = root.attribute("test") == Some("anyof");
        return Ok(ReportRequest::PrincipalPropertySearch {
            searches,
            any_of,
            props: props_of(root),
        });
    }
    if name.is(CALDAV, "free-busy-query") {
        let range = child(root, CALDAV, "time-range").map(|node| {
            let read = |attribute: &str| node.attribute(attribute).and_then(|text| utc(text).ok());
            TimeRange {
                start: read("start"),
                end: read("end"),
            }
        });
        return Ok(ReportRequest::FreeBusy {
            range: range.filter(|r| r.start.is_some() && r.end.is_some() && r.start < r.end),
        });
    }
    if name.is(DAV, "sync-collection") {
        let token = child(root, DAV, "sync-token")
            .map(|n| text_of(n).trim().to_owned())
            .unwrap_or_default();
        let limit = child(root, DAV, "limit")
            .and_then(|l| child(l, DAV, "nresults"))
            .map(|n| {
                text_of(n)
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| XmlError("DAV:nresults is not a number".to_owned()))
            })
            .transpose()?;
        return Ok(ReportRequest::SyncCollection {
            token,
            limit,
            props: props_of(root),
        });
    }
    Ok(ReportRequest::Unsupported(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_multiget_and_sync() {
        let multiget = r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
            <D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/a.ics</D:href><D:href> /b.ics </D:href></C:calendar-multiget>"#;
        assert_eq!(
            parse_report(multiget),
            Ok(ReportRequest::Multiget {
                props: vec![Name::dav("getetag"), Name::caldav("calendar-data")],
                hrefs: vec!["/a.ics".into(), "/b.ics".into()],
                data: DataRequest::default(),
            })
        );
        let sync = "<sync-collection xmlns='DAV:'><sync-token/><sync-level>1</sync-level><limit><nresults>5</nresults></limit><prop><getetag/></prop></sync-collection>";
        assert_eq!(
            parse_report(sync),
            Ok(ReportRequest::SyncCollection {
                token: String::new(),
                limit: Some(5),
                props: vec![Name::dav("getetag")]
            })
        );
        assert!(matches!(
            parse_report("<x xmlns='urn:y'/>"),
            Ok(ReportRequest::Unsupported(_))
        ));
    }

    #[test]
    fn reads_calendar_data_options() {
        let body = "<C:calendar-query xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><D:prop><C:calendar-data><C:expand start='20240101T000000Z' end='20240201T000000Z'/></C:calendar-data></D:prop><C:filter><C:comp-filter name='VCALENDAR'/></C:filter></C:calendar-query>";
        let Ok(ReportRequest::CalendarQuery { data, .. }) = parse_report(body) else {
            panic!()
        };
        assert!(data.expand.is_some());
        assert!(parse_report(&body.replace(" end='20240201T000000Z'", "")).is_err());
    }
}
