//! [`TeleventBot`]: one update in, the replies out. Messages become commands, zone answers
//! (typed or a shared location), answers to an event question (a new title, time, invitees) or
//! quick-add drafts; button presses go to the module that made the button.

use std::sync::{Arc, Mutex, PoisonError};

use televent_app::{RsvpCallback, Televent};
use televent_domain::user::{TelegramId, User};
use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardMarkup, Message, MessageId, ReplyMarkup, Update, UpdateKind};

use super::callback::Callback;
use super::commands::{self, Command};
use super::state::{ConversationKey, ConversationState, EditKind};
use super::texts;

/// What the bot needs to know about the deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BotConfig {
    /// The server's public base URL (`https://cal.example.com`), shown with new device
    /// passwords and used for `/web` links; `None` says "your server's address" (and `/web`
    /// explains that there is no web page).
    pub public_url: Option<String>,
}

/// The bot: the engine, the Bot API client it answers through, and the conversations in
/// progress. Cheap to clone; clones share the conversations.
#[derive(Debug, Clone)]
pub struct TeleventBot {
    pub(super) engine: Televent,
    pub(super) bot: Bot,
    pub(super) config: BotConfig,
    pub(super) state: ConversationState,
    /// The bot's own username, read once with getMe when a command first names a bot. Shared
    /// by clones so that it is asked once.
    username: Arc<Mutex<Option<String>>>,
}

/// Who and where a message or button press came from.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    /// The chat to answer in.
    pub chat: ChatId,
    /// The conversation's state key.
    pub key: ConversationKey,
    /// The Televent user.
    pub user: User,
    /// A private chat (secrets and settings are shown only there).
    pub private: bool,
}

impl TeleventBot {
    /// The bot over `engine`, answering through `bot`.
    pub fn new(engine: Televent, bot: Bot, config: BotConfig) -> Self {
        Self {
            engine,
            bot,
            config,
            state: ConversationState::default(),
            username: Arc::new(Mutex::new(None)),
        }
    }

    /// Handles one update. Never fails: errors become replies or log lines.
    pub async fn handle(&self, update: Update) {
        match update.kind {
            UpdateKind::CallbackQuery(query) => self.on_callback(query).await,
            UpdateKind::Message(message) => self.on_message(message).await,
            _ => {}
        }
    }

    async fn on_message(&self, message: Message) {
        let private = message.chat.is_private();
        // Documents are imported, and a location sets the zone, in private chats only.
        let document = message.document().filter(|_| private);
        let location = message.location().filter(|_| private).copied();
        let text = match (message.text(), document, location) {
            (Some(text), _, _) => text,
            (None, Some(_), _) | (None, None, Some(_)) => "",
            (None, None, None) => {
                if private {
                    self.say(message.chat.id, texts::not_understood()).await;
                }
                return;
            }
        };
        let Some(from) = message.from.as_ref() else {
            return;
        };
        let is_command = text.trim_start().starts_with('/');
        let username = if is_command { self.username().await } else { None };
        let command = if is_command {
            commands::parse(text, username.as_deref())
        } else {
            None
        };
        // In groups, only commands that name the bot.
        if !private && !matches!(command, Some((_, true))) {
            return;
        }
        let Some(telegram_id) = telegram_id(from.id) else {
            return;
        };
        let key = ConversationKey {
            chat: message.chat.id.0,
            user: telegram_id.get(),
        };
        let (user, created) = match self.engine.telegram_user(telegram_id, from.username.as_deref()).await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(error = %error, "bot: could not find or create the user");
                self.say(message.chat.id, texts::TRY_AGAIN).await;
                return;
            }
        };
        let ctx = Ctx {
            chat: message.chat.id,
            key,
            user,
            private,
        };
        if created {
            self.welcome(&ctx).await;
            return;
        }
        if let Some(document) = document {
            self.import_document(&ctx, document).await;
            return;
        }
        if let Some(location) = location {
            self.on_location(&ctx, location.latitude, location.longitude).await;
            return;
        }
        let now = self.engine.now();
        match command {
            Some((command, _)) => self.on_command(&ctx, command).await,
            None if is_command => self.say(ctx.chat, texts::not_understood()).await,
            None if self.state.awaiting_zone(key, now) => self.on_zone_text(&ctx, text).await,
            None => match self.state.pending_edit(key, now) {
                Some(edit) => self.on_edit_text(&ctx, edit, text).await,
                None => self.quick_add(&ctx, text).await,
            },
        }
    }

    async fn on_command(&self, ctx: &Ctx, command: Command) {
        if !matches!(command, Command::TimeZone(_)) {
            self.state.zone_done(ctx.key, self.engine.now());
        }
        // A command ends an event question, except `/invite <addresses>` answering it.
        if !matches!(&command, Command::Invite(addresses) if !addresses.is_empty()) {
            self.state.edit_done(ctx.key, self.engine.now());
        }
        match command {
            Command::Start => self.greet(ctx).await,
            Command::Help => self.say(ctx.chat, texts::help()).await,
            Command::Today => self.show_days(ctx, 0, 1).await,
            Command::Tomorrow => self.show_days(ctx, 1, 1).await,
            Command::Week => self.show_days(ctx, 0, 7).await,
            Command::Agenda(days) => self.show_agenda(ctx, &days).await,
            Command::New(text) if text.is_empty() => {
                self.say(
                    ctx.chat,
                    "Send /new with the event, for example: /new Dentist tomorrow 15:30 for 1h",
                )
                .await;
            }
            Command::New(text) => self.quick_add(ctx, &text).await,
            Command::Device(_)
            | Command::Devices
            | Command::Revoke
            | Command::Settings
            | Command::Export
            | Command::Web
            | Command::Subscribe(_)
                if !ctx.private =>
            {
                self.say(ctx.chat, texts::PRIVATE_ONLY).await;
            }
            Command::Delete => self.offer_delete(ctx).await,
            Command::Invite(addresses) => self.on_invite(ctx, &addresses).await,
            Command::Web => self.web_link(ctx).await,
            Command::Subscribe(what) => self.subscription(ctx, &what).await,
            Command::Device(label) => self.new_device(ctx, &label).await,
            Command::Devices => self.list_devices(ctx).await,
            Command::Revoke => self.offer_revoke(ctx).await,
            Command::Settings => self.show_settings(ctx).await,
            Command::Export => self.export_calendar(ctx).await,
            Command::TimeZone(city) if city.is_empty() => self.ask_zone(ctx).await,
            Command::TimeZone(city) => self.on_zone_text(ctx, &city).await,
            Command::Cancel => self.say(ctx.chat, "OK, nothing is waiting for an answer now.").await,
            Command::Unknown => self.say(ctx.chat, texts::not_understood()).await,
        }
    }

    async fn on_callback(&self, query: CallbackQuery) {
        let data = query.data.as_deref().unwrap_or_default();
        if let Some(rsvp) = RsvpCallback::parse(data) {
            self.on_rsvp(&query, &rsvp).await;
            return;
        }
        let (Some(callback), Some(message)) = (Callback::parse(data), query.message.as_ref()) else {
            self.answer_callback(&query, texts::STALE_BUTTON).await;
            return;
        };
        let Some(telegram_id) = telegram_id(query.from.id) else {
            self.answer_callback(&query, texts::STALE_BUTTON).await;
            return;
        };
        let user = match self.engine.store().user_by_telegram_id(telegram_id).await {
            Ok(Some(user)) => user,
            Ok(None) => {
                self.answer_callback(&query, texts::STALE_BUTTON).await;
                return;
            }
            Err(error) => {
                tracing::warn!(error = %error, "bot: could not read the user of a button press");
                self.answer_callback(&query, texts::TRY_AGAIN).await;
                return;
            }
        };
        let chat = message.chat();
        let ctx = Ctx {
            chat: chat.id,
            key: ConversationKey {
                chat: chat.id.0,
                user: telegram_id.get(),
            },
            user,
            private: chat.is_private(),
        };
        let pressed = Pressed {
            query: &query,
            message: message.id(),
        };
        match callback {
            Callback::SaveDraft(id) => self.save_draft(&ctx, &pressed, &id).await,
            Callback::CancelDraft(id) => self.cancel_draft(&ctx, &pressed, &id).await,
            Callback::EditDraft(id) => self.edit_draft(&ctx, &pressed, &id).await,
            Callback::RevokeDevice(id) => self.revoke_device(&ctx, &pressed, id).await,
            Callback::PickZone(zone) => self.pick_zone(&ctx, &pressed, &zone).await,
            Callback::ToggleNotifications | Callback::ReminderMinutes(_) | Callback::DigestAt(_) => {
                self.change_setting(&ctx, &pressed, &callback).await;
            }
            Callback::DeleteEvent(token) => self.confirm_delete(&ctx, &pressed, &token).await,
            Callback::ConfirmDelete(token) => self.delete_event(&ctx, &pressed, &token).await,
            Callback::KeepEvent(token) => self.keep_event(&ctx, &pressed, &token).await,
            Callback::OpenEvent(token) => self.open_event(&ctx, &pressed, &token).await,
            Callback::RenameEvent(token) => self.ask_edit(&ctx, &pressed, &token, EditKind::Title).await,
            Callback::MoveEvent(token) => self.ask_edit(&ctx, &pressed, &token, EditKind::Time).await,
            Callback::InviteTo(token) => self.ask_edit(&ctx, &pressed, &token, EditKind::Invitees).await,
            Callback::ChangeZone => {
                self.answer_callback(&query, "").await;
                self.ask_zone(&ctx).await;
            }
        }
    }

    /// The bot's username, asked once with getMe (`None` while Telegram cannot be reached).
    async fn username(&self) -> Option<String> {
        if let Some(name) = self.username.lock().unwrap_or_else(PoisonError::into_inner).clone() {
            return Some(name);
        }
        match self.bot.get_me().await {
            Ok(me) => {
                let name = me.username().to_owned();
                *self.username.lock().unwrap_or_else(PoisonError::into_inner) = Some(name.clone());
                Some(name)
            }
            Err(error) => {
                tracing::debug!(%error, "bot: getMe failed");
                None
            }
        }
    }

    /// Sends `text` to `chat`.
    pub(super) async fn say(&self, chat: ChatId, text: impl Into<String>) {
        if let Err(error) = self.bot.send_message(chat, text).await {
            tracing::debug!(%error, "bot: could not send a message");
        }
    }

    /// Sends `text` with buttons.
    pub(super) async fn say_with(&self, chat: ChatId, text: impl Into<String>, buttons: InlineKeyboardMarkup) {
        if let Err(error) = self.bot.send_message(chat, text).reply_markup(buttons).await {
            tracing::debug!(%error, "bot: could not send a message");
        }
    }

    /// Sends `text` with any reply markup (a reply keyboard, or its removal).
    pub(super) async fn say_markup(&self, chat: ChatId, text: impl Into<String>, markup: ReplyMarkup) {
        if let Err(error) = self.bot.send_message(chat, text).reply_markup(markup).await {
            tracing::debug!(%error, "bot: could not send a message");
        }
    }

    /// Replaces the text (and the buttons: none when `buttons` is `None`) of a message the
    /// bot sent.
    pub(super) async fn edit(
        &self,
        chat: ChatId,
        message: MessageId,
        text: impl Into<String>,
        buttons: Option<InlineKeyboardMarkup>,
    ) {
        let mut edit = self.bot.edit_message_text(chat, message, text);
        edit.reply_markup = buttons;
        if let Err(error) = edit.await {
            tracing::debug!(%error, "bot: could not edit a message");
        }
    }

    /// Answers a button press (the small notice Telegram shows; empty for none).
    pub(super) async fn answer_callback(&self, query: &CallbackQuery, text: &str) {
        let mut answer = self.bot.answer_callback_query(query.id.clone());
        if !text.is_empty() {
            answer = answer.text(text);
        }
        if let Err(error) = answer.await {
            tracing::debug!(%error, "bot: could not answer a callback query");
        }
    }
}

/// A button press: the query to answer and the message that held the button.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pressed<'a> {
    /// The callback query.
    pub query: &'a CallbackQuery,
    /// The message with the button.
    pub message: MessageId,
}

fn telegram_id(id: teloxide::types::UserId) -> Option<TelegramId> {
    i64::try_from(id.0).ok().and_then(|id| TelegramId::new(id).ok())
}
