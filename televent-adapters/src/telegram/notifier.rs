//! `TelegramNotifier`: the `Notifier` port over the Telegram Bot API (teloxide).
//!
//! It sends one plain-text message (no parse mode, so text a user typed cannot break the
//! formatting or be refused as bad markup) with optional rows of callback buttons, and sorts
//! every failure into what the outbox worker can act on: wait (`RetryAfter`), try again later
//! (`Temporary`) or give up on this message (`Permanent`). It never retries by itself, and the
//! bot token never appears in an error text.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use televent_domain::user::TelegramId;
use televent_ports::notifier::{Button, Notifier, NotifierError};
use teloxide::payloads::SendMessageSetters as _;
use teloxide::requests::Requester as _;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::{ApiError, Bot, RequestError};

/// How long one call to the Bot API may take before it counts as a temporary failure.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a `TelegramNotifier` could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TelegramSetupError {
    /// The bot token is empty or has characters a token never has.
    #[error("the Telegram bot token is malformed")]
    InvalidToken,
    /// The Bot API base URL does not parse.
    #[error("the Telegram API URL {url:?} is invalid: {reason}")]
    InvalidApiUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built (e.g. the TLS backend failed to start).
    #[error("cannot build the HTTP client for Telegram: {0}")]
    Client(String),
}

/// Sends notices to Telegram users through a bot.
#[derive(Clone)]
pub struct TelegramNotifier {
    bot: Bot,
    timeout: Duration,
}

impl fmt::Debug for TelegramNotifier {
    // By hand: the bot token must not end up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelegramNotifier")
            .field("api_url", &self.bot.api_url().as_str())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl TelegramNotifier {
    /// A notifier for the bot with `token`, talking to `api_url` (the real
    /// `https://api.telegram.org` when `None`), each call limited to [`DEFAULT_TIMEOUT`].
    pub fn new(token: &str, api_url: Option<&str>) -> Result<Self, TelegramSetupError> {
        Self::with_timeout(token, api_url, DEFAULT_TIMEOUT)
    }

    /// Like [`TelegramNotifier::new`], with each call to the Bot API limited to `timeout`
    /// (a call that takes longer fails as `NotifierError::Temporary`).
    pub fn with_timeout(token: &str, api_url: Option<&str>, timeout: Duration) -> Result<Self, TelegramSetupError> {
        // A token is `<bot id>:<secret>`; it goes into the URL path, so refuse anything that
        // would change the path's shape.
        if token.is_empty()
            || token
                .chars()
                .any(|c| c.is_whitespace() || c == '/' || c == '?' || c == '#')
        {
            return Err(TelegramSetupError::InvalidToken);
        }
        let client = teloxide::net::default_reqwest_settings()
            .timeout(timeout)
            .build()
            .map_err(|error| TelegramSetupError::Client(describe(&error)))?;
        let mut bot = Bot::with_client(token, client);
        if let Some(url) = api_url {
            let parsed = parse_as(&bot.api_url(), url).map_err(|reason| TelegramSetupError::InvalidApiUrl {
                url: url.to_owned(),
                reason,
            })?;
            bot = bot.set_api_url(parsed);
        }
        Ok(Self { bot, timeout })
    }

    /// The teloxide bot behind this notifier (same token, API URL and HTTP client), for the
    /// conversational side of the bot.
    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// The limit on one call to the Bot API.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    fn classify(&self, error: &RequestError) -> NotifierError {
        redact(classify(error), self.bot.token())
    }
}

#[async_trait]
impl Notifier for TelegramNotifier {
    async fn send(&self, chat: TelegramId, text: &str, buttons: Vec<Vec<Button>>) -> Result<(), NotifierError> {
        let request = self.bot.send_message(ChatId(chat.get()), text);
        let request = match keyboard(buttons) {
            Some(markup) => request.reply_markup(markup),
            None => request,
        };
        // The HTTP client has the same limit, but teloxide waits 10 s after any 5xx before it
        // reads the body; this deadline covers the whole call, that wait included.
        match tokio::time::timeout(self.timeout, request).await {
            Ok(Ok(_message)) => Ok(()),
            Ok(Err(error)) => Err(self.classify(&error)),
            Err(_elapsed) => Err(NotifierError::Temporary(format!(
                "no answer from the Telegram Bot API within {} ms",
                self.timeout.as_millis()
            ))),
        }
    }
}

/// Parses `text` as a value of `like`'s type. teloxide takes reqwest's `Url`, which it does not
/// re-export; this names it without a direct dependency on `url`.
pub(super) fn parse_as<T>(_like: &T, text: &str) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    text.parse().map_err(|error: T::Err| error.to_string())
}

/// Rows of callback buttons as an inline keyboard; `None` when there is no button at all
/// (empty rows are dropped: Telegram refuses them).
fn keyboard(buttons: Vec<Vec<Button>>) -> Option<InlineKeyboardMarkup> {
    let rows: Vec<Vec<InlineKeyboardButton>> = buttons
        .into_iter()
        .filter(|row| !row.is_empty())
        .map(|row| {
            row.into_iter()
                .map(|button| InlineKeyboardButton::callback(button.text, button.callback_data))
                .collect()
        })
        .collect();
    if rows.is_empty() {
        None
    } else {
        Some(InlineKeyboardMarkup::new(rows))
    }
}

/// What the outbox worker should do about a failed call.
fn classify(error: &RequestError) -> NotifierError {
    match error {
        RequestError::RetryAfter(seconds) => NotifierError::RetryAfter(seconds.seconds()),
        RequestError::Api(api) => classify_api(api),
        // Only groups migrate; the message was for the old chat id.
        RequestError::MigrateToChatId(to) => {
            NotifierError::Permanent(format!("the group chat moved to chat {to}; the old id is dead"))
        }
        RequestError::Network(cause) => {
            let what = if cause.is_timeout() {
                "timed out"
            } else {
                "network error"
            };
            NotifierError::Temporary(format!("{what}: {}", describe(cause.as_ref())))
        }
        // Usually a proxy's HTML error page in front of the Bot API.
        RequestError::InvalidJson { raw, .. } => NotifierError::Temporary(format!(
            "the Telegram Bot API answered something that is not its JSON: {}",
            raw.chars().take(200).collect::<String>()
        )),
        RequestError::Io(cause) => NotifierError::Temporary(format!("I/O error: {}", describe(cause.as_ref()))),
    }
}

/// Sorts an error the Bot API described. Telegram's descriptions start with the HTTP reason
/// ("Bad Request: chat not found", "Forbidden: bot was blocked by the user"): the 4xx ones are
/// about this message or this chat and will fail again; anything else (5xx, "Conflict", a text
/// teloxide does not know) may pass later.
fn classify_api(error: &ApiError) -> NotifierError {
    let description = match error {
        // A wrong token fails every message alike: the deployment is broken, not this message.
        // Keep the message for when the operator has fixed the token.
        ApiError::InvalidToken => {
            return NotifierError::Temporary("the Telegram Bot API refused the bot token".to_owned());
        }
        ApiError::RequestEntityTooLarge => return NotifierError::Permanent(error.to_string()),
        ApiError::Unknown(text) => text.clone(),
        // teloxide's known errors display as Telegram's own description.
        known => known.to_string(),
    };
    const PERMANENT: [&str; 4] = ["Bad Request", "Forbidden", "Unauthorized", "Not Found"];
    if PERMANENT.iter().any(|prefix| description.starts_with(prefix)) {
        NotifierError::Permanent(description)
    } else {
        NotifierError::Temporary(description)
    }
}

/// An error and its causes, outermost first.
fn describe(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Removes the bot token from an error's text: reqwest's errors name the URL, and the URL holds
/// the token.
fn redact(error: NotifierError, token: &str) -> NotifierError {
    let clean = |text: String| text.replace(token, "<token>");
    match error {
        NotifierError::Temporary(text) => NotifierError::Temporary(clean(text)),
        NotifierError::Permanent(text) => NotifierError::Permanent(clean(text)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error teloxide makes of a Bot API description.
    fn api(description: &str) -> RequestError {
        RequestError::Api(serde_json::from_value(serde_json::Value::String(description.to_owned())).unwrap())
    }

    fn check(error: RequestError, expected: &NotifierError) {
        let actual = classify(&error);
        assert_eq!(
            std::mem::discriminant(&actual),
            std::mem::discriminant(expected),
            "{error:?} gave {actual:?}"
        );
    }

    #[test]
    fn sorts_bot_api_errors() {
        let temporary = NotifierError::Temporary(String::new());
        let permanent = NotifierError::Permanent(String::new());
        let cases = [
            (api("Forbidden: bot was blocked by the user"), &permanent),
            (api("Forbidden: user is deactivated"), &permanent),
            (api("Bad Request: chat not found"), &permanent),
            (api("Bad Request: message is too long"), &permanent),
            (api("Bad Request: can't parse entities: something new"), &permanent),
            (api("Bad Request: a description teloxide has never seen"), &permanent),
            (
                api("Unauthorized: bot can't initiate conversation with a user"),
                &permanent,
            ),
            (api("Request Entity Too Large"), &permanent),
            (api("Internal Server Error"), &temporary),
            (api("Bad Gateway"), &temporary),
            (api("Gateway Timeout"), &temporary),
            (
                api(
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                ),
                &temporary,
            ),
            (api("Something else entirely"), &temporary),
            (api("Unauthorized"), &temporary),
        ];
        for (error, expected) in cases {
            check(error, expected);
        }
        check(
            RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(7)),
            &NotifierError::RetryAfter(7),
        );
        assert_eq!(
            classify(&RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(7))),
            NotifierError::RetryAfter(7)
        );
        check(RequestError::MigrateToChatId(ChatId(-100)), &permanent);
    }

    #[test]
    fn drops_empty_keyboards() {
        assert!(keyboard(vec![]).is_none());
        assert!(keyboard(vec![vec![], vec![]]).is_none());
        let button = Button {
            text: "Yes".to_owned(),
            callback_data: "rsvp:yes".to_owned(),
        };
        let markup = keyboard(vec![vec![], vec![button]]).unwrap();
        assert_eq!(markup.inline_keyboard.len(), 1);
    }

    #[test]
    fn refuses_bad_setup() {
        assert_eq!(
            TelegramNotifier::new("", None).unwrap_err(),
            TelegramSetupError::InvalidToken
        );
        assert_eq!(
            TelegramNotifier::new("12:a/b", None).unwrap_err(),
            TelegramSetupError::InvalidToken
        );
        assert!(matches!(
            TelegramNotifier::new("12:ab", Some("not a url")).unwrap_err(),
            TelegramSetupError::InvalidApiUrl { .. }
        ));
    }

    #[test]
    fn keeps_the_token_out_of_errors() {
        let error = redact(
            NotifierError::Temporary("error sending request for url (http://h/bot12:secret/SendMessage)".to_owned()),
            "12:secret",
        );
        assert_eq!(
            error,
            NotifierError::Temporary("error sending request for url (http://h/bot<token>/SendMessage)".to_owned())
        );
        let notifier = TelegramNotifier::new("12:secret", None).unwrap();
        assert!(!format!("{notifier:?}").contains("secret"));
    }
}
