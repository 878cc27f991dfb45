//! DELETE of a calendar (RFC 4918 section 9.6.1): its resources, then the calendar.
//!
//! Every resource is removed through the app's write path (`delete_object`), so each removal
//! tells the attendees of events the user organized, exactly as a single DELETE would; then the
//! store drops the emptied calendar with its change log. The app has no use case for this yet,
//! so the sequence lives here. The default calendar cannot be deleted (403): the CLI and the
//! other doors write into it. It must never delete anything but the calendar the path names.

use http::StatusCode;
use televent_app::AppError;
use televent_domain::calendar::CalendarSlug;
use televent_ports::store::Precondition;

use super::request::load_calendar;
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths;
use crate::http::response::{Condition, HttpResponse, dav_error, empty};
use crate::http::xml::names::DAV;

/// DELETE of the user's calendar `slug`.
pub async fn delete_calendar(dav: &Dav, request: &DavRequest, slug: &str) -> HttpResponse {
    let calendar = match load_calendar(dav, request, slug).await {
        Ok(calendar) => calendar,
        Err(response) => return response,
    };
    if calendar.slug == CalendarSlug::default_calendar() {
        return dav_error(
            StatusCode::FORBIDDEN,
            Condition::new(DAV, "need-privileges"),
            "the default calendar cannot be deleted",
        );
    }
    let user = request.user.name.as_str();
    let path_of = |href: &televent_domain::event::Href| paths::object(user, calendar.slug.as_str(), href.as_str());
    let metas = match dav.engine.store().object_metas(calendar.id).await {
        Ok(metas) => metas,
        Err(error) => return app_error(&error.into(), &path_of),
    };
    for meta in metas {
        match dav
            .engine
            .delete_object(&request.user, &calendar, &meta.href, Precondition::None)
            .await
        {
            // Removed meanwhile by another request: the goal is reached.
            Ok(_) | Err(AppError::NotFound(_)) => {}
            Err(error) => return app_error(&error, &path_of),
        }
    }
    match dav.engine.store().delete_calendar(calendar.id).await {
        Ok(()) => empty(StatusCode::NO_CONTENT),
        Err(error) => app_error(&error.into(), &path_of),
    }
}
