//! `GET` and `PATCH /api/v1/me`: the user, their zone and their notification preferences.

use chrono::NaiveTime;
use serde_json::{Value, json};
use televent_domain::user::{User, UserPreferences};

use super::body::{json_object, object_of};
use super::json::{base_url, ok};
use super::problem::Problem;
use super::{ApiRequest, audit};
use crate::http::handler::Dav;
use crate::http::paths;
use crate::http::response::HttpResponse;

/// The longest default reminder: four weeks.
const MAX_REMINDER_MINUTES: u32 = 40_320;

/// The user.
pub async fn get(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let preferences = dav.engine.preferences(user).await?;
    Ok(ok(&me(user, &preferences, &base_url(dav, request))))
}

fn me(user: &User, preferences: &UserPreferences, base: &str) -> Value {
    json!({
        "name": user.name.as_str(),
        "time_zone": user.time_zone.name(),
        "telegram_linked": user.telegram_id.is_some(),
        "caldav_url": format!("{base}{}", paths::DAV_ROOT),
        "preferences": {
            "reminder_minutes_before": preferences.reminder_minutes_before,
            "daily_digest_time": preferences.daily_digest_time.map(|t| t.format("%H:%M").to_string()),
            "notifications_enabled": preferences.notifications_enabled,
            "digest_when_empty": preferences.digest_when_empty,
        },
    })
}

/// Changes the zone and preferences the body names.
pub async fn patch(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let body = json_object(request, &["time_zone", "preferences"])?;
    let mut preferences = dav.engine.preferences(user).await?;
    let changes = match body.value("preferences") {
        None | Some(Value::Null) => None,
        Some(value) => Some(object_of(
            value.clone(),
            &[
                "reminder_minutes_before",
                "daily_digest_time",
                "notifications_enabled",
                "digest_when_empty",
            ],
            "'preferences'",
        )?),
    };
    if let Some(changes) = &changes {
        if let Some(minutes) = changes.patch_number("reminder_minutes_before", MAX_REMINDER_MINUTES)? {
            preferences.reminder_minutes_before = minutes;
        }
        if let Some(time) = changes.patch_string("daily_digest_time")? {
            preferences.daily_digest_time = match time {
                None => None,
                Some(text) => Some(
                    NaiveTime::parse_from_str(text.trim(), "%H:%M")
                        .map_err(|_| Problem::invalid("'daily_digest_time' must be a time like 08:00"))?,
                ),
            };
        }
        if let Some(enabled) = changes.bool("notifications_enabled")? {
            preferences.notifications_enabled = enabled;
        }
        if let Some(when_empty) = changes.bool("digest_when_empty")? {
            preferences.digest_when_empty = when_empty;
        }
    }
    // Validate everything before changing anything.
    let zone = body.string("time_zone")?;
    let user = match zone {
        Some(zone) => dav.engine.set_time_zone(user, &zone).await?,
        None => user.clone(),
    };
    if changes.is_some() {
        dav.engine.set_preferences(&user, preferences).await?;
    }
    audit(dav, request, &user, "user.update", user.name.as_str()).await;
    Ok(ok(&me(&user, &preferences, &base_url(dav, request))))
}
