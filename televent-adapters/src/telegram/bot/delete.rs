//! `/delete`: the events of the next 7 days as buttons; pressing one asks for confirmation,
//! confirming deletes the event (every occurrence) through the engine's write path, so its
//! invitees are told.

use std::collections::HashSet;

use televent_app::{AgendaEntry, AppError};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::handler::{Ctx, Pressed, TeleventBot};
use super::texts;

/// Days `/delete` looks ahead.
const DAYS: u32 = 7;
/// Most events offered at once.
const MAX_OFFERED: usize = 10;
/// Longest title on a button, in characters.
const MAX_TITLE: usize = 40;

/// A list of upcoming events to pick one from.
pub(super) struct EventOffer {
    /// How many days ahead.
    pub days: u32,
    /// The answer when there is nothing to pick.
    pub nothing: &'static str,
    /// The question above the buttons.
    pub question: &'static str,
    /// Before each event's label.
    pub icon: &'static str,
    /// The button data for a choice token.
    pub callback: fn(String) -> Callback,
}

impl TeleventBot {
    /// `/delete`: one button per event of the next days.
    pub(super) async fn offer_delete(&self, ctx: &Ctx) {
        let offer = EventOffer {
            days: DAYS,
            nothing: "Nothing planned in the next 7 days, so nothing to delete.",
            question: "Which event should I delete?",
            icon: "🗑",
            callback: Callback::DeleteEvent,
        };
        self.offer_events(ctx, &offer).await;
    }

    /// One button per distinct event of the next `offer.days` days (at most
    /// [`MAX_OFFERED`]), remembered in the conversation so a press names its event.
    pub(super) async fn offer_events(&self, ctx: &Ctx, offer: &EventOffer) {
        let today = self.engine.today(&ctx.user);
        let agenda = match self.engine.agenda_days(&ctx.user, today, offer.days).await {
            Ok(agenda) => agenda,
            Err(error) => {
                tracing::warn!(%error, "bot: could not read an agenda");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let mut seen = HashSet::new();
        let entries: Vec<&AgendaEntry> = agenda
            .iter()
            .flat_map(|day| &day.entries)
            .filter(|entry| seen.insert(entry.uid.clone()))
            .take(MAX_OFFERED)
            .collect();
        if entries.is_empty() {
            self.say(ctx.chat, offer.nothing).await;
            return;
        }
        let uids = entries.iter().map(|entry| entry.uid.clone()).collect();
        let tokens = self.state.put_event_choices(ctx.key, self.engine.now(), uids);
        let rows = entries.iter().zip(tokens).map(|(entry, token)| {
            [InlineKeyboardButton::callback(
                format!("{} {}", offer.icon, entry_label(entry)),
                (offer.callback)(token).data(),
            )]
        });
        self.say_with(ctx.chat, offer.question, InlineKeyboardMarkup::new(rows))
            .await;
    }

    /// An event button: asks to confirm.
    pub(super) async fn confirm_delete(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str) {
        let Some(event) = self.offered_event(ctx, pressed, token).await else {
            return;
        };
        let title = event.summary.unwrap_or_else(|| "(no title)".to_owned());
        self.answer_callback(pressed.query, "").await;
        let buttons = InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("🗑 Delete", Callback::ConfirmDelete(token.to_owned()).data()),
            InlineKeyboardButton::callback("Keep", Callback::KeepEvent(token.to_owned()).data()),
        ]]);
        let text = format!("Delete \"{title}\"? If it repeats, every occurrence goes; invitees are told.");
        self.edit(ctx.chat, pressed.message, text, Some(buttons)).await;
    }

    /// Confirmed: the event deleted.
    pub(super) async fn delete_event(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str) {
        let Some(event) = self.offered_event(ctx, pressed, token).await else {
            return;
        };
        match self.engine.delete_event(&ctx.user, &event).await {
            Ok(()) => {
                self.state.drop_event_choices(ctx.key, self.engine.now());
                let title = event.summary.unwrap_or_else(|| "(no title)".to_owned());
                self.answer_callback(pressed.query, "Deleted.").await;
                self.edit(ctx.chat, pressed.message, format!("Deleted \"{title}\"."), None)
                    .await;
            }
            Err(AppError::NotFound(_) | AppError::PreconditionFailed) => {
                self.answer_callback(pressed.query, "The event changed meanwhile; send /delete again.")
                    .await;
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not delete an event");
                self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
            }
        }
    }

    /// Keep: nothing deleted.
    pub(super) async fn keep_event(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str) {
        if self.state.event_choice(ctx.key, self.engine.now(), token).is_none() {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return;
        }
        self.state.drop_event_choices(ctx.key, self.engine.now());
        self.answer_callback(pressed.query, "Kept.").await;
        self.edit(ctx.chat, pressed.message, "Nothing was deleted.", None).await;
    }

    /// The event behind an offered token, or the press answered as stale.
    async fn offered_event(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str) -> Option<televent_app::EventRef> {
        let Some(uid) = self.state.event_choice(ctx.key, self.engine.now(), token) else {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return None;
        };
        match self.engine.event_by_uid(&ctx.user, &uid).await {
            Ok(event) => Some(event),
            Err(AppError::NotFound(_)) => {
                self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
                None
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not read an event");
                self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
                None
            }
        }
    }
}

/// An event on a button: its title (shortened) and when it starts.
pub(super) fn entry_label(entry: &AgendaEntry) -> String {
    let title = entry
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("(no title)");
    let mut short: String = title.chars().take(MAX_TITLE).collect();
    if title.chars().count() > MAX_TITLE {
        short.push_str("...");
    }
    let when = if entry.all_day {
        entry.start.format("%a %-d %b").to_string()
    } else {
        entry.start.format("%a %-d %b %H:%M").to_string()
    };
    format!("{short}, {when}")
}
