//! The tables and columns of `migrations/{sqlite,postgres}/*.sql`, as sea-query identifiers.
//!
//! Each enum is one table; `Table` is its name, every other variant a column (the derive
//! turns `SyncSeq` into `sync_seq`). Row structs in [`super::rows`] use the same names, so a
//! column renamed here must be renamed there and in both migrations.

use sea_query::Iden;

/// `users`
#[derive(Debug, Clone, Copy, Iden)]
pub enum Users {
    Table,
    Id,
    Name,
    TelegramId,
    TimeZone,
    CreatedAt,
}

/// `user_addresses`
#[derive(Debug, Clone, Copy, Iden)]
pub enum UserAddresses {
    Table,
    Address,
    UserId,
    CreatedAt,
}

/// `user_preferences`
#[derive(Debug, Clone, Copy, Iden)]
pub enum UserPreferences {
    Table,
    UserId,
    ReminderMinutesBefore,
    DailyDigestTime,
    NotificationsEnabled,
    DigestWhenEmpty,
}

/// `calendars`
#[derive(Debug, Clone, Copy, Iden)]
pub enum Calendars {
    Table,
    Id,
    OwnerId,
    Slug,
    DisplayName,
    Color,
    Description,
    TimeZone,
    SortOrder,
    Components,
    SyncSeq,
    ChangesFloor,
    CreatedAt,
    UpdatedAt,
}

/// `calendar_objects`
#[derive(Debug, Clone, Copy, Iden)]
pub enum CalendarObjects {
    Table,
    Id,
    CalendarId,
    Href,
    Uid,
    Kind,
    Etag,
    Data,
    Size,
    Summary,
    FirstStart,
    LastEnd,
    Recurring,
    ModifiedSeq,
    CreatedAt,
    UpdatedAt,
}

/// `calendar_changes`
#[derive(Debug, Clone, Copy, Iden)]
pub enum CalendarChanges {
    Table,
    CalendarId,
    Seq,
    Href,
    Kind,
}

/// `device_passwords`
#[derive(Debug, Clone, Copy, Iden)]
pub enum DevicePasswords {
    Table,
    Id,
    UserId,
    Label,
    PasswordHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

/// `audit_log`
#[derive(Debug, Clone, Copy, Iden)]
pub enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Action,
    Entity,
    Detail,
    ClientAddr,
    UserAgent,
}

/// `outbox`
#[derive(Debug, Clone, Copy, Iden)]
pub enum Outbox {
    Table,
    Id,
    Channel,
    Recipient,
    Payload,
    IdempotencyKey,
    Status,
    Attempts,
    AvailableAt,
    LeasedBy,
    LeaseUntil,
    LastError,
    CreatedAt,
    UpdatedAt,
    OwnerId,
}

/// `access_tokens`
#[derive(Debug, Clone, Copy, Iden)]
pub enum AccessTokens {
    Table,
    Hash,
    Kind,
    UserId,
    DeviceId,
    CreatedAt,
    ExpiresAt,
}

/// `calendar_subscriptions`
#[derive(Debug, Clone, Copy, Iden)]
pub enum CalendarSubscriptions {
    Table,
    CalendarId,
    Token,
    CreatedAt,
}
