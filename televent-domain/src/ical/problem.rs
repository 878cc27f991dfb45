//! Problems met while reading iCalendar text: what was wrong, where, and what we did about it.

use std::fmt;

/// How bad a problem is for the data it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A deviation real clients produce that we repaired without losing anything (a BOM,
    /// bare LF line ends, a missing VERSION).
    Repaired,
    /// A piece of the input could not be read and was left out of the index (a line without a
    /// colon, an unparsable property value). The stored bytes still hold it.
    Skipped,
    /// The input cannot be used as a calendar object resource.
    Fatal,
}

/// One problem, with the 1-based physical line it starts on (0 when it concerns the whole input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The physical line (1-based) in the input where the problem starts; 0 for the whole input.
    pub line: u32,
    /// What the problem means for the data.
    pub severity: Severity,
    /// A sentence a person can act on.
    pub message: String,
}

impl Problem {
    pub(crate) fn repaired(line: u32, message: impl Into<String>) -> Self {
        Self {
            line,
            severity: Severity::Repaired,
            message: message.into(),
        }
    }

    pub(crate) fn skipped(line: u32, message: impl Into<String>) -> Self {
        Self {
            line,
            severity: Severity::Skipped,
            message: message.into(),
        }
    }

    pub(crate) fn fatal(line: u32, message: impl Into<String>) -> Self {
        Self {
            line,
            severity: Severity::Fatal,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}
