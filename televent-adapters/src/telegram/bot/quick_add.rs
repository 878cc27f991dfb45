//! Quick add: a message read into a draft, shown with Save / Edit / Cancel; Save stores it
//! through the engine's write path (so invitations go out as for any write).

use televent_app::AppError;
use televent_domain::quick_add::{DraftAttendee, DraftTime, EventDraft};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::details::{all_day_text, timed_text};
use super::handler::{Ctx, Pressed, TeleventBot};
use super::texts;

impl TeleventBot {
    /// Reads `text` as an event and shows what was understood, or why nothing was.
    pub(super) async fn quick_add(&self, ctx: &Ctx, text: &str) {
        match self.engine.quick_add(&ctx.user, text) {
            Ok(draft) => {
                let summary = draft_text(&draft);
                let id = self.state.put_draft(ctx.key, self.engine.now(), draft);
                let buttons = InlineKeyboardMarkup::new([[
                    InlineKeyboardButton::callback("Save", Callback::SaveDraft(id.clone()).data()),
                    InlineKeyboardButton::callback("Edit", Callback::EditDraft(id.clone()).data()),
                    InlineKeyboardButton::callback("Cancel", Callback::CancelDraft(id).data()),
                ]]);
                self.say_with(ctx.chat, summary, buttons).await;
            }
            // The parser's messages are written for users and end with an example.
            Err(error) => self.say(ctx.chat, error.to_string()).await,
        }
    }

    /// Save: the draft stored as a new event.
    pub(super) async fn save_draft(&self, ctx: &Ctx, pressed: &Pressed<'_>, id: &str) {
        let Some(pending) = self.state.draft(ctx.key, self.engine.now(), id) else {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return;
        };
        match self.engine.save_draft(&ctx.user, &pending.draft).await {
            Ok(_) => {
                // Taken only now, so that a failed save can be pressed again.
                let _ = self.state.take_draft(ctx.key, self.engine.now(), id);
                self.answer_callback(pressed.query, "Saved.").await;
                let text = format!("Saved.\n{}", describe(&pending.draft));
                self.edit(ctx.chat, pressed.message, text, None).await;
            }
            Err(error) => {
                let reply = match &error {
                    AppError::Ingest(_) | AppError::Invalid(_) | AppError::UnsupportedComponent(_) => {
                        "I could not store this event; please write it differently."
                    }
                    _ => texts::TRY_AGAIN,
                };
                tracing::warn!(%error, "bot: saving a draft failed");
                self.answer_callback(pressed.query, reply).await;
            }
        }
    }

    /// Cancel: the draft forgotten.
    pub(super) async fn cancel_draft(&self, ctx: &Ctx, pressed: &Pressed<'_>, id: &str) {
        if self.state.take_draft(ctx.key, self.engine.now(), id).is_none() {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return;
        }
        self.answer_callback(pressed.query, "Cancelled.").await;
        self.edit(ctx.chat, pressed.message, "Cancelled: nothing was saved.", None)
            .await;
    }

    /// Edit: the user sends a corrected text (which becomes a new draft).
    pub(super) async fn edit_draft(&self, ctx: &Ctx, pressed: &Pressed<'_>, id: &str) {
        if self.state.draft(ctx.key, self.engine.now(), id).is_none() {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return;
        }
        self.answer_callback(pressed.query, "Send the corrected text and I will read it again.")
            .await;
    }
}

/// The confirmation message of a draft.
fn draft_text(draft: &EventDraft) -> String {
    format!("New event:\n{}\n\nSave it?", describe(draft))
}

/// What a draft says, one line per part, in the user's zone.
pub fn describe(draft: &EventDraft) -> String {
    let mut lines = vec![draft.summary.clone(), format!("When: {}", when(draft))];
    if let Some(recurrence) = &draft.recurrence {
        lines.push(format!("Repeats: {}", recurrence.human));
    }
    if let Some(location) = &draft.location {
        lines.push(format!("Where: {location}"));
    }
    if !draft.attendees.is_empty() {
        let invitees: Vec<String> = draft
            .attendees
            .iter()
            .map(|attendee| match attendee {
                DraftAttendee::Email(email) => email.clone(),
                DraftAttendee::TelegramUser(name) => format!("@{name}"),
            })
            .collect();
        lines.push(format!("Invites: {}", invitees.join(", ")));
    }
    lines.join("\n")
}

fn when(draft: &EventDraft) -> String {
    match draft.when {
        DraftTime::Timed { start, end } => timed_text(start, end, draft.zone),
        DraftTime::AllDay { first, last_inclusive } => all_day_text(first, last_inclusive),
    }
}
