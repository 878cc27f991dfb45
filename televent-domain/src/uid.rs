//! The UID of a calendar object.

use std::fmt;

/// A UID: non-empty, at most [`Uid::MAX_LEN`] bytes, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid(String);

impl Uid {
    /// Longest UID accepted, in bytes.
    pub const MAX_LEN: usize = 1024;

    /// Checks and wraps a UID.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        (!text.is_empty() && text.len() <= Self::MAX_LEN && !text.chars().any(char::is_control))
            .then(|| Self(text.to_owned()))
    }

    /// A UID built by Televent itself from text known to be valid.
    pub(crate) fn generated(text: String) -> Self {
        Self(text)
    }

    /// The UID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
