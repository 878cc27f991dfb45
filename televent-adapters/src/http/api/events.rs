//! `/api/v1/calendars/{calendar}/events[/{event}[/ics]]`: events as JSON fields over the stored
//! iCalendar bytes, which stay the truth. Creating writes a new VEVENT; changing rewrites only
//! the lines of the fields sent (`televent_domain::event_edit`), so what other clients stored
//! (alarms, exceptions, X- properties) survives. Every write goes through the same use case as
//! a CalDAV PUT (one transaction with its sync bump, change-log row and invitations).

use chrono::{Days, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use http::StatusCode;
use http::header::{CONTENT_TYPE, ETAG, HeaderValue, LOCATION};
use serde_json::{Value, json};
use televent_domain::calendar::Calendar;
use televent_domain::component::ComponentKind;
use televent_domain::event::{Href, StoredObject};
use televent_domain::event_edit::{
    EventFields, EventPatch, EventTime, Recurrence, RecurrencePreset, apply_patch, new_event, read_event,
};
use televent_domain::ingest::ingest_resource;
use televent_domain::user::{TimeZoneId, User};
use televent_ports::store::Precondition;

use super::body::{JsonObject, content_type, json_object};
use super::calendars::owned;
use super::json::{json_response, ok};
use super::problem::Problem;
use super::{ApiRequest, audit};
use crate::http::handler::Dav;
use crate::http::methods::conditions::Conditions;
use crate::http::response::{HttpResponse, empty, with_body};

/// The fields an event body may carry.
const FIELDS: [&str; 10] = [
    "title",
    "all_day",
    "start",
    "end",
    "time_zone",
    "location",
    "description",
    "recurrence",
    "reminders",
    "attendees",
];

/// The longest reminder: four weeks before.
const MAX_REMINDER: u32 = 40_320;

/// The events of a calendar, by resource name.
pub async fn list(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    let limit = super::json::page_limit(request)?;
    let cursor = request.query_param("cursor");
    let mut metas = dav
        .engine
        .store()
        .object_metas(calendar.id)
        .await
        .map_err(televent_app::AppError::from)?;
    metas.sort_by(|a, b| a.href.as_str().cmp(b.href.as_str()));
    let mut hrefs: Vec<Href> = metas
        .into_iter()
        .map(|meta| meta.href)
        .filter(|href| cursor.as_deref().is_none_or(|cursor| href.as_str() > cursor))
        .collect();
    let more = hrefs.len() > limit;
    hrefs.truncate(limit);
    let next = if more {
        hrefs.last().map(|h| h.as_str().to_owned())
    } else {
        None
    };
    let mut objects = dav
        .engine
        .store()
        .objects_by_hrefs(calendar.id, &hrefs)
        .await
        .map_err(televent_app::AppError::from)?;
    objects.sort_by(|a, b| a.href.as_str().cmp(b.href.as_str()));
    let zone = user.time_zone.tz();
    // To-dos and anything else without an event are not listed here (CalDAV has them all).
    let items: Vec<Value> = objects
        .iter()
        .filter_map(|object| render(&calendar, object, zone).ok())
        .collect();
    Ok(ok(&json!({ "items": items, "next_cursor": next })))
}

/// One event.
pub async fn get(dav: &Dav, user: &User, id: &str, event: &str) -> Result<HttpResponse, Problem> {
    let (calendar, object) = stored(dav, user, id, event).await?;
    let body = render(&calendar, &object, user.time_zone.tz())?;
    Ok(with_etag(ok(&body), &object))
}

/// Its stored iCalendar bytes, exactly.
pub async fn get_ics(dav: &Dav, user: &User, id: &str, event: &str) -> Result<HttpResponse, Problem> {
    let (_, object) = stored(dav, user, id, event).await?;
    let response = with_body(StatusCode::OK, "text/calendar; charset=utf-8", object.bytes.clone());
    Ok(with_etag(response, &object))
}

/// Creates an event from JSON fields or from iCalendar.
pub async fn create(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    let bytes = if content_type(request).as_deref() == Some("text/calendar") {
        request.body.to_vec()
    } else {
        let body = json_object(request, &FIELDS)?;
        let fields = new_fields(&body, user)?;
        let uid = uuid::Uuid::new_v4().to_string();
        new_event(&fields, &uid, dav.engine.now())
            .map_err(|error| Problem::invalid(error.to_string()))?
            .into_bytes()
    };
    let resource = ingest_resource(&bytes).map_err(|error| Problem::from(televent_app::AppError::Ingest(error)))?;
    // Only events are answered as events: a to-do is refused before anything is stored
    // (CalDAV, or PUT of the bytes at `/ics`, takes it).
    if resource.object.kind != ComponentKind::Event {
        return Err(Problem::new(
            "invalid-calendar-data",
            StatusCode::UNPROCESSABLE_ENTITY,
            "this route takes events (VEVENT); store to-dos with CalDAV or PUT …/ics",
        ));
    }
    let uid = resource.object.uid;
    let href =
        Href::for_uid(&televent_domain::uid::Uid::parse(&uid).ok_or_else(|| Problem::invalid("the UID is empty"))?);
    dav.engine
        .put_object(user, &calendar, &href, &bytes, Precondition::IfNoneMatchAny)
        .await?;
    audit(dav, request, user, "event.create", href.as_str()).await;
    let (calendar, object) = stored(dav, user, id, href.as_str()).await?;
    let mut response = with_etag(
        json_response(StatusCode::CREATED, &render(&calendar, &object, user.time_zone.tz())?),
        &object,
    );
    let location = format!(
        "/api/v1/calendars/{}/events/{}",
        calendar.slug.as_str(),
        crate::http::paths::segment(href.as_str())
    );
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    Ok(response)
}

/// Changes the fields sent; keeps everything else.
pub async fn patch(
    dav: &Dav,
    request: &ApiRequest,
    user: &User,
    id: &str,
    event: &str,
) -> Result<HttpResponse, Problem> {
    let body = json_object(request, &FIELDS)?;
    let (calendar, object) = stored(dav, user, id, event).await?;
    let precondition = write_precondition(request, &object)?;
    let zone = user.time_zone.tz();
    let current = read_event(&object.bytes, zone).map_err(|error| Problem::invalid(error.to_string()))?;
    let patch = event_patch(&body, &current, user)?;
    let changed =
        apply_patch(&object.bytes, &patch, dav.engine.now()).map_err(|error| Problem::invalid(error.to_string()))?;
    let Some(bytes) = changed else {
        return Ok(with_etag(ok(&render(&calendar, &object, zone)?), &object));
    };
    dav.engine
        .put_object(user, &calendar, &object.href, bytes.as_bytes(), precondition)
        .await?;
    audit(dav, request, user, "event.update", object.href.as_str()).await;
    let (calendar, object) = stored(dav, user, id, event).await?;
    Ok(with_etag(ok(&render(&calendar, &object, zone)?), &object))
}

/// Replaces the stored bytes.
pub async fn put_ics(
    dav: &Dav,
    request: &ApiRequest,
    user: &User,
    id: &str,
    event: &str,
) -> Result<HttpResponse, Problem> {
    if content_type(request).as_deref() != Some("text/calendar") {
        return Err(Problem::new(
            "unsupported-media-type",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as text/calendar",
        ));
    }
    let calendar = owned(dav, user, id).await?;
    let href = Href::parse(event).map_err(Problem::invalid)?;
    let current = dav
        .engine
        .store()
        .object(calendar.id, &href)
        .await
        .map_err(televent_app::AppError::from)?;
    let precondition = Conditions::of(&request.headers)
        .precondition(current.as_ref().map(|o| &o.etag))
        .map_err(|_| Problem::from(televent_app::AppError::PreconditionFailed))?;
    let result = dav
        .engine
        .put_object(user, &calendar, &href, &request.body, precondition)
        .await?;
    audit(dav, request, user, "event.replace", href.as_str()).await;
    let status = if result.outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::NO_CONTENT
    };
    let mut response = empty(status);
    if let Ok(value) = HeaderValue::from_str(result.outcome.etag.as_str()) {
        response.headers_mut().insert(ETAG, value);
    }
    Ok(response)
}

/// Deletes an event (its attendees are told, as for a CalDAV DELETE).
pub async fn delete(
    dav: &Dav,
    request: &ApiRequest,
    user: &User,
    id: &str,
    event: &str,
) -> Result<HttpResponse, Problem> {
    let (calendar, object) = stored(dav, user, id, event).await?;
    let precondition = write_precondition(request, &object)?;
    dav.engine
        .delete_object(user, &calendar, &object.href, precondition)
        .await?;
    audit(dav, request, user, "event.delete", object.href.as_str()).await;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// The user's calendar and the event in it, or 404.
async fn stored(dav: &Dav, user: &User, id: &str, event: &str) -> Result<(Calendar, StoredObject), Problem> {
    let calendar = owned(dav, user, id).await?;
    let href = Href::parse(event).map_err(|_| Problem::not_found(&format!("event '{event}'")))?;
    let object = dav
        .engine
        .store()
        .object(calendar.id, &href)
        .await
        .map_err(televent_app::AppError::from)?
        .ok_or_else(|| Problem::not_found(&format!("event '{event}'")))?;
    Ok((calendar, object))
}

/// If-Match when sent (412 when stale); otherwise the ETag read, so a change made meanwhile
/// is never overwritten unseen.
fn write_precondition(request: &ApiRequest, object: &StoredObject) -> Result<Precondition, Problem> {
    let conditions = Conditions::of(&request.headers);
    if conditions.if_match.is_none() {
        return Ok(Precondition::IfMatch(object.etag.clone()));
    }
    conditions
        .precondition(Some(&object.etag))
        .map(|_| Precondition::IfMatch(object.etag.clone()))
        .map_err(|_| Problem::from(televent_app::AppError::PreconditionFailed))
}

fn with_etag(mut response: HttpResponse, object: &StoredObject) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(object.etag.as_str()) {
        response.headers_mut().insert(ETAG, value);
    }
    if !response.headers().contains_key(CONTENT_TYPE) {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// An event as JSON.
fn render(calendar: &Calendar, object: &StoredObject, zone: Tz) -> Result<Value, Problem> {
    let fields = read_event(&object.bytes, zone).map_err(|error| Problem::invalid(error.to_string()))?;
    let (all_day, start, end, time_zone) = match fields.when {
        EventTime::Timed { start, end, zone } => (false, local(start), local(end), Some(zone.name().to_owned())),
        EventTime::AllDay { start, end_exclusive } => (true, start.to_string(), end_exclusive.to_string(), None),
    };
    Ok(json!({
        "id": object.href.as_str(),
        "calendar": calendar.slug.as_str(),
        "uid": object.index.uid.as_str(),
        "etag": object.etag.as_str(),
        "title": fields.title,
        "all_day": all_day,
        "start": start,
        "end": end,
        "time_zone": time_zone,
        "location": fields.location,
        "description": fields.description,
        "recurrence": fields.recurrence.map(|r| json!({
            "preset": r.preset.map(preset_name),
            "rrule": r.rrule,
        })),
        "reminders": fields.reminders,
        "attendees": fields.attendees.iter().map(|a| json!({
            "email": a.email, "name": a.name, "status": a.status,
        })).collect::<Vec<_>>(),
        "organizer": fields.organizer,
    }))
}

fn local(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn preset_name(preset: RecurrencePreset) -> &'static str {
    match preset {
        RecurrencePreset::Daily => "daily",
        RecurrencePreset::Weekdays => "weekdays",
        RecurrencePreset::Weekly => "weekly",
        RecurrencePreset::Monthly => "monthly",
        RecurrencePreset::Yearly => "yearly",
    }
}

/// The fields of a new event from a JSON body.
fn new_fields(body: &JsonObject, user: &User) -> Result<EventFields, Problem> {
    let title = body.required_string("title")?;
    if body.string("start")?.is_none() {
        return Err(Problem::invalid("'start' is required"));
    }
    let when = when_of(body, None, user)?.ok_or_else(|| Problem::invalid("'start' is required"))?;
    let attendees = body.strings("attendees")?.unwrap_or_default();
    Ok(EventFields {
        title,
        when,
        location: body.string("location")?.filter(|text| !text.trim().is_empty()),
        description: body.string("description")?.filter(|text| !text.trim().is_empty()),
        recurrence: recurrence_of(body)?
            .flatten()
            .map(|rrule| Recurrence::from_rrule(&rrule)),
        reminders: body.numbers("reminders", MAX_REMINDER)?.unwrap_or_default(),
        // Invitations go out only when the user is the organizer.
        organizer: (!attendees.is_empty()).then(|| user.internal_address().trim_start_matches("mailto:").to_owned()),
        attendees: attendees
            .into_iter()
            .map(|email| televent_domain::event_edit::EventAttendee {
                email: email.trim().to_lowercase(),
                name: None,
                status: "NEEDS-ACTION".to_owned(),
            })
            .collect(),
    })
}

/// The change a PATCH body asks for, given the event as it is.
fn event_patch(body: &JsonObject, current: &EventFields, user: &User) -> Result<EventPatch, Problem> {
    if body.has("title") && body.string("title")?.is_none() {
        return Err(Problem::invalid("'title' cannot be removed"));
    }
    Ok(EventPatch {
        title: body.string("title")?,
        when: when_of(body, Some(&current.when), user)?,
        location: body.patch_string("location")?,
        description: body.patch_string("description")?,
        recurrence: recurrence_of(body)?,
        reminders: body.numbers("reminders", MAX_REMINDER)?,
        attendees: body
            .strings("attendees")?
            .map(|emails| emails.into_iter().map(|e| e.trim().to_lowercase()).collect()),
    })
}

/// `recurrence`: absent `None`; null or `"none"` removes; a preset name or `{"rrule": ...}`.
fn recurrence_of(body: &JsonObject) -> Result<Option<Option<String>>, Problem> {
    match body.value("recurrence") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(name)) => match name.as_str() {
            "none" => Ok(Some(None)),
            "daily" => Ok(Some(Some(RecurrencePreset::Daily.rrule().to_owned()))),
            "weekdays" => Ok(Some(Some(RecurrencePreset::Weekdays.rrule().to_owned()))),
            "weekly" => Ok(Some(Some(RecurrencePreset::Weekly.rrule().to_owned()))),
            "monthly" => Ok(Some(Some(RecurrencePreset::Monthly.rrule().to_owned()))),
            "yearly" => Ok(Some(Some(RecurrencePreset::Yearly.rrule().to_owned()))),
            other => Err(Problem::invalid(format!(
                "unknown recurrence '{other}' (none, daily, weekdays, weekly, monthly, yearly, or {{\"rrule\": ...}})"
            ))),
        },
        Some(Value::Object(object)) => match object.get("rrule") {
            Some(Value::String(rrule)) if object.len() == 1 => Ok(Some(Some(rrule.trim().to_owned()))),
            _ => Err(Problem::invalid(
                "'recurrence' as an object must be {\"rrule\": \"FREQ=...\"}",
            )),
        },
        Some(_) => Err(Problem::invalid(
            "'recurrence' must be a preset name, null or {\"rrule\": ...}",
        )),
    }
}

/// The new times a body asks for: `None` when it names none of `all_day`, `start`, `end`,
/// `time_zone`. Unnamed parts come from `current` (moving the start keeps the length).
fn when_of(body: &JsonObject, current: Option<&EventTime>, user: &User) -> Result<Option<EventTime>, Problem> {
    if !["all_day", "start", "end", "time_zone"].iter().any(|f| body.has(f)) {
        return Ok(None);
    }
    let was_all_day = matches!(current, Some(EventTime::AllDay { .. }));
    let all_day = body.bool("all_day")?.unwrap_or(was_all_day);
    let start_text = body.string("start")?;
    let end_text = body.string("end")?;
    if all_day {
        let (old_start, old_days) = match current {
            Some(EventTime::AllDay { start, end_exclusive }) => (Some(*start), (*end_exclusive - *start).num_days()),
            Some(EventTime::Timed { start, .. }) => (Some(start.date()), 1),
            None => (None, 1),
        };
        let start = match &start_text {
            Some(text) => date_of(text, "start")?,
            None => old_start.ok_or_else(|| Problem::invalid("'start' is required"))?,
        };
        let end_exclusive = match &end_text {
            Some(text) => date_of(text, "end")?,
            None => start
                .checked_add_days(Days::new(u64::try_from(old_days.max(1)).unwrap_or(1)))
                .ok_or_else(|| Problem::invalid("'start' is out of range"))?,
        };
        if end_exclusive <= start {
            return Err(Problem::invalid(
                "'end' must be after 'start' (for all-day events, the day after the last)",
            ));
        }
        return Ok(Some(EventTime::AllDay { start, end_exclusive }));
    }
    let zone = match body.string("time_zone")? {
        Some(name) => TimeZoneId::parse(&name).map_err(Problem::invalid)?.tz(),
        None => match current {
            Some(EventTime::Timed { zone, .. }) => *zone,
            _ => user.time_zone.tz(),
        },
    };
    let (old_start, old_length) = match current {
        Some(EventTime::Timed { start, end, .. }) => (Some(*start), *end - *start),
        // From all-day to timed: nine in the morning of the first day, for an hour.
        Some(EventTime::AllDay { start, .. }) => (
            Some(start.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN))),
            Duration::hours(1),
        ),
        None => (None, Duration::hours(1)),
    };
    let start = match &start_text {
        Some(text) => date_time_of(text, "start")?,
        None => old_start.ok_or_else(|| Problem::invalid("'start' is required"))?,
    };
    let end = match &end_text {
        Some(text) => date_time_of(text, "end")?,
        None => start + old_length.max(Duration::minutes(1)),
    };
    if end <= start {
        return Err(Problem::invalid("'end' must be after 'start'"));
    }
    Ok(Some(EventTime::Timed { start, end, zone }))
}

fn date_of(text: &str, name: &str) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| Problem::invalid(format!("'{name}' must be a date like 2026-11-24")))
}

fn date_time_of(text: &str, name: &str) -> Result<NaiveDateTime, Problem> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .map_err(|_| Problem::invalid(format!("'{name}' must be a local time like 2026-11-24T15:30")))
}
