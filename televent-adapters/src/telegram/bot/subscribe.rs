//! `/subscribe`: the default calendar's secret read-only iCalendar URL, for apps that can only
//! subscribe (Google Calendar, Outlook.com). `/subscribe new` replaces it (the old link stops
//! working), `/subscribe off` revokes it. The same link the web page and the API hand out.

use televent_app::AppError;
use televent_domain::access::Subscription;
use televent_domain::calendar::CalendarSlug;

use super::handler::{Ctx, TeleventBot};
use super::texts;
use crate::http::web::subscription_urls;

impl TeleventBot {
    /// `/subscribe [new|off]` (private chats only: the link is a secret).
    pub(super) async fn subscription(&self, ctx: &Ctx, what: &str) {
        let Some(base) = self.config.public_url.as_deref().map(|url| url.trim_end_matches('/')) else {
            self.say(
                ctx.chat,
                "This server has no public web address configured, so a subscription link would lead nowhere. \
                 Whoever runs it can set TELEVENT_PUBLIC_URL and restart it.",
            )
            .await;
            return;
        };
        let answer = match self.subscription_change(ctx, what.trim()).await {
            Ok(Some(subscription)) => link_text(base, &subscription, what.trim() == "new"),
            Ok(None) => "Done: the subscription link no longer works. /subscribe makes a new one.".to_owned(),
            Err(AppError::NotFound(_)) => "There is no subscription link to revoke.".to_owned(),
            Err(AppError::Invalid(why)) => why,
            Err(error) => {
                tracing::warn!(%error, "bot: subscription failed");
                texts::TRY_AGAIN.to_owned()
            }
        };
        self.say(ctx.chat, answer).await;
    }

    async fn subscription_change(&self, ctx: &Ctx, what: &str) -> Result<Option<Subscription>, AppError> {
        let calendar = self
            .engine
            .calendar(&ctx.user, CalendarSlug::default_calendar().as_str())
            .await?;
        match what {
            "" => match self.engine.subscription(&calendar).await? {
                Some(existing) => Ok(Some(existing)),
                None => self.engine.renew_subscription(&calendar).await.map(Some),
            },
            "new" => self.engine.renew_subscription(&calendar).await.map(Some),
            "off" => self.engine.revoke_subscription(&calendar).await.map(|()| None),
            other => Err(AppError::Invalid(format!(
                "I don't know \"/subscribe {other}\". Send /subscribe for your link, /subscribe new for a fresh one, \
                 /subscribe off to revoke it."
            ))),
        }
    }
}

fn link_text(base: &str, subscription: &Subscription, renewed: bool) -> String {
    let (url, webcal) = subscription_urls(base, &subscription.token);
    let webcal = webcal
        .map(|webcal| format!("\n\nOr open: {webcal}"))
        .unwrap_or_default();
    let lead = if renewed {
        "Your new read-only link (the old one no longer works):"
    } else {
        "Your calendar's read-only link, for apps that can only subscribe (Google Calendar: Other calendars → From URL):"
    };
    format!(
        "{lead}\n{url}{webcal}\n\nAnyone with the link can read the calendar. /subscribe new replaces it, /subscribe off revokes it."
    )
}
