//! The 207 Multi-Status body (RFC 4918 section 13): responses with propstats or a status, and
//! the sync-token of a sync-collection report.
//!
//! It must never compute property values: it only arranges what it is given.

use std::borrow::Cow;

use http::StatusCode;

use super::names::{DAV, Name};
use super::write::{DECLARATION, Node, end, start, text_element, write_named};

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
pub fn status_line(status: StatusCode) -> Cow<'static, str> {
    match status {
        StatusCode::OK => Cow::Borrowed("HTTP/1.1 200 OK"),
        StatusCode::NOT_FOUND => Cow::Borrowed("HTTP/1.1 404 Not Found"),
        StatusCode::FORBIDDEN => Cow::Borrowed("HTTP/1.1 403 Forbidden"),
        _ => Cow::Owned(format!(
            "HTTP/1.1 {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )),
    }
}

/// Serialises responses, and a top-level sync-token when given. Written straight into one
/// string: a listing of thousands of resources builds no tree.
pub fn multistatus(responses: Vec<Response>, sync_token: Option<&str>) -> String {
    // Sized up front: a week of calendar-data is hundreds of KB, and growing by doubling
    // copies it again and again.
    let mut writer = MultistatusWriter::with_capacity(responses.iter().map(size_hint).sum());
    writer.extend(&responses);
    writer.finish(sync_token)
}

/// A multistatus written one response at a time, for answers that list a whole calendar: the
/// caller makes each response, writes it and drops it, so the answer holds its text and never
/// a tree of thousands of responses (that tree took several times the text's memory).
#[derive(Debug)]
pub struct MultistatusWriter {
    out: String,
}

impl MultistatusWriter {
    /// A body with room for about `bytes` of responses.
    pub fn with_capacity(bytes: usize) -> Self {
        let mut out = String::with_capacity(DECLARATION.len() + 256 + bytes);
        out.push_str(DECLARATION);
        start(&mut out, DAV, "multistatus", true);
        Self { out }
    }

    /// Writes `response`.
    pub fn push(&mut self, response: &Response) {
        write_response(&mut self.out, response);
    }

    /// Writes each of `responses`.
    pub fn extend<'r>(&mut self, responses: impl IntoIterator<Item = &'r Response>) {
        for response in responses {
            self.push(response);
        }
    }

    /// What was written since the last call, handed over (a chunk of a body sent in pieces).
    pub fn take_written(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Bytes written so far (since the last [`Self::take_written`]).
    pub fn len(&self) -> usize {
        self.out.len()
    }

    /// True when nothing was written since the last [`Self::take_written`].
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Closes the body, with a top-level sync-token when given.
    pub fn finish(mut self, sync_token: Option<&str>) -> String {
        if let Some(token) = sync_token {
            text_element(&mut self.out, DAV, "sync-token", token);
        }
        end(&mut self.out, DAV, "multistatus");
        self.out
    }
}

/// About how many bytes `response` writes.
pub fn size_hint(response: &Response) -> usize {
    fn nodes(children: &[Node]) -> usize {
        children
            .iter()
            .map(|node| match node {
                Node::Text(text) => text.len() + text.len() / 8,
                Node::Shared(text) => text.len() + text.len() / 16,
                Node::Element(element) => 40 + nodes(&element.children),
            })
            .sum()
    }
    let props: usize = match &response.body {
        ResponseBody::Status(_) => 0,
        ResponseBody::Propstats(propstats) => propstats
            .iter()
            .flat_map(|p| p.props.iter())
            .map(|(_, value)| 48 + nodes(value))
            .sum(),
    };
    200 + response.href.len() + props
}

fn write_response(out: &mut String, response: &Response) {
    start(out, DAV, "response", false);
    text_element(out, DAV, "href", &response.href);
    match &response.body {
        ResponseBody::Status(status) => text_element(out, DAV, "status", &status_line(*status)),
        ResponseBody::Propstats(propstats) => {
            // Every response needs one propstat, even when all were left empty.
            let any = propstats.iter().any(|p| !p.props.is_empty());
            for (index, propstat) in propstats.iter().enumerate() {
                if propstat.props.is_empty() && (any || index > 0) {
                    continue;
                }
                start(out, DAV, "propstat", false);
                start(out, DAV, "prop", false);
                for (name, value) in &propstat.props {
                    write_named(out, name, value);
                }
                end(out, DAV, "prop");
                text_element(out, DAV, "status", &status_line(propstat.status));
                end(out, DAV, "propstat");
            }
        }
    }
    end(out, DAV, "response");
}
