//! Access by secret: web sessions, one-time login links and calendar subscription URLs.
//!
//! A session or login-link secret is shown to its holder once and stored only as its BLAKE3
//! hash ([`TokenHash`]), so a copy of the database signs nobody in. A subscription token is
//! stored as it is: it is handed out again (the web page, the bot and the API show it), and it
//! opens one calendar read-only.

use chrono::{DateTime, Utc};

use crate::ids::{CalendarId, DeviceId, UserId};

/// What a stored token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A signed-in web or API session.
    Session,
    /// A one-time link that makes a session (the bot's `/web`).
    LoginLink,
}

impl TokenKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::LoginLink => "login_link",
        }
    }

    /// The kind a stored name names.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "session" => Some(Self::Session),
            "login_link" => Some(Self::LoginLink),
            _ => None,
        }
    }
}

/// The BLAKE3 hash of a token's secret: what the store keeps and looks up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// The hash of `secret`.
    pub fn of(secret: &str) -> Self {
        Self(*blake3::hash(secret.as_bytes()).as_bytes())
    }
}

/// A stored session or login link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The hash of its secret.
    pub hash: TokenHash,
    /// What it is.
    pub kind: TokenKind,
    /// Whose it is.
    pub user: UserId,
    /// The device password it was made with, if any: revoking that device ends it.
    pub device: Option<DeviceId>,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Useless from this instant on.
    pub expires_at: DateTime<Utc>,
}

impl AccessToken {
    /// True while it may be used.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

/// A calendar's read-only subscription URL token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The calendar it opens.
    pub calendar: CalendarId,
    /// The secret in its URL.
    pub token: String,
    /// Made.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_hashes_differ() {
        for kind in [TokenKind::Session, TokenKind::LoginLink] {
            assert_eq!(TokenKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(TokenKind::parse("other"), None);
        assert_eq!(TokenHash::of("a"), TokenHash::of("a"));
        assert_ne!(TokenHash::of("a"), TokenHash::of("b"));
    }
}
