//! `/api/v1/devices`: device passwords for CalDAV clients (and scripts).

use http::StatusCode;
use serde_json::json;
use televent_domain::user::User;

use super::body::json_object;
use super::json::{self, base_url, json_response, ok, page};
use super::problem::Problem;
use super::{ApiRequest, audit};
use crate::http::handler::Dav;
use crate::http::paths;
use crate::http::response::{HttpResponse, empty};

/// The user's device passwords, oldest first.
pub async fn list(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let devices = dav.engine.devices(user).await?;
    // Ordered by creation: the cursor is the creation time and id.
    let key = |d: &televent_domain::device::DevicePassword| format!("{}|{}", json::instant(d.created_at), d.id);
    let mut devices = devices;
    devices.sort_by_key(key);
    Ok(ok(&page(request, devices, key, json::device)?))
}

/// Makes a device password; the answer shows it once.
pub async fn create(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let body = json_object(request, &["label"])?;
    let label = body.required_string("label")?;
    let made = dav.engine.add_device(user, &label).await?;
    audit(dav, request, user, "device.create", &made.device.id.to_string()).await;
    let base = base_url(dav, request);
    Ok(json_response(
        StatusCode::CREATED,
        &json!({
            "device": json::device(&made.device),
            "password": made.password,
            "user_name": user.name.as_str(),
            "caldav_url": format!("{base}{}", paths::DAV_ROOT),
            "server": base,
        }),
    ))
}

/// Revokes one: it stops working at once.
pub async fn revoke(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    dav.engine.revoke_device(user, id).await.map_err(|error| match error {
        // A malformed id names no device either.
        televent_app::AppError::Invalid(_) => Problem::not_found(&format!("device '{id}'")),
        other => other.into(),
    })?;
    audit(dav, request, user, "device.revoke", id).await;
    Ok(empty(StatusCode::NO_CONTENT))
}
