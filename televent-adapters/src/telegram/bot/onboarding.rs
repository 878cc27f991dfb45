//! First contact and the time zone: the welcome, the greeting of a known user, and the zone
//! set from a city or an IANA name (with buttons when a city is ambiguous) or from a shared
//! location (the nearest place of a built-in table; a "Share location" button comes with the
//! question in private chats).

use televent_app::{ZoneMatch, find_zone, zone_near};
use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, KeyboardRemove,
    ReplyMarkup,
};

use super::callback::Callback;
use super::handler::{Ctx, Pressed, TeleventBot};
use super::texts;

impl TeleventBot {
    /// A new user: what the bot does, and the question for the zone.
    pub(super) async fn welcome(&self, ctx: &Ctx) {
        self.state.ask_zone(ctx.key, self.engine.now());
        self.ask_with_location(ctx, texts::welcome(ctx.user.name.as_str()))
            .await;
    }

    /// `/start` of a known user.
    pub(super) async fn greet(&self, ctx: &Ctx) {
        self.say(
            ctx.chat,
            texts::greeting(ctx.user.name.as_str(), ctx.user.time_zone.name()),
        )
        .await;
    }

    /// Asks for the zone; the next text answers.
    pub(super) async fn ask_zone(&self, ctx: &Ctx) {
        self.state.ask_zone(ctx.key, self.engine.now());
        self.ask_with_location(
            ctx,
            format!("Your time zone is {}. {}", ctx.user.time_zone.name(), texts::ASK_ZONE),
        )
        .await;
    }

    /// Sends a zone question, with a "Share location" button in private chats (Telegram
    /// offers location requests only there).
    async fn ask_with_location(&self, ctx: &Ctx, text: String) {
        if !ctx.private {
            self.say(ctx.chat, text).await;
            return;
        }
        let keyboard = KeyboardMarkup::new([[KeyboardButton::new(SHARE_LOCATION).request(ButtonRequest::Location)]])
            .resize_keyboard()
            .one_time_keyboard();
        self.say_markup(ctx.chat, text, ReplyMarkup::Keyboard(keyboard)).await;
    }

    /// A shared location: the zone of the nearest known place.
    pub(super) async fn on_location(&self, ctx: &Ctx, latitude: f64, longitude: f64) {
        let Some((zone, place)) = zone_near(latitude, longitude) else {
            self.say(
                ctx.chat,
                format!("I could not place that location. {}", texts::ASK_ZONE),
            )
            .await;
            return;
        };
        self.state.zone_done(ctx.key, self.engine.now());
        match self.engine.set_time_zone(&ctx.user, zone.name()).await {
            Ok(user) => {
                let text = format!(
                    "Your time zone is {} (nearest: {place}). Wrong? Type a city, like: /timezone Paris",
                    user.time_zone.name()
                );
                self.say_markup(ctx.chat, text, ReplyMarkup::KeyboardRemove(KeyboardRemove::new()))
                    .await;
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not set a zone");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
            }
        }
    }

    /// A city or zone name typed by the user.
    pub(super) async fn on_zone_text(&self, ctx: &Ctx, text: &str) {
        match find_zone(text) {
            ZoneMatch::One(zone) => {
                self.state.zone_done(ctx.key, self.engine.now());
                self.set_zone(ctx, zone.name()).await;
            }
            ZoneMatch::Several(zones) => {
                let rows = zones.iter().map(|zone| {
                    [InlineKeyboardButton::callback(
                        zone.name(),
                        Callback::PickZone(zone.name().to_owned()).data(),
                    )]
                });
                self.say_with(
                    ctx.chat,
                    format!("Several zones are called {}. Which one?", text.trim()),
                    InlineKeyboardMarkup::new(rows),
                )
                .await;
            }
            ZoneMatch::None => {
                // Still waiting: the next text is another try (a command ends the question).
                self.state.ask_zone(ctx.key, self.engine.now());
                self.say(
                    ctx.chat,
                    format!(
                        "I don't know a time zone for \"{}\". {} Or /cancel.",
                        text.trim(),
                        texts::ASK_ZONE
                    ),
                )
                .await;
            }
        }
    }

    /// One of the zones offered for an ambiguous city.
    pub(super) async fn pick_zone(&self, ctx: &Ctx, pressed: &Pressed<'_>, zone: &str) {
        self.state.zone_done(ctx.key, self.engine.now());
        match self.engine.set_time_zone(&ctx.user, zone).await {
            Ok(user) => {
                let text = zone_set_text(user.time_zone.name());
                self.answer_callback(pressed.query, "Saved.").await;
                self.edit(ctx.chat, pressed.message, text, None).await;
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not set a zone");
                self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
            }
        }
    }

    async fn set_zone(&self, ctx: &Ctx, zone: &str) {
        match self.engine.set_time_zone(&ctx.user, zone).await {
            // The "Share location" keyboard goes with the question answered.
            Ok(user) if ctx.private => {
                self.say_markup(
                    ctx.chat,
                    zone_set_text(user.time_zone.name()),
                    ReplyMarkup::KeyboardRemove(KeyboardRemove::new()),
                )
                .await;
            }
            Ok(user) => self.say(ctx.chat, zone_set_text(user.time_zone.name())).await,
            Err(error) => {
                tracing::warn!(%error, "bot: could not set a zone");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
            }
        }
    }
}

/// The reply-keyboard button that shares the user's location.
const SHARE_LOCATION: &str = "📍 Share location";

fn zone_set_text(zone: &str) -> String {
    format!("Your time zone is now {zone}. Send me an event, like \"Dentist tomorrow 15:30\", or ask /today.")
}
