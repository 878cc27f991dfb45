//! Receiving updates by long polling (`getUpdates`). Only one process may poll a bot (Telegram
//! answers 409 to a second), so with many `serve` processes run the bot in one of them.
//! Telegram's errors back off and never end the loop; only shutdown does.

use std::future::Future;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;

use televent_app::Televent;

use super::bot::{BotConfig, TeleventBot, register_commands};
use super::notifier::TelegramNotifier;

/// Seconds one getUpdates call waits for news; below the client's timeout (30 s by default),
/// or every quiet poll would end as a timeout error.
const LONG_POLL_SECONDS: u32 = 20;

/// Runs the bot of `telegram` over `engine` by long polling, until `shutdown` completes, with
/// the default [`BotConfig`] (no public URL).
pub async fn run(telegram: &TelegramNotifier, engine: Televent, shutdown: impl Future<Output = ()>) {
    run_with(telegram, engine, BotConfig::default(), shutdown).await;
}

/// Runs the bot of `telegram` over `engine` with `config`: registers the command menu once,
/// then polls until `shutdown` completes.
pub async fn run_with(
    telegram: &TelegramNotifier,
    engine: Televent,
    config: BotConfig,
    shutdown: impl Future<Output = ()>,
) {
    let bot = telegram.bot().clone();
    // In its own task: a slow Telegram must not hold up polling (or shutdown).
    let menu = bot.clone();
    tokio::spawn(async move { register_commands(&menu).await });
    // A webhook left from webhook mode makes getUpdates fail (409): drop it first. Pending
    // updates stay queued for the poll.
    match tokio::time::timeout(Duration::from_secs(10), bot.delete_webhook().send()).await {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => tracing::warn!(%error, "Telegram: deleteWebhook failed; polling anyway"),
        Err(_) => tracing::warn!("Telegram: deleteWebhook timed out; polling anyway"),
    }
    poll(bot.clone(), TeleventBot::new(engine, bot, config), shutdown).await;
}

/// Polls `bot` for updates and hands each to `handler`, until `shutdown` completes.
pub async fn poll(bot: Bot, handler: TeleventBot, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    let mut offset: i32 = 0;
    let mut backoff = Duration::from_secs(1);
    tracing::info!("Telegram: polling for updates");
    loop {
        let request = bot.get_updates().offset(offset).timeout(LONG_POLL_SECONDS);
        let result = tokio::select! {
            () = &mut shutdown => break,
            result = request.send() => result,
        };
        let wait = match result {
            Ok(updates) => {
                backoff = Duration::from_secs(1);
                for update in updates {
                    // Acknowledged by the next call's offset: an update whose handling was
                    // cut short by a crash comes again (at least once).
                    offset = i32::try_from(update.id.0).map_or(offset, |id| id.saturating_add(1));
                    handler.handle(update).await;
                }
                continue;
            }
            Err(RequestError::RetryAfter(seconds)) => seconds.duration(),
            Err(error) => {
                tracing::warn!(%error, wait = ?backoff, "Telegram: getUpdates failed; backing off");
                let wait = backoff;
                backoff = (backoff * 2).min(Duration::from_secs(60));
                wait
            }
        };
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(wait) => {}
        }
    }
    tracing::info!("Telegram: polling stopped");
}
