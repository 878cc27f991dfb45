//! `/today`, `/tomorrow`, `/week`, `/agenda [days]`: the user's occurrences in their zone,
//! grouped by day, times as HH:MM, all-day ones marked. In private chats each event (the first
//! few) gets a button that opens its details (`details`).

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use televent_app::{AgendaDay, AgendaEntry};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::delete::entry_label;
use super::handler::{Ctx, TeleventBot};
use super::texts;

/// Days `/agenda` shows without a number.
const DEFAULT_DAYS: u32 = 7;
/// Most days `/agenda` shows.
const MAX_DAYS: u32 = 31;
/// Telegram takes 4096 characters in a message; the agenda stops a little before.
const MAX_CHARS: usize = 3900;
/// Most events with a details button under an agenda.
const MAX_BUTTONS: usize = 10;

impl TeleventBot {
    /// `/agenda [days]`.
    pub(super) async fn show_agenda(&self, ctx: &Ctx, argument: &str) {
        let days = if argument.is_empty() {
            DEFAULT_DAYS
        } else {
            match argument.parse::<u32>() {
                Ok(days) if (1..=MAX_DAYS).contains(&days) => days,
                _ => {
                    self.say(
                        ctx.chat,
                        format!("Give a number of days from 1 to {MAX_DAYS}, for example: /agenda 14"),
                    )
                    .await;
                    return;
                }
            }
        };
        self.show_days(ctx, 0, days).await;
    }

    /// `days` days starting `offset` days from today.
    pub(super) async fn show_days(&self, ctx: &Ctx, offset: u64, days: u32) {
        let today = self.engine.today(&ctx.user);
        let first = today.checked_add_days(Days::new(offset)).unwrap_or(today);
        match self.engine.agenda_days(&ctx.user, first, days).await {
            Ok(agenda) => {
                let text = agenda_text(&agenda, today);
                let mut seen = HashSet::new();
                let entries: Vec<&AgendaEntry> = agenda
                    .iter()
                    .flat_map(|day| &day.entries)
                    .filter(|entry| seen.insert(entry.uid.clone()))
                    .take(MAX_BUTTONS)
                    .collect();
                if !ctx.private || entries.is_empty() {
                    self.say(ctx.chat, text).await;
                    return;
                }
                let uids = entries.iter().map(|entry| entry.uid.clone()).collect();
                let tokens = self.state.put_event_choices(ctx.key, self.engine.now(), uids);
                let rows = entries.iter().zip(tokens).map(|(entry, token)| {
                    [InlineKeyboardButton::callback(
                        entry_label(entry),
                        Callback::OpenEvent(token).data(),
                    )]
                });
                self.say_with(ctx.chat, text, InlineKeyboardMarkup::new(rows)).await;
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not read an agenda");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
            }
        }
    }
}

/// The agenda as a message: one day with its heading even when empty; several days with only
/// the days that have something, or "Nothing planned.".
pub fn agenda_text(agenda: &[AgendaDay], today: NaiveDate) -> String {
    if let [day] = agenda {
        let mut text = day_heading(day.date, today);
        if day.entries.is_empty() {
            text.push('\n');
            text.push_str(texts::NOTHING_PLANNED);
        }
        for entry in &day.entries {
            text.push('\n');
            text.push_str(&entry_line(entry));
        }
        return text;
    }
    let mut text = String::new();
    for day in agenda.iter().filter(|day| !day.entries.is_empty()) {
        let mut block = String::new();
        if !text.is_empty() {
            block.push_str("\n\n");
        }
        block.push_str(&day_heading(day.date, today));
        for entry in &day.entries {
            block.push('\n');
            block.push_str(&entry_line(entry));
        }
        if text.len() + block.len() > MAX_CHARS {
            text.push_str("\n\n... and more: ask for fewer days, like /agenda 3.");
            return text;
        }
        text.push_str(&block);
    }
    if text.is_empty() {
        texts::NOTHING_PLANNED.to_owned()
    } else {
        text
    }
}

fn day_heading(date: NaiveDate, today: NaiveDate) -> String {
    let day = date.format("%a %-d %b").to_string();
    if date == today {
        format!("Today, {day}")
    } else if today.succ_opt() == Some(date) {
        format!("Tomorrow, {day}")
    } else {
        day
    }
}

fn entry_line(entry: &AgendaEntry) -> String {
    let when = if entry.all_day {
        "all day".to_owned()
    } else {
        match entry.end {
            Some(end) if end != entry.start => format!("{}-{}", entry.start.format("%H:%M"), end.format("%H:%M")),
            _ => entry.start.format("%H:%M").to_string(),
        }
    };
    let title = entry
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("(no title)");
    match entry.location.as_deref().filter(|l| !l.trim().is_empty()) {
        Some(location) => format!("{when}  {title} ({location})"),
        None => format!("{when}  {title}"),
    }
}
