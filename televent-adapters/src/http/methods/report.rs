//! REPORT on a calendar: calendar-multiget and sync-collection (RFC 6578: the empty token is
//! the initial sync, a bad token gets `DAV:valid-sync-token`, deletions are 404 responses, a
//! limit that cuts the list adds a 507 response for the collection).
//!
//! Only the reports listed in [`SUPPORTED_REPORTS`] are advertised and answered; any other is
//! refused with `DAV:supported-report`. This module must never write.

use http::StatusCode;
use televent_domain::calendar::Calendar;
use televent_domain::event::{Href, StoredObject};
use televent_domain::sync::{ChangeKind, SyncToken};

use super::{bad_xml, body_text, load_calendar, options};
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths::{self, Target};
use crate::http::props::{PropContext, Resource};
use crate::http::response::{Condition, HttpResponse, dav_error, multistatus};
use crate::http::xml::multistatus::{Propstat, Response, ResponseBody, multistatus as write_multistatus};
use crate::http::xml::names::{CALDAV, DAV, Name};
use crate::http::xml::report::{ReportRequest, parse_report};
use crate::http::xml::write::text;

/// The reports a calendar answers, as advertised in DAV:supported-report-set.
pub const SUPPORTED_REPORTS: [(&str, &str); 2] = [(CALDAV, "calendar-multiget"), (DAV, "sync-collection")];

/// REPORT.
pub async fn report(dav: &Dav, request: &DavRequest) -> HttpResponse {
    let Target::Calendar { calendar, .. } = &request.target else {
        return options::not_allowed(&request.target);
    };
    let query = match body_text(request).map(parse_report) {
        Ok(Ok(query)) => query,
        Ok(Err(error)) => return bad_xml(&error),
        Err(response) => return response,
    };
    let calendar = match load_calendar(dav, request, calendar).await {
        Ok(calendar) => calendar,
        Err(response) => return response,
    };
    let ctx = PropContext { user: &request.user, max_resource_size: dav.config.max_resource_size };
    match query {
        ReportRequest::Multiget { props, hrefs } => multiget(dav, &ctx, &calendar, &props, &hrefs).await,
        ReportRequest::SyncCollection { token, limit, props } => sync_collection(dav, &ctx, &calendar, &token, limit, &props).await,
        ReportRequest::Unsupported(name) => {
            dav_error(StatusCode::FORBIDDEN, Condition::new(DAV, "supported-report"), &format!("the report {name} is not supported here"))
        }
    }
}

fn conflict_path<'a>(ctx: &'a PropContext<'a>, calendar: &'a Calendar) -> impl Fn(&Href) -> String + 'a {
    move |href: &Href| paths::object(ctx.user.name.as_str(), calendar.slug.as_str(), href.as_str())
}

/// The response for one resource: calendar-data from its bytes, the rest from its listing data.
fn object_response(ctx: &PropContext<'_>, calendar: &Calendar, object: &StoredObject, props: &[Name]) -> Response {
    let meta = object.meta();
    let resource = Resource::Object(calendar, &meta);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in props {
        if name.is(CALDAV, "calendar-data") {
            found.push((name.clone(), vec![text(String::from_utf8_lossy(&object.bytes))]));
        } else if let Some(value) = resource.value(ctx, name) {
            found.push((name.clone(), value));
        } else {
            missing.push((name.clone(), Vec::new()));
        }
    }
    let propstats = vec![Propstat { status: StatusCode::OK, props: found }, Propstat { status: StatusCode::NOT_FOUND, props: missing }];
    Response { href: resource.href(ctx), body: ResponseBody::Propstats(propstats) }
}

async fn multiget(dav: &Dav, ctx: &PropContext<'_>, calendar: &Calendar, props: &[Name], sent: &[String]) -> HttpResponse {
    let calendar_path = paths::calendar(ctx.user.name.as_str(), calendar.slug.as_str());
    let wanted: Vec<(String, Option<Href>)> = sent
        .iter()
        .map(|href| (href.clone(), paths::member_of(&calendar_path, href).and_then(|name| Href::parse(&name).ok())))
        .collect();
    let hrefs: Vec<Href> = wanted.iter().filter_map(|(_, href)| href.clone()).collect();
    let objects = match dav.engine.store().objects_by_hrefs(calendar.id, &hrefs).await {
        Ok(objects) => objects,
        Err(error) => return app_error(&error.into(), &conflict_path(ctx, calendar)),
    };
    let responses: Vec<Response> = wanted
        .iter()
        .map(|(sent, href)| match href.as_ref().and_then(|h| objects.iter().find(|o| &o.href == h)) {
            Some(object) => object_response(ctx, calendar, object, props),
            None => Response { href: sent.clone(), body: ResponseBody::Status(StatusCode::NOT_FOUND) },
        })
        .collect();
    multistatus(write_multistatus(&responses, None))
}

async fn sync_collection(
    dav: &Dav,
    ctx: &PropContext<'_>,
    calendar: &Calendar,
    token: &str,
    limit: Option<usize>,
    props: &[Name],
) -> HttpResponse {
    let invalid = |message: &str| dav_error(StatusCode::FORBIDDEN, Condition::new(DAV, "valid-sync-token"), message);
    let since = if token.is_empty() {
        None
    } else {
        match SyncToken::parse(token, calendar.id) {
            Ok(token) => Some(token),
            Err(error) => return invalid(&error.to_string()),
        }
    };
    let changes = match dav.engine.store().changes_since(calendar.id, since, limit).await {
        Ok(changes) => changes,
        Err(error) => return app_error(&error.into(), &conflict_path(ctx, calendar)),
    };
    let live: Vec<Href> =
        changes.changes.iter().filter(|c| c.kind != ChangeKind::Deleted).filter_map(|c| Href::parse(&c.href).ok()).collect();
    let objects = match dav.engine.store().objects_by_hrefs(calendar.id, &live).await {
        Ok(objects) => objects,
        Err(error) => return app_error(&error.into(), &conflict_path(ctx, calendar)),
    };
    let user = ctx.user.name.as_str();
    let mut responses: Vec<Response> = changes
        .changes
        .iter()
        .map(|change| match objects.iter().find(|o| o.href.as_str() == change.href) {
            Some(object) if change.kind != ChangeKind::Deleted => object_response(ctx, calendar, object, props),
            _ => Response { href: paths::object(user, calendar.slug.as_str(), &change.href), body: ResponseBody::Status(StatusCode::NOT_FOUND) },
        })
        .collect();
    if changes.truncated {
        responses.push(Response {
            href: paths::calendar(user, calendar.slug.as_str()),
            body: ResponseBody::Status(StatusCode::INSUFFICIENT_STORAGE),
        });
    }
    multistatus(write_multistatus(&responses, Some(&changes.token.to_string())))
}
