//! First contact and the time zone: the welcome, the greeting of a known user, and the zone
//! set from a city or an IANA name (with buttons when a city is ambiguous).

use televent_app::{ZoneMatch, find_zone};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::handler::{Ctx, Pressed, TeleventBot};
use super::texts;

impl TeleventBot {
    /// A new user: what the bot does, and the question for the zone.
    pub(super) async fn welcome(&self, ctx: &Ctx) {
        self.state.ask_zone(ctx.key, self.engine.now());
        self.say(ctx.chat, texts::welcome(ctx.user.name.as_str())).await;
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
        self.say(
            ctx.chat,
            format!("Your time zone is {}. {}", ctx.user.time_zone.name(), texts::ASK_ZONE),
        )
        .await;
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
            Ok(user) => self.say(ctx.chat, zone_set_text(user.time_zone.name())).await,
            Err(error) => {
                tracing::warn!(%error, "bot: could not set a zone");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
            }
        }
    }
}

fn zone_set_text(zone: &str) -> String {
    format!("Your time zone is now {zone}. Send me an event, like \"Dentist tomorrow 15:30\", or ask /today.")
}
