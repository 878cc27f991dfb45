//! `/export`: the user's default calendar sent back as one .ics document.

use teloxide::prelude::*;
use teloxide::types::InputFile;

use super::handler::{Ctx, TeleventBot};
use super::texts;

/// The calendar every user starts with, the one `/export` sends.
pub(super) const DEFAULT_CALENDAR: &str = "default";

impl TeleventBot {
    /// `/export`: the default calendar as `<user>.ics`, its number of events in the caption.
    pub(super) async fn export_calendar(&self, ctx: &Ctx) {
        let calendar = match self.engine.calendar(&ctx.user, DEFAULT_CALENDAR).await {
            Ok(calendar) => calendar,
            Err(error) => {
                tracing::warn!(%error, "bot: could not find the calendar to export");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let count = match self.engine.store().object_metas(calendar.id).await {
            Ok(metas) => metas.len(),
            Err(error) => {
                tracing::warn!(%error, "bot: could not count the calendar's events");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let ics = match self.engine.export(&ctx.user, &calendar).await {
            Ok(ics) => ics,
            Err(error) => {
                tracing::warn!(%error, "bot: could not export the calendar");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let file = InputFile::memory(ics.into_bytes()).file_name(format!("{}.ics", ctx.user.name));
        let sent = self
            .bot
            .send_document(ctx.chat, file)
            .caption(texts::exported(&calendar.display_name, count))
            .await;
        if let Err(error) = sent {
            tracing::debug!(%error, "bot: could not send the exported calendar");
            self.say(ctx.chat, texts::TRY_AGAIN).await;
        }
    }
}
