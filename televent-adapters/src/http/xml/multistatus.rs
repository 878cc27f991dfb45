//! The 207 Multi-Status body (RFC 4918 section 13): responses with propstats or a status, and
//! the sync-token of a sync-collection report.
//!
//! It must never compute property values: it only arranges what it is given.

use http::StatusCode;

use super::names::{DAV, Name};
use super::write::{Element, Node, document, el, href, text};

/// One `<response>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The resource's path.
    pub href: String,
    /// Its properties by status, or one status for the whole resource.
    pub body: ResponseBody,
}

/// What a response says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// Properties grouped by status.
    Propstats(Vec<Propstat>),
    /// One status (a deleted member in a sync report, a missing href in a multiget).
    Status(StatusCode),
}

/// Properties that share one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Propstat {
    /// 200, 404, 403, ...
    pub status: StatusCode,
    /// Each property with its content.
    pub props: Vec<(Name, Vec<Node>)>,
}

/// The HTTP status line as it appears in `<status>`.
pub fn status_line(status: StatusCode) -> String {
    format!("HTTP/1.1 {} {}", status.as_u16(), status.canonical_reason().unwrap_or(""))
}

/// Serialises responses, and a top-level sync-token when given.
pub fn multistatus(responses: &[Response], sync_token: Option<&str>) -> String {
    let mut children: Vec<Node> = responses.iter().map(response).collect();
    if let Some(token) = sync_token {
        children.push(el(DAV, "sync-token", vec![text(token)]));
    }
    document(&Element::new(Name::dav("multistatus"), children))
}

fn response(response: &Response) -> Node {
    let mut children = vec![href(&response.href)];
    match &response.body {
        ResponseBody::Status(status) => children.push(el(DAV, "status", vec![text(status_line(*status))])),
        ResponseBody::Propstats(propstats) => {
            // Every response needs one propstat, even when all were left empty.
            let mut written: Vec<&Propstat> = propstats.iter().filter(|p| !p.props.is_empty()).collect();
            if written.is_empty() {
                written.extend(propstats.first());
            }
            for propstat in written {
                let props = propstat.props.iter().map(|(name, value)| Element::new(name.clone(), value.clone()).node()).collect();
                children.push(el(DAV, "propstat", vec![el(DAV, "prop", props), el(DAV, "status", vec![text(status_line(propstat.status))])]));
            }
        }
    }
    el(DAV, "response", children)
}
