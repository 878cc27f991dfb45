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

    /// How messages leave: Telegram and e-mail.
    #[command(flatten)]
    pub channels: ChannelArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Delivery channels. Without a bot token Telegram messages wait in the outbox; without an SMTP
/// URL e-mail does.
#[derive(Debug, Clone, clap::Args)]
pub struct ChannelArgs {
    /// The Telegram bot token (from @BotFather).
    #[arg(long, env = "TELEVENT_BOT_TOKEN", hide_env_values = true, global = true)]
    pub bot_token: Option<String>,
    /// The Telegram Bot API base URL (a local Bot API server, or a fake one in tests).
    #[arg(long, env = "TELEVENT_TELEGRAM_API_URL", global = true)]
    pub telegram_api_url: Option<String>,
    /// Webhook mode: the public HTTPS URL Telegram posts updates to (its path is served by
    /// `televent serve`, e.g. `https://cal.example.com/telegram/webhook`). Without it the bot
    /// polls.
    #[arg(long, env = "TELEVENT_BOT_WEBHOOK_URL", global = true)]
    pub bot_webhook_url: Option<String>,
    /// Seconds one delivery to the Bot API may take before it counts as a temporary failure.
    #[arg(long, env = "TELEVENT_TELEGRAM_TIMEOUT_SECONDS", global = true, default_value_t = 30)]
    pub telegram_timeout_seconds: u32,
    /// Where e-mail goes: `smtp://USER:PASSWORD@HOST:PORT` (STARTTLS when offered) or `smtps://...`.
    #[arg(long, env = "TELEVENT_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// The From address of invitations sent by e-mail.
    #[arg(
        long,
        env = "TELEVENT_MAIL_FROM",
        global = true,
        default_value = "televent@localhost"
    )]
    pub mail_from: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve CalDAV (and /health) until SIGINT or SIGTERM; runs the worker too unless --no-worker.
    Serve(ServeArgs),
    /// Run the worker alone: deliver the outbox, schedule reminders and digests.
    Worker(WorkerArgs),
    /// Run the Telegram bot alone (long polling); needs TELEVENT_BOT_TOKEN.
    Bot(BotArgs),
    /// Look at and requeue outbox messages.
    #[command(subcommand)]
    Outbox(OutboxCommand),
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
    /// Do not run the worker in this process (run `televent worker` elsewhere).
    #[arg(long, env = "TELEVENT_NO_WORKER")]
    pub no_worker: bool,
    /// Do not poll Telegram for updates here, though a bot token is set (only one process may
    /// poll a bot: run `televent bot` or one `serve` with it).
    #[arg(long, env = "TELEVENT_NO_BOT")]
    pub no_bot: bool,
    /// Requests per second each client address, and each credential, may make over time
    /// (CalDAV and the API; 429 with Retry-After past it). 0 turns the limit off.
    #[arg(long, env = "TELEVENT_RATE_LIMIT_PER_SECOND", default_value_t = 200.0)]
    pub rate_limit_per_second: f64,
    /// Requests each client address, and each credential, may make at once before the rate
    /// limit applies.
    #[arg(long, env = "TELEVENT_RATE_LIMIT_BURST", default_value_t = 5000.0)]
    pub rate_limit_burst: f64,
    /// Worker settings, when it runs here.
    #[command(flatten)]
    pub worker: WorkerArgs,
}

/// How the bot alone runs.
#[derive(Debug, Clone, clap::Args)]
pub struct BotArgs {
    /// The URL people reach the server by (for /web links and device setup).
    #[arg(long, env = "TELEVENT_PUBLIC_URL")]
    pub public_url: Option<String>,
}

/// How the worker runs.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Seconds between looks at the outbox when it is idle.
    #[arg(long, env = "TELEVENT_WORKER_POLL_SECONDS", default_value_t = 1.0)]
    pub poll_seconds: f64,
    /// Messages claimed at once.
    #[arg(long, env = "TELEVENT_WORKER_BATCH", default_value_t = 32)]
    pub batch: usize,
    /// Seconds a claim holds before another worker may take the message.
    #[arg(long, env = "TELEVENT_WORKER_LEASE_SECONDS", default_value_t = 120)]
    pub lease_seconds: u32,
    /// Delivery tries before a message is dead-lettered.
    #[arg(long, env = "TELEVENT_WORKER_MAX_ATTEMPTS", default_value_t = 10)]
    pub max_attempts: u32,
    /// Seconds to wait after the first failure (doubling after each further one).
    #[arg(long, env = "TELEVENT_WORKER_RETRY_SECONDS", default_value_t = 30)]
    pub retry_seconds: u32,
    /// Seconds between scheduler runs (reminders and digests).
    #[arg(long, env = "TELEVENT_SCHEDULER_SECONDS", default_value_t = 60)]
    pub schedule_seconds: u32,
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List messages, newest first.
    List {
        /// Only this status: pending, claimed, delivered or failed.
        #[arg(long)]
        status: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Put dead-lettered messages back in the queue.
    Retry {
        /// The message id from `outbox list`.
        #[arg(required_unless_present = "all_failed", conflicts_with = "all_failed")]
        id: Option<String>,
        /// Every failed message.
        #[arg(long)]
        all_failed: bool,
    },
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
    /// List users, with the addresses they linked.
    List,
    /// Link an e-mail address to a user: attendees at it are that user (invited on Telegram).
    Link {
        /// The user.
        name: String,
        /// The address, for example anna@example.com.
        address: String,
    },
    /// Unlink an e-mail address from a user.
    Unlink {
        /// The user.
        name: String,
        /// The address.
        address: String,
    },
    /// Print a one-time link that signs the user in to the web page (valid 10 minutes, once),
    /// alone on the last line; the bot's /web sends the same.
    LoginLink {
        /// The user.
        name: String,
        /// The server's URL as the browser reaches it.
        #[arg(long, env = "TELEVENT_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
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
