//! Statements on `users`, `user_preferences`, `device_passwords` and `audit_log`.

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, InsertStatement, Order, Query, SelectStatement, UpdateStatement};
use televent_domain::audit::AuditEntry;
use televent_domain::device::DevicePassword;
use televent_domain::ids::{DeviceId, UserId};
use televent_domain::user::{TelegramId, User, UserPreferences};
use televent_ports::StoreError;

use super::insert;
use crate::store::sql::codec::{limit, micros, time_of_day};
use crate::store::sql::schema::{AuditLog, DevicePasswords, UserPreferences as Prefs, Users};

/// Inserts a user.
pub fn insert_user(user: &User) -> Result<InsertStatement, StoreError> {
    insert(
        Users::Table,
        [
            Users::Id,
            Users::Name,
            Users::TelegramId,
            Users::TimeZone,
            Users::CreatedAt,
        ],
        [
            user.id.as_uuid().into(),
            user.name.as_str().into(),
            user.telegram_id.map(TelegramId::get).into(),
            user.time_zone.name().into(),
            micros(user.created_at).into(),
        ],
    )
}

/// The users matching `condition` (every column of [`UserRow`](crate::store::sql::rows::UserRow)), by name.
pub fn select_users(condition: Option<Expr>) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns([
            Users::Id,
            Users::Name,
            Users::TelegramId,
            Users::TimeZone,
            Users::CreatedAt,
        ])
        .from(Users::Table)
        .order_by(Users::Name, Order::Asc);
    if let Some(condition) = condition {
        select.and_where(condition);
    }
    select
}

/// Saves a user's zone and Telegram link.
pub fn update_user(user: &User) -> UpdateStatement {
    Query::update()
        .table(Users::Table)
        .value(Users::TelegramId, user.telegram_id.map(TelegramId::get))
        .value(Users::TimeZone, user.time_zone.name())
        .and_where(Expr::col(Users::Id).eq(user.id.as_uuid()))
        .to_owned()
}

/// Inserts a user's preferences.
pub fn insert_preferences(user: UserId, preferences: &UserPreferences) -> Result<InsertStatement, StoreError> {
    insert(
        Prefs::Table,
        [
            Prefs::UserId,
            Prefs::ReminderMinutesBefore,
            Prefs::DailyDigestTime,
            Prefs::NotificationsEnabled,
            Prefs::DigestWhenEmpty,
        ],
        [
            user.as_uuid().into(),
            preferences.reminder_minutes_before.map(i64::from).into(),
            preferences.daily_digest_time.map(time_of_day).into(),
            preferences.notifications_enabled.into(),
            preferences.digest_when_empty.into(),
        ],
    )
}

/// A user's preferences.
pub fn select_preferences(user: UserId) -> SelectStatement {
    Query::select()
        .columns([
            Prefs::ReminderMinutesBefore,
            Prefs::DailyDigestTime,
            Prefs::NotificationsEnabled,
            Prefs::DigestWhenEmpty,
        ])
        .from(Prefs::Table)
        .and_where(Expr::col(Prefs::UserId).eq(user.as_uuid()))
        .to_owned()
}

/// Replaces a user's preferences.
pub fn update_preferences(user: UserId, preferences: &UserPreferences) -> UpdateStatement {
    Query::update()
        .table(Prefs::Table)
        .value(
            Prefs::ReminderMinutesBefore,
            preferences.reminder_minutes_before.map(i64::from),
        )
        .value(Prefs::DailyDigestTime, preferences.daily_digest_time.map(time_of_day))
        .value(Prefs::NotificationsEnabled, preferences.notifications_enabled)
        .value(Prefs::DigestWhenEmpty, preferences.digest_when_empty)
        .and_where(Expr::col(Prefs::UserId).eq(user.as_uuid()))
        .to_owned()
}

/// Inserts a device password.
pub fn insert_device(device: &DevicePassword) -> Result<InsertStatement, StoreError> {
    insert(
        DevicePasswords::Table,
        [
            DevicePasswords::Id,
            DevicePasswords::UserId,
            DevicePasswords::Label,
            DevicePasswords::PasswordHash,
            DevicePasswords::CreatedAt,
            DevicePasswords::LastUsedAt,
            DevicePasswords::RevokedAt,
        ],
        [
            device.id.as_uuid().into(),
            device.user.as_uuid().into(),
            device.label.as_str().into(),
            device.hash.as_str().into(),
            micros(device.created_at).into(),
            device.last_used_at.map(micros).into(),
            device.revoked_at.map(micros).into(),
        ],
    )
}

/// The columns of a `DeviceRow`.
const DEVICE_COLUMNS: [DevicePasswords; 7] = [
    DevicePasswords::Id,
    DevicePasswords::UserId,
    DevicePasswords::Label,
    DevicePasswords::PasswordHash,
    DevicePasswords::CreatedAt,
    DevicePasswords::LastUsedAt,
    DevicePasswords::RevokedAt,
];

/// One device by its primary key.
pub fn select_device(device: DeviceId) -> SelectStatement {
    Query::select()
        .columns(DEVICE_COLUMNS)
        .from(DevicePasswords::Table)
        .and_where(Expr::col(DevicePasswords::Id).eq(device.as_uuid()))
        .to_owned()
}

/// A user's devices, oldest first.
pub fn select_devices(user: UserId) -> SelectStatement {
    Query::select()
        .columns(DEVICE_COLUMNS)
        .from(DevicePasswords::Table)
        .and_where(Expr::col(DevicePasswords::UserId).eq(user.as_uuid()))
        .order_by(DevicePasswords::CreatedAt, Order::Asc)
        .order_by(DevicePasswords::Id, Order::Asc)
        .to_owned()
}

/// Revokes one of a user's devices; the first revocation time stays.
pub fn revoke_device(user: UserId, device: DeviceId, at: DateTime<Utc>) -> UpdateStatement {
    Query::update()
        .table(DevicePasswords::Table)
        .value(
            DevicePasswords::RevokedAt,
            Expr::col(DevicePasswords::RevokedAt).if_null(micros(at)),
        )
        .and_where(Expr::col(DevicePasswords::Id).eq(device.as_uuid()))
        .and_where(Expr::col(DevicePasswords::UserId).eq(user.as_uuid()))
        .to_owned()
}

/// Records a login with a device.
pub fn touch_device(device: DeviceId, at: DateTime<Utc>) -> UpdateStatement {
    Query::update()
        .table(DevicePasswords::Table)
        .value(DevicePasswords::LastUsedAt, micros(at))
        .and_where(Expr::col(DevicePasswords::Id).eq(device.as_uuid()))
        .to_owned()
}

/// Appends an audit entry.
pub fn insert_audit(entry: &AuditEntry) -> Result<InsertStatement, StoreError> {
    insert(
        AuditLog::Table,
        [
            AuditLog::At,
            AuditLog::UserId,
            AuditLog::Action,
            AuditLog::Entity,
            AuditLog::Detail,
            AuditLog::ClientAddr,
            AuditLog::UserAgent,
        ],
        [
            micros(entry.at).into(),
            entry.user.map(|u| u.as_uuid()).into(),
            entry.action.as_str().into(),
            entry.entity.as_str().into(),
            entry.detail.clone().into(),
            entry.client_addr.clone().into(),
            entry.user_agent.clone().into(),
        ],
    )
}

/// The newest audit entries, of one user or of all.
pub fn select_audit(user: Option<UserId>, count: usize) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns([
            AuditLog::At,
            AuditLog::UserId,
            AuditLog::Action,
            AuditLog::Entity,
            AuditLog::Detail,
            AuditLog::ClientAddr,
            AuditLog::UserAgent,
        ])
        .from(AuditLog::Table)
        .order_by(AuditLog::Id, Order::Desc)
        .limit(limit(count));
    if let Some(user) = user {
        select.and_where(Expr::col(AuditLog::UserId).eq(user.as_uuid()));
    }
    select
}
