//! The bot's side of the conversation: what it does with each update Telegram sends, however
//! the update arrived (long polling here, a webhook later). For now it takes the answers to
//! invitations (the Accept / Maybe / Decline buttons the worker sends) and answers anything
//! else with a short help. It never fails: every error becomes a reply or a log line.

use televent_app::{AppError, RsvpCallback, Televent};
use televent_domain::attendee::PartStat;
use televent_domain::user::TelegramId;
use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, ChatKind, Message, Update, UpdateKind};

/// The bot: the engine and the Bot API client it answers through.
#[derive(Debug, Clone)]
pub struct TeleventBot {
    engine: Televent,
    bot: Bot,
}

impl TeleventBot {
    /// The bot over `engine`, answering through `bot`.
    pub fn new(engine: Televent, bot: Bot) -> Self {
        Self { engine, bot }
    }

    /// Handles one update.
    pub async fn handle(&self, update: Update) {
        match update.kind {
            UpdateKind::CallbackQuery(query) => self.on_callback(query).await,
            UpdateKind::Message(message) => self.on_message(message).await,
            _ => {}
        }
    }

    async fn on_callback(&self, query: CallbackQuery) {
        let Some(rsvp) = query.data.as_deref().and_then(RsvpCallback::parse) else {
            self.answer_callback(&query, "This button is no longer in use.").await;
            return;
        };
        let from = i64::try_from(query.from.id.0)
            .ok()
            .and_then(|id| TelegramId::new(id).ok());
        let outcome = match from {
            Some(from) => self.engine.answer_invitation(from, &rsvp).await,
            None => Err(AppError::NotFound("invitation".to_owned())),
        };
        match outcome {
            Ok(outcome) => {
                let answer = answer_text(&outcome.answer);
                let summary = outcome.summary.unwrap_or_else(|| "the event".to_owned());
                self.answer_callback(
                    &query,
                    &format!("You {answer} {summary}. {} is told.", outcome.organizer),
                )
                .await;
                if let Some(message) = query.message.as_ref().and_then(|m| m.regular_message()) {
                    // Keep the invitation, show the answer, keep the buttons to change it.
                    let text = message.text().unwrap_or_default();
                    let base = text.split("\n\nYour answer:").next().unwrap_or(text);
                    let updated = format!("{base}\n\nYour answer: {answer}");
                    if updated != text {
                        let mut edit = self.bot.edit_message_text(message.chat.id, message.id, updated);
                        edit.reply_markup = message.reply_markup().cloned();
                        if let Err(error) = edit.await {
                            tracing::debug!(%error, "could not edit the invitation message");
                        }
                    }
                }
            }
            Err(AppError::NotFound(_)) => {
                self.answer_callback(&query, "This invitation is no longer valid (the event may be gone).")
                    .await;
            }
            Err(error) => {
                tracing::warn!(%error, "an invitation answer failed");
                self.answer_callback(&query, "That did not work; please try again in a moment.")
                    .await;
            }
        }
    }

    async fn answer_callback(&self, query: &CallbackQuery, text: &str) {
        if let Err(error) = self.bot.answer_callback_query(query.id.clone()).text(text).await {
            tracing::debug!(%error, "could not answer a callback query");
        }
    }

    async fn on_message(&self, message: Message) {
        // In groups, only commands addressed to the bot are answered (issue 6 adds them).
        if !matches!(message.chat.kind, ChatKind::Private(_)) {
            return;
        }
        let help = "Hi! I deliver Televent invitations, reminders and your daily digest. \
                    Answer an invitation with its buttons.";
        if let Err(error) = self.bot.send_message(message.chat.id, help).await {
            tracing::debug!(%error, "could not answer a message");
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
