//! The store ports: users, calendars and their resources, device passwords, the audit log.
//!
//! **Invariant:** a resource write (`put_object`, `delete_object`) changes the resource, bumps
//! its calendar's sync counter, appends one change-log row and enqueues its outbox messages in
//! one transaction: all of it is visible afterwards, or none of it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::attendee::CalAddress;
use televent_domain::audit::AuditEntry;
use televent_domain::calendar::{Calendar, CalendarPatch, CalendarSlug, NewCalendar};
use televent_domain::device::DevicePassword;
use televent_domain::etag::ETag;
use televent_domain::event::{Href, ObjectIndexRow, ObjectMeta, StoredObject};
use televent_domain::ids::{CalendarId, DeviceId, UserId};
use televent_domain::outbox::NewOutboxMessage;
use televent_domain::sync::{ChangeSet, SyncToken};
use televent_domain::user::{INTERNAL_DOMAIN, TelegramId, TimeZoneId, User, UserName, UserPreferences};

use crate::error::StoreError;
use crate::outbox::Outbox;

/// What creating a user needs. The store also creates the user's default calendar and default
/// preferences, atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Unique name.
    pub name: UserName,
    /// Linked Telegram account.
    pub telegram_id: Option<TelegramId>,
    /// Zone.
    pub time_zone: TimeZoneId,
    /// Now.
    pub at: DateTime<Utc>,
}

/// Users and their preferences.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user, their default calendar and default preferences. `AlreadyExists` when
    /// the name or Telegram id is taken.
    async fn create_user(&self, user: NewUser) -> Result<(User, Calendar), StoreError>;
    /// The user called `name`.
    async fn user_by_name(&self, name: &UserName) -> Result<Option<User>, StoreError>;
    /// The user with `id`.
    async fn user_by_id(&self, id: UserId) -> Result<Option<User>, StoreError>;
    /// The user linked to a Telegram account.
    async fn user_by_telegram_id(&self, id: TelegramId) -> Result<Option<User>, StoreError>;
    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>, StoreError>;
    /// Saves a user's zone and Telegram link. `AlreadyExists` when the Telegram id is taken.
    async fn update_user(&self, user: &User) -> Result<(), StoreError>;
    /// A user's preferences.
    async fn preferences(&self, user: UserId) -> Result<UserPreferences, StoreError>;
    /// Saves a user's preferences.
    async fn set_preferences(&self, user: UserId, preferences: UserPreferences) -> Result<(), StoreError>;

    /// Links an address to a user: attendees at it are that user from then on. Linking it to
    /// the same user again is a no-op; `AlreadyExists` when another user has it, `Invalid` for
    /// an internal address (`NAME@televent.internal` is implicit), `NotFound` without the user.
    async fn link_address(&self, user: UserId, address: &CalAddress) -> Result<(), StoreError>;
    /// Unlinks an address. `NotFound` when it is not linked to this user.
    async fn unlink_address(&self, user: UserId, address: &CalAddress) -> Result<(), StoreError>;
    /// The addresses linked to a user, sorted (the internal one is not among them).
    async fn addresses(&self, user: UserId) -> Result<Vec<CalAddress>, StoreError>;
    /// The user an address belongs to: a linked address, or `mailto:NAME@televent.internal`
    /// for the user NAME.
    async fn user_by_address(&self, address: &CalAddress) -> Result<Option<User>, StoreError>;
}

/// What an address says about its user when it is internal: `Some(Ok(NAME))` for
/// `mailto:NAME@televent.internal`, `Some(Err(_))` for an internal address whose local part is
/// no user name, `None` for any other address. Shared by the adapters, so that every store
/// refuses to link, and resolves, exactly the same addresses.
pub fn internal_user_name(address: &CalAddress) -> Option<Result<UserName, String>> {
    let (local, domain) = address.email()?.rsplit_once('@')?;
    (domain == INTERNAL_DOMAIN).then(|| UserName::parse(local))
}

/// A write precondition (HTTP If-Match / If-None-Match), checked in the write's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// Write whatever is there.
    None,
    /// Only if the current ETag is this one.
    IfMatch(ETag),
    /// Only if nothing is there yet (`If-None-Match: *`).
    IfNoneMatchAny,
}

/// A resource write: the bytes, their index, and what it causes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectWrite {
    /// The calendar.
    pub calendar: CalendarId,
    /// The resource's name.
    pub href: Href,
    /// The bytes, stored exactly.
    pub bytes: Vec<u8>,
    /// Their ETag.
    pub etag: ETag,
    /// The index columns.
    pub index: ObjectIndexRow,
    /// When to refuse.
    pub precondition: Precondition,
    /// Messages to enqueue with the write.
    pub outbox: Vec<NewOutboxMessage>,
    /// Now.
    pub at: DateTime<Utc>,
}

/// A resource removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteObject {
    /// The calendar.
    pub calendar: CalendarId,
    /// The resource's name.
    pub href: Href,
    /// When to refuse (`IfMatch` only is meaningful).
    pub precondition: Precondition,
    /// Messages to enqueue with the removal (cancellations).
    pub outbox: Vec<NewOutboxMessage>,
    /// Now.
    pub at: DateTime<Utc>,
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// True when the resource did not exist before.
    pub created: bool,
    /// The stored ETag.
    pub etag: ETag,
    /// The calendar's sync token after the write.
    pub token: SyncToken,
}

/// Calendars and their resources.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Checks the store answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Creates a calendar. `AlreadyExists` when the owner has one with that slug.
    async fn create_calendar(
        &self,
        owner: UserId,
        calendar: NewCalendar,
        at: DateTime<Utc>,
    ) -> Result<Calendar, StoreError>;
    /// The owner's calendars, oldest first.
    async fn calendars(&self, owner: UserId) -> Result<Vec<Calendar>, StoreError>;
    /// The owner's calendar with `slug`.
    async fn calendar(&self, owner: UserId, slug: &CalendarSlug) -> Result<Option<Calendar>, StoreError>;
    /// A calendar by id.
    async fn calendar_by_id(&self, id: CalendarId) -> Result<Option<Calendar>, StoreError>;
    /// Changes a calendar's properties.
    async fn update_calendar(
        &self,
        id: CalendarId,
        patch: CalendarPatch,
        at: DateTime<Utc>,
    ) -> Result<Calendar, StoreError>;
    /// Deletes a calendar with all its resources and its change log.
    async fn delete_calendar(&self, id: CalendarId) -> Result<(), StoreError>;

    /// Creates or replaces a resource (see the module invariant). `PreconditionFailed`,
    /// `UidConflict` and `NotFound` (no such calendar) leave everything as it was.
    async fn put_object(&self, write: ObjectWrite) -> Result<WriteOutcome, StoreError>;
    /// Removes a resource (see the module invariant); returns the new sync token.
    async fn delete_object(&self, delete: DeleteObject) -> Result<SyncToken, StoreError>;
    /// One resource with its bytes.
    async fn object(&self, calendar: CalendarId, href: &Href) -> Result<Option<StoredObject>, StoreError>;
    /// The resources with these names (those that exist), with their bytes.
    async fn objects_by_hrefs(&self, calendar: CalendarId, hrefs: &[Href]) -> Result<Vec<StoredObject>, StoreError>;
    /// The resource with this UID, if any.
    async fn object_by_uid(&self, calendar: CalendarId, uid: &str) -> Result<Option<StoredObject>, StoreError>;
    /// Every resource's listing data, by href, without bytes.
    async fn object_metas(&self, calendar: CalendarId) -> Result<Vec<ObjectMeta>, StoreError>;
    /// Every resource with bytes, by href.
    async fn objects(&self, calendar: CalendarId) -> Result<Vec<StoredObject>, StoreError>;
    /// Resources whose stored bounds may overlap `[from, to)`: a superset of those that do.
    async fn candidates(
        &self,
        calendar: CalendarId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StoredObject>, StoreError>;
    /// What changed since `since` (`None`: the initial sync, every current resource as created),
    /// at most `limit` hrefs. `Sync(Unknown)` for a token from the future or another calendar,
    /// `Sync(TooOld)` for one older than the log keeps.
    async fn changes_since(
        &self,
        calendar: CalendarId,
        since: Option<SyncToken>,
        limit: Option<usize>,
    ) -> Result<ChangeSet, StoreError>;
    /// Forgets the change log up to and including `through`: tokens older than it answer
    /// `Sync(TooOld)` from then on (their clients sync again from scratch). Returns how many
    /// rows went. Keeps the log from growing without end.
    async fn prune_changes(&self, calendar: CalendarId, through: SyncToken) -> Result<u64, StoreError>;
}

/// Device passwords.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// Stores a new device password.
    async fn add_device(&self, device: DevicePassword) -> Result<(), StoreError>;
    /// A user's device passwords, revoked ones included, oldest first.
    async fn devices(&self, user: UserId) -> Result<Vec<DevicePassword>, StoreError>;
    /// One device password by id, revoked or not. A primary-key read: the CalDAV door calls
    /// it on every request a cached credential answers, to see a revocation at once.
    async fn device(&self, id: DeviceId) -> Result<Option<DevicePassword>, StoreError>;
    /// Revokes one of the user's devices. `NotFound` when it is not theirs.
    async fn revoke_device(&self, user: UserId, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Records a successful login.
    async fn touch_device(&self, id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError>;
}

/// The audit log.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends an entry.
    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError>;
    /// The newest entries, of one user or of all.
    async fn entries(&self, user: Option<UserId>, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Sessions, one-time login links and calendar subscription tokens.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Stores a session or login link. `NotFound` without the user.
    async fn put_token(&self, token: AccessToken) -> Result<(), StoreError>;
    /// The token of `kind` with `hash`, while it is live at `now`.
    async fn token(
        &self,
        hash: &TokenHash,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StoreError>;
    /// Removes the token of `kind` with `hash` and returns it if it was live at `now`: of two
    /// concurrent takers, one gets it (single use).
    async fn take_token(
        &self,
        hash: &TokenHash,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StoreError>;
    /// Removes a token, if it exists.
    async fn delete_token(&self, hash: &TokenHash) -> Result<(), StoreError>;
    /// Removes every token that expired before `now`; returns how many.
    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Gives a calendar a new subscription token, replacing any it had. `NotFound` without
    /// the calendar.
    async fn put_subscription(&self, subscription: Subscription) -> Result<(), StoreError>;
    /// A calendar's subscription, if it has one.
    async fn subscription(&self, calendar: CalendarId) -> Result<Option<Subscription>, StoreError>;
    /// The subscription with this token.
    async fn subscription_by_token(&self, token: &str) -> Result<Option<Subscription>, StoreError>;
    /// Revokes a calendar's subscription. `NotFound` when it has none.
    async fn delete_subscription(&self, calendar: CalendarId) -> Result<(), StoreError>;
}

/// Everything a storage adapter provides.
pub trait Store: UserStore + CalendarStore + DeviceStore + AuditLog + AccessStore + Outbox {}

impl<T: UserStore + CalendarStore + DeviceStore + AuditLog + AccessStore + Outbox> Store for T {}
