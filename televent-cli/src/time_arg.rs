//! Reading instants from the command line.

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// `2024-01-01`, `2024-01-01T10:00:00Z`, `2024-01-01T10:00:00+02:00`, `20240101T100000Z`;
/// times without an offset are UTC.
pub fn parse_instant(text: &str) -> anyhow::Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y%m%dT%H%M%SZ",
        "%Y%m%dT%H%M%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(time.and_utc());
        }
    }
    for format in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc());
        }
    }
    bail!("'{text}' is not a date or time (try 2024-01-01 or 2024-01-01T10:00:00Z)")
}

/// Like [`parse_instant`], naming the flag in the error.
pub fn parse_flag(flag: &str, text: &str) -> anyhow::Result<DateTime<Utc>> {
    parse_instant(text).with_context(|| format!("--{flag}"))
}
