//! DELETE of a calendar (RFC 4918 section 9.6.1), through the app's `delete_calendar` use case:
//! every resource is removed through the write path (attendees of events the user organized are
//! told), then the calendar with its change log, and the deletion is audited. The default
//! calendar cannot be deleted (`AppError::Forbidden`: 403 with `DAV:need-privileges`). It must
//! never delete anything but the calendar the path names.

use http::StatusCode;

use super::request::load_calendar;
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths;
use crate::http::response::{HttpResponse, empty};

/// DELETE of the user's calendar `slug`.
pub async fn delete_calendar(dav: &Dav, request: &DavRequest, slug: &str) -> HttpResponse {
    let calendar = match load_calendar(dav, request, slug).await {
        Ok(calendar) => calendar,
        Err(response) => return response,
    };
    let user = request.user.name.as_str();
    let path_of = |href: &televent_domain::event::Href| paths::object(user, calendar.slug.as_str(), href.as_str());
    match dav.engine.delete_calendar(&request.user, &calendar).await {
        Ok(()) => {
            dav.snapshots.forget(calendar.id);
            empty(StatusCode::NO_CONTENT)
        }
        Err(error) => app_error(&error, &path_of),
    }
}
