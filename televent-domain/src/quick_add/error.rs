//! Why a quick-add message could not be read, in sentences the bot can send back as they are.

/// A quick-add message that does not make an event. Each message ends with an example that
/// works.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuickAddError {
    /// The message was empty.
    #[error("Tell me what and when, for example: Dentist tomorrow 15:30 for 1h")]
    Empty,
    /// A date or time was found, but no title.
    #[error("What is it? Add a title, for example: Dentist tomorrow 15:30 for 1h")]
    NoTitle,
    /// No date, time or repetition was found.
    #[error("I couldn't find when it is. Try: Dentist tomorrow 15:30 for 1h, or Standup every weekday 9:00")]
    NoDate,
    /// The parts found contradict each other or name an impossible day; the text says what.
    #[error("{0}")]
    Invalid(String),
}
