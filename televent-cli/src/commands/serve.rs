//! `televent serve`: CalDAV over HTTP until SIGINT or SIGTERM, then a graceful stop.

use anyhow::Context;
use televent_adapters::http::Dav;
use televent_adapters::http::config::HttpConfig;
use televent_adapters::http::{server, tls};
use televent_adapters::telegram::bot::{TeleventBot, register_commands};
use televent_adapters::telegram::notifier::TelegramNotifier;
use televent_adapters::telegram::updates;
use televent_adapters::telegram::webhook::{self, TelegramWebhook};
use televent_app::Televent;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::wiring::redact;

pub async fn run(
    engine: &Televent,
    args: &ServeArgs,
    database_url: &str,
    bot: Option<TelegramNotifier>,
    channels: &crate::cli::ChannelArgs,
) -> anyhow::Result<()> {
    let acceptor = match (&args.tls_cert, &args.tls_key) {
        (Some(certificate), Some(key)) => Some(tls::acceptor(certificate, key)?),
        _ => None,
    };
    let scheme = if acceptor.is_some() { "https" } else { "http" };
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr().context("the listener has no address")?;
    let rate_limit = (args.rate_limit_per_second > 0.0).then_some(televent_adapters::http::RateLimit {
        per_second: args.rate_limit_per_second,
        burst: args.rate_limit_burst.max(1.0),
    });
    let config = HttpConfig {
        public_url: args.public_url.clone(),
        telegram_bot_token: channels.bot_token.clone().filter(|token| !token.is_empty()),
        tls: acceptor.is_some(),
        rate_limit,
        ..HttpConfig::default()
    };
    tracing::info!(%address, database = %redact(database_url), "serving CalDAV");
    println!(
        "Televent serves CalDAV at {scheme}://{address}/ (database {})",
        redact(database_url)
    );
    // One signal stops both halves: the server finishes its requests, the worker its batch.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    if !args.no_worker {
        crate::wiring::log_channels_off(channels);
    }
    let worker = (!args.no_worker).then(|| {
        let mut stopped = stopped.clone();
        tokio::spawn(super::worker::run(engine.clone(), args.worker.clone(), async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }))
    });
    let bot_config = televent_adapters::telegram::bot::BotConfig {
        public_url: args.public_url.clone(),
    };
    let webhook_url = channels.bot_webhook_url.clone().filter(|url| !url.is_empty());
    let mut dav = Dav::new(engine.clone(), config);
    let mut poller = None;
    match (bot, webhook_url) {
        (Some(bot), Some(url)) => {
            let path = webhook::path_of(&url)
                .with_context(|| format!("the webhook URL {url} has no path (use https://HOST/telegram/webhook)"))?;
            let secret = webhook::secret_for(channels.bot_token.as_deref().unwrap_or_default());
            let client = bot.bot().clone();
            let handler = TeleventBot::new(engine.clone(), client.clone(), bot_config);
            dav = dav.with_telegram_webhook(TelegramWebhook {
                path: path.clone(),
                secret: secret.clone(),
                bot: handler,
            });
            tracing::info!(%path, "Telegram: webhook mode");
            tokio::spawn(async move {
                register_commands(&client).await;
                webhook::register(&client, &url, &secret).await;
            });
        }
        (Some(bot), None) => {
            let mut stopped = stopped.clone();
            let engine = engine.clone();
            poller = Some(tokio::spawn(async move {
                updates::run_with(&bot, engine, bot_config, async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                })
                .await;
            }));
        }
        (None, _) => {}
    }
    let mut server_stopped = stopped;
    let signal = async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    };
    tokio::spawn(signal);
    server::serve(listener, dav, acceptor, async move {
        let _ = server_stopped.wait_for(|stop| *stop).await;
    })
    .await;
    for (name, task) in [("worker", worker), ("bot", poller)] {
        if let Some(task) = task
            && let Err(error) = task.await
        {
            tracing::error!(%error, "the {name} ended abnormally");
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Logs to stderr; `TELEVENT_LOG` (or `RUST_LOG`) filters, `info` by default.
pub fn init_logging() {
    let filter = std::env::var("TELEVENT_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: finishing requests in flight"),
        () = terminate => tracing::info!("SIGTERM: finishing requests in flight"),
    }
}
