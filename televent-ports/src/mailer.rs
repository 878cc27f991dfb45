//! E-mail delivery (SMTP).

use async_trait::async_trait;

/// Why an e-mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailerError {
    /// Worth retrying (connection refused, 4xx).
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Not worth retrying (5xx for this recipient).
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// E-mail is not configured.
    #[error("e-mail delivery is off")]
    Disabled,
}

/// An e-mail with a text part and an optional `text/calendar` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// The readable text.
    pub text: String,
    /// `(METHOD, VCALENDAR text)` for an iTIP part.
    pub calendar: Option<(String, String)>,
}

/// Sends e-mail.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends one message.
    async fn send(&self, mail: &Mail) -> Result<(), MailerError>;
}
