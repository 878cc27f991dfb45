//! The one place where the app's errors become HTTP statuses and CalDAV preconditions.
//!
//! Bad input from a client is always a 4xx here; only `Internal` is a 500 and only
//! `Unavailable` a 503. It must never hide the cause: both are logged with it.

use http::StatusCode;
use http::header::{HeaderValue, RETRY_AFTER};
use televent_app::AppError;
use televent_domain::event::Href;
use televent_domain::ingest::IngestErrorKind;

use super::metrics::StoreFailure;
use super::response::{Condition, HttpResponse, dav_error, plain};
use super::xml::names::{CALDAV, DAV};
use super::xml::write::href;

/// The response for `error`; `path_of` gives the path of a resource of the calendar in play
/// (for `no-uid-conflict`).
pub fn app_error(error: &AppError, path_of: &dyn Fn(&Href) -> String) -> HttpResponse {
    match error {
        AppError::NotFound(what) => plain(StatusCode::NOT_FOUND, &format!("{what} not found")),
        AppError::Invalid(why) => plain(StatusCode::BAD_REQUEST, why),
        AppError::Ingest(ingest) => {
            let local = match ingest.kind {
                IngestErrorKind::InvalidData => "valid-calendar-data",
                IngestErrorKind::InvalidObject => "valid-calendar-object-resource",
                IngestErrorKind::UnsupportedComponent => "supported-calendar-component",
            };
            dav_error(
                StatusCode::FORBIDDEN,
                Condition::new(CALDAV, local),
                &ingest.to_string(),
            )
        }
        AppError::UnsupportedComponent(_) => dav_error(
            StatusCode::FORBIDDEN,
            Condition::new(CALDAV, "supported-calendar-component"),
            &error.to_string(),
        ),
        AppError::PreconditionFailed => plain(StatusCode::PRECONDITION_FAILED, &error.to_string()),
        AppError::UidConflict(existing) => {
            let condition = Condition {
                content: vec![href(&path_of(existing))],
                ..Condition::new(CALDAV, "no-uid-conflict")
            };
            dav_error(StatusCode::CONFLICT, condition, &error.to_string())
        }
        AppError::Forbidden(why) => dav_error(StatusCode::FORBIDDEN, Condition::new(DAV, "need-privileges"), why),
        AppError::AlreadyExists(_) => dav_error(
            StatusCode::METHOD_NOT_ALLOWED,
            Condition::new(DAV, "resource-must-be-null"),
            &error.to_string(),
        ),
        AppError::SyncToken(_) => dav_error(
            StatusCode::FORBIDDEN,
            Condition::new(DAV, "valid-sync-token"),
            &error.to_string(),
        ),
        AppError::Unavailable(_) => {
            tracing::warn!(error = %error, "storage unavailable");
            let mut response = plain(StatusCode::SERVICE_UNAVAILABLE, "storage is unavailable; try again");
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("5"));
            response.extensions_mut().insert(StoreFailure);
            response
        }
        AppError::Internal(_) => {
            tracing::error!(error = %error, "internal error");
            // Corrupt stored data is the usual cause; counted with storage failures.
            let mut response = plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
            response.extensions_mut().insert(StoreFailure);
            response
        }
    }
}
