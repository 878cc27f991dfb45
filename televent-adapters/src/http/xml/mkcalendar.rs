//! The MKCALENDAR (RFC 4791 section 5.3.1) and extended MKCOL (RFC 5689) bodies as the
//! properties of a new calendar.
//!
//! It must never create anything: `methods::mkcalendar` does, through the app.

use super::names::{APPLE_ICAL, CALDAV, DAV, Name};
use super::read::{XmlError, child, elements, parse, text_of};

/// The properties a client set on a new calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCalendarProps {
    /// DAV:displayname
    pub display_name: Option<String>,
    /// CALDAV:calendar-description
    pub description: Option<String>,
    /// CALDAV:calendar-timezone
    pub time_zone: Option<String>,
    /// Apple calendar-color
    pub color: Option<String>,
    /// Apple calendar-order (ignored when not an integer)
    pub order: Option<i32>,
    /// CALDAV:supported-calendar-component-set, the `name` of each `comp`
    pub components: Vec<String>,
    /// For extended MKCOL: true when the resourcetype asked for a calendar.
    pub is_calendar: bool,
    /// Properties we do not keep (answered 403 in a MKCOL; ignored in MKCALENDAR).
    pub ignored: Vec<Name>,
}

/// Reads a MKCALENDAR or MKCOL body; an empty body sets nothing.
pub fn parse_mkcalendar(body: &str) -> Result<NewCalendarProps, XmlError> {
    let mut props = NewCalendarProps::default();
    if body.trim().is_empty() {
        return Ok(props);
    }
    let document = parse(body)?;
    let root = document.root_element();
    if !(root.has_tag_name((CALDAV, "mkcalendar")) || root.has_tag_name((DAV, "mkcol"))) {
        return Err(XmlError(format!(
            "expected CALDAV:mkcalendar or DAV:mkcol, found {}",
            Name::of(root)
        )));
    }
    for set in elements(root).filter(|n| n.has_tag_name((DAV, "set"))) {
        let Some(prop) = child(set, DAV, "prop") else {
            continue;
        };
        for property in elements(prop) {
            let name = Name::of(property);
            let value = text_of(property);
            match (name.ns.as_str(), name.local.as_str()) {
                (DAV, "displayname") => props.display_name = Some(value.trim().to_owned()),
                (DAV, "resourcetype") => props.is_calendar = child(property, CALDAV, "calendar").is_some(),
                (CALDAV, "calendar-description") => props.description = Some(value),
                (CALDAV, "calendar-timezone") => props.time_zone = Some(value),
                (CALDAV, "supported-calendar-component-set") => {
                    props.components = elements(property)
                        .filter(|c| c.has_tag_name((CALDAV, "comp")))
                        .filter_map(|c| c.attribute("name"))
                        .map(|n| n.to_ascii_uppercase())
                        .collect();
                }
                (APPLE_ICAL, "calendar-color") => props.color = Some(value.trim().to_owned()),
                (APPLE_ICAL, "calendar-order") => props.order = value.trim().parse().ok(),
                _ => props.ignored.push(name),
            }
        }
    }
    Ok(props)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_apple_and_python_bodies() {
        let body = r##"<B:mkcalendar xmlns:B="urn:ietf:params:xml:ns:caldav"><A:set xmlns:A="DAV:"><A:prop>
            <D:calendar-order xmlns:D="http://apple.com/ns/ical/">3</D:calendar-order>
            <B:supported-calendar-component-set><B:comp name="VTODO"/></B:supported-calendar-component-set>
            <D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="custom">#FF0000FF</D:calendar-color>
            <A:displayname>Work &amp; more</A:displayname>
            <B:schedule-calendar-transp><B:opaque/></B:schedule-calendar-transp>
            </A:prop></A:set></B:mkcalendar>"##;
        let props = parse_mkcalendar(body).unwrap();
        assert_eq!(props.display_name.as_deref(), Some("Work & more"));
        assert_eq!(props.order, Some(3));
        assert_eq!(props.color.as_deref(), Some("#FF0000FF"));
        assert_eq!(props.components, ["VTODO"]);
        assert_eq!(props.ignored, [Name::caldav("schedule-calendar-transp")]);
        assert_eq!(parse_mkcalendar(""), Ok(NewCalendarProps::default()));
    }
}
