//! The PROPPATCH body (RFC 4918 section 9.2) as an ordered list of property changes.
//!
//! It must never decide which properties may change: `methods::proppatch` does.

use super::names::{DAV, Name};
use super::read::{XmlError, child, elements, parse, text_of};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Set to this text.
    Set(String),
    /// Remove.
    Remove,
}

/// Reads a PROPPATCH body into `(property, change)` in document order.
pub fn parse_proppatch(body: &str) -> Result<Vec<(Name, Change)>, XmlError> {
    let document = parse(body)?;
    let root = document.root_element();
    if !root.has_tag_name((DAV, "propertyupdate")) {
        return Err(XmlError(format!(
            "expected DAV:propertyupdate, found {}",
            Name::of(root)
        )));
    }
    let mut changes = Vec::new();
    for instruction in elements(root) {
        let remove = match (instruction.tag_name().namespace(), instruction.tag_name().name()) {
            (Some(DAV), "set") => false,
            (Some(DAV), "remove") => true,
            _ => continue,
        };
        let Some(prop) = child(instruction, DAV, "prop") else {
            continue;
        };
        for property in elements(prop) {
            let change = if remove {
                Change::Remove
            } else {
                Change::Set(text_of(property))
            };
            changes.push((Name::of(property), change));
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sets_and_removes_in_order() {
        let body = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:E="http://apple.com/ns/ical/"><D:set><D:prop><E:calendar-color >#FF0000FF</E:calendar-color></D:prop></D:set>
            <D:remove><D:prop><D:displayname/></D:prop></D:remove></D:propertyupdate>"#;
        assert_eq!(
            parse_proppatch(body),
            Ok(vec![
                (
                    Name::new("http://apple.com/ns/ical/", "calendar-color"),
                    Change::Set("#FF0000FF".to_owned())
                ),
                (Name::dav("displayname"), Change::Remove),
            ])
        );
        assert!(parse_proppatch("<propfind xmlns='DAV:'/>").is_err());
    }
}
