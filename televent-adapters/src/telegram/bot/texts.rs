//! The bot's fixed sentences. Plain text (no parse mode), so nothing needs escaping.

use super::commands::MENU;

/// Asks for the zone.
pub const ASK_ZONE: &str = "Send your city (Berlin) or an IANA zone (Europe/Berlin).";

/// An old, foreign or expired button.
pub const STALE_BUTTON: &str = "This button is no longer in use.";

/// Something failed on our side; nothing internal is shown.
pub const TRY_AGAIN: &str = "That did not work; please try again in a moment.";

/// An empty agenda.
pub const NOTHING_PLANNED: &str = "Nothing planned.";

/// Commands that show secrets or settings are for private chats.
pub const PRIVATE_ONLY: &str = "Please send me this in a private chat.";

/// The greeting of a new user.
pub fn welcome(name: &str) -> String {
    format!(
        "Welcome to Televent! Your calendar is ready (user name: {name}).\n\n\
         Send me an event in plain words, like \"Dentist tomorrow 15:30 for 1h\", and I add it. \
         Ask /today, /tomorrow or /week for what is planned, /settings for reminders and the \
         daily digest, /device to connect a calendar app. /help lists everything.\n\n\
         First, your time zone: {ASK_ZONE}"
    )
}

/// The greeting of a known user.
pub fn greeting(name: &str, zone: &str) -> String {
    format!("Welcome back, {name}! Your time zone is {zone}. Send me an event, or /help for the commands.")
}

/// The list of commands.
pub fn help() -> String {
    let mut text = String::from(
        "I keep your calendar. Send me an event in plain words, like \"Lunch with @anna Friday 12:30 at Cafe Central\" \
         or \"Standup every weekday 9:00\", and I add it after you confirm.\n\nCommands:",
    );
    for (name, about) in MENU {
        text.push_str(&format!("\n/{name} - {about}"));
    }
    text.push_str("\n\nSend me an .ics file and I import its events.");
    text
}

/// What a message the bot did not understand gets.
pub fn not_understood() -> String {
    "Sorry, I did not understand that. Send an event like \"Dentist tomorrow 15:30\", or /help for the commands."
        .to_owned()
}

/// The caption of an exported calendar.
pub fn exported(calendar: &str, events: usize) -> String {
    let noun = if events == 1 { "event" } else { "events" };
    format!("Your calendar \"{calendar}\": {events} {noun}. Import this file into any calendar app.")
}

/// A document that is not an iCalendar file.
pub const IMPORT_WHAT: &str = "Send me an .ics file (iCalendar) and I import its events into your calendar.";

/// A document over the import limit.
pub fn import_too_big(limit: usize) -> String {
    format!(
        "That file is too big: I import .ics files up to {} MB.",
        limit / (1024 * 1024)
    )
}

/// What an import stored.
pub fn imported(calendar: &str, created: usize, updated: usize) -> String {
    let noun = if created == 1 { "event" } else { "events" };
    let mut text = format!("Imported into \"{calendar}\": {created} new {noun}");
    if updated > 0 {
        text.push_str(&format!(", {updated} updated"));
    }
    text.push('.');
    text
}

/// How to connect the usual apps, three short lines.
pub const SETUP_LINES: &str = "iPhone/macOS: Settings > Calendar > Accounts > Add Account > Other > Add CalDAV \
     Account (macOS: Calendar > Add Account > Other CalDAV Account); enter the server, user name and password.\n\
     Thunderbird: New Calendar > On the Network; enter the user name and the server address, then the password.\n\
     Android: install DAVx5, add an account with \"Login with URL and user name\", then pick the calendars.";
