//! Device passwords for CalDAV apps: `/device [label]` makes one and shows it once with the
//! server address and setup hints, `/devices` lists them, `/revoke` offers one button each.

use televent_domain::device::DevicePassword;
use televent_domain::ids::DeviceId;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Callback;
use super::handler::{Ctx, Pressed, TeleventBot};
use super::texts;
use crate::http::paths::DAV_ROOT;

/// The label of a device password made without one.
const DEFAULT_LABEL: &str = "Calendar app";

impl TeleventBot {
    /// `/device [label]`.
    pub(super) async fn new_device(&self, ctx: &Ctx, label: &str) {
        let label = if label.is_empty() { DEFAULT_LABEL } else { label };
        match self.engine.add_device(&ctx.user, label).await {
            Ok(new) => {
                let server = match &self.config.public_url {
                    Some(base) => format!("{}{DAV_ROOT}", base.trim_end_matches('/')),
                    None => "your server's address".to_owned(),
                };
                let text = format!(
                    "A password for \"{}\" (shown only this once; /revoke ends it):\n\n\
                     Server: {server}\nUser name: {}\nPassword: {}\n\n{}",
                    new.device.label,
                    ctx.user.name,
                    new.password,
                    texts::SETUP_LINES
                );
                self.say(ctx.chat, text).await;
            }
            Err(televent_app::AppError::Invalid(why)) => self.say(ctx.chat, why).await,
            Err(error) => {
                tracing::warn!(%error, "bot: could not make a device password");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
            }
        }
    }

    /// `/devices`.
    pub(super) async fn list_devices(&self, ctx: &Ctx) {
        let Some(devices) = self.active_devices(ctx).await else {
            return;
        };
        if devices.is_empty() {
            self.say(ctx.chat, "You have no device passwords. Make one with /device.")
                .await;
            return;
        }
        let zone = ctx.user.time_zone.tz();
        let mut text = String::from("Your device passwords:");
        for device in &devices {
            let last_use = device.last_used_at.map_or_else(
                || "never used".to_owned(),
                |at| format!("last used {}", at.with_timezone(&zone).format("%-d %b %Y %H:%M")),
            );
            text.push_str(&format!(
                "\n- {} (made {}, {last_use})",
                device.label,
                device.created_at.with_timezone(&zone).format("%-d %b %Y")
            ));
        }
        text.push_str("\n\n/revoke ends one, /device makes a new one.");
        self.say(ctx.chat, text).await;
    }

    /// `/revoke`: one button per active device password.
    pub(super) async fn offer_revoke(&self, ctx: &Ctx) {
        let Some(devices) = self.active_devices(ctx).await else {
            return;
        };
        if devices.is_empty() {
            self.say(ctx.chat, "You have no device passwords to revoke.").await;
            return;
        }
        let rows = devices.iter().map(|device| {
            [InlineKeyboardButton::callback(
                format!("Revoke {}", device.label),
                Callback::RevokeDevice(device.id).data(),
            )]
        });
        self.say_with(
            ctx.chat,
            "Which password should stop working? Apps using it are signed out at once.",
            InlineKeyboardMarkup::new(rows),
        )
        .await;
    }

    /// A revoke button.
    pub(super) async fn revoke_device(&self, ctx: &Ctx, pressed: &Pressed<'_>, id: DeviceId) {
        let devices = match self.engine.devices(&ctx.user).await {
            Ok(devices) => devices,
            Err(error) => {
                tracing::warn!(%error, "bot: could not list devices");
                self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
                return;
            }
        };
        let Some(device) = devices.into_iter().find(|d| d.id == id && d.is_active()) else {
            self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            return;
        };
        match self.engine.revoke_device(&ctx.user, &id.to_string()).await {
            Ok(()) => {
                self.answer_callback(pressed.query, "Revoked.").await;
                let text = format!("Revoked \"{}\": apps using it can no longer sign in.", device.label);
                self.edit(ctx.chat, pressed.message, text, None).await;
            }
            Err(televent_app::AppError::NotFound(_)) => {
                self.answer_callback(pressed.query, texts::STALE_BUTTON).await;
            }
            Err(error) => {
                tracing::warn!(%error, "bot: could not revoke a device");
                self.answer_callback(pressed.query, texts::TRY_AGAIN).await;
            }
        }
    }

    async fn active_devices(&self, ctx: &Ctx) -> Option<Vec<DevicePassword>> {
        match self.engine.devices(&ctx.user).await {
            Ok(devices) => Some(devices.into_iter().filter(DevicePassword::is_active).collect()),
            Err(error) => {
                tracing::warn!(%error, "bot: could not list devices");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                None
            }
        }
    }
}
