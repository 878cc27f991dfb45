//! Why an event could not be read or edited, in sentences a person can be shown.

/// An event that cannot be read, or a change that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The data holds no VEVENT without RECURRENCE-ID.
    #[error("the calendar data holds no event to show or change")]
    NoEvent,
    /// The stored data cannot be edited safely; the text says why.
    #[error("the stored event cannot be edited: {0}")]
    Unreadable(String),
    /// A field value is refused; the text says which and why.
    #[error("{0}")]
    Invalid(String),
}
