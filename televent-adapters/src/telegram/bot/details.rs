//! One event: its details (from an agenda button) with Rename, Change time, Invite and Delete;
//! the next text of the chat is then the new title, the new time (in quick-add words) or the
//! people to invite. Writes keep every line the user did not change (`event_edit`) and are
//! refused, with a plain message, when the event changed elsewhere since it was shown.

use chrono::Days;
use chrono_tz::Tz;
use televent_app::{AppError, EventDetails};
use televent_domain::event_edit::{EventFields, EventPatch, EventTime};
use televent_domain::quick_add::QuickAddError;
use televent_domain::tz::local::local_instant;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::handler::{Ctx, Pressed, TeleventBot};
use super::state::{EditKind, PendingEdit};
use super::texts;

/// What a time that could not be read gets.
const TIME_EXAMPLES: &str = "Send the new time like: tomorrow 15:00, Friday 10-11, or 24 Dec.";

impl TeleventBot {
    /// An agenda button: the event's details with what can be done to it.
    pub(super) async fn open_event(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str) {
        let Some(details) = self.offered_details(ctx, pressed, token).await else {
            return;
        };
        self.answer_callback(pressed.query, "").await;
        let buttons = InlineKeyboardMarkup::new([
            [
                InlineKeyboardButton::callback("✏️ Rename", Callback::RenameEvent(token.to_owned()).data()),
                InlineKeyboardButton::callback("🕒 Change time", Callback::MoveEvent(token.to_owned()).data()),
            ],
            [
                InlineKeyboardButton::callback("👥 Invite", Callback::InviteTo(token.to_owned()).data()),
                InlineKeyboardButton::callback("🗑 Delete", Callback::DeleteEvent(token.to_owned()).data()),
            ],
        ]);
        let zone = ctx.user.time_zone.tz();
        self.say_with(ctx.chat, details_text(&details.fields, zone), buttons)
            .await;
    }

    /// Rename, Change time or Invite: asks for the text that does it.
    pub(super) async fn ask_edit(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str, kind: EditKind) {
        let Some(details) = self.offered_details(ctx, pressed, token).await else {
            return;
        };
        self.answer_callback(pressed.query, "").await;
        self.ask_for_edit(ctx, details, kind).await;
    }

    /// Remembers that the next text is about `details`, and asks for it.
    pub(super) async fn ask_for_edit(&self, ctx: &Ctx, details: EventDetails, kind: EditKind) {
        let title = title_of(&details.fields);
        let question = match kind {
            EditKind::Title => format!("Send the new title for \"{title}\" (or /cancel)."),
            EditKind::Time => format!("When should \"{title}\" be? {TIME_EXAMPLES} (or /cancel)",),
            EditKind::Invitees => format!(
                "Who should I invite to \"{title}\"? Send e-mail addresses or @usernames of Televent users, \
                 like: anna@example.com @bob (or /cancel)"
            ),
        };
        self.state.zone_done(ctx.key, self.engine.now());
        self.state.await_edit(
            ctx.key,
            self.engine.now(),
            PendingEdit {
                kind,
                event: details.event,
            },
        );
        self.say(ctx.chat, question).await;
    }

    /// The text a pending question waited for.
    pub(super) async fn on_edit_text(&self, ctx: &Ctx, edit: PendingEdit, text: &str) {
        let patch = match edit.kind {
            EditKind::Invitees => {
                self.invite_from_text(ctx, &edit, text).await;
                return;
            }
            EditKind::Title => {
                let title = text.trim();
                if title.is_empty() {
                    self.say(ctx.chat, "Send the new title as text, like: Dentist (or /cancel).")
                        .await;
                    return;
                }
                EventPatch {
                    title: Some(title.to_owned()),
                    ..EventPatch::default()
                }
            }
            EditKind::Time => match self.engine.event_time_from_text(&ctx.user, text) {
                Ok(when) => EventPatch {
                    when: Some(when),
                    ..EventPatch::default()
                },
                Err(QuickAddError::Invalid(why)) => {
                    self.say(ctx.chat, format!("{why} {TIME_EXAMPLES}")).await;
                    return;
                }
                Err(_) => {
                    self.say(
                        ctx.chat,
                        format!("I could not find a day or time in that. {TIME_EXAMPLES}"),
                    )
                    .await;
                    return;
                }
            },
        };
        match self.engine.edit_event(&ctx.user, &edit.event, &patch).await {
            Ok(fields) => {
                self.state.edit_done(ctx.key, self.engine.now());
                let zone = ctx.user.time_zone.tz();
                let reply = match edit.kind {
                    EditKind::Title => format!("Renamed to \"{}\".", title_of(&fields)),
                    _ => format!("Moved \"{}\" to {}.", title_of(&fields), when_text(&fields.when, zone)),
                };
                self.say(ctx.chat, reply).await;
            }
            // A refused value: the sentence is for people; the question stays open.
            Err(AppError::Invalid(why)) => self.say(ctx.chat, format!("{why} Try again, or /cancel.")).await,
            Err(error) => {
                self.state.edit_done(ctx.key, self.engine.now());
                self.say(ctx.chat, edit_failed(&error)).await;
            }
        }
    }

    /// The event behind an offered token with its fields, or the press answered as stale.
    pub(super) async fn offered_details(&self, ctx: &Ctx, pressed: &Pressed<'_>, token: &str) -> Option<EventDetails> {
        let Some(uid) = self.state.event_choice(ctx.key, self.engine.now(), token) else {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return None;
        };
        match self.engine.event_details(&ctx.user, &uid).await {
            Ok(details) => Some(details),
            Err(AppError::NotFound(_)) => {
                self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
                None
            }
            Err(AppError::Forbidden(_) | AppError::Invalid(_)) => {
                self.answer_callback(pressed.query, CANNOT_EDIT).await;
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

/// An event stored in a way the bot cannot change safely.
const CANNOT_EDIT: &str = "I can't change this event here; please use your calendar app.";

/// What a failed write of an edit tells the user.
pub(super) fn edit_failed(error: &AppError) -> String {
    match error {
        AppError::PreconditionFailed => "This event was changed elsewhere in the meantime, so I left it as it is. \
             Open it again from /today or /week and retry."
            .to_owned(),
        AppError::NotFound(_) => "This event is gone; it was deleted in the meantime.".to_owned(),
        AppError::Forbidden(_) | AppError::Ingest(_) | AppError::UnsupportedComponent(_) => CANNOT_EDIT.to_owned(),
        other => {
            tracing::warn!(error = %other, "bot: could not change an event");
            texts::TRY_AGAIN.to_owned()
        }
    }
}

/// The title, or `(no title)`.
pub(super) fn title_of(fields: &EventFields) -> String {
    if fields.title.trim().is_empty() {
        "(no title)".to_owned()
    } else {
        fields.title.clone()
    }
}

/// The details message.
fn details_text(fields: &EventFields, zone: Tz) -> String {
    let mut lines = vec![title_of(fields), format!("When: {}", when_text(&fields.when, zone))];
    if fields.recurrence.is_some() {
        lines.push("Repeats: yes (changes apply to every occurrence)".to_owned());
    }
    if let Some(location) = &fields.location {
        lines.push(format!("Where: {location}"));
    }
    if !fields.attendees.is_empty() {
        let invited: Vec<String> = fields
            .attendees
            .iter()
            .map(|a| format!("{} ({})", a.email, a.status.to_lowercase().replace('-', " ")))
            .collect();
        lines.push(format!("Invited: {}", invited.join(", ")));
    }
    lines.join("\n")
}

/// When an event is, in `zone` (the user's).
pub(super) fn when_text(when: &EventTime, zone: Tz) -> String {
    match *when {
        EventTime::Timed { start, end, zone: from } => {
            let shown = |at: chrono::NaiveDateTime| {
                local_instant(at.date(), at.time(), from)
                    .with_timezone(&zone)
                    .naive_local()
            };
            timed_text(shown(start), shown(end), zone)
        }
        EventTime::AllDay { start, end_exclusive } => {
            let last = end_exclusive
                .checked_sub_days(Days::new(1))
                .filter(|last| *last >= start)
                .unwrap_or(start);
            all_day_text(start, last)
        }
    }
}

/// How a day is written in the bot's messages.
const DAY: &str = "%a %-d %b %Y";

/// `start`–`end`, wall-clock times in `zone`: "Fri 27 Nov 2026 15:30-16:30 (Europe/Berlin)".
pub(super) fn timed_text(start: chrono::NaiveDateTime, end: chrono::NaiveDateTime, zone: Tz) -> String {
    let end_text = if end.date() == start.date() {
        end.format("%H:%M").to_string()
    } else {
        end.format("%a %-d %b %H:%M").to_string()
    };
    format!(
        "{} {}-{} ({})",
        start.format(DAY),
        start.format("%H:%M"),
        end_text,
        zone.name()
    )
}

/// Whole days from `first` to `last` (included).
pub(super) fn all_day_text(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    if last == first {
        format!("{}, all day", first.format(DAY))
    } else {
        format!("{} to {}, all day", first.format(DAY), last.format(DAY))
    }
}
