//! The door's one service function: routes a request, authenticates it, checks that the path
//! belongs to the user, reads the body within its limit and hands it to its method.
//!
//! **Invariant:** a user reaches only their own principal, home and calendars; any other
//! user's path answers 404, exactly as a path that does not exist. This module must never
//! compute properties or touch resources itself.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, HeaderValue, LOCATION, WWW_AUTHENTICATE};
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use televent_app::Televent;
use televent_domain::user::User;

use super::auth::{Authenticator, CHALLENGE, Client};
use super::config::HttpConfig;
use super::error::app_error;
use super::methods;
use super::metrics::Metrics;
use super::object_cache::ObjectCache;
use super::paths::{self, Target, route};
use super::response::{Condition, HttpResponse, dav_error, empty, plain};
use super::snapshots::Snapshots;
use super::xml::names::CALDAV;
use crate::telegram::webhook::{SECRET_HEADER, TelegramWebhook, WebhookOutcome};

/// Everything a request handler needs. Cheap to clone: one per connection.
#[derive(Debug, Clone)]
pub struct Dav {
    /// The use cases.
    pub engine: Televent,
    /// Settings.
    pub config: Arc<HttpConfig>,
    /// Credentials and their cache, shared by every connection.
    pub auth: Arc<Authenticator>,
    /// Request counters, shared by every connection.
    pub metrics: Arc<Metrics>,
    /// Parsed objects by ETag, for queries; shared by every connection.
    pub objects: Arc<ObjectCache>,
    /// Calendars in memory as of their sync token, for reports; shared by every connection.
    pub snapshots: Arc<Snapshots>,
    /// Telegram's webhook calls, when the bot runs in webhook mode.
    pub telegram: Option<Arc<TelegramWebhook>>,
    /// Places for requests being worked on (`max_concurrent_requests`), taken once a request's
    /// body is read; shared by every connection.
    pub places: Arc<tokio::sync::Semaphore>,
}

/// The peer of the connection a request came on; the server puts it in the request's
/// extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::SocketAddr);

/// An authenticated request whose target belongs to the user, with its body read.
#[derive(Debug)]
pub struct DavRequest {
    /// The method.
    pub method: Method,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// Who asked.
    pub user: User,
    /// What the path names.
    pub target: Target,
}

impl Dav {
    /// The door over `engine`.
    pub fn new(engine: Televent, config: HttpConfig) -> Self {
        let auth = Arc::new(Authenticator::new(engine.clone(), config.auth_cache_ttl));
        let places = Arc::new(tokio::sync::Semaphore::new(config.max_concurrent_requests.max(1)));
        Self {
            places,
            engine,
            config: Arc::new(config),
            auth,
            metrics: Arc::new(Metrics::default()),
            objects: Arc::new(ObjectCache::default()),
            snapshots: Arc::new(Snapshots::default()),
            telegram: None,
        }
    }

    /// The door, also taking Telegram's webhook calls at `webhook.path`.
    pub fn with_telegram_webhook(mut self, webhook: TelegramWebhook) -> Self {
        self.telegram = Some(Arc::new(webhook));
        self
    }

    /// Answers one request. Never fails: every error becomes a response.
    pub async fn handle<B>(&self, request: Request<B>) -> HttpResponse
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path();
        if path.starts_with("/api/") {
            return self.api(parts, body).await;
        }
        if let Some(webhook) = self.telegram.as_ref().filter(|hook| hook.path == path) {
            return self.telegram_webhook(webhook, parts, body).await;
        }
        if parts.method == Method::GET || parts.method == Method::HEAD {
            if let Some(response) = super::web::page(path, &parts.headers) {
                return response;
            }
            if let Some(token) = super::web::subscription_token(path) {
                let _place = self.place().await;
                let response = super::web::subscription(self, token, &parts.headers).await;
                return finish_unread(body, &parts.headers, response).await;
            }
        }
        let (user, target) = match self.admit(&parts).await {
            Ok(admitted) => admitted,
            // Answered before the body was read: read it now, so the connection can carry
            // the client's next request (clients do reuse it right away).
            Err(response) => return finish_unread(body, &parts.headers, response).await,
        };
        let limit = self.config.max_resource_size;
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit) {
            return finish_unread(body, &parts.headers, too_large(limit)).await;
        }
        let body = match read_body(body, limit).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => return close(too_large(limit)),
            Err(BodyError::TooSlow) => return close(too_slow()),
            Err(BodyError::Broken(why)) => {
                return close(plain(
                    StatusCode::BAD_REQUEST,
                    &format!("could not read the request body: {why}"),
                ));
            }
        };
        let _place = self.place().await;
        let request = DavRequest {
            method: parts.method,
            headers: parts.headers,
            body,
            user,
            target,
        };
        methods::dispatch(self, &request).await
    }

    /// A REST API request (`/api/...`): its body read within the resource size limit, then
    /// handed to `api::handle`.
    async fn api<B>(&self, parts: http::request::Parts, body: B) -> HttpResponse
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let Some(rest) = parts.uri.path().strip_prefix(super::api::API_ROOT) else {
            let response = super::api::problem::Problem::not_found("this API path").response();
            return finish_unread(body, &parts.headers, response).await;
        };
        let segments: Vec<String> = rest
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let limit = self.config.max_resource_size;
        let body = match read_body(body, limit).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => {
                return close(
                    super::api::problem::Problem::new(
                        "payload-too-large",
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("the request body is larger than the {limit} bytes this server accepts"),
                    )
                    .response(),
                );
            }
            Err(BodyError::TooSlow) => {
                return close(
                    super::api::problem::Problem::new(
                        "request-timeout",
                        StatusCode::REQUEST_TIMEOUT,
                        "the request body did not arrive in time",
                    )
                    .response(),
                );
            }
            Err(BodyError::Broken(why)) => {
                return close(
                    super::api::problem::Problem::invalid(format!("could not read the body: {why}")).response(),
                );
            }
        };
        let _place = self.place().await;
        let client = client_of(&parts);
        let request = super::api::ApiRequest {
            method: parts.method,
            segments,
            query: parts.uri.query().map(str::to_owned),
            client,
            headers: parts.headers,
            body,
        };
        super::api::handle(self, request).await
    }

    /// A call of Telegram's webhook: refused without the secret (before the body is read),
    /// else the update is handled and answered 200.
    async fn telegram_webhook<B>(&self, webhook: &TelegramWebhook, parts: http::request::Parts, body: B) -> HttpResponse
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        if parts.method != Method::POST {
            return finish_unread(body, &parts.headers, plain(StatusCode::METHOD_NOT_ALLOWED, "POST only")).await;
        }
        let secret = parts.headers.get(SECRET_HEADER).map(HeaderValue::as_bytes);
        if !webhook.accepts(secret) {
            tracing::warn!("Telegram webhook: a call without the right secret was refused");
            return close(plain(StatusCode::UNAUTHORIZED, "missing or wrong secret token"));
        }
        // Updates are small; a megabyte is far above any.
        let body = match read_body(body, 1024 * 1024).await {
            Ok(body) => body,
            Err(_) => return close(plain(StatusCode::PAYLOAD_TOO_LARGE, "too large for an update")),
        };
        match webhook.receive(secret, &body).await {
            WebhookOutcome::Handled => empty(StatusCode::OK),
            WebhookOutcome::Refused => plain(StatusCode::UNAUTHORIZED, "missing or wrong secret token"),
            WebhookOutcome::Malformed(why) => plain(StatusCode::BAD_REQUEST, &format!("not an update: {why}")),
        }
    }

    /// Routes and authenticates: the user and the target when the request may go on, else the
    /// response that ends it (redirects, health, metrics, OPTIONS, 401, 404).
    async fn admit(&self, parts: &http::request::Parts) -> Result<(User, Target), HttpResponse> {
        let target = route(parts.uri.path());
        match target {
            Target::WellKnown => return Err(self.well_known()),
            Target::Health => return Err(self.health().await),
            Target::Metrics => {
                let mut text = self.metrics.render();
                text.push_str(&super::metrics::delivery(&self.engine).await);
                return Err(super::response::with_body(
                    StatusCode::OK,
                    "text/plain; version=0.0.4; charset=utf-8",
                    text,
                ));
            }
            Target::Unknown => return Err(plain(StatusCode::NOT_FOUND, "not found")),
            _ if parts.method == Method::OPTIONS => return Err(methods::options::options(&target)),
            _ => {}
        }
        let client = client_of(parts);
        let authorization = parts.headers.get(http::header::AUTHORIZATION);
        let user = match self.auth.authenticate(authorization, &client).await {
            Ok(Some(user)) => user,
            Ok(None) => return Err(unauthorized()),
            Err(error) => return Err(app_error(&error, &|href| href.to_string())),
        };
        // Another user's path looks exactly like one that does not exist.
        if target
            .owner()
            .is_some_and(|owner| !owner.eq_ignore_ascii_case(user.name.as_str()))
        {
            return Err(plain(StatusCode::NOT_FOUND, "not found"));
        }
        Ok((user, target))
    }

    fn well_known(&self) -> HttpResponse {
        let location = match &self.config.public_url {
            Some(base) => format!("{}{}", base.trim_end_matches('/'), paths::DAV_ROOT),
            None => paths::DAV_ROOT.to_owned(),
        };
        let mut response = empty(StatusCode::MOVED_PERMANENTLY);
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(LOCATION, value);
        }
        response
    }

    async fn health(&self) -> HttpResponse {
        match self.engine.store().ping().await {
            Ok(()) => plain(StatusCode::OK, "ok"),
            Err(error) => {
                tracing::warn!(%error, "health check: store unreachable");
                plain(StatusCode::SERVICE_UNAVAILABLE, "store unreachable")
            }
        }
    }
}

impl Dav {
    /// A place among the requests being worked on; waits while all are taken. The semaphore
    /// is never closed, so the wait only ends with a place.
    async fn place(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.places.acquire().await.ok()
    }
}

/// 408: the body came too slowly (a client that sends headers and then stalls must not hold a
/// connection, or a place, for long).
fn too_slow() -> HttpResponse {
    plain(StatusCode::REQUEST_TIMEOUT, "the request body did not arrive in time")
}

/// Where a request came from.
fn client_of(parts: &http::request::Parts) -> Client {
    Client {
        addr: parts.extensions.get::<ClientAddr>().map(|peer| peer.0.ip()),
        user_agent: parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

fn unauthorized() -> HttpResponse {
    let mut response = plain(
        StatusCode::UNAUTHORIZED,
        "authentication required: your user name and a device password",
    );
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static(CHALLENGE));
    response
}

/// A body over the limit: CALDAV:max-resource-size (RFC 4791 section 5.3.2.1).
fn too_large(limit: u64) -> HttpResponse {
    dav_error(
        StatusCode::FORBIDDEN,
        Condition::new(CALDAV, "max-resource-size"),
        &format!("the request body is larger than the {limit} bytes this server accepts"),
    )
}

/// The most of an unread body that is read (and dropped) to keep a connection usable; past it
/// the connection is closed instead.
const DRAIN_LIMIT: u64 = 256 * 1024;

/// `response` for a request whose body was not read: the body is read and dropped when it is
/// small, else the response closes the connection.
async fn finish_unread<B>(body: B, headers: &HeaderMap, response: HttpResponse) -> HttpResponse
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > DRAIN_LIMIT) {
        return close(response);
    }
    match read_body(body, DRAIN_LIMIT).await {
        Ok(_) => response,
        Err(_) => close(response),
    }
}

/// Marks `response` as the last on its connection.
fn close(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

enum BodyError {
    TooLarge,
    TooSlow,
    Broken(String),
}

/// How long a request body may take to arrive, whole.
const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

async fn read_body<B>(body: B, limit: u64) -> Result<Bytes, BodyError>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let collected = tokio::time::timeout(BODY_READ_TIMEOUT, http_body_util::Limited::new(body, limit).collect()).await;
    let Ok(collected) = collected else {
        return Err(BodyError::TooSlow);
    };
    match collected {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) => {
            let too_large = error.downcast_ref::<http_body_util::LengthLimitError>().is_some()
                || error
                    .source()
                    .is_some_and(|s| s.downcast_ref::<http_body_util::LengthLimitError>().is_some());
            if too_large {
                Err(BodyError::TooLarge)
            } else {
                Err(BodyError::Broken(error.to_string()))
            }
        }
    }
}
