//! REPORT on a calendar: calendar-multiget, calendar-query (in `query`), free-busy-query (in
//! `freebusy`) and sync-collection (RFC 6578: the empty token is the initial sync, a bad token
//! gets `DAV:valid-sync-token`, deletions are 404 responses, a limit that cuts the list adds a
//! 507 response for the collection). sync-collection on the home goes to `home_sync`, the other
//! reports on the root, principal and home to `principal_reports`.
//!
//! Only the reports listed in [`SUPPORTED_REPORTS`] are advertised and answered; any other is
//! refused with `DAV:supported-report`. This module must never write.

use std::collections::HashMap;
use std::sync::Arc;

use http::StatusCode;
use televent_domain::calendar::Calendar;
use televent_domain::event::{Href, ObjectMeta, StoredObject};
use televent_domain::recurrence::Window;
use televent_domain::sync::{Change, ChangeKind, SyncToken};

use super::options;
use super::request::{bad_xml, body_text, load_calendar};
use crate::http::body::{CHUNK_BYTES, Listing};
use crate::http::error::app_error;
use crate::http::expand::expand_calendar_data;
use crate::http::handler::{Dav, DavRequest};
use crate::http::object_cache::ObjectCache;
use crate::http::partial::{limit_recurrence_set, select_calendar_data};
use crate::http::paths::{self, Target};
use crate::http::props::{PropContext, Resource, member_responses};
use crate::http::response::{Condition, HttpResponse, dav_error, multistatus, multistatus_in_chunks};
use crate::http::xml::calendar_data::{DataRequest, TimeWindow};
use crate::http::xml::multistatus::{MultistatusWriter, Propstat, Response, ResponseBody, size_hint};
use crate::http::xml::names::{CALDAV, DAV, Name};
use crate::http::xml::propfind::PropfindRequest;
use crate::http::xml::report::{ReportRequest, parse_report};
use crate::http::xml::shared_text::{SharedText, Source};
use crate::http::xml::write::{Node, text};

/// The reports a calendar answers, as advertised in DAV:supported-report-set.
pub const SUPPORTED_REPORTS: [(&str, &str); 4] = [
    (CALDAV, "calendar-multiget"),
    (CALDAV, "calendar-query"),
    (CALDAV, "free-busy-query"),
    (DAV, "sync-collection"),
];

/// REPORT.
pub async fn report(dav: &Dav, request: &DavRequest) -> HttpResponse {
    let query = match body_text(request).map(parse_report) {
        Ok(Ok(query)) => query,
        Ok(Err(error)) => return bad_xml(&error),
        Err(response) => return response,
    };
    if let (Target::Home(_), ReportRequest::SyncCollection { token, limit, props }) = (&request.target, &query) {
        return super::home_sync::home_sync(dav, request, token, *limit, props).await;
    }
    let calendar = match &request.target {
        Target::Calendar { calendar, .. } => calendar,
        Target::Root | Target::Principal(_) | Target::Home(_) => {
            return super::principal_reports::principal_report(dav, request, query).await;
        }
        _ => return options::not_allowed(&request.target),
    };
    let calendar = match load_calendar(dav, request, calendar).await {
        Ok(calendar) => calendar,
        Err(response) => return response,
    };
    let ctx = PropContext {
        user: &request.user,
        max_resource_size: dav.config.max_resource_size,
        linked_addresses: &[],
        home_sync_token: None,
    };
    match query {
        ReportRequest::Multiget { props, hrefs, data } => multiget(dav, &ctx, &calendar, &props, &hrefs, &data).await,
        ReportRequest::CalendarQuery { props, filter, data } => {
            super::query::calendar_query(dav, &ctx, &calendar, &props, filter, &data).await
        }
        ReportRequest::SyncCollection { token, limit, props } => {
            sync_collection(dav, &ctx, &calendar, &token, limit, &props).await
        }
        ReportRequest::FreeBusy { range } => super::freebusy::free_busy(dav, &ctx, &calendar, range).await,
        ReportRequest::Unsupported(name) => dav_error(
            StatusCode::FORBIDDEN,
            Condition::new(DAV, "supported-report"),
            &format!("the report {name} is not supported here"),
        ),
        ReportRequest::ExpandProperty { .. }
        | ReportRequest::PrincipalSearchPropertySet
        | ReportRequest::PrincipalPropertySearch { .. } => dav_error(
            StatusCode::FORBIDDEN,
            Condition::new(DAV, "supported-report"),
            "this report is answered on principals, not on calendars",
        ),
    }
}

fn conflict_path<'a>(ctx: &'a PropContext<'a>, calendar: &'a Calendar) -> impl Fn(&Href) -> String + 'a {
    move |href: &Href| paths::object(ctx.user.name.as_str(), calendar.slug.as_str(), href.as_str())
}

/// The most bytes of responses one report answers with (about one expansion cap's worth of
/// instances, `DEFAULT_MAX_INSTANCES`, and far above a year of a busy calendar). Each
/// resource's expansion is capped on its own; this caps their sum, so that a few endless
/// rules cannot make one answer gigabytes.
pub const MAX_REPORT_BYTES: usize = 32 * 1024 * 1024;

/// A multistatus of `responses`, written one at a time, while the body stays within
/// [`MAX_REPORT_BYTES`] (the first response always), then a 507 for `collection` saying the
/// answer was cut short (RFC 4918 section 11.5; clients narrow their request). Responses past
/// the budget are never built. `capacity`: about how many bytes the responses take.
pub fn budgeted_multistatus(responses: impl Iterator<Item = Response>, capacity: usize, collection: String) -> String {
    let mut writer = MultistatusWriter::with_capacity(capacity.min(MAX_REPORT_BYTES));
    let empty = writer.len();
    for response in responses {
        if writer.len() > empty && writer.len() + size_hint(&response) > MAX_REPORT_BYTES {
            writer.push(&Response {
                href: collection,
                body: ResponseBody::Status(StatusCode::INSUFFICIENT_STORAGE),
            });
            break;
        }
        writer.push(&response);
    }
    writer.finish(None)
}

/// About how many bytes the responses for `objects` take with their calendar-data: what a
/// report's body is sized by.
pub fn responses_size<'a>(objects: impl IntoIterator<Item = &'a Arc<StoredObject>>) -> usize {
    objects.into_iter().map(|object| object.bytes.len() + 400).sum()
}

/// The response for one resource: calendar-data from its bytes, the rest from its listing data.
/// calendar-data as `data` asks: the occurrences of a window (RFC 4791 section 9.6.5), only
/// some components and properties (section 9.6.1), or the stored bytes.
pub fn object_response(
    ctx: &PropContext<'_>,
    objects: &ObjectCache,
    calendar: &Calendar,
    object: &Arc<StoredObject>,
    props: &[Name],
    data: &DataRequest,
) -> Response {
    let meta = object.meta();
    let resource = Resource::Object(calendar, &meta);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in props {
        if name.is(CALDAV, "calendar-data") {
            let zone = ctx.user.time_zone.tz();
            let window = |w: TimeWindow| Window {
                from: w.start,
                to: w.end,
            };
            // Stored bytes that no longer read as a resource are sent as they are.
            let parsed = || objects.object(object);
            // A single event in the window expands the same whatever the window: once per ETag.
            if let Some(expand) = data.expand
                && !object.index.recurring
                && let Some(expanded) = objects.expanded_single(object, zone, window(expand), || {
                    // Parsed for this once and dropped: the expansion is what is kept.
                    televent_domain::ingest::ingest_resource(&object.bytes)
                        .ok()
                        .map(|resource| expand_calendar_data(&object.bytes, &resource.object, window(expand), zone))
                })
            {
                found.push((name.clone(), vec![Node::Shared(expanded)]));
                continue;
            }
            let rewritten = match (data.expand, data.limit) {
                (Some(expand), _) => {
                    parsed().map(|parsed| objects.template(object).render(&parsed, window(expand), zone))
                }
                (None, limit) => {
                    let limited = limit.and_then(|limit| {
                        parsed().map(|parsed| limit_recurrence_set(&object.bytes, &parsed, window(limit), zone))
                    });
                    match (&data.select, limited) {
                        (Some(selection), Some(limited)) => select_calendar_data(limited.as_bytes(), selection),
                        (Some(selection), None) => select_calendar_data(&object.bytes, selection),
                        (None, limited) => limited,
                    }
                }
            };
            let text_data = match rewritten {
                Some(rewritten) => text(rewritten),
                // The stored bytes, escaped as they are written into the answer.
                None => Node::Shared(SharedText::whole(Arc::clone(object) as Source)),
            };
            found.push((name.clone(), vec![text_data]));
        } else if let Some(value) = resource.value(ctx, name) {
            found.push((name.clone(), value));
        } else {
            missing.push((name.clone(), Vec::new()));
        }
    }
    let propstats = vec![
        Propstat {
            status: StatusCode::OK,
            props: found,
        },
        Propstat {
            status: StatusCode::NOT_FOUND,
            props: missing,
        },
    ];
    Response {
        href: resource.href(ctx),
        body: ResponseBody::Propstats(propstats),
    }
}

async fn multiget(
    dav: &Dav,
    ctx: &PropContext<'_>,
    calendar: &Calendar,
    props: &[Name],
    sent: &[String],
    data: &DataRequest,
) -> HttpResponse {
    let calendar_path = paths::calendar(ctx.user.name.as_str(), calendar.slug.as_str());
    let wanted: Vec<(String, Option<Href>)> = sent
        .iter()
        .map(|href| {
            (
                href.clone(),
                paths::member_of(&calendar_path, href).and_then(|name| Href::parse(&name).ok()),
            )
        })
        .collect();
    let snapshot = match dav.snapshots.of(dav.engine.store().as_ref(), calendar).await {
        Ok(snapshot) => snapshot,
        Err(error) => return app_error(&error.into(), &conflict_path(ctx, calendar)),
    };
    let found: Vec<(&String, Option<&Arc<StoredObject>>)> = wanted
        .iter()
        .map(|(sent, href)| (sent, href.as_ref().and_then(|h| snapshot.get(h))))
        .collect();
    let capacity = responses_size(found.iter().filter_map(|(_, object)| *object));
    let responses = found.into_iter().map(|(sent, object)| match object {
        Some(object) => object_response(ctx, &dav.objects, calendar, object, props, data),
        None => Response {
            href: sent.clone(),
            body: ResponseBody::Status(StatusCode::NOT_FOUND),
        },
    });
    multistatus(budgeted_multistatus(responses, capacity, calendar_path))
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
    let live = changes.live_hrefs();
    let user = ctx.user.name.as_str();
    let gone = |href: &str| Response {
        href: paths::object(user, calendar.slug.as_str(), href),
        body: ResponseBody::Status(StatusCode::NOT_FOUND),
    };
    let store = dav.engine.store();
    let cut_short = changes.truncated.then(|| Response {
        href: paths::calendar(user, calendar.slug.as_str()),
        body: ResponseBody::Status(StatusCode::INSUFFICIENT_STORAGE),
    });
    let token = changes.token.to_string();
    if props.iter().any(|p| p.is(CALDAV, "calendar-data")) {
        let objects: Vec<Arc<StoredObject>> = match store.objects_by_hrefs(calendar.id, &live).await {
            Ok(objects) => objects.into_iter().map(Arc::new).collect(),
            Err(error) => return app_error(&error.into(), &conflict_path(ctx, calendar)),
        };
        let by_href: HashMap<&str, &Arc<StoredObject>> = objects.iter().map(|o| (o.href.as_str(), o)).collect();
        let mut writer = MultistatusWriter::with_capacity(responses_size(&objects) + 200 * changes.changes.len());
        for change in &changes.changes {
            writer.push(&match by_href.get(change.href.as_str()) {
                Some(object) if change.kind != ChangeKind::Deleted => {
                    object_response(ctx, &dav.objects, calendar, object, props, &DataRequest::default())
                }
                _ => gone(&change.href),
            });
        }
        writer.extend(&cut_short);
        return multistatus(writer.finish(Some(&token)));
    }
    // Without calendar-data no bytes are needed: the initial sync (and any huge delta) reads
    // the listing of the whole calendar once, a delta only its own resources.
    let listed = if since.is_none() || live.len() > 1000 {
        store.object_metas(calendar.id).await
    } else {
        store
            .objects_by_hrefs(calendar.id, &live)
            .await
            .map(|objects| objects.iter().map(StoredObject::meta).collect())
    };
    // A store error must not read as "everything was deleted".
    let mut metas: Vec<ObjectMeta> = match listed {
        Ok(metas) => metas,
        Err(error) => return app_error(&error.into(), &conflict_path(ctx, calendar)),
    };
    // Sorted by href for the lookups below, and moved into the answer, which is made as the
    // connection takes it: an initial sync lists the whole calendar.
    metas.sort_unstable_by(|a, b| a.href.as_str().cmp(b.href.as_str()));
    let mut member = member_responses(ctx, calendar, PropfindRequest::Prop(props.to_vec()), false);
    let (user, slug) = (ctx.user.name.as_str().to_owned(), calendar.slug.as_str().to_owned());
    let respond = move |change: Change| {
        let meta = metas
            .binary_search_by(|meta| meta.href.as_str().cmp(change.href.as_str()))
            .ok()
            .and_then(|at| metas.get(at));
        match meta {
            Some(meta) if change.kind != ChangeKind::Deleted => member(meta),
            _ => Response {
                href: paths::object(&user, &slug, &change.href),
                body: ResponseBody::Status(StatusCode::NOT_FOUND),
            },
        }
    };
    let listing = Listing::new(MultistatusWriter::with_capacity(CHUNK_BYTES), changes.changes, respond)
        .ending(cut_short, Some(token));
    multistatus_in_chunks(listing)
}
