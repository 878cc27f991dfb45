//! The REST API (`/api/v1`, documented in docs/api.md and in `openapi.json`, served at
//! `/api/v1/openapi.json`): JSON over the same use cases as CalDAV and the bot.
//!
//! **Invariant:** the user comes from authentication only (`caller`), never from the path or
//! the query; every route looks things up through that user, so another user's calendar or
//! event answers 404 exactly like one that does not exist. Errors are problem+json
//! (`problem`). Every successful write is audited with the client's address and user agent.

mod body;
mod calendars;
mod caller;
mod devices;
mod events;
pub mod init_data;
mod json;
mod me;
mod occurrences;
mod outbox;
pub mod problem;
mod sessions;
mod subscriptions;

use bytes::Bytes;
use http::header::{ALLOW, HeaderValue};
use http::{HeaderMap, Method};
use televent_domain::audit::AuditEntry;
use televent_domain::user::User;

use self::problem::Problem;
use super::auth::Client;
use super::handler::Dav;
use super::response::{HttpResponse, with_body};

/// The prefix of every API path.
pub const API_ROOT: &str = "/api/v1/";

/// The OpenAPI document, kept in step with the router by a test.
pub const OPENAPI: &str = include_str!("openapi.json");

/// One API request, its body read.
#[derive(Debug)]
pub struct ApiRequest {
    /// The method.
    pub method: Method,
    /// The path segments after `/api/v1/`, percent-decoded.
    pub segments: Vec<String>,
    /// The query string, undecoded.
    pub query: Option<String>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// Where it came from.
    pub client: Client,
}

impl ApiRequest {
    /// The decoded value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| {
                percent_encoding::percent_decode_str(&value.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    }
}

/// Answers one API request. Never fails: every error becomes a problem response.
pub async fn handle(dav: &Dav, request: ApiRequest) -> HttpResponse {
    match route(dav, &request).await {
        Ok(response) => response,
        Err(problem) => {
            let mut response = problem.response();
            if problem.name == "method-not-allowed"
                && let Some(allowed) = allowed_methods(&request.segments)
                && let Ok(value) = HeaderValue::from_str(allowed)
            {
                response.headers_mut().insert(ALLOW, value);
            }
            if problem.name == "unauthorized" {
                response.headers_mut().insert(
                    http::header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"Televent\""),
                );
            }
            response
        }
    }
}

async fn route(dav: &Dav, request: &ApiRequest) -> Result<HttpResponse, Problem> {
    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    let method = &request.method;
    // Routes that need no sign-in.
    match (method, segments.as_slice()) {
        (&Method::GET | &Method::HEAD, ["openapi.json"]) => {
            return Ok(with_body(http::StatusCode::OK, "application/json", OPENAPI));
        }
        (&Method::POST, ["sessions"]) => return sessions::create(dav, request).await,
        _ => {}
    }
    if allowed_methods(&request.segments).is_none() {
        return Err(Problem::not_found("this API path"));
    }
    let caller = caller::caller(dav, request).await?;
    let user = &caller.user;
    match (method, segments.as_slice()) {
        (&Method::DELETE, ["sessions", "current"]) => sessions::delete(dav, &caller).await,
        (&Method::GET, ["me"]) => me::get(dav, request, user).await,
        (&Method::PATCH, ["me"]) => me::patch(dav, request, user).await,
        (&Method::GET, ["calendars"]) => calendars::list(dav, request, user).await,
        (&Method::POST, ["calendars"]) => calendars::create(dav, request, user).await,
        (&Method::GET, ["calendars", calendar]) => calendars::get(dav, request, user, calendar).await,
        (&Method::PATCH, ["calendars", calendar]) => calendars::patch(dav, request, user, calendar).await,
        (&Method::DELETE, ["calendars", calendar]) => calendars::delete(dav, request, user, calendar).await,
        (&Method::GET, ["calendars", calendar, "events"]) => events::list(dav, request, user, calendar).await,
        (&Method::POST, ["calendars", calendar, "events"]) => events::create(dav, request, user, calendar).await,
        (&Method::GET, ["calendars", calendar, "events", event]) => events::get(dav, user, calendar, event).await,
        (&Method::PATCH, ["calendars", calendar, "events", event]) => {
            events::patch(dav, request, user, calendar, event).await
        }
        (&Method::DELETE, ["calendars", calendar, "events", event]) => {
            events::delete(dav, request, user, calendar, event).await
        }
        (&Method::GET, ["calendars", calendar, "events", event, "ics"]) => {
            events::get_ics(dav, user, calendar, event).await
        }
        (&Method::PUT, ["calendars", calendar, "events", event, "ics"]) => {
            events::put_ics(dav, request, user, calendar, event).await
        }
        (&Method::GET, ["calendars", calendar, "subscription"]) => {
            subscriptions::get(dav, request, user, calendar).await
        }
        (&Method::PUT, ["calendars", calendar, "subscription"]) => {
            subscriptions::renew(dav, request, user, calendar).await
        }
        (&Method::DELETE, ["calendars", calendar, "subscription"]) => {
            subscriptions::revoke(dav, request, user, calendar).await
        }
        (&Method::GET, ["occurrences"]) => occurrences::list(dav, request, user).await,
        (&Method::GET, ["devices"]) => devices::list(dav, request, user).await,
        (&Method::POST, ["devices"]) => devices::create(dav, request, user).await,
        (&Method::DELETE, ["devices", device]) => devices::revoke(dav, request, user, device).await,
        (&Method::GET, ["outbox"]) => outbox::list(dav, request, user).await,
        _ => Err(Problem::method_not_allowed()),
    }
}

/// The methods a path takes (its `Allow`), `None` for a path the API does not have.
pub fn allowed_methods(segments: &[String]) -> Option<&'static str> {
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    Some(match segments.as_slice() {
        ["openapi.json"] => "GET, HEAD",
        ["sessions"] => "POST",
        ["sessions", "current"] => "DELETE",
        ["me"] => "GET, PATCH",
        ["calendars"] => "GET, POST",
        ["calendars", _] => "GET, PATCH, DELETE",
        ["calendars", _, "events"] => "GET, POST",
        ["calendars", _, "events", _] => "GET, PATCH, DELETE",
        ["calendars", _, "events", _, "ics"] => "GET, PUT",
        ["calendars", _, "subscription"] => "GET, PUT, DELETE",
        ["occurrences"] => "GET",
        ["devices"] => "GET, POST",
        ["devices", _] => "DELETE",
        ["outbox"] => "GET",
        _ => return None,
    })
}

/// Records a successful write in the audit log; a failure to record is logged, not fatal
/// (the write is done).
pub async fn audit(dav: &Dav, request: &ApiRequest, user: &User, action: &str, entity: &str) {
    let entry = AuditEntry {
        at: dav.engine.now(),
        user: Some(user.id),
        action: action.to_owned(),
        entity: televent_domain::audit::printable(entity, 256),
        detail: Some("REST API".to_owned()),
        client_addr: request.client.addr.map(|addr| addr.to_string()),
        user_agent: request
            .client
            .user_agent
            .as_ref()
            .map(|agent| televent_domain::audit::printable(agent, 256)),
    };
    if let Err(error) = dav.engine.store().record(entry).await {
        tracing::warn!(%error, action, "could not audit an API write");
    }
}
