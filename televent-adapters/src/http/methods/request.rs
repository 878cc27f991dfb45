//! What several method handlers need from a request: the calendar it names, its body as XML
//! text, its Depth header. Each answers the response that ends the request when it cannot.

use http::StatusCode;
use televent_domain::calendar::Calendar;

use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths;
use crate::http::response::{HttpResponse, plain};
use crate::http::xml::read::XmlError;

/// The user's calendar `slug`, or the response saying it is not there.
pub async fn load_calendar(dav: &Dav, request: &DavRequest, slug: &str) -> Result<Calendar, HttpResponse> {
    dav.engine
        .calendar(&request.user, slug)
        .await
        .map_err(|error| match error {
            televent_app::AppError::Invalid(_) => plain(StatusCode::NOT_FOUND, "not found"),
            other => app_error(&other, &|href| {
                paths::object(request.user.name.as_str(), slug, href.as_str())
            }),
        })
}

/// The body as text, or a 400.
pub fn body_text(request: &DavRequest) -> Result<&str, HttpResponse> {
    crate::http::xml::read::text(&request.body).map_err(|error| bad_xml(&error))
}

/// A 400 for an unreadable XML body.
pub fn bad_xml(error: &XmlError) -> HttpResponse {
    plain(StatusCode::BAD_REQUEST, &error.to_string())
}

/// The Depth header: `Some(0)`, `Some(1)`, or `None` for infinity. Absent is read as `default`.
pub fn depth(request: &DavRequest, default: Option<u8>) -> Result<Option<u8>, HttpResponse> {
    match request.headers.get("depth").map(|v| v.to_str().map(str::trim)) {
        None => Ok(default),
        Some(Ok("0")) => Ok(Some(0)),
        Some(Ok("1")) => Ok(Some(1)),
        Some(Ok(v)) if v.eq_ignore_ascii_case("infinity") => Ok(None),
        _ => Err(plain(StatusCode::BAD_REQUEST, "Depth must be 0, 1 or infinity")),
    }
}
