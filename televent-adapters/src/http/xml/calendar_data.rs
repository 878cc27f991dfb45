//! What a requested `CALDAV:calendar-data` asks for (RFC 4791 section 9.6): `expand` (the
//! occurrences of a window), `limit-recurrence-set` (the master and the overrides that touch a
//! window) and `comp`/`prop` (only some components and properties).
//!
//! `limit-freebusy-set` is accepted and ignored (no VFREEBUSY is ever stored). It must never
//! produce data: `http::expand` and `http::partial` do.

use chrono::{DateTime, Utc};

use super::filter::utc;
use super::names::{CALDAV, DAV};
use super::read::{XmlError, child, elements};

/// A closed range `[start, end)` (the `expand` element needs both ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// `start`
    pub start: DateTime<Utc>,
    /// `end`
    pub end: DateTime<Utc>,
}

/// A `comp` selection: which properties and sub-components of a component to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompSelection {
    /// Component name, upper case.
    pub name: String,
    /// `allprop`, or no property selection at all.
    pub all_props: bool,
    /// Selected property names, upper case.
    pub props: Vec<String>,
    /// `allcomp`, or no component selection at all.
    pub all_comps: bool,
    /// Selected sub-components.
    pub comps: Vec<CompSelection>,
}

/// How calendar-data is to be returned; the default is the stored bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataRequest {
    /// `expand`: the occurrences in this window instead of the stored data.
    pub expand: Option<TimeWindow>,
    /// `comp`: only these components and properties.
    pub select: Option<CompSelection>,
    /// `limit-recurrence-set`: only the overrides that touch this window (and the master).
    pub limit: Option<TimeWindow>,
}

/// Reads the `CALDAV:calendar-data` inside the `DAV:prop` of a REPORT element, if any.
pub fn data_request(report: roxmltree::Node<'_, '_>) -> Result<DataRequest, XmlError> {
    let Some(data) = child(report, DAV, "prop").and_then(|prop| child(prop, CALDAV, "calendar-data")) else {
        return Ok(DataRequest::default());
    };
    let expand = child(data, CALDAV, "expand").map(window).transpose()?;
    let select = child(data, CALDAV, "comp").map(|comp| selection(comp, 0)).transpose()?;
    let limit = child(data, CALDAV, "limit-recurrence-set").map(window).transpose()?;
    Ok(DataRequest { expand, select, limit })
}

/// The window of an `expand` or `limit-recurrence-set` element: both ends, in order.
fn window(node: roxmltree::Node<'_, '_>) -> Result<TimeWindow, XmlError> {
    let element = node.tag_name().name();
    let read = |name: &str| {
        let text = node
            .attribute(name)
            .ok_or_else(|| XmlError(format!("CALDAV:{element} needs {name}")))?;
        utc(text).map_err(|_| XmlError(format!("CALDAV:{element} {name}='{text}' is not a UTC date-time")))
    };
    let (start, end) = (read("start")?, read("end")?);
    if start >= end {
        return Err(XmlError(format!("CALDAV:{element} must end after it starts")));
    }
    Ok(TimeWindow { start, end })
}

fn selection(node: roxmltree::Node<'_, '_>, depth: usize) -> Result<CompSelection, XmlError> {
    if depth > 4 {
        return Err(XmlError("CALDAV:comp nested too deep".to_owned()));
    }
    let name = node
        .attribute("name")
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| XmlError("CALDAV:comp needs a name".to_owned()))?;
    let mut selected = CompSelection {
        name,
        all_props: false,
        props: Vec::new(),
        all_comps: false,
        comps: Vec::new(),
    };
    let (mut any_prop, mut any_comp) = (false, false);
    for item in elements(node) {
        match (item.tag_name().namespace(), item.tag_name().name()) {
            (Some(CALDAV), "allprop") => (selected.all_props, any_prop) = (true, true),
            (Some(CALDAV), "prop") => {
                any_prop = true;
                let name = item
                    .attribute("name")
                    .ok_or_else(|| XmlError("CALDAV:prop needs a name".to_owned()))?;
                selected.props.push(name.to_ascii_uppercase());
            }
            (Some(CALDAV), "allcomp") => (selected.all_comps, any_comp) = (true, true),
            (Some(CALDAV), "comp") => {
                any_comp = true;
                selected.comps.push(selection(item, depth + 1)?);
            }
            _ => {}
        }
    }
    // Saying nothing about properties (or components) selects all of them.
    selected.all_props |= !any_prop;
    selected.all_comps |= !any_comp;
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(data: &str) -> Result<DataRequest, XmlError> {
        let body = format!(
            "<R xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><D:prop><D:getetag/>{data}</D:prop></R>"
        );
        let document = roxmltree::Document::parse(&body).unwrap();
        data_request(document.root_element())
    }

    #[test]
    fn reads_expand_and_selections() {
        assert_eq!(read(""), Ok(DataRequest::default()));
        assert_eq!(read("<C:calendar-data/>"), Ok(DataRequest::default()));
        let expand =
            read("<C:calendar-data><C:expand start='20240101T000000Z' end='20240201T000000Z'/></C:calendar-data>")
                .unwrap();
        assert_eq!(expand.expand.unwrap().end.to_rfc3339(), "2024-02-01T00:00:00+00:00");
        assert!(read("<C:calendar-data><C:expand start='20240101T000000Z'/></C:calendar-data>").is_err());
        let select = read(
            "<C:calendar-data><C:comp name='VCALENDAR'><C:allprop/><C:comp name='VEVENT'><C:prop name='uid'/><C:prop name='DTSTART'/></C:comp></C:comp>\
             <C:limit-recurrence-set start='20240101T000000Z' end='20240201T000000Z'/></C:calendar-data>",
        )
        .unwrap();
        assert_eq!(select.limit.unwrap().start.to_rfc3339(), "2024-01-01T00:00:00+00:00");
        let select = select.select.unwrap();
        assert!(select.all_props && !select.all_comps);
        let event = &select.comps[0];
        assert_eq!(
            (
                event.name.as_str(),
                event.props.clone(),
                event.all_props,
                event.all_comps
            ),
            ("VEVENT", vec!["UID".to_owned(), "DTSTART".to_owned()], false, true)
        );
    }
}
