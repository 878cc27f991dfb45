//! `GET /api/v1/occurrences?from=DATE&to=DATE[&calendar=ID]`: occurrences in the user's zone,
//! recurring ones expanded.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;
use televent_domain::tz::local::local_day;
use televent_domain::user::User;

use super::ApiRequest;
use super::calendars::owned;
use super::json::ok;
use super::problem::Problem;
use crate::http::handler::Dav;
use crate::http::response::HttpResponse;

/// The most occurrences one answer holds (the earliest; `truncated` says more were left out).
const MAX_OCCURRENCES: usize = 10_000;

/// The widest range one request may ask for.
const MAX_DAYS: i64 = 400;

/// The occurrences.
pub async fn list(dav: &Dav, request: &ApiRequest, user: &User) -> Result<HttpResponse, Problem> {
    let from = date_param(request, "from")?;
    let to = date_param(request, "to")?;
    let days = (to - from).num_days();
    if days <= 0 || days > MAX_DAYS {
        return Err(Problem::invalid(format!(
            "'to' must be after 'from' and at most {MAX_DAYS} days later"
        )));
    }
    let calendars = match request.query_param("calendar") {
        Some(id) => vec![owned(dav, user, &id).await?],
        None => Vec::new(),
    };
    let zone = user.time_zone.tz();
    let (start, _) = local_day(from, zone);
    let (end, _) = local_day(to, zone);
    let (entries, truncated) = dav
        .engine
        .agenda_limited(user, &calendars, start, end, MAX_OCCURRENCES)
        .await?;
    let items: Vec<_> = entries
        .iter()
        .map(|entry| {
            let (start, end) = if entry.all_day {
                let first = entry.start.date_naive();
                let after = entry
                    .end
                    .map_or_else(|| first.succ_opt().unwrap_or(first), |e| e.date_naive());
                (first.to_string(), after.max(first).to_string())
            } else {
                let end = entry.end.unwrap_or(entry.start);
                (local(entry.start), local(end))
            };
            json!({
                "calendar": entry.calendar_slug,
                "event": entry.href,
                "uid": entry.uid,
                "title": entry.summary.clone().unwrap_or_default(),
                "start": start,
                "end": end,
                "all_day": entry.all_day,
                "location": entry.location,
                "recurring": entry.recurring,
            })
        })
        .collect();
    Ok(ok(
        &json!({ "time_zone": zone.name(), "items": items, "truncated": truncated }),
    ))
}

fn local(at: DateTime<Tz>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn date_param(request: &ApiRequest, name: &str) -> Result<NaiveDate, Problem> {
    let text = request
        .query_param(name)
        .ok_or_else(|| Problem::invalid(format!("'{name}' is required (a date like 2026-11-24)")))?;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Problem::invalid(format!("'{name}' must be a date like 2026-11-24")))
}
