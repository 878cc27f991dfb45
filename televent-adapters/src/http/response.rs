//! Building responses: plain statuses, XML bodies, multistatus, and `DAV:error` bodies naming a
//! precondition (RFC 4918 section 16).
//!
//! It must never decide which status a case deserves: the methods and `error` do.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};

use super::xml::names::{DAV, Name};
use super::xml::write::{Element, Node, document, el, text};

pub use super::body::Body;
use super::body::Chunks;
/// A response of the door.
pub type HttpResponse = Response<Body>;

/// A response with `status` and `body`.
pub fn with_body(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> HttpResponse {
    let mut response = Response::new(Body::whole(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// An empty response.
pub fn empty(status: StatusCode) -> HttpResponse {
    let mut response = Response::new(Body::whole(Bytes::new()));
    *response.status_mut() = status;
    response
}

/// A short text for a person.
pub fn plain(status: StatusCode, message: &str) -> HttpResponse {
    with_body(status, "text/plain; charset=utf-8", format!("{message}\n"))
}

/// An XML document.
pub fn xml(status: StatusCode, body: String) -> HttpResponse {
    with_body(status, "application/xml; charset=utf-8", body)
}

/// A 207 Multi-Status.
pub fn multistatus(body: String) -> HttpResponse {
    xml(StatusCode::MULTI_STATUS, body)
}

/// A 207 Multi-Status made as it is sent (a listing of a whole calendar).
pub fn multistatus_in_chunks(chunks: impl Chunks + 'static) -> HttpResponse {
    let mut response = Response::new(Body::chunked(chunks));
    *response.status_mut() = StatusCode::MULTI_STATUS;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    response
}

/// A precondition or postcondition element, optionally with content (e.g. the conflicting href
/// of `no-uid-conflict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Its name (`CALDAV:valid-calendar-data`, `DAV:valid-sync-token`, ...).
    pub name: Name,
    /// Its content.
    pub content: Vec<Node>,
}

impl Condition {
    /// A condition without content.
    pub fn new(ns: &str, local: &str) -> Self {
        Self {
            name: Name::new(ns, local),
            content: Vec::new(),
        }
    }
}

/// A `DAV:error` body naming `condition`, with a sentence for a person in
/// `DAV:responsedescription`.
pub fn dav_error(status: StatusCode, condition: Condition, message: &str) -> HttpResponse {
    let children = vec![
        Element::new(condition.name, condition.content).node(),
        el(DAV, "responsedescription", vec![text(message)]),
    ];
    xml(status, document(&Element::new(Name::dav("error"), children)))
}
