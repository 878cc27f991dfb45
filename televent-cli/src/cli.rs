//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Televent: a calendar server for CalDAV apps, Telegram and the web.
#[derive(Debug, Parser)]
#[command(name = "televent", version, about)]
pub struct Cli {
    /// Where the data lives: `sqlite://FILE` (created if missing) or `postgres://...`.
    #[arg(long, env = "TELEVENT_DATABASE_URL", default_value = "sqlite://televent.db", global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Expand the VEVENTs and VTODOs of an .ics file: occurrences whose start lies in [from, to).
    Expand(ExpandArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExpandArgs {
    /// The iCalendar file.
    pub file: PathBuf,
    /// Window start: `2024-01-01`, `2024-01-01T10:00:00Z` or `20240101T100000Z` (UTC).
    #[arg(long)]
    pub from: String,
    /// Window end (exclusive), same forms as --from.
    #[arg(long)]
    pub to: String,
    /// Print JSON (the format of the corpus oracle) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The IANA zone floating times and dates are read in (default UTC, as the oracle does).
    #[arg(long, default_value = "UTC")]
    pub floating_zone: String,
}
