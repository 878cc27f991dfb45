//! The bot's commands: reading `/name[@bot] arguments` from a message, and the list Telegram
//! shows in its menu (`setMyCommands`).

use teloxide::prelude::*;
use teloxide::types::BotCommand;

/// A command the bot knows, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/start`
    Start,
    /// `/help`
    Help,
    /// `/today`
    Today,
    /// `/tomorrow`
    Tomorrow,
    /// `/week`
    Week,
    /// `/agenda [days]`; the text after the command.
    Agenda(String),
    /// `/new <text>`
    New(String),
    /// `/device [label]`
    Device(String),
    /// `/delete`
    Delete,
    /// `/invite [addresses]`
    Invite(String),
    /// `/web`
    Web,
    /// `/subscribe [new|off]`
    Subscribe(String),
    /// `/devices`
    Devices,
    /// `/revoke`
    Revoke,
    /// `/settings`
    Settings,
    /// `/export`
    Export,
    /// `/timezone [city]`
    TimeZone(String),
    /// `/cancel`
    Cancel,
    /// A command the bot does not know.
    Unknown,
}

/// Each command of the menu and what it does, in menu order.
pub const MENU: &[(&str, &str)] = &[
    ("today", "What is on today"),
    ("tomorrow", "What is on tomorrow"),
    ("week", "The next 7 days"),
    ("agenda", "The next days: /agenda 14"),
    ("new", "Add an event: /new Dentist tomorrow 15:30"),
    ("delete", "Delete an event of the next 7 days"),
    ("invite", "Invite people to one of your events"),
    ("settings", "Time zone, reminders, daily digest"),
    ("timezone", "Set your time zone: /timezone Berlin"),
    ("device", "A password for a calendar app (CalDAV)"),
    ("devices", "Your calendar app passwords"),
    ("revoke", "Revoke a calendar app password"),
    ("export", "Your calendar as an .ics file"),
    ("web", "Open your calendar on the web"),
    (
        "subscribe",
        "A read-only link for Google Calendar, Outlook.com and others",
    ),
    ("help", "What I can do"),
];

/// A message's command, when it is one meant for this bot: `Some((command, addressed))`
/// where `addressed` says the command named the bot (`/today@name`). A command naming another
/// bot is `None`, as is text that is not a command.
pub fn parse(text: &str, bot_username: Option<&str>) -> Option<(Command, bool)> {
    let text = text.trim_start();
    let rest = text.strip_prefix('/')?;
    let (head, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (name, mention) = match head.split_once('@') {
        Some((name, mention)) => (name, Some(mention)),
        None => (head, None),
    };
    let addressed = match mention {
        Some(mention) => match bot_username {
            Some(username) if mention.eq_ignore_ascii_case(username) => true,
            _ => return None,
        },
        None => false,
    };
    let arguments = arguments.trim().to_owned();
    let command = match name.to_ascii_lowercase().as_str() {
        "start" => Command::Start,
        "help" => Command::Help,
        "today" => Command::Today,
        "tomorrow" => Command::Tomorrow,
        "week" => Command::Week,
        "agenda" => Command::Agenda(arguments),
        "new" | "add" => Command::New(arguments),
        "device" => Command::Device(arguments),
        "delete" => Command::Delete,
        "invite" => Command::Invite(arguments),
        "web" => Command::Web,
        "subscribe" => Command::Subscribe(arguments),
        "devices" => Command::Devices,
        "revoke" => Command::Revoke,
        "settings" => Command::Settings,
        "export" => Command::Export,
        "timezone" | "tz" => Command::TimeZone(arguments),
        "cancel" => Command::Cancel,
        _ => Command::Unknown,
    };
    Some((command, addressed))
}

/// Registers the command menu with Telegram (`setMyCommands`). Called once at startup; a
/// failure is logged, the bot works without the menu.
pub async fn register_commands(bot: &Bot) {
    let commands = MENU.iter().map(|(name, about)| BotCommand::new(*name, *about));
    if let Err(error) = bot.set_my_commands(commands).await {
        tracing::warn!(%error, "Telegram: could not register the command menu");
    }
}

#[cfg(test)]
mod tests {
    use super::{Command, parse};

    #[test]
    fn commands() {
        let bot = Some("televent_bot");
        let cases = [
            ("/today", Some((Command::Today, false))),
            ("/today@Televent_Bot", Some((Command::Today, true))),
            ("/today@other_bot", None),
            ("/agenda  14 ", Some((Command::Agenda("14".to_owned()), false))),
            (
                "/new Dentist tomorrow",
                Some((Command::New("Dentist tomorrow".to_owned()), false)),
            ),
            ("/frobnicate", Some((Command::Unknown, false))),
            ("/web", Some((Command::Web, false))),
            ("/subscribe new", Some((Command::Subscribe("new".to_owned()), false))),
            (
                "/invite anna@example.com, @bob",
                Some((Command::Invite("anna@example.com, @bob".to_owned()), false)),
            ),
            ("Dentist tomorrow", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text, bot), expected, "{text}");
        }
        assert_eq!(parse("/today@televent_bot", None), None);
    }
}
