//! The use cases' error: each variant is a case a door can act on (an HTTP status, an exit
//! message, a bot reply).

use televent_domain::event::Href;
use televent_domain::ingest::IngestError;
use televent_domain::sync::SyncError;
use televent_ports::StoreError;

/// Why a use case did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The user, calendar, resource or device does not exist (or is not the caller's).
    #[error("{0} not found")]
    NotFound(String),
    /// The input is not acceptable (a bad name, zone, label); the message says why.
    #[error("{0}")]
    Invalid(String),
    /// The calendar data is not acceptable; the error names the CalDAV precondition.
    #[error("invalid calendar data: {0}")]
    Ingest(IngestError),
    /// The calendar does not take this kind of component.
    #[error("this calendar does not take {0}")]
    UnsupportedComponent(String),
    /// If-Match / If-None-Match did not hold.
    #[error("the resource changed or already exists")]
    PreconditionFailed,
    /// The UID is already used by another resource of the calendar.
    #[error("the UID is already used by {0}")]
    UidConflict(Href),
    /// The action is never allowed on this (deleting the default calendar); the message says
    /// why.
    #[error("{0}")]
    Forbidden(String),
    /// A unique name is taken.
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// The sync token cannot be used.
    #[error(transparent)]
    SyncToken(SyncError),
    /// Storage is unreachable; nothing changed. Worth retrying.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Something that should not happen (corrupt stored data, no randomness).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound("resource".to_owned()),
            StoreError::PreconditionFailed => Self::PreconditionFailed,
            StoreError::UidConflict(href) => Self::UidConflict(href),
            StoreError::AlreadyExists(what) => Self::AlreadyExists(what),
            StoreError::Sync(error) => Self::SyncToken(error),
            StoreError::Invalid(why) => Self::Invalid(why),
            StoreError::Unavailable(why) => Self::Unavailable(why),
            StoreError::Corrupt(why) => Self::Internal(why),
        }
    }
}
