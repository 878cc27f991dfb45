//! Rows of `users`, `user_preferences`, `device_passwords` and `audit_log`.

use televent_domain::audit::AuditEntry;
use televent_domain::device::{DevicePassword, PasswordHash};
use televent_domain::ids::{DeviceId, UserId};
use televent_domain::user::{TelegramId, TimeZoneId, User, UserName, UserPreferences};
use televent_ports::StoreError;
use uuid::Uuid;

use crate::store::sql::codec::{instant, optional_instant, small, stored_time_of_day};
use crate::store::sql::error::corrupt;

/// A `users` row.
#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub name: String,
    pub telegram_id: Option<i64>,
    pub time_zone: String,
    pub created_at: i64,
}

impl UserRow {
    /// The user.
    pub fn into_user(self) -> Result<User, StoreError> {
        Ok(User {
            id: UserId::from_uuid(self.id),
            name: UserName::parse(&self.name).map_err(corrupt)?,
            telegram_id: self.telegram_id.map(TelegramId::new).transpose().map_err(corrupt)?,
            time_zone: TimeZoneId::parse(&self.time_zone).map_err(corrupt)?,
            created_at: instant(self.created_at)?,
        })
    }
}

/// A `user_preferences` row, without its key.
#[derive(Debug, sqlx::FromRow)]
pub struct PreferencesRow {
    pub reminder_minutes_before: Option<i64>,
    pub daily_digest_time: Option<i64>,
    pub notifications_enabled: bool,
    pub digest_when_empty: bool,
}

impl PreferencesRow {
    /// The preferences.
    pub fn into_preferences(self) -> Result<UserPreferences, StoreError> {
        Ok(UserPreferences {
            reminder_minutes_before: self.reminder_minutes_before.map(small).transpose()?,
            daily_digest_time: self.daily_digest_time.map(stored_time_of_day).transpose()?,
            notifications_enabled: self.notifications_enabled,
            digest_when_empty: self.digest_when_empty,
        })
    }
}

/// A `device_passwords` row.
#[derive(Debug, sqlx::FromRow)]
pub struct DeviceRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub label: String,
    pub password_hash: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl DeviceRow {
    /// The device password record.
    pub fn into_device(self) -> Result<DevicePassword, StoreError> {
        Ok(DevicePassword {
            id: DeviceId::from_uuid(self.id),
            user: UserId::from_uuid(self.user_id),
            label: self.label,
            hash: PasswordHash::new(self.password_hash),
            created_at: instant(self.created_at)?,
            last_used_at: optional_instant(self.last_used_at)?,
            revoked_at: optional_instant(self.revoked_at)?,
        })
    }
}

/// An `audit_log` row, without its key.
#[derive(Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub at: i64,
    pub user_id: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub detail: Option<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

impl AuditRow {
    /// The entry.
    pub fn into_entry(self) -> Result<AuditEntry, StoreError> {
        Ok(AuditEntry {
            at: instant(self.at)?,
            user: self.user_id.map(UserId::from_uuid),
            action: self.action,
            entity: self.entity,
            detail: self.detail,
            client_addr: self.client_addr,
            user_agent: self.user_agent,
        })
    }
}
