//! Users, their names, Telegram ids, zones and preferences.

use std::fmt;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::ids::UserId;

/// A user name: 1 to 64 characters of `a-z 0-9 . _ -`, starting with a letter or digit.
/// It appears in URLs and in `NAME@televent.internal`, so it is lower-case and URL-safe.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserName(String);

impl UserName {
    /// Checks and lower-cases a user name.
    pub fn parse(text: &str) -> Result<Self, String> {
        let name = text.trim().to_ascii_lowercase();
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        let starts_well = name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if name.is_empty() || name.len() > 64 || !valid_chars || !starts_well {
            return Err(format!(
                "'{text}' is not a valid user name: use 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
            ));
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Telegram user id (a positive integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TelegramId(i64);

impl TelegramId {
    /// Checks a Telegram id.
    pub fn new(id: i64) -> Result<Self, String> {
        if id > 0 {
            Ok(Self(id))
        } else {
            Err(format!("{id} is not a Telegram user id (must be positive)"))
        }
    }

    /// The number.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TelegramId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An IANA time zone a user lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZoneId(Tz);

impl TimeZoneId {
    /// Reads an IANA zone name such as `Europe/Berlin`.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.trim()
            .parse::<Tz>()
            .map(Self)
            .map_err(|_| format!("'{text}' is not an IANA time zone (for example Europe/Berlin or America/New_York)"))
    }

    /// UTC.
    pub const UTC: Self = Self(Tz::UTC);

    /// The zone.
    pub fn tz(self) -> Tz {
        self.0
    }

    /// The IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

/// A Televent user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Unique name, used for CalDAV login and internal addresses.
    pub name: UserName,
    /// The linked Telegram account, if any.
    pub telegram_id: Option<TelegramId>,
    /// The zone agendas, digests and reminders are shown in.
    pub time_zone: TimeZoneId,
    /// When the user was created.
    pub created_at: DateTime<Utc>,
}

/// The domain of internal addresses: `NAME@televent.internal` reaches user NAME on Telegram.
pub const INTERNAL_DOMAIN: &str = "televent.internal";

impl User {
    /// `mailto:NAME@televent.internal`, the address other users invite this user by.
    pub fn internal_address(&self) -> String {
        format!("mailto:{}@{INTERNAL_DOMAIN}", self.name)
    }
}

/// What a user wants to be told, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserPreferences {
    /// Minutes before each occurrence to remind; `None` for no default reminder.
    pub reminder_minutes_before: Option<u32>,
    /// Local time of the daily digest; `None` for no digest.
    pub daily_digest_time: Option<NaiveTime>,
    /// Master switch for reminders, digests and invitations by Telegram.
    pub notifications_enabled: bool,
    /// Send the digest on days without events too.
    pub digest_when_empty: bool,
}

impl Default for UserPreferences {
    fn default() -> Self {
        Self {
            reminder_minutes_before: Some(15),
            daily_digest_time: NaiveTime::from_hms_opt(8, 0, 0),
            notifications_enabled: true,
            digest_when_empty: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names() {
        assert_eq!(UserName::parse(" Alice ").unwrap().as_str(), "alice");
        assert!(UserName::parse("a.b_c-1").is_ok());
        for bad in ["", "-a", "a b", "a/b", "ä", &"x".repeat(65)] {
            assert!(UserName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zones_and_telegram_ids() {
        assert_eq!(TimeZoneId::parse("Europe/Berlin").unwrap().name(), "Europe/Berlin");
        assert!(TimeZoneId::parse("Mars/Olympus").is_err());
        assert!(TelegramId::new(0).is_err());
        assert_eq!(TelegramId::new(42).unwrap().get(), 42);
    }
}
