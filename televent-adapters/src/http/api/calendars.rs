//! `/api/v1/calendars` and `/api/v1/calendars/{calendar}`: the user's calendars.

use http::StatusCode;
use televent_domain::calendar::{Calendar, CalendarPatch, CalendarSlug, NewCalendar};
use televent_domain::user::User;

use super::body::json_object;
use super::json::{self, base_url, json_response, ok, page};
use super::problem::Problem;
use super::{ApiRequest, audit};
use crate::http::handler::Dav;
use crate::http::response::{HttpResponse, empty};

/// The user's calendar with this id (slug), or 404: also for another user's (it is looked up
/// among the user's own only).
pub async fn owned(dav: &Dav, user: &User, id: &str) -> Result<Calendar, Problem> {
    dav.engine
        .calendar(user, id)
        .await
        .map_err(|_| Problem::not_found(&format!("calendar '{id}'")))
}

/// The user's calendars.
pub async fn list(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let mut calendars = dav.engine.calendars(user).await?;
    calendars.sort_by(|a, b| a.slug.as_str().cmp(b.slug.as_str()));
    let base = base_url(dav, request);
    let body = page(
        request,
        calendars,
        |calendar| calendar.slug.as_str().to_owned(),
        |calendar| json::calendar(calendar, user, &base),
    )?;
    Ok(ok(&body))
}

/// One calendar.
pub async fn get(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    Ok(ok(&json::calendar(&calendar, user, &base_url(dav, request))))
}

/// Creates a calendar.
pub async fn create(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let body = json_object(request, &["id", "name", "color", "description"])?;
    let name = body.required_string("name")?;
    let name = checked_name(&name)?;
    let chosen = body.string("id")?;
    let color = checked_color(body.string("color")?)?;
    let description = checked_description(body.string("description")?)?;
    let make = |slug: &str| -> Result<NewCalendar, Problem> {
        let mut new = NewCalendar::named(CalendarSlug::parse(slug).map_err(Problem::invalid)?, name);
        new.color = color.clone();
        new.description = description.clone();
        Ok(new)
    };
    let calendar = match chosen {
        Some(id) => dav.engine.create_calendar(user, make(&id)?).await?,
        None => {
            // An id made from the name may be taken (two names with no Latin letters both
            // give "calendar"): then a short random suffix tells them apart.
            let derived = slug_of(name);
            match dav.engine.create_calendar(user, make(&derived)?).await {
                Err(televent_app::AppError::AlreadyExists(_)) => {
                    let suffix: String = uuid::Uuid::new_v4().simple().to_string().chars().take(6).collect();
                    dav.engine
                        .create_calendar(user, make(&format!("{derived}-{suffix}"))?)
                        .await?
                }
                other => other?,
            }
        }
    };
    audit(dav, request, user, "calendar.create", calendar.slug.as_str()).await;
    Ok(json_response(
        StatusCode::CREATED,
        &json::calendar(&calendar, user, &base_url(dav, request)),
    ))
}

/// Changes a calendar's name, colour, description or order.
pub async fn patch(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    let body = json_object(request, &["name", "color", "description", "order"])?;
    let mut patch = CalendarPatch::default();
    if let Some(name) = body.string("name")? {
        patch.display_name = Some(checked_name(&name)?.to_owned());
    }
    if let Some(color) = body.patch_string("color")? {
        patch.color = Some(checked_color(color)?);
    }
    if let Some(description) = body.patch_string("description")? {
        patch.description = Some(checked_description(description)?);
    }
    if let Some(order) = body.patch_number("order", 1_000_000)? {
        patch.order = Some(order.and_then(|n| i32::try_from(n).ok()));
    }
    let updated = dav.engine.update_calendar(user, &calendar, patch).await?;
    audit(dav, request, user, "calendar.update", updated.slug.as_str()).await;
    Ok(ok(&json::calendar(&updated, user, &base_url(dav, request))))
}

/// Deletes a calendar with its events.
pub async fn delete(dav: &Dav, request: &ApiRequest, user: &User, id: &str) -> Result<HttpResponse, Problem> {
    let calendar = owned(dav, user, id).await?;
    dav.engine.delete_calendar(user, &calendar).await?;
    dav.snapshots.forget(calendar.id);
    audit(dav, request, user, "calendar.delete", calendar.slug.as_str()).await;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// A calendar name: 1 to 200 printable characters.
fn checked_name(name: &str) -> Result<&str, Problem> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Problem::invalid("'name' must be 1 to 200 printable characters"));
    }
    Ok(name)
}

/// A description: any text but control characters other than line breaks and tabs.
fn checked_description(description: Option<String>) -> Result<Option<String>, Problem> {
    if description
        .as_deref()
        .is_some_and(|text| text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(Problem::invalid("'description' holds control characters"));
    }
    Ok(description)
}

/// A slug from a name: lower-case letters, digits and dashes.
fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "calendar".to_owned()
    } else {
        slug.chars().take(60).collect()
    }
}

/// `#RRGGBB` or `#RRGGBBAA`.
fn checked_color(color: Option<String>) -> Result<Option<String>, Problem> {
    match color {
        None => Ok(None),
        Some(color) => {
            let hex = color.strip_prefix('#').unwrap_or("");
            if (hex.len() == 6 || hex.len() == 8) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(Some(color))
            } else {
                Err(Problem::invalid("'color' must look like #3366CC"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_colours() {
        assert_eq!(slug_of("Work & Family!"), "work-family");
        assert_eq!(slug_of("???"), "calendar");
        assert!(checked_color(Some("#3366cc".to_owned())).is_ok());
        assert!(checked_color(Some("red".to_owned())).is_err());
    }
}
