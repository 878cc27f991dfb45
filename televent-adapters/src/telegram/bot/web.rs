//! `/web`: a one-time sign-in link to the web page (`{public_url}/login#token=…`, in the
//! fragment so that it never reaches a server log), and over HTTPS a button that opens the
//! page inside Telegram as a Mini App.

use televent_app::LOGIN_LINK_LIFETIME;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, WebAppInfo};

use super::handler::{Ctx, TeleventBot};
use super::texts;
use crate::http::web::login_url;

/// Without a public URL there is no page to link to.
const NO_PUBLIC_URL: &str = "This server has no public web address configured, so I can't link to the web page. \
     Whoever runs it can set TELEVENT_PUBLIC_URL (like https://cal.example.com) and restart it.";

impl TeleventBot {
    /// `/web` (private chats only: the link signs in whoever opens it).
    pub(super) async fn web_link(&self, ctx: &Ctx) {
        let Some(base) = self.config.public_url.as_deref().map(|url| url.trim_end_matches('/')) else {
            self.say(ctx.chat, NO_PUBLIC_URL).await;
            return;
        };
        let issued = match self.engine.create_login_link(&ctx.user).await {
            Ok(issued) => issued,
            Err(error) => {
                tracing::warn!(%error, "bot: could not make a login link");
                self.say(ctx.chat, texts::TRY_AGAIN).await;
                return;
            }
        };
        let text = format!(
            "Your sign-in link for the web calendar:\n{}\n\nIt works once, within {} minutes.",
            login_url(base, &issued.secret),
            LOGIN_LINK_LIFETIME.num_minutes()
        );
        let mut request = self
            .bot
            .send_message(ctx.chat, text)
            .link_preview_options(LinkPreviewOptions {
                is_disabled: true,
                url: None,
                prefer_small_media: false,
                prefer_large_media: false,
                show_above_text: false,
            });
        // Telegram opens Mini Apps over HTTPS only.
        if base.starts_with("https://")
            && let Some(app) = web_app(&format!("{base}/week"))
        {
            request = request.reply_markup(InlineKeyboardMarkup::new([[InlineKeyboardButton::web_app(
                "Open in Telegram",
                app,
            )]]));
        }
        if let Err(error) = request.await {
            tracing::debug!(%error, "bot: could not send a message");
        }
    }
}

/// The Mini App at `url`. Built through serde: teloxide takes a `url::Url`, and this crate does
/// not depend on `url` for one constructor.
fn web_app(url: &str) -> Option<WebAppInfo> {
    serde_json::from_value(serde_json::json!({ "url": url })).ok()
}
