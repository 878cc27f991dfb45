//! Wiring adapters to ports: the one place that picks implementations.

use std::sync::Arc;

use anyhow::Context;
use televent_adapters::clock::SystemClock;
use televent_adapters::credentials::Argon2Hasher;
use televent_adapters::mail::smtp::{SmtpConfig, SmtpMailer};
use televent_adapters::telegram::notifier::TelegramNotifier;
use televent_app::{Televent, TeleventBuilder};

use crate::cli::ChannelArgs;

/// The engine on the database at `url` (connected and migrated), delivering through the
/// channels configured.
pub async fn engine(url: &str, channels: &ChannelArgs) -> anyhow::Result<Televent> {
    let store = televent_adapters::store::open(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))?;
    let mut builder = TeleventBuilder::new(store)
        .clock(Arc::new(SystemClock))
        .hasher(Arc::new(Argon2Hasher));
    if let Some(token) = channels.bot_token.as_deref().filter(|t| !t.is_empty()) {
        let timeout = std::time::Duration::from_secs(u64::from(channels.telegram_timeout_seconds.max(1)));
        let notifier = TelegramNotifier::with_timeout(token, channels.telegram_api_url.as_deref(), timeout)
            .context("cannot set up Telegram delivery")?;
        builder = builder.notifier(Arc::new(notifier));
    }
    if let Some(smtp_url) = channels.smtp_url.as_deref().filter(|u| !u.is_empty()) {
        let config = SmtpConfig::parse(smtp_url, &channels.mail_from)
            .with_context(|| format!("cannot use the SMTP URL {}", redact(smtp_url)))?;
        let mailer = SmtpMailer::new(config).context("cannot set up e-mail delivery")?;
        builder = builder.mailer(Arc::new(mailer));
    }
    Ok(builder.build())
}

/// Says once, when a worker starts, which channels are off (their messages wait, pending).
pub fn log_channels_off(channels: &ChannelArgs) {
    if channels.bot_token.as_deref().is_none_or(str::is_empty) {
        tracing::info!("no bot token (TELEVENT_BOT_TOKEN): Telegram delivery is off; messages wait in the outbox");
    }
    if channels.smtp_url.as_deref().is_none_or(str::is_empty) {
        tracing::info!("no SMTP URL (TELEVENT_SMTP_URL): e-mail delivery is off; messages wait in the outbox");
    }
}

/// The Telegram bot client, when a token is configured.
pub fn telegram_bot(channels: &ChannelArgs) -> anyhow::Result<Option<TelegramNotifier>> {
    let Some(token) = channels.bot_token.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let notifier =
        TelegramNotifier::new(token, channels.telegram_api_url.as_deref()).context("cannot set up the Telegram bot")?;
    Ok(Some(notifier))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}
