//! Answers to invitations: the Accept / Maybe / Decline buttons the worker sends
//! (`rsvp:<a|t|d>:<invitation>`), recorded on the organizer's copy by the engine.

use televent_app::{AppError, RsvpCallback};
use televent_domain::attendee::PartStat;
use televent_domain::user::TelegramId;
use teloxide::types::CallbackQuery;

use super::handler::TeleventBot;
use super::texts;

impl TeleventBot {
    /// Records the answer of the one who pressed, tells them, and shows the answer under the
    /// invitation (keeping the buttons to change it).
    pub(super) async fn on_rsvp(&self, query: &CallbackQuery, rsvp: &RsvpCallback) {
        let from = i64::try_from(query.from.id.0)
            .ok()
            .and_then(|id| TelegramId::new(id).ok());
        let outcome = match from {
            Some(from) => self.engine.answer_invitation(from, rsvp).await,
            None => Err(AppError::NotFound("invitation".to_owned())),
        };
        match outcome {
            Ok(outcome) => {
                let answer = answer_text(&outcome.answer);
                let summary = outcome.summary.unwrap_or_else(|| "the event".to_owned());
                self.answer_callback(
                    query,
                    &format!("You {answer} {summary}. {} is told.", outcome.organizer),
                )
                .await;
                if let Some(message) = query.message.as_ref().and_then(|m| m.regular_message()) {
                    // Keep the invitation, show the answer, keep the buttons to change it.
                    let text = message.text().unwrap_or_default();
                    let base = text.split("\n\nYour answer:").next().unwrap_or(text);
                    let updated = format!("{base}\n\nYour answer: {answer}");
                    if updated != text {
                        self.edit(message.chat.id, message.id, updated, message.reply_markup().cloned())
                            .await;
                    }
                }
            }
            Err(AppError::NotFound(_)) => {
                self.answer_callback(query, "This invitation is no longer valid (the event may be gone).")
                    .await;
            }
            Err(error) => {
                tracing::warn!(%error, "an invitation answer failed");
                self.answer_callback(query, texts::TRY_AGAIN).await;
            }
        }
    }
}

fn answer_text(answer: &PartStat) -> &'static str {
    match answer {
        PartStat::Accepted => "accepted",
        PartStat::Declined => "declined",
        PartStat::Tentative => "said maybe to",
        _ => "answered",
    }
}
