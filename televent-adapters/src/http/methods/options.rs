//! OPTIONS, and the 405 for a method a resource does not take: what each kind of resource
//! allows, and the DAV compliance classes the server really supports.
//!
//! It must never need authentication or reveal anything about a user.

use http::StatusCode;
use http::header::{ALLOW, HeaderValue};

use crate::http::paths::Target;
use crate::http::response::{HttpResponse, empty, plain};

/// The `DAV` header: class 1 and 3 (RFC 4918), calendar-access (RFC 4791), extended-mkcol
/// (RFC 5689).
pub const DAV_CLASSES: &str = "1, 3, calendar-access, extended-mkcol";

/// The methods a target takes.
pub fn allowed(target: &Target) -> &'static str {
    match target {
        Target::Object { .. } => "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND",
        Target::Calendar { .. } => "OPTIONS, GET, HEAD, DELETE, PROPFIND, PROPPATCH, REPORT, MKCALENDAR, MKCOL",
        _ => "OPTIONS, PROPFIND, PROPPATCH, REPORT",
    }
}

/// OPTIONS on a DAV path.
pub fn options(target: &Target) -> HttpResponse {
    let mut response = empty(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert("dav", HeaderValue::from_static(DAV_CLASSES));
    headers.insert(ALLOW, HeaderValue::from_static(allowed(target)));
    response
}

/// 405 with the methods the target does take.
pub fn not_allowed(target: &Target) -> HttpResponse {
    let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed here");
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allowed(target)));
    response
}
