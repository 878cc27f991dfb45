//! PROPPATCH (RFC 4918 section 9.2) of a calendar's own properties: displayname,
//! calendar-description, calendar-timezone, and Apple's calendar-color and calendar-order.
//!
//! Changes are all-or-nothing: when one property is refused (403 for a property that cannot be
//! set here, 409 for a bad value) the others are answered 424 and nothing is saved. Saving goes
//! through the app's `update_calendar` use case (ownership checked, audited); this module must
//! never touch anything but those five properties.

use http::StatusCode;
use televent_domain::calendar::CalendarPatch;

use super::request::{bad_xml, body_text, load_calendar};
use crate::http::error::app_error;
use crate::http::handler::{Dav, DavRequest};
use crate::http::paths::{self, Target};
use crate::http::response::{HttpResponse, multistatus};
use crate::http::xml::multistatus::{Propstat, Response, ResponseBody, multistatus as write_multistatus};
use crate::http::xml::names::{APPLE_ICAL, CALDAV, DAV, Name};
use crate::http::xml::proppatch::{Change, parse_proppatch};

/// Applies one change to `patch`; the status to answer for it otherwise.
fn apply(patch: &mut CalendarPatch, name: &Name, change: &Change, slug: &str) -> Result<(), StatusCode> {
    let value = match change {
        Change::Set(text) => Some(text.clone()),
        Change::Remove => None,
    };
    match (name.ns.as_str(), name.local.as_str()) {
        (DAV, "displayname") => {
            patch.display_name = Some(value.map(|v| v.trim().to_owned()).unwrap_or_else(|| slug.to_owned()))
        }
        (CALDAV, "calendar-description") => patch.description = Some(value),
        (CALDAV, "calendar-timezone") => patch.time_zone = Some(value),
        (APPLE_ICAL, "calendar-color") => patch.color = Some(value.map(|v| v.trim().to_owned())),
        (APPLE_ICAL, "calendar-order") => {
            let order = value
                .map(|v| v.trim().parse::<i32>())
                .transpose()
                .map_err(|_| StatusCode::CONFLICT)?;
            patch.order = Some(order);
        }
        _ => return Err(StatusCode::FORBIDDEN),
    }
    Ok(())
}

/// PROPPATCH on a calendar; on other collections every property is refused (403).
pub async fn proppatch(dav: &Dav, request: &DavRequest) -> HttpResponse {
    let changes = match body_text(request).map(parse_proppatch) {
        Ok(Ok(changes)) => changes,
        Ok(Err(error)) => return bad_xml(&error),
        Err(response) => return response,
    };
    let user = request.user.name.as_str();
    let (href, calendar) = match &request.target {
        Target::Calendar { calendar, .. } => match load_calendar(dav, request, calendar).await {
            Ok(calendar) => (paths::calendar(user, calendar.slug.as_str()), Some(calendar)),
            Err(response) => return response,
        },
        Target::Root => (paths::DAV_ROOT.to_owned(), None),
        Target::Principal(_) => (paths::principal(user), None),
        Target::Home(_) => (paths::home(user), None),
        _ => return super::options::not_allowed(&request.target),
    };
    let mut patch = CalendarPatch::default();
    let statuses: Vec<(Name, StatusCode)> = changes
        .iter()
        .map(|(name, change)| {
            let status = match &calendar {
                Some(calendar) => apply(&mut patch, name, change, calendar.slug.as_str())
                    .map_or_else(|status| status, |()| StatusCode::OK),
                None => StatusCode::FORBIDDEN,
            };
            (name.clone(), status)
        })
        .collect();
    let failed = statuses.iter().any(|(_, status)| *status != StatusCode::OK);
    if let (Some(calendar), false) = (&calendar, failed)
        && let Err(error) = dav.engine.update_calendar(&request.user, calendar, patch).await
    {
        return app_error(&error, &|href| href.to_string());
    }
    let mut propstats: Vec<Propstat> = Vec::new();
    for (name, status) in statuses {
        let status = if failed && status == StatusCode::OK {
            StatusCode::FAILED_DEPENDENCY
        } else {
            status
        };
        match propstats.iter_mut().find(|p| p.status == status) {
            Some(propstat) => propstat.props.push((name, Vec::new())),
            None => propstats.push(Propstat {
                status,
                props: vec![(name, Vec::new())],
            }),
        }
    }
    multistatus(write_multistatus(
        vec![Response {
            href,
            body: ResponseBody::Propstats(propstats),
        }],
        None,
    ))
}
