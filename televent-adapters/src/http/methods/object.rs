//! GET, HEAD, PUT and DELETE of calendar object resources, and GET of a whole calendar.
//!
//! PUT stores the bytes exactly as sent, through the app's write path (one unit with the sync
//! bump, the change log and the outbox), so the ETag it answers is strong. Bad data is always a
//! 4xx naming its precondition, never a 5xx. This module must never parse iCalendar itself.

use http::StatusCode;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderValue, LAST_MODIFIED};
use televent_domain::calendar::Calendar;
use televent_domain::event::Href;
use televent_ports::store::Precondition;

use super::conditions::Conditions;
use super::options;
use super::request::load_calendar;
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths::{self, Target};
use crate::http::props::http_date;
use crate::http::response::{Condition, HttpResponse, dav_error, empty, plain, with_body};
use crate::http::xml::names::CALDAV;

/// The calendar and resource name a request targets, or the response that ends it.
async fn locate(dav: &Dav, request: &DavRequest) -> Result<(Calendar, Href), HttpResponse> {
    let Target::Object { calendar, resource, .. } = &request.target else {
        return Err(options::not_allowed(&request.target));
    };
    let calendar = load_calendar(dav, request, calendar).await?;
    let href = Href::parse(resource).map_err(|why| plain(StatusCode::NOT_FOUND, &why))?;
    Ok((calendar, href))
}

fn path_of<'a>(request: &'a DavRequest, calendar: &'a Calendar) -> impl Fn(&Href) -> String + 'a {
    move |href: &Href| paths::object(request.user.name.as_str(), calendar.slug.as_str(), href.as_str())
}

fn etag_header(response: &mut HttpResponse, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(ETAG, value);
    }
}

/// GET and HEAD: the bytes as stored, with ETag and Last-Modified; 304 for a matching
/// If-None-Match.
pub async fn get(dav: &Dav, request: &DavRequest) -> HttpResponse {
    if let Target::Calendar { calendar, .. } = &request.target {
        return export(dav, request, calendar).await;
    }
    let (calendar, href) = match locate(dav, request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    // A snapshot already at the calendar's token answers without a store read.
    let object = match dav.snapshots.current(&calendar) {
        Some(snapshot) => match snapshot.get(&href) {
            Some(object) => std::sync::Arc::clone(object),
            None => return plain(StatusCode::NOT_FOUND, "not found"),
        },
        None => match dav.engine.store().object(calendar.id, &href).await {
            Ok(Some(object)) => std::sync::Arc::new(object),
            Ok(None) => return plain(StatusCode::NOT_FOUND, "not found"),
            Err(error) => return app_error(&error.into(), &path_of(request, &calendar)),
        },
    };
    let conditions = Conditions::of(&request.headers);
    if conditions.if_none_match.is_some() && conditions.precondition(Some(&object.etag)).is_err() {
        let mut response = empty(StatusCode::NOT_MODIFIED);
        etag_header(&mut response, object.etag.as_str());
        return response;
    }
    let size = object.bytes.len();
    let body = if request.method == http::Method::HEAD {
        Vec::new()
    } else {
        object.bytes.clone()
    };
    let mut response = with_body(StatusCode::OK, "text/calendar; charset=utf-8", body);
    etag_header(&mut response, object.etag.as_str());
    let headers = response.headers_mut();
    headers.insert(CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(value) = HeaderValue::from_str(&http_date(object.updated_at)) {
        headers.insert(LAST_MODIFIED, value);
    }
    response
}

/// GET or HEAD of a calendar: all its resources as one VCALENDAR (for subscriptions and
/// download), VTIMEZONEs once each.
async fn export(dav: &Dav, request: &DavRequest, slug: &str) -> HttpResponse {
    let calendar = match load_calendar(dav, request, slug).await {
        Ok(calendar) => calendar,
        Err(response) => return response,
    };
    let text = match dav.engine.export(&request.user, &calendar).await {
        Ok(text) => text,
        Err(error) => return app_error(&error, &path_of(request, &calendar)),
    };
    let size = text.len();
    let body = if request.method == http::Method::HEAD {
        String::new()
    } else {
        text
    };
    let mut response = with_body(StatusCode::OK, "text/calendar; charset=utf-8", body);
    response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(size));
    response
}

/// PUT: 201 for a new resource, 204 for a replaced one, with the ETag of the stored bytes.
pub async fn put(dav: &Dav, request: &DavRequest) -> HttpResponse {
    let Target::Object {
        calendar: slug,
        resource,
        ..
    } = &request.target
    else {
        return options::not_allowed(&request.target);
    };
    let calendar = match load_calendar(dav, request, slug).await {
        Ok(calendar) => calendar,
        // The collection a new member would go into is missing (RFC 4918 section 9.7.1).
        Err(response) if response.status() == StatusCode::NOT_FOUND => {
            return plain(StatusCode::CONFLICT, "the calendar does not exist");
        }
        Err(response) => return response,
    };
    let href = match Href::parse(resource) {
        Ok(href) => href,
        Err(why) => return plain(StatusCode::FORBIDDEN, &why),
    };
    let media = request
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    let foreign = |m: &&str| {
        !m.is_empty() && !m.eq_ignore_ascii_case("text/calendar") && !m.eq_ignore_ascii_case("application/octet-stream")
    };
    if let Some(media) = media.filter(foreign) {
        let condition = Condition::new(CALDAV, "supported-calendar-data");
        return dav_error(
            StatusCode::FORBIDDEN,
            condition,
            &format!("{media} is not text/calendar"),
        );
    }
    let conditions = Conditions::of(&request.headers);
    let precondition = if conditions.is_empty() {
        Precondition::None
    } else {
        let current = match dav.engine.store().object(calendar.id, &href).await {
            Ok(current) => current.map(|o| o.etag),
            Err(error) => return app_error(&error.into(), &path_of(request, &calendar)),
        };
        match conditions.precondition(current.as_ref()) {
            Ok(precondition) => precondition,
            Err(_) => {
                return plain(
                    StatusCode::PRECONDITION_FAILED,
                    "the resource changed or already exists",
                );
            }
        }
    };
    match dav
        .engine
        .put_object(&request.user, &calendar, &href, &request.body, precondition)
        .await
    {
        Ok(result) => {
            let status = if result.outcome.created {
                StatusCode::CREATED
            } else {
                StatusCode::NO_CONTENT
            };
            let mut response = empty(status);
            etag_header(&mut response, result.outcome.etag.as_str());
            response
        }
        Err(error) => app_error(&error, &path_of(request, &calendar)),
    }
}

/// DELETE of a resource, honouring If-Match; of a calendar, with all its resources.
pub async fn delete(dav: &Dav, request: &DavRequest) -> HttpResponse {
    if let Target::Calendar { calendar, .. } = &request.target {
        return super::collection::delete_calendar(dav, request, calendar).await;
    }
    let (calendar, href) = match locate(dav, request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let conditions = Conditions::of(&request.headers);
    let precondition = if conditions.is_empty() {
        Precondition::None
    } else {
        let current = match dav.engine.store().object(calendar.id, &href).await {
            Ok(Some(current)) => current.etag,
            Ok(None) => return plain(StatusCode::NOT_FOUND, "not found"),
            Err(error) => return app_error(&error.into(), &path_of(request, &calendar)),
        };
        match conditions.precondition(Some(&current)) {
            Ok(precondition) => precondition,
            Err(_) => return plain(StatusCode::PRECONDITION_FAILED, "the resource changed"),
        }
    };
    match dav
        .engine
        .delete_object(&request.user, &calendar, &href, precondition)
        .await
    {
        Ok(_) => empty(StatusCode::NO_CONTENT),
        Err(error) => app_error(&error, &path_of(request, &calendar)),
    }
}
