//! Reading a request body as XML, safely: bounded size and node count, no DTD (so no entity
//! expansion and no external entities), UTF-8 only.
//!
//! It must never interpret what it reads: the typed request modules (`propfind`, `mkcalendar`,
//! `report`) do that.

use roxmltree::{Document, ParsingOptions};

/// The most nodes one request body may hold (a multiget of thousands of hrefs fits).
const MAX_NODES: u32 = 200_000;

/// Why a body is not acceptable XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the request body is not acceptable XML: {0}")]
pub struct XmlError(pub String);

/// Parses `body` (already size-bounded by the caller). A DTD is refused.
pub fn parse(body: &str) -> Result<Document<'_>, XmlError> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(body, options).map_err(|error| XmlError(error.to_string()))
}

/// The body as text: UTF-8 (a BOM is skipped).
pub fn text(body: &[u8]) -> Result<&str, XmlError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(body);
    std::str::from_utf8(body).map_err(|_| XmlError("the body is not UTF-8".to_owned()))
}

/// The element children of `node`.
pub fn elements<'a, 'input>(node: roxmltree::Node<'a, 'input>) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children().filter(roxmltree::Node::is_element)
}

/// The first element child of `node` named `local` in `ns`.
pub fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    ns: &str,
    local: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    elements(node).find(|c| c.tag_name().namespace() == Some(ns) && c.tag_name().name() == local)
}

/// The concatenated text of `node` and its descendants.
pub fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dtds_and_entities() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>"#;
        assert!(parse(bomb).is_err());
        assert!(parse("<x xmlns='DAV:'/>").is_ok());
        assert!(text(b"\xEF\xBB\xBF<x/>").is_ok());
        assert!(text(b"\xff").is_err());
    }
}
