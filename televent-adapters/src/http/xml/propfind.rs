//! The PROPFIND request body (RFC 4918 section 9.1) as a typed request.
//!
//! It must never decide which properties exist: that is `props`' job.

use super::names::{DAV, Name};
use super::read::{XmlError, elements, parse};

/// What a PROPFIND asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropfindRequest {
    /// These properties (`<prop>`).
    Prop(Vec<Name>),
    /// Every live property we list for allprop, plus these (`<include>`).
    AllProp(Vec<Name>),
    /// The names only.
    PropName,
}

/// Reads a PROPFIND body; an empty body means allprop (RFC 4918 section 9.1).
pub fn parse_propfind(body: &str) -> Result<PropfindRequest, XmlError> {
    if body.trim().is_empty() {
        return Ok(PropfindRequest::AllProp(Vec::new()));
    }
    let document = parse(body)?;
    let root = document.root_element();
    if !root.has_tag_name((DAV, "propfind")) {
        return Err(XmlError(format!("expected DAV:propfind, found {}", Name::of(root))));
    }
    let mut include = Vec::new();
    let mut request = None;
    for child in elements(root) {
        match Name::of(child) {
            name if name.is(DAV, "prop") => {
                request = Some(PropfindRequest::Prop(elements(child).map(Name::of).collect()))
            }
            name if name.is(DAV, "allprop") => request = Some(PropfindRequest::AllProp(Vec::new())),
            name if name.is(DAV, "propname") => request = Some(PropfindRequest::PropName),
            name if name.is(DAV, "include") => include.extend(elements(child).map(Name::of)),
            _ => {}
        }
    }
    match request {
        Some(PropfindRequest::AllProp(_)) => Ok(PropfindRequest::AllProp(include)),
        Some(request) => Ok(request),
        None => Err(XmlError(
            "DAV:propfind holds none of prop, allprop, propname".to_owned(),
        )),
    }
}

/// Reads the names in a list of property elements (`<prop>` of a REPORT).
pub fn prop_names(prop: roxmltree::Node<'_, '_>) -> Vec<Name> {
    elements(prop).map(Name::of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_forms_by_namespace_uri() {
        let prop = r#"<A:propfind xmlns:A="DAV:"><A:prop><A:getetag/><x:y xmlns:x="urn:x"/></A:prop></A:propfind>"#;
        assert_eq!(
            parse_propfind(prop),
            Ok(PropfindRequest::Prop(vec![
                Name::dav("getetag"),
                Name::new("urn:x", "y")
            ]))
        );
        assert_eq!(parse_propfind(""), Ok(PropfindRequest::AllProp(Vec::new())));
        assert_eq!(
            parse_propfind("<propfind xmlns='DAV:'><propname/></propfind>"),
            Ok(PropfindRequest::PropName)
        );
        let all = "<propfind xmlns='DAV:'><allprop/><include><getctag xmlns='http://calendarserver.org/ns/'/></include></propfind>";
        assert_eq!(
            parse_propfind(all),
            Ok(PropfindRequest::AllProp(vec![Name::new(
                "http://calendarserver.org/ns/",
                "getctag"
            )]))
        );
        assert!(parse_propfind("<propfind xmlns='urn:not-dav'><prop/></propfind>").is_err());
        assert!(parse_propfind("<propfind").is_err());
    }
}
