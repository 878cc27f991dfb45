//! `/settings`: the zone, the default reminder, the daily digest and the notification switch,
//! with buttons that change them in place.

use chrono::NaiveTime;
use televent_domain::user::{User, UserPreferences};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::handler::{Ctx, Pressed, TeleventBot};
use super::texts;

/// The reminder choices, in minutes (0: none).
const REMINDER_CHOICES: [u32; 6] = [5, 10, 15, 30, 60, 0];
/// The digest choices, as hours (`None`: no digest).
const DIGEST_CHOICES: [Option<u32>; 4] = [Some(7), Some(8), Some(9), None];

impl TeleventBot {
    /// `/settings`.
    pub(super) async fn show_settings(&self, ctx: &Ctx) {
        match self.engine.preferences(&ctx.user).await {
            Ok(preferences) => {
                self.say_with(
                    ctx.chat,
                    settings_text(&ctx.user, &preferences),
                    settings_buttons(&preferences),
                )
                .await;
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not read preferences");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
            }
        }
    }

    /// A settings button other than the zone.
    pub(super) async fn change_setting(&self, ctx: &Ctx, pressed: &Pressed<'_>, callback: &Callback) {
        let mut preferences = match self.engine.preferences(&ctx.user).await {
            Ok(preferences) => preferences,
            Err(error) => {
                tracing::warn!(%error, "bot: could not read preferences");
                self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
                return;
            }
        };
        match callback {
            Callback::ToggleNotifications => preferences.notifications_enabled = !preferences.notifications_enabled,
            Callback::ReminderMinutes(0) => preferences.reminder_minutes_before = None,
            Callback::ReminderMinutes(minutes) => preferences.reminder_minutes_before = Some(*minutes),
            Callback::DigestAt(time) => preferences.daily_digest_time = *time,
            _ => {
                self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
                return;
            }
        }
        if let Err(error) = self.engine.set_preferences(&ctx.user, preferences).await {
            tracing::warn!(%error, "bot: could not save preferences");
            self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
            return;
        }
        self.answer_callback(pressed.query, "Saved.").await;
        self.edit(
            ctx.chat,
            pressed.message,
            settings_text(&ctx.user, &preferences),
            Some(settings_buttons(&preferences)),
        )
        .await;
    }
}

fn settings_text(user: &User, preferences: &UserPreferences) -> String {
    let reminder = preferences
        .reminder_minutes_before
        .map_or_else(|| "none".to_owned(), |m| format!("{m} minutes before"));
    let digest = preferences
        .daily_digest_time
        .map_or_else(|| "off".to_owned(), |t| t.format("%H:%M").to_string());
    let notifications = if preferences.notifications_enabled { "on" } else { "off" };
    format!(
        "Your settings:\nTime zone: {}\nReminder: {reminder}\nDaily digest: {digest}\nNotifications: {notifications}",
        user.time_zone.name()
    )
}

fn settings_buttons(preferences: &UserPreferences) -> InlineKeyboardMarkup {
    let toggle = if preferences.notifications_enabled {
        "Turn notifications off"
    } else {
        "Turn notifications on"
    };
    let mark = |chosen: bool, label: String| if chosen { format!("* {label}") } else { label };
    let reminders = REMINDER_CHOICES.iter().map(|&minutes| {
        let chosen = preferences.reminder_minutes_before.unwrap_or(0) == minutes;
        let label = if minutes == 0 {
            "no reminder".to_owned()
        } else {
            format!("{minutes} min")
        };
        InlineKeyboardButton::callback(mark(chosen, label), Callback::ReminderMinutes(minutes).data())
    });
    let digests = DIGEST_CHOICES.iter().map(|&hour| {
        let time = hour.and_then(|h| NaiveTime::from_hms_opt(h, 0, 0));
        let chosen = preferences.daily_digest_time == time;
        let label = time.map_or_else(|| "no digest".to_owned(), |t| t.format("%H:%M").to_string());
        InlineKeyboardButton::callback(mark(chosen, label), Callback::DigestAt(time).data())
    });
    InlineKeyboardMarkup::new(vec![
        vec![InlineKeyboardButton::callback(
            toggle,
            Callback::ToggleNotifications.data(),
        )],
        reminders.collect::<Vec<_>>(),
        digests.collect::<Vec<_>>(),
        vec![InlineKeyboardButton::callback(
            "Change time zone",
            Callback::ChangeZone.data(),
        )],
    ])
}
