//! XML names: a namespace URI and a local name, and the namespaces CalDAV speaks.
//!
//! Names are compared by namespace URI, never by prefix: `<A:prop xmlns:A="DAV:">` and
//! `<prop xmlns="DAV:">` are the same element. This module must never know about prefixes.

use std::fmt;

/// `DAV:` (RFC 4918).
pub const DAV: &str = "DAV:";
/// CalDAV (RFC 4791).
pub const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
/// Apple's CalendarServer extensions (`getctag`).
pub const CALENDARSERVER: &str = "http://calendarserver.org/ns/";
/// Apple iCal extensions (`calendar-color`, `calendar-order`).
pub const APPLE_ICAL: &str = "http://apple.com/ns/ical/";

/// An expanded XML name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    /// Namespace URI; empty for no namespace.
    pub ns: String,
    /// Local name.
    pub local: String,
}

impl Name {
    /// A name in namespace `ns`.
    pub fn new(ns: &str, local: &str) -> Self {
        Self {
            ns: ns.to_owned(),
            local: local.to_owned(),
        }
    }

    /// A `DAV:` name.
    pub fn dav(local: &str) -> Self {
        Self::new(DAV, local)
    }

    /// A CalDAV name.
    pub fn caldav(local: &str) -> Self {
        Self::new(CALDAV, local)
    }

    /// True when this is `local` in `ns`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }

    /// The name of a parsed element.
    pub fn of(node: roxmltree::Node<'_, '_>) -> Self {
        let tag = node.tag_name();
        Self {
            ns: tag.namespace().unwrap_or_default().to_owned(),
            local: tag.name().to_owned(),
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.ns, self.local)
    }
}
