//! The storage error every store port returns.

use televent_domain::event::Href;
use televent_domain::sync::SyncError;

/// What can go wrong in a store, as cases the caller can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The thing addressed does not exist.
    #[error("not found")]
    NotFound,
    /// An If-Match / If-None-Match precondition did not hold.
    #[error("precondition failed: the resource changed or already exists")]
    PreconditionFailed,
    /// Another resource in the calendar already has this UID (`no-uid-conflict`).
    #[error("UID already used by {0}")]
    UidConflict(Href),
    /// A unique name is taken (user name, calendar slug, Telegram id).
    #[error("already exists: {0}")]
    AlreadyExists(String),
    /// A sync token that cannot be used.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The input breaks a rule the store enforces (an empty idempotency key, say); nothing
    /// was changed.
    #[error("refused: {0}")]
    Invalid(String),
    /// The store cannot be reached or failed; nothing was changed.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be read back (a bug or manual tampering).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}
