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
