//! `/api/v1/calendars/{calendar}/subscription`: the calendar's secret read-only iCalendar URL
//! (served at `/ics/{token}.ics` by `crate::http::web`).

use http::StatusCode;
use serde_json::{Value, json};
use televent_domain::access::Subscription;
use televent_domain::user::User;

use super::calendars::owned;
use super::json::{base_url, instant, json_response, ok};
use super::problem::Problem;
use super::{ApiRequest, audit};
use crate::http::handler::Dav;
use crate::http::response::{HttpResponse, empty};
use crate::http::web::subscription_urls;

fn render(subscription: &Subscription, base: &str) -> Value {
    let (url, webcal) = subscription_urls(base, &subscription.token);
    json!({ "url": url, "webcal_url": webcal, "created_at": instant(subscription.created_at) })
}

/// The calendar's subscription, 404 when it has none.
pub async fn get(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    match dav.engine.subscription(&calendar).await? {
        Some(subscription) => Ok(ok(&render(&subscription, &base_url(dav, request)))),
        None => Err(Problem::not_found("subscription")),
    }
}

/// A new subscription URL; the old one stops working.
pub async fn renew(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    let subscription = dav.engine.renew_subscription(&calendar).await?;
    audit(dav, request, user, "subscription.renew", calendar.slug.as_str()).await;
    Ok(json_response(
        StatusCode::CREATED,
        &render(&subscription, &base_url(dav, request)),
    ))
}

/// Revokes the subscription URL.
pub async fn revoke(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    dav.engine.revoke_subscription(&calendar).await?;
    audit(dav, request, user, "subscription.revoke", calendar.slug.as_str()).await;
    Ok(empty(StatusCode::NO_CONTENT))
}
