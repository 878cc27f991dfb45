//! The audit log: who did what, from where.

use chrono::{DateTime, Utc};

use crate::ids::UserId;

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who, when known (a failed login may name no existing user).
    pub user: Option<UserId>,
    /// What, as a stable dotted name: `object.put`, `device.revoke`, `login.failed`.
    pub action: String,
    /// On what: an href, a calendar slug, a device id, a user name.
    pub entity: String,
    /// More, for people.
    pub detail: Option<String>,
    /// The client's address, for actions that came over the network.
    pub client_addr: Option<String>,
    /// The client's User-Agent.
    pub user_agent: Option<String>,
}

/// `text` fit for the log: control characters (NUL among them, which no database text column
/// takes) become U+FFFD, and at most `max` characters are kept. An attacker's login name must
/// not be able to keep a failed attempt out of the log.
pub fn printable(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_replaced_and_length_bounded() {
        assert_eq!(printable("ali\0ce\n", 64), "ali\u{FFFD}ce\u{FFFD}");
        assert_eq!(printable("abcdef", 3), "abc");
    }
}
