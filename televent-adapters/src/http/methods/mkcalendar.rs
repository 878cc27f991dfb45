//! MKCALENDAR (RFC 4791 section 5.3.1) and extended MKCOL (RFC 5689): a new calendar in the
//! user's home, with the properties the body sets.
//!
//! It must never create anything but a calendar, and only through the app.

use http::StatusCode;
use televent_app::AppError;
use televent_domain::calendar::{CalendarSlug, NewCalendar};
use televent_domain::component::ComponentKind;

use super::options;
use super::request::{bad_xml, body_text};
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths::Target;
use crate::http::response::{Condition, HttpResponse, dav_error, empty, plain};
use crate::http::xml::mkcalendar::parse_mkcalendar;
use crate::http::xml::names::{CALDAV, DAV};

/// MKCALENDAR or MKCOL on `/dav/calendars/<user>/<new>/`.
pub async fn mkcalendar(dav: &Dav, request: &DavRequest) -> HttpResponse {
    let Target::Calendar { calendar: slug, .. } = &request.target else {
        return options::not_allowed(&request.target);
    };
    let props = match body_text(request).map(parse_mkcalendar) {
        Ok(Ok(props)) => props,
        Ok(Err(error)) => return bad_xml(&error),
        Err(response) => return response,
    };
    let mkcol = request.method.as_str() == "MKCOL";
    if mkcol && !props.is_calendar {
        return dav_error(
            StatusCode::FORBIDDEN,
            Condition::new(DAV, "valid-resourcetype"),
            "only calendars can be created here",
        );
    }
    let Ok(slug) = CalendarSlug::parse(slug) else {
        return plain(StatusCode::FORBIDDEN, "not a valid calendar name");
    };
    let mut components = Vec::new();
    for name in &props.components {
        match ComponentKind::from_name(name) {
            Some(kind) => components.push(kind),
            None => {
                let message = format!("this server stores VEVENT and VTODO, not {name}");
                return dav_error(
                    StatusCode::FORBIDDEN,
                    Condition::new(CALDAV, "supported-calendar-component"),
                    &message,
                );
            }
        }
    }
    let display_name = props
        .display_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| slug.as_str().to_owned());
    let mut new = NewCalendar::named(slug, display_name);
    new.description = props.description;
    new.time_zone = props.time_zone;
    new.color = props.color;
    new.order = props.order;
    if !components.is_empty() {
        new.components = components;
    }
    match dav.engine.create_calendar(&request.user, new).await {
        Ok(_) => empty(StatusCode::CREATED),
        Err(AppError::AlreadyExists(_)) => dav_error(
            StatusCode::METHOD_NOT_ALLOWED,
            Condition::new(DAV, "resource-must-be-null"),
            "a calendar with this name exists",
        ),
        Err(error) => app_error(&error, &|href| href.to_string()),
    }
}
