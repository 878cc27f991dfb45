//! `GET /api/v1/outbox`: the user's own messages (their invitations, reminders, digests and the
//! answers they were sent) and how their delivery went.

use serde_json::json;
use televent_domain::ids::OutboxId;
use televent_domain::user::User;

use super::ApiRequest;
use super::json::{self, ok, page_limit};
use super::problem::Problem;
use crate::http::handler::Dav;
use crate::http::response::HttpResponse;

/// A page of the user's messages, newest first.
pub async fn list(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let limit = page_limit(request)?;
    let after = match request.query_param("cursor") {
        None => None,
        Some(text) => Some(
            text.parse::<OutboxId>()
                .map_err(|_| Problem::invalid("'cursor' is not one this API gave out"))?,
        ),
    };
    // One more than asked, to know whether there is a next page.
    let mut messages = dav
        .engine
        .store()
        .list_for_owner(user.id, after, limit + 1, dav.engine.now())
        .await
        .map_err(televent_app::AppError::from)?;
    let more = messages.len() > limit;
    messages.truncate(limit);
    let next = if more {
        messages.last().map(|m| m.id.to_string())
    } else {
        None
    };
    Ok(ok(&json!({
        "items": messages.iter().map(json::message).collect::<Vec<_>>(),
        "next_cursor": next,
    })))
}
