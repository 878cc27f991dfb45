//! One module per command.

mod agenda;
mod devices;
mod expand;
mod import;
mod serve;
mod users;

use crate::cli::{Cli, Command};
use crate::wiring::{engine, redact};

/// Runs the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Expand(args) => expand::run(&args),
        Command::Serve(args) => serve::run(&engine(&cli.database_url).await?, &args, &cli.database_url).await,
        Command::Migrate => {
            engine(&cli.database_url).await?;
            println!("database {} is up to date", redact(&cli.database_url));
            Ok(())
        }
        Command::User(command) => users::run(&engine(&cli.database_url).await?, command).await,
        Command::Device(command) => devices::run(&engine(&cli.database_url).await?, command).await,
        Command::Import(args) => import::import(&engine(&cli.database_url).await?, &args).await,
        Command::Export(args) => import::export(&engine(&cli.database_url).await?, &args).await,
        Command::Agenda(args) => agenda::run(&engine(&cli.database_url).await?, &args).await,
    }
}
