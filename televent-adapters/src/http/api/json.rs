//! Writing API answers: JSON bodies, pages of lists, and the JSON shape of each resource
//! (the schemas in `openapi.json`).

use chrono::{DateTime, SecondsFormat, Utc};
use http::StatusCode;
use serde_json::{Value, json};
use televent_domain::calendar::Calendar;
use televent_domain::device::DevicePassword;
use televent_domain::outbox::{OutboxMessage, OutboxPayload};
use televent_domain::user::User;

use super::ApiRequest;
use super::problem::Problem;
use crate::http::handler::Dav;
use crate::http::paths;
use crate::http::response::{HttpResponse, with_body};

/// A JSON answer.
pub fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    with_body(status, "application/json", body.to_string())
}

/// 200 with `body`.
pub fn ok(body: &Value) -> HttpResponse {
    json_response(StatusCode::OK, body)
}

/// An instant as RFC 3339 UTC.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The page size asked for: `?limit=`, 1 to 500, default 100.
pub fn page_limit(request: &ApiRequest) -> Result<usize, Problem> {
    match request.query_param("limit") {
        None => Ok(100),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=500).contains(limit))
            .ok_or_else(|| Problem::invalid("'limit' must be a whole number from 1 to 500")),
    }
}

/// One page of `items` (sorted by `key`, ascending): those after `?cursor=`, at most
/// `?limit=`, as `{"items": [...], "next_cursor": ...}`.
pub fn page<T>(
    request: &ApiRequest,
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    render: impl Fn(&T) -> Value,
) -> Result<Value, Problem> {
    let limit = page_limit(request)?;
    let cursor = request.query_param("cursor");
    let mut after: Vec<&T> = items
        .iter()
        .filter(|item| cursor.as_ref().is_none_or(|cursor| key(item) > *cursor))
        .collect();
    let more = after.len() > limit;
    after.truncate(limit);
    let next = if more { after.last().map(|item| key(item)) } else { None };
    Ok(json!({
        "items": after.iter().map(|item| render(item)).collect::<Vec<_>>(),
        "next_cursor": next,
    }))
}

/// The server's base URL as clients reach it: the configured public URL, else the request's
/// Host header.
pub fn base_url(dav: &Dav, request: &ApiRequest) -> String {
    if let Some(public) = &dav.config.public_url {
        return public.trim_end_matches('/').to_owned();
    }
    let host = request
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|host| host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let scheme = if dav.config.tls { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// A calendar.
pub fn calendar(calendar: &Calendar, user: &User, base: &str) -> Value {
    json!({
        "id": calendar.slug.as_str(),
        "name": calendar.display_name,
        "color": calendar.color,
        "description": calendar.description,
        "time_zone": calendar.time_zone,
        "order": calendar.order,
        "sync_token": calendar.sync_token.to_string(),
        "caldav_url": format!("{base}{}", paths::calendar(user.name.as_str(), calendar.slug.as_str())),
    })
}

/// A device password record (never the password).
pub fn device(device: &DevicePassword) -> Value {
    json!({
        "id": device.id.to_string(),
        "label": device.label,
        "created_at": instant(device.created_at),
        "last_used_at": device.last_used_at.map(instant),
        "revoked_at": device.revoked_at.map(instant),
    })
}

/// An outbox message, as its owner sees it.
pub fn message(message: &OutboxMessage) -> Value {
    let (kind, summary) = match &message.payload {
        OutboxPayload::Invitation(invitation) => (
            match invitation.method {
                televent_domain::outbox::ItipMethod::Request => "invitation",
                televent_domain::outbox::ItipMethod::Cancel => "cancellation",
            },
            invitation.summary.clone(),
        ),
        OutboxPayload::Reminder(reminder) => ("reminder", reminder.summary.clone()),
        OutboxPayload::Digest(digest) => ("digest", Some(digest.date.to_string())),
        OutboxPayload::Reply(reply) => ("answer", reply.summary.clone()),
    };
    json!({
        "id": message.id.to_string(),
        "kind": kind,
        "channel": message.channel.as_str(),
        "recipient": message.recipient,
        "summary": summary,
        "status": message.status.as_str(),
        "attempts": message.attempts,
        "next_attempt_at": instant(message.available_at),
        "last_error": message.last_error,
        "created_at": instant(message.created_at),
    })
}
