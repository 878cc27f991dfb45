//! REPORT bodies as typed requests: calendar-multiget (RFC 4791 section 7.9) and
//! sync-collection (RFC 6578 section 3.2).
//!
//! It must never run a report: `methods::report` does.

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
    /// A report this server does not know.
    Unsupported(Name),
}

fn props_of(root: roxmltree::Node<'_, '_>) -> Vec<Name> {
    child(root, DAV, "prop").map(|prop| elements(prop).map(Name::of).collect()).unwrap_or_default()
}

/// Reads a REPORT body.
pub fn parse_report(body: &str) -> Result<ReportRequest, XmlError> {
    let document = parse(body)?;
    let root = document.root_element();
    let name = Name::of(root);
    if name.is(CALDAV, "calendar-multiget") {
        let hrefs = elements(root).filter(|n| n.has_tag_name((DAV, "href"))).map(|n| text_of(n).trim().to_owned()).collect();
        return Ok(ReportRequest::Multiget { props: props_of(root), hrefs });
    }
    if name.is(DAV, "sync-collection") {
        let token = child(root, DAV, "sync-token").map(|n| text_of(n).trim().to_owned()).unwrap_or_default();
        let limit = child(root, DAV, "limit")
            .and_then(|l| child(l, DAV, "nresults"))
            .map(|n| text_of(n).trim().parse::<usize>().map_err(|_| XmlError("DAV:nresults is not a number".to_owned())))
            .transpose()?;
        return Ok(ReportRequest::SyncCollection { token, limit, props: props_of(root) });
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
            Ok(ReportRequest::Multiget { props: vec![Name::dav("getetag"), Name::caldav("calendar-data")], hrefs: vec!["/a.ics".into(), "/b.ics".into()] })
        );
        let sync = "<sync-collection xmlns='DAV:'><sync-token/><sync-level>1</sync-level><limit><nresults>5</nresults></limit><prop><getetag/></prop></sync-collection>";
        assert_eq!(parse_report(sync), Ok(ReportRequest::SyncCollection { token: String::new(), limit: Some(5), props: vec![Name::dav("getetag")] }));
        assert!(matches!(parse_report("<x xmlns='urn:y'/>"), Ok(ReportRequest::Unsupported(_))));
    }
}
