//! Writing XML: a small element tree and its serialisation with fixed prefixes for the
//! namespaces CalDAV uses and generated ones for any other.
//!
//! Every text and attribute value goes through [`escape`]; this module must never write a
//! caller's string unescaped.

use std::fmt::Write as _;

use super::names::{APPLE_ICAL, CALDAV, CALENDARSERVER, DAV, Name};
use super::shared_text::SharedText;

/// An XML node to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Text, escaped when written.
    Text(String),
    /// Text read from shared bytes (a stored resource's calendar-data), escaped when written.
    Shared(SharedText),
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
        Self {
            name,
            attributes: Vec::new(),
            children,
        }
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

/// The XML declaration every document starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

/// Serialises `root` as a document, declaring the fixed prefixes on it.
pub fn document(root: &Element) -> String {
    let mut out = String::from(DECLARATION);
    write_element(&mut out, root, true);
    out
}

/// Writes the start of element `ns:local` (its `<`, name and namespace declarations, not its
/// `>`); `root` declares the fixed prefixes.
fn open(out: &mut String, ns: &str, local: &str, root: bool) {
    let prefix = prefix_of(ns);
    out.push('<');
    if let Some(prefix) = prefix {
        out.push_str(prefix);
        out.push(':');
    }
    out.push_str(local);
    if root {
        for (uri, prefix) in PREFIXES {
            let _ = write!(out, " xmlns:{prefix}=\"");
            escape_into(out, uri);
            out.push('"');
        }
    }
    if prefix.is_none() {
        // Another namespace: a default namespace declaration on the element itself.
        out.push_str(" xmlns=\"");
        escape_into(out, ns);
        out.push('"');
    }
}

/// Writes `<ns:local>` (the root declares the fixed prefixes).
pub fn start(out: &mut String, ns: &str, local: &str, root: bool) {
    open(out, ns, local, root);
    out.push('>');
}

/// Writes `</ns:local>`.
pub fn end(out: &mut String, ns: &str, local: &str) {
    out.push_str("</");
    if let Some(prefix) = prefix_of(ns) {
        out.push_str(prefix);
        out.push(':');
    }
    out.push_str(local);
    out.push('>');
}

/// Writes `<ns:local>text</ns:local>`, the text escaped.
pub fn text_element(out: &mut String, ns: &str, local: &str, value: &str) {
    start(out, ns, local, false);
    escape_into(out, value);
    end(out, ns, local);
}

/// Writes an element named `name` holding `children`.
pub fn write_named(out: &mut String, name: &Name, children: &[Node]) {
    open(out, &name.ns, &name.local, false);
    write_children(out, children, &name.ns, &name.local);
}

fn write_element(out: &mut String, element: &Element, root: bool) {
    open(out, &element.name.ns, &element.name.local, root);
    for (name, value) in &element.attributes {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, value);
        out.push('"');
    }
    write_children(out, &element.children, &element.name.ns, &element.name.local);
}

/// Closes the start tag already written and writes `children` and the end tag (or `/>`).
fn write_children(out: &mut String, children: &[Node], ns: &str, local: &str) {
    if children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in children {
        match child {
            Node::Element(inner) => write_element(out, inner, false),
            Node::Text(value) => escape_into(out, value),
            Node::Shared(shared) => shared.write_escaped(out),
        }
    }
    end(out, ns, local);
}

/// Escapes text for element content and attribute values. Characters XML 1.0 cannot carry
/// (most C0 controls) are dropped; CR is written as `&#13;` so it survives parsing.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape_into(&mut out, value);
    out
}

/// [`escape`], appended to `out`: runs of plain text are copied in one piece, so a value with
/// a few quotes (an ETag) costs little more than one without. Scans bytes: every character it
/// replaces or drops starts with a byte no other character contains (ASCII, or the 0xEF lead
/// byte of U+FFFE and U+FFFF), so each cut falls on a character boundary. Plain text is passed
/// over eight bytes at a time: a report escapes hundreds of KB of calendar-data per answer.
pub fn escape_into(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time to the next one that may need replacing (the last few bytes
        // of the text one at a time).
        if let Some(word) = bytes.get(at..at + 8).and_then(|word| <[u8; 8]>::try_from(word).ok()) {
            let special = special_bytes(u64::from_le_bytes(word));
            if special == 0 {
                at += 8;
                continue;
            }
            at += (special.trailing_zeros() / 8) as usize;
        }
        let Some(byte) = bytes.get(at) else { break };
        let (replacement, width) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\r' => ("&#13;", 1),
            // Characters XML 1.0 cannot carry are dropped: C0 controls, U+FFFE, U+FFFF.
            0..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F => ("", 1),
            0xEF if matches!(bytes.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            // Tab, line feed, and 0xEF leading any other character stay as they are.
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(value.get(plain_from..at).unwrap_or_default());
        out.push_str(replacement);
        at += width;
        plain_from = at;
        // The line feed after a carriage return (every line of calendar-data) goes with the
        // next plain run instead of taking a turn of its own.
        if bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
    }
    out.push_str(value.get(plain_from..).unwrap_or_default());
}

/// The bytes of `word` (eight, little-endian) that [`escape_into`] may replace or drop, each
/// marked by its top bit: control characters, `&<>"'`, and 0xEF. Exact per byte (no carries
/// between bytes), so the lowest mark is the first such byte. OR-ing a bit in first folds `&`
/// with `'` and `<` with `>` into one test each.
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let zero = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    zero(word & (ONES * 0xE0))
        | zero((word | ONES) ^ (ONES * u64::from(b'\'')))
        | zero((word | (ONES * 2)) ^ (ONES * u64::from(b'>')))
        | zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * 0xEF))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_keeps_text_and_drops_what_xml_cannot_carry() {
        for (input, expected) in [
            ("plain text, ünïcödé ✓", "plain text, ünïcödé ✓"),
            ("\"etag\"", "&quot;etag&quot;"),
            ("a&b<c>d'e", "a&amp;b&lt;c&gt;d&apos;e"),
            ("line\r\nnext\ttab", "line&#13;\nnext\ttab"),
            ("bell\u{7}\u{0}x\u{FFFE}y\u{FFFF}", "bellxy"),
            ("", ""),
            ("ä\"", "ä&quot;"),
        ] {
            assert_eq!(escape(input), expected, "{input:?}");
        }
    }

    /// The escape, one character at a time: what the word-at-a-time scan must equal.
    fn escape_by_character(value: &str) -> String {
        value
            .chars()
            .map(|c| match c {
                '&' => "&amp;".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '"' => "&quot;".to_owned(),
                '\'' => "&apos;".to_owned(),
                '\r' => "&#13;".to_owned(),
                '\t' | '\n' => c.to_string(),
                '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => String::new(),
                _ => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn every_special_character_at_every_offset_of_a_long_text() {
        let specials = [
            '&', '<', '>', '"', '\'', '\r', '\n', '\t', '=', '?', '%', '.', '~', '\u{0}', '\u{1F}', '\u{FFFE}',
            '\u{FFFF}', '\u{EFFF}', 'ï', '✓', '\u{7F}',
        ];
        let base = "SUMMARY:Plain text of a calendar line, long enough for many words\r\n";
        for special in specials {
            for offset in 0..40 {
                let mut text: String = base.chars().take(offset).collect();
                text.push(special);
                text.extend(base.chars().skip(offset));
                text.push(special);
                text.push_str("\r\r\n\n\r");
                assert_eq!(escape(&text), escape_by_character(&text), "{special:?} at {offset}");
            }
        }
    }

    #[test]
    fn random_texts_escape_as_character_by_character() {
        // A fixed xorshift sequence: the same texts on every run, many shapes of them.
        let pool = [
            'a', 'Z', ' ', ':', ';', '&', '<', '>', '"', '\'', '\r', '\n', '\t', '\u{1}', 'é', '✓', '\u{FFFE}',
            '\u{FFFF}', '\u{EFBF}', '𝄞',
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 64) as usize;
            let text: String = (0..length)
                .map(|i| pool[((state >> (i % 60)) as usize + i * 7) % pool.len()])
                .collect();
            assert_eq!(escape(&text), escape_by_character(&text), "{text:?}");
        }
    }

    #[test]
    fn writes_namespaces_and_escapes() {
        let root = Element::new(
            Name::dav("multistatus"),
            vec![
                el(DAV, "x", vec![text("a<b & \"c\"\r\n")]),
                empty("urn:other", "y"),
                empty(APPLE_ICAL, "calendar-color"),
            ],
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
