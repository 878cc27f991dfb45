//! Receiving updates by webhook: Telegram POSTs each update to a URL of ours
//! (`TELEVENT_BOT_WEBHOOK_URL`), with the secret we gave `setWebhook` in the
//! `X-Telegram-Bot-Api-Secret-Token` header. A request without that exact secret is refused
//! (401) before its body is looked at.
//!
//! The update is handled before the answer, so an update whose handling was cut short is
//! answered 5xx (or not at all) and Telegram sends it again: at least once, as with polling.
//! Unlike polling, several `serve` processes behind a load balancer can all take webhook
//! calls; the conversation state is per process (see `bot`), so run one process for the bot
//! if drafts must survive across them.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Update};

use super::bot::TeleventBot;

/// The header Telegram sends the secret in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// What the HTTP door needs to take webhook calls.
#[derive(Debug, Clone)]
pub struct TelegramWebhook {
    /// The path Telegram POSTs to (the webhook URL's path).
    pub path: String,
    /// The secret every call must carry.
    pub secret: String,
    /// The bot that handles the updates.
    pub bot: TeleventBot,
}

/// What one webhook call came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// Handled (or ignored as of a kind the bot does not use): answer 200.
    Handled,
    /// The secret is missing or wrong: answer 401.
    Refused,
    /// The body is not an update: answer 400.
    Malformed(String),
}

impl TelegramWebhook {
    /// Handles one call with its secret header and body.
    pub async fn receive(&self, secret: Option<&[u8]>, body: &[u8]) -> WebhookOutcome {
        if !self.accepts(secret) {
            return WebhookOutcome::Refused;
        }
        match serde_json::from_slice::<Update>(body) {
            Ok(update) => {
                self.bot.handle(update).await;
                WebhookOutcome::Handled
            }
            Err(error) => WebhookOutcome::Malformed(error.to_string()),
        }
    }
}

impl TelegramWebhook {
    /// True when `secret` is this webhook's. Compared as BLAKE3 hashes, whose equality is
    /// constant-time: the secret is a password.
    pub fn accepts(&self, secret: Option<&[u8]>) -> bool {
        secret.is_some_and(|sent| blake3::hash(sent) == blake3::hash(self.secret.as_bytes()))
    }
}

/// The secret for `bot_token`'s webhook: derived from the token (BLAKE3, keyed by purpose), so
/// every process of one deployment computes the same one without more configuration, and it
/// changes with the token. 64 characters of `[0-9a-f]`, as Telegram allows.
pub fn secret_for(bot_token: &str) -> String {
    blake3::derive_key("televent 2026 telegram webhook secret", bot_token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The path part of a webhook URL (`https://host/telegram/webhook` → `/telegram/webhook`).
pub fn path_of(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let path = rest.find('/').and_then(|at| rest.get(at..)).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (path.len() > 1).then(|| path.to_owned())
}

/// Registers the webhook with Telegram (retrying with backoff until it succeeds: the server
/// serves meanwhile, and Telegram keeps updates for a day).
pub async fn register(bot: &Bot, url: &str, secret: &str) {
    let Ok(parsed) = super::notifier::parse_as(&bot.api_url(), url) else {
        tracing::error!(url, "Telegram: the webhook URL is not a URL; not registering it");
        return;
    };
    let mut backoff = Duration::from_secs(1);
    loop {
        let request = bot
            .set_webhook(parsed.clone())
            .secret_token(secret.to_owned())
            .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery]);
        let wait = match request.send().await {
            Ok(_) => {
                tracing::info!(url, "Telegram: webhook registered");
                return;
            }
            Err(RequestError::RetryAfter(seconds)) => seconds.duration(),
            Err(error) => {
                tracing::warn!(%error, wait = ?backoff, "Telegram: setWebhook failed; backing off");
                let wait = backoff;
                backoff = (backoff * 2).min(Duration::from_secs(60));
                wait
            }
        };
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_paths() {
        let secret = secret_for("123:abc");
        assert_eq!(secret.len(), 64);
        assert_eq!(secret, secret_for("123:abc"));
        assert_ne!(secret, secret_for("123:abd"));
        assert_eq!(
            path_of("https://cal.example.com/telegram/webhook"),
            Some("/telegram/webhook".to_owned())
        );
        assert_eq!(path_of("https://cal.example.com/hook?x=1"), Some("/hook".to_owned()));
        assert_eq!(path_of("https://cal.example.com"), None);
        assert_eq!(path_of("ftp://x/y"), None);
    }
}
