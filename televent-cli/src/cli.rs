//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Televent: a calendar server for CalDAV apps, Telegram and the web.
#[derive(Debug, Parser)]
#[command(name = "televent", version, about)]
pub struct Cli {
    /// Where the data lives: `sqlite://FILE` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "TELEVENT_DATABASE_URL",
        default_value = "sqlite://televent.db",
        global = true
    )]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve CalDAV (and /health) until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage CalDAV device passwords.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Import .ics files into a user's calendar (one resource per UID).
    Import(ImportArgs),
    /// Print a user's calendar as one .ics stream.
    Export(ExportArgs),
    /// Show a user's occurrences in a time range, in their zone.
    Agenda(AgendaArgs),
    /// Expand the VEVENTs and VTODOs of an .ics file: occurrences whose start lies in [from, to).
    Expand(ExpandArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "TELEVENT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// The URL clients reach this server by, when a proxy sits in front (`https://cal.example.com`).
    #[arg(long, env = "TELEVENT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Serve HTTPS with this PEM certificate chain (with --tls-key). iOS refuses passwords over
    /// plain HTTP: use this or a reverse proxy (docs/deployment.md).
    #[arg(long, env = "TELEVENT_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, env = "TELEVENT_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and their default calendar.
    Add {
        /// User name (a-z, 0-9, '.', '_', '-'); also the CalDAV login.
        name: String,
        /// Link a Telegram account.
        #[arg(long)]
        telegram_id: Option<i64>,
        /// IANA time zone, for example Europe/Berlin (default UTC).
        #[arg(long)]
        timezone: Option<String>,
    },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Create a device password for CalDAV; the password is printed once, alone on the last line.
    Add {
        /// The user.
        name: String,
        /// What the device is ("iPhone", "Thunderbird").
        #[arg(long, default_value = "device")]
        label: String,
    },
    /// List a user's device passwords.
    List {
        /// The user.
        name: String,
    },
    /// Revoke a device password.
    Revoke {
        /// The user.
        name: String,
        /// The device id from `device list`.
        id: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The user.
    pub name: String,
    /// .ics files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The calendar (slug) to import into; the default calendar when absent.
    #[arg(long)]
    pub calendar: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The user.
    pub name: String,
    /// The calendar (slug); the default calendar when absent.
    #[arg(long)]
    pub calendar: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct AgendaArgs {
    /// The user.
    pub name: String,
    /// Start (default: today 00:00 in the user's zone); forms as for `expand`.
    #[arg(long)]
    pub from: Option<String>,
    /// End, exclusive (default: a week after --from).
    #[arg(long)]
    pub to: Option<String>,
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
