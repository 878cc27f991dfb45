//! Telegram delivery.

use async_trait::async_trait;
use televent_domain::user::TelegramId;

/// Why a Telegram delivery failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifierError {
    /// Telegram asked us to wait (HTTP 429 with `retry_after`).
    #[error("rate limited; retry after {0} s")]
    RetryAfter(u32),
    /// A failure worth retrying (5xx, timeout, network).
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// A failure retrying will not fix (the user blocked the bot, bad chat id).
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// Telegram delivery is not configured (no bot token).
    #[error("Telegram delivery is off")]
    Disabled,
}

/// An inline button under a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// What it says.
    pub text: String,
    /// What the bot receives when it is pressed.
    pub callback_data: String,
}

/// Sends Telegram messages.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Sends `text` to `chat`, with rows of inline buttons.
    async fn send(&self, chat: TelegramId, text: &str, buttons: Vec<Vec<Button>>) -> Result<(), NotifierError>;
}
