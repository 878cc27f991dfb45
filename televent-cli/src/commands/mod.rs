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
use crate::wiring::{engine, redact};

/// Runs the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Expand(args) => expand::run(&args),
        Command::Serve(args) => {
            serve::init_logging();
            let engine = engine(&cli.database_url, &cli.channels).await?;
            serve::run(&engine, &args, &cli.database_url).await
        }
        Command::Worker(args) => {
            serve::init_logging();
            let engine = engine(&cli.database_url, &cli.channels).await?;
            println!("Televent worker running (database {})", redact(&cli.database_url));
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
