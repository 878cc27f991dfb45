//! One module per command.

mod agenda;
mod devices;
mod expand;
mod import;
mod outbox;
mod serve;
mod users;
pub mod worker;

use crate::cli::{Cli, Command};
use crate::wiring::{engine, redact, telegram_bot};

/// Runs the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Expand(args) => expand::run(&args),
        Command::Serve(args) => {
            serve::init_logging();
            let engine = engine(&cli.database_url, &cli.channels).await?;
            let bot = if args.no_bot {
                None
            } else {
                telegram_bot(&cli.channels)?
            };
            serve::run(&engine, &args, &cli.database_url, bot, &cli.channels).await
        }
        Command::Bot(args) => {
            serve::init_logging();
            if cli
                .channels
                .bot_webhook_url
                .as_deref()
                .is_some_and(|url| !url.is_empty())
            {
                anyhow::bail!(
                    "TELEVENT_BOT_WEBHOOK_URL is set: in webhook mode `televent serve` takes the updates; unset it to poll here"
                );
            }
            let engine = engine(&cli.database_url, &cli.channels).await?;
            let bot = telegram_bot(&cli.channels)?
                .ok_or_else(|| anyhow::anyhow!("no bot token: set TELEVENT_BOT_TOKEN or --bot-token"))?;
            println!("Televent bot running (database {})", redact(&cli.database_url));
            let config = televent_adapters::telegram::bot::BotConfig {
                public_url: args.public_url,
            };
            televent_adapters::telegram::updates::run_with(&bot, engine, config, serve::shutdown_signal()).await;
            Ok(())
        }
        Command::Worker(args) => {
            serve::init_logging();
            let engine = engine(&cli.database_url, &cli.channels).await?;
            println!("Televent worker running (database {})", redact(&cli.database_url));
            crate::wiring::log_channels_off(&cli.channels);
            worker::run(engine, args, serve::shutdown_signal()).await;
            Ok(())
        }
        Command::Outbox(command) => outbox::run(&engine(&cli.database_url, &cli.channels).await?, command).await,
        Command::Migrate => {
            engine(&cli.database_url, &cli.channels).await?;
            println!("database {} is up to date", redact(&cli.database_url));
            Ok(())
        }
        Command::User(command) => users::run(&engine(&cli.database_url, &cli.channels).await?, command).await,
        Command::Device(command) => devices::run(&engine(&cli.database_url, &cli.channels).await?, command).await,
        Command::Import(args) => import::import(&engine(&cli.database_url, &cli.channels).await?, &args).await,
        Command::Export(args) => import::export(&engine(&cli.database_url, &cli.channels).await?, &args).await,
        Command::Agenda(args) => agenda::run(&engine(&cli.database_url, &cli.channels).await?, &args).await,
    }
}
