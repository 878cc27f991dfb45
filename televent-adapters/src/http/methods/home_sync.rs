//! REPORT sync-collection on the calendar home (RFC 6578, macOS polls it): one response per
//! calendar created or changed since the token (its properties, as PROPFIND gives them), a
//! 404 response per calendar deleted since, and the home's new sync token (`home_token`). The
//! empty token lists every calendar; a token this server did not issue to the user answers 403
//! `DAV:valid-sync-token`. A limit that cuts the list adds a 507 response for the home. Only
//! sync-level 1 exists here (the members of a home are calendars). This module must never
//! write.

use http::StatusCode;

use super::home_token::{HomeChange, HomeState};
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths;
use crate::http::props::{PropContext, Resource};
use crate::http::response::{HttpResponse, multistatus};
use crate::http::xml::multistatus::{Response, ResponseBody, multistatus as write_multistatus};
use crate::http::xml::names::{DAV, Name};
use crate::http::xml::propfind::PropfindRequest;

/// The reports the home answers, as advertised in DAV:supported-report-set: the principal
/// reports and sync-collection.
pub const HOME_REPORTS: [(&str, &str); 4] = [
    (DAV, "expand-property"),
    (DAV, "principal-property-search"),
    (DAV, "principal-search-property-set"),
    (DAV, "sync-collection"),
];

/// sync-collection on the user's home.
pub async fn home_sync(
    dav: &Dav,
    request: &DavRequest,
    token: &str,
    limit: Option<usize>,
    props: &[Name],
) -> HttpResponse {
    let user = &request.user;
    let no_conflict = |href: &televent_domain::event::Href| href.to_string();
    let seen = if token.trim().is_empty() {
        HomeState::default()
    } else {
        match HomeState::parse(token, user.id) {
            Ok(state) => state,
            Err(error) => return app_error(&televent_app::AppError::SyncToken(error), &no_conflict),
        }
    };
    let calendars = match dav.engine.calendars(user).await {
        Ok(calendars) => calendars,
        Err(error) => return app_error(&error, &no_conflict),
    };
    let mut changes = seen.changes(&calendars);
    let truncated = limit.is_some_and(|limit| changes.len() > limit);
    if let Some(limit) = limit {
        changes.truncate(limit);
    }
    let ctx = PropContext {
        user,
        max_resource_size: dav.config.max_resource_size,
        linked_addresses: &[],
        home_sync_token: None,
    };
    let wanted = PropfindRequest::Prop(props.to_vec());
    let name = user.name.as_str();
    let mut responses: Vec<Response> = changes
        .iter()
        .map(|change| match change {
            HomeChange::Changed(calendar) => Resource::Calendar(calendar).propfind(&ctx, &wanted, false),
            HomeChange::Deleted(slug) => Response {
                href: paths::calendar(name, slug),
                body: ResponseBody::Status(StatusCode::NOT_FOUND),
            },
        })
        .collect();
    if truncated {
        responses.push(Response {
            href: paths::home(name),
            body: ResponseBody::Status(StatusCode::INSUFFICIENT_STORAGE),
        });
    }
    let next = seen.after(&changes).token(user.id);
    multistatus(write_multistatus(responses, Some(&next)))
}
