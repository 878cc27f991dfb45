//! Writing XML: a small element tree and its serialisation with fixed prefixes for the
//! namespaces CalDAV uses and generated ones for any other.
//!
//! Every text and attribute value goes through [`escape`]; this module must never write a
//! caller's string unescaped.

use std::fmt::Write as _;

use super::names::{APPLE_ICAL, CALDAV, CALENDARSERVER, DAV, Name};

/// An XML node to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Text, escaped when written.
    Text(String),
}

/// An element with attributes (no namespace) and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Its name.
    pub name: Name,
    /// Attributes in no namespace.
    pub attributes: Vec<(String, String)>,
    /// Its content.
    pub children: Vec<Node>,
}

impl Element {
    /// An element with children.
    pub fn new(name: Name, children: Vec<Node>) -> Self {
        Self { name, attributes: Vec::new(), children }
    }

    /// Adds an attribute.
    pub fn attr(mut self, name: &str, value: &str) -> Self {
        self.attributes.push((name.to_owned(), value.to_owned()));
        self
    }

    /// As a node.
    pub fn node(self) -> Node {
        Node::Element(self)
    }
}

/// An element `ns:local` holding `children`.
pub fn el(ns: &str, local: &str, children: Vec<Node>) -> Node {
    Node::Element(Element::new(Name::new(ns, local), children))
}

/// An empty element `ns:local`.
pub fn empty(ns: &str, local: &str) -> Node {
    el(ns, local, Vec::new())
}

/// A text node.
pub fn text(value: impl Into<String>) -> Node {
    Node::Text(value.into())
}

/// `<D:href>path</D:href>`.
pub fn href(path: &str) -> Node {
    el(DAV, "href", vec![text(path)])
}

/// The fixed prefixes, declared once on the root element.
const PREFIXES: [(&str, &str); 4] = [(DAV, "d"), (CALDAV, "c"), (CALENDARSERVER, "cs"), (APPLE_ICAL, "ical")];

fn prefix_of(ns: &str) -> Option<&'static str> {
    PREFIXES.iter().find(|(uri, _)| *uri == ns).map(|(_, prefix)| *prefix)
}

/// Serialises `root` as a document, declaring the fixed prefixes on it.
pub fn document(root: &Element) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_element(&mut out, root, true);
    out
}

fn write_element(out: &mut String, element: &Element, root: bool) {
    let (tag, declaration) = match prefix_of(&element.name.ns) {
        Some(prefix) => (format!("{prefix}:{}", element.name.local), None),
        // Another namespace: a default namespace declaration on the element itself.
        None => (element.name.local.clone(), Some(element.name.ns.as_str())),
    };
    out.push('<');
    out.push_str(&tag);
    if root {
        for (uri, prefix) in PREFIXES {
            let _ = write!(out, " xmlns:{prefix}=\"{}\"", escape(uri));
        }
    }
    if let Some(ns) = declaration {
        let _ = write!(out, " xmlns=\"{}\"", escape(ns));
    }
    for (name, value) in &element.attributes {
        let _ = write!(out, " {name}=\"{}\"", escape(value));
    }
    if element.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in &element.children {
        match child {
            Node::Element(inner) => write_element(out, inner, false),
            Node::Text(value) => out.push_str(&escape(value)),
        }
    }
    let _ = write!(out, "</{tag}>");
}

/// Escapes text for element content and attribute values. Characters XML 1.0 cannot carry
/// (most C0 controls) are dropped; CR is written as `&#13;` so it survives parsing.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_namespaces_and_escapes() {
        let root = Element::new(
            Name::dav("multistatus"),
            vec![el(DAV, "x", vec![text("a<b & \"c\"\r\n")]), empty("urn:other", "y"), empty(APPLE_ICAL, "calendar-color")],
        );
        let xml = document(&root);
        assert!(xml.contains("<d:multistatus xmlns:d=\"DAV:\""));
        assert!(xml.contains("<d:x>a&lt;b &amp; &quot;c&quot;&#13;\n</d:x>"));
        assert!(xml.contains("<y xmlns=\"urn:other\"/>"));
        let parsed = roxmltree::Document::parse(&xml).unwrap();
        let x = parsed.descendants().find(|n| n.has_tag_name(("DAV:", "x"))).unwrap();
        assert_eq!(x.text(), Some("a<b & \"c\"\r\n"));
        assert!(parsed.descendants().any(|n| n.has_tag_name(("urn:other", "y"))));
    }
}
