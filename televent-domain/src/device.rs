//! Device passwords: one per CalDAV client, revocable, shown once.

use chrono::{DateTime, Utc};

use crate::ids::{DeviceId, UserId};

/// A PHC-format password hash (Argon2id), as the hasher produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string.
    pub fn new(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A device password record. The password itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePassword {
    /// Identifier.
    pub id: DeviceId,
    /// Owner.
    pub user: UserId,
    /// What the user called it ("iPhone", "Thunderbird at work").
    pub label: String,
    /// The hash to verify against.
    pub hash: PasswordHash,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last successful login with it.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked; a revoked password never logs in again.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl DevicePassword {
    /// True while the password may log in.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// Checks a device label: 1 to 100 characters, no control characters.
pub fn parse_label(text: &str) -> Result<String, String> {
    let label = text.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(format!(
            "'{text}' is not a usable device label (1 to 100 printable characters)"
        ));
    }
    Ok(label.to_owned())
}
