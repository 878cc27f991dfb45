//! `/invite`: the events of the next 14 days as buttons; after one is picked, the next text
//! (or `/invite <addresses>`) names whom to invite: e-mail addresses and @usernames of
//! Televent users. They are added as attendees with the user as organizer, so the write sends
//! the invitations (by e-mail, or in Telegram for Televent users).

use televent_app::AppError;
use televent_domain::user::INTERNAL_DOMAIN;

use super::callback::Callback;
use super::delete::EventOffer;
use super::details::edit_failed;
use super::handler::{Ctx, TeleventBot};
use super::state::{EditKind, PendingEdit};
use super::texts;

/// Days `/invite` looks ahead.
const DAYS: u32 = 14;

/// What an address list without one usable address gets.
const ADDRESS_EXAMPLE: &str = "Send e-mail addresses or @usernames of Televent users, like: anna@example.com @bob";

impl TeleventBot {
    /// `/invite [addresses]`: the addresses go to the event just picked; without one picked,
    /// the events to pick from.
    pub(super) async fn on_invite(&self, ctx: &Ctx, addresses: &str) {
        let pending = self
            .state
            .pending_edit(ctx.key, self.engine.now())
            .filter(|edit| edit.kind == EditKind::Invitees);
        match pending {
            Some(edit) if !addresses.is_empty() => self.invite_from_text(ctx, &edit, addresses).await,
            _ => self.offer_invite(ctx).await,
        }
    }

    /// One button per event of the next days.
    async fn offer_invite(&self, ctx: &Ctx) {
        self.state.edit_done(ctx.key, self.engine.now());
        let offer = EventOffer {
            days: DAYS,
            nothing: "Nothing planned in the next 14 days. Add an event first, like \"Lunch Friday 12:30\".",
            question: "Whom to invite to which event? Pick the event first:",
            icon: "👥",
            callback: Callback::InviteTo,
        };
        self.offer_events(ctx, &offer).await;
    }

    /// The addresses for a picked event: looked up, added, and the result told.
    pub(super) async fn invite_from_text(&self, ctx: &Ctx, edit: &PendingEdit, text: &str) {
        let mut emails: Vec<String> = Vec::new();
        // The label the user wrote for each address (an @username or the e-mail).
        let mut labels: Vec<(String, String)> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut unreadable: Vec<String> = Vec::new();
        for entry in text
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .map(str::trim)
            .filter(|entry| !entry.is_empty() && !entry.eq_ignore_ascii_case("and"))
        {
            if let Some(username) = entry.strip_prefix('@') {
                match self.engine.telegram_invitee(username).await {
                    Ok(Some(user)) => {
                        let email = format!("{}@{INTERNAL_DOMAIN}", user.name);
                        labels.push((email.clone(), entry.to_owned()));
                        emails.push(email);
                    }
                    Ok(None) => unknown.push(entry.to_owned()),
                    Err(error) => {
                        tracing::warn!(%error, "bot: could not look up a user");
                        self.say(ctx.chat, texts::TRY_AGAIN).await;
                        return;
                    }
                }
            } else if looks_like_email(entry) {
                let email = entry.trim_start_matches("mailto:").to_lowercase();
                labels.push((email.clone(), email.clone()));
                emails.push(email);
            } else {
                unreadable.push(entry.to_owned());
            }
        }
        let mut notes: Vec<String> = Vec::new();
        if !unknown.is_empty() {
            notes.push(format!(
                "{} {} not a Televent user I know, so I invited nobody for {}.",
                unknown.join(", "),
                if unknown.len() == 1 { "is" } else { "are" },
                if unknown.len() == 1 { "it" } else { "them" },
            ));
        }
        if !unreadable.is_empty() {
            notes.push(format!(
                "I skipped {}: not an e-mail address or @username.",
                unreadable.join(", ")
            ));
        }
        if emails.is_empty() {
            // Still waiting: the next text is another try.
            notes.push(format!("{ADDRESS_EXAMPLE} (or /cancel)"));
            self.say(ctx.chat, notes.join("\n")).await;
            return;
        }
        match self.engine.invite_to_event(&ctx.user, &edit.event, &emails).await {
            Ok(invited) => {
                self.state.edit_done(ctx.key, self.engine.now());
                let label = |email: &String| {
                    labels
                        .iter()
                        .find(|(e, _)| e == email)
                        .map_or_else(|| email.clone(), |(_, label)| label.clone())
                };
                let title = edit.event.summary.clone().unwrap_or_else(|| "(no title)".to_owned());
                let mut lines = Vec::new();
                if invited.added.is_empty() {
                    lines.push(format!("Everyone you named is invited to \"{title}\" already."));
                } else {
                    let names: Vec<String> = invited.added.iter().map(label).collect();
                    let internal = invited.added.iter().any(|e| is_internal(e));
                    let external = invited.added.iter().any(|e| !is_internal(e));
                    let how = match (external, internal) {
                        (true, true) => "they get the invitation by e-mail or in Telegram",
                        (false, true) => "they get the invitation in Telegram",
                        _ => "they get the invitation by e-mail",
                    };
                    lines.push(format!("Invited {} to \"{title}\"; {how}.", and_list(&names)));
                    let already: Vec<String> = invited.already.iter().map(label).collect();
                    if !already.is_empty() {
                        let verb = if already.len() == 1 { "was" } else { "were" };
                        lines.push(format!("{} {verb} invited already.", and_list(&already)));
                    }
                }
                lines.extend(notes);
                self.say(ctx.chat, lines.join("\n")).await;
            }
            Err(AppError::Invalid(why)) => {
                self.say(ctx.chat, format!("{why} {ADDRESS_EXAMPLE} (or /cancel)"))
                    .await;
            }
            Err(AppError::Forbidden(_)) => {
                self.state.edit_done(ctx.key, self.engine.now());
                self.say(
                    ctx.chat,
                    "I can't invite people to this event: only its organizer can, or it was made by another \
                     app in a way I can't change safely.",
                )
                .await;
            }
            Err(error) => {
                self.state.edit_done(ctx.key, self.engine.now());
                self.say(ctx.chat, edit_failed(&error)).await;
            }
        }
    }
}

/// `local@domain.tld`, roughly: the event editor checks addresses strictly.
fn looks_like_email(text: &str) -> bool {
    let text = text.trim_start_matches("mailto:");
    match text.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.contains('@'),
        None => false,
    }
}

fn is_internal(email: &str) -> bool {
    email.ends_with(&format!("@{INTERNAL_DOMAIN}"))
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
