//! The URL layout (documented in docs/caldav.md): which path is which resource, and the paths
//! of resources.
//!
//! ```text
//! /.well-known/caldav                          301 to /dav/
//! /health                                      200 when the store answers
//! /metrics                                     Prometheus text (no user data)
//! /  and  /dav/                                the root (answers current-user-principal)
//! /dav/principals/<user>/                      a principal
//! /dav/calendars/<user>/                       a calendar home
//! /dav/calendars/<user>/<calendar>/            a calendar
//! /dav/calendars/<user>/<calendar>/<resource>  a calendar object resource
//! ```
//!
//! Segments are percent-decoded here and nowhere else. This module must never look anything
//! up: it only maps strings.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/.well-known/caldav`
    WellKnown,
    /// `/health`
    Health,
    /// `/metrics`
    Metrics,
    /// `/`, `/dav/`, `/dav/principals/`, `/dav/calendars/`
    Root,
    /// `/dav/principals/<user>/`
    Principal(String),
    /// `/dav/calendars/<user>/`
    Home(String),
    /// `/dav/calendars/<user>/<calendar>/`
    Calendar {
        /// Owner's name.
        user: String,
        /// Calendar slug.
        calendar: String,
    },
    /// `/dav/calendars/<user>/<calendar>/<resource>`
    Object {
        /// Owner's name.
        user: String,
        /// Calendar slug.
        calendar: String,
        /// Resource name.
        resource: String,
    },
    /// Anything else.
    Unknown,
}

impl Target {
    /// The user whose resource this is, if any.
    pub fn owner(&self) -> Option<&str> {
        match self {
            Self::Principal(user) | Self::Home(user) => Some(user),
            Self::Calendar { user, .. } | Self::Object { user, .. } => Some(user),
            _ => None,
        }
    }
}

/// The prefix of every DAV resource.
pub const DAV_ROOT: &str = "/dav/";

/// Maps a request path (without query) to its target.
pub fn route(path: &str) -> Target {
    match path {
        "/.well-known/caldav" | "/.well-known/caldav/" => return Target::WellKnown,
        "/health" => return Target::Health,
        "/metrics" => return Target::Metrics,
        "/" | "/dav" | "/dav/" | "/dav/principals" | "/dav/principals/" | "/dav/calendars" | "/dav/calendars/" => {
            return Target::Root;
        }
        _ => {}
    }
    let Some(rest) = path.strip_prefix(DAV_ROOT) else {
        return Target::Unknown;
    };
    let collection = rest.ends_with('/');
    let raw: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let mut segments = Vec::with_capacity(raw.len());
    for segment in raw {
        match percent_decode_str(segment).decode_utf8() {
            Ok(decoded) if !decoded.is_empty() => segments.push(decoded.into_owned()),
            _ => return Target::Unknown,
        }
    }
    match segments.as_slice() {
        [kind, user] if kind == "principals" => Target::Principal(user.clone()),
        [kind, user] if kind == "calendars" => Target::Home(user.clone()),
        [kind, user, calendar] if kind == "calendars" => Target::Calendar {
            user: user.clone(),
            calendar: calendar.clone(),
        },
        [kind, user, calendar, resource] if kind == "calendars" && !collection => Target::Object {
            user: user.clone(),
            calendar: calendar.clone(),
            resource: resource.clone(),
        },
        _ => Target::Unknown,
    }
}

/// What stays unescaped in a path segment we write: RFC 3986 unreserved characters and `@`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// One path segment, percent-encoded.
pub fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// The collection of principals.
pub fn principals() -> String {
    format!("{DAV_ROOT}principals/")
}

/// A user's principal.
pub fn principal(user: &str) -> String {
    format!("{DAV_ROOT}principals/{}/", segment(user))
}

/// A user's calendar home.
pub fn home(user: &str) -> String {
    format!("{DAV_ROOT}calendars/{}/", segment(user))
}

/// A calendar.
pub fn calendar(user: &str, slug: &str) -> String {
    format!("{}{}/", home(user), segment(slug))
}

/// A calendar object resource.
pub fn object(user: &str, slug: &str, href: &str) -> String {
    format!("{}{}", calendar(user, slug), segment(href))
}

/// The resource name of a path a client sent in a REPORT body (absolute path or URL) when it
/// names a member of the calendar at `calendar_path`.
pub fn member_of(calendar_path: &str, sent: &str) -> Option<String> {
    let path = match sent.find("://") {
        Some(scheme_end) => {
            let after = sent.get(scheme_end + 3..)?;
            after.find('/').and_then(|slash| after.get(slash..))?
        }
        None => sent,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded_calendar = percent_decode_str(calendar_path).decode_utf8().ok()?;
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let name = decoded.strip_prefix(decoded_calendar.as_ref())?;
    (!name.is_empty() && !name.contains('/')).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_builds() {
        assert_eq!(route("/.well-known/caldav"), Target::WellKnown);
        assert_eq!(route("/"), Target::Root);
        assert_eq!(route("/dav"), Target::Root);
        assert_eq!(route("/dav/principals/alice/"), Target::Principal("alice".into()));
        assert_eq!(route("/dav/principals/alice"), Target::Principal("alice".into()));
        assert_eq!(route("/dav/calendars/alice/"), Target::Home("alice".into()));
        assert_eq!(
            route("/dav/calendars/alice/work"),
            Target::Calendar {
                user: "alice".into(),
                calendar: "work".into()
            }
        );
        assert_eq!(
            route("/dav/calendars/alice/work/a%20b%40c.ics"),
            Target::Object {
                user: "alice".into(),
                calendar: "work".into(),
                resource: "a b@c.ics".into()
            }
        );
        assert_eq!(route("/dav/calendars/alice/work/x.ics/"), Target::Unknown);
        assert_eq!(
            route("/dav/calendars/alice/work/a%2Fb"),
            Target::Object {
                user: "alice".into(),
                calendar: "work".into(),
                resource: "a/b".into()
            }
        );
        assert_eq!(route("/dav/calendars/alice//x"), Target::Unknown);
        assert_eq!(route("/dav/other/alice/"), Target::Unknown);
        assert_eq!(route("/dav/calendars/%FF/"), Target::Unknown);
        assert_eq!(
            object("alice", "work", "a b@c.ics"),
            "/dav/calendars/alice/work/a%20b@c.ics"
        );
        assert_eq!(
            member_of("/dav/calendars/alice/work/", "/dav/calendars/alice/work/a%20b@c.ics"),
            Some("a b@c.ics".into())
        );
        assert_eq!(
            member_of(
                "/dav/calendars/alice/work/",
                "https://h:8/dav/calendars/alice/work/x.ics"
            ),
            Some("x.ics".into())
        );
        assert_eq!(
            member_of("/dav/calendars/alice/work/", "/dav/calendars/alice/other/x.ics"),
            None
        );
    }
}
