//! One module per command.

mod expand;

use crate::cli::{Cli, Command};

/// Runs the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Expand(args) => expand::run(&args),
    }
}
