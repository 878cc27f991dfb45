//! What each outbox message says, on its channel. Rendered at delivery time, not when
//! enqueued, so that a reminder of an event since moved or deleted is dropped and a digest
//! lists the day as it is when it goes out.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use televent_domain::ingest::ingest_resource;
use televent_domain::object::CalendarObject;
use televent_domain::outbox::{
    Channel, DigestNotice, Invitation, ItipMethod, OutboxMessage, OutboxPayload, ReminderNotice, ReplyNotice,
};
use televent_domain::recurrence::{ExpandOptions, Selection, Window, expand};
use televent_domain::tz::local::local_day;
use televent_domain::user::{TelegramId, User, UserName};
use televent_ports::mailer::Mail;
use televent_ports::notifier::Button;

use crate::engine::Televent;
use crate::error::AppError;

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outgoing {
    /// A Telegram message.
    Telegram {
        chat: TelegramId,
        text: String,
        buttons: Vec<Vec<Button>>,
    },
    /// An e-mail.
    Email(Mail),
    /// Nothing to send, and why (a reminder of a deleted event, an empty day kept silent).
    Nothing(String),
}

/// Why a message could not be rendered.
#[derive(Debug)]
pub(crate) enum RenderError {
    /// The store failed: try again later.
    Store(AppError),
    /// It can never be sent as it is (no chat with the recipient); the reason says why.
    Undeliverable(String),
}

impl From<AppError> for RenderError {
    fn from(error: AppError) -> Self {
        Self::Store(error)
    }
}

impl From<televent_ports::StoreError> for RenderError {
    fn from(error: televent_ports::StoreError) -> Self {
        Self::Store(error.into())
    }
}

/// The prefix of an RSVP button's callback data; the rest is `<answer letter>:<message id>`.
pub(crate) const RSVP_PREFIX: &str = "rsvp:";

impl Televent {
    pub(crate) async fn render(&self, message: &OutboxMessage, now: DateTime<Utc>) -> Result<Outgoing, RenderError> {
        match &message.payload {
            OutboxPayload::Invitation(invitation) => self.render_invitation(message, invitation).await,
            OutboxPayload::Reminder(reminder) => self.render_reminder(reminder, now).await,
            OutboxPayload::Digest(digest) => self.render_digest(digest).await,
            OutboxPayload::Reply(reply) => self.render_reply(reply).await,
        }
    }

    async fn render_invitation(
        &self,
        message: &OutboxMessage,
        invitation: &Invitation,
    ) -> Result<Outgoing, RenderError> {
        let organizer = self.store.user_by_id(invitation.organizer).await?;
        let organizer_name = organizer.as_ref().map_or("someone", |u| u.name.as_str());
        let details = ingest_resource(invitation.itip.as_bytes()).ok().map(|r| r.object);
        let summary = invitation
            .summary
            .clone()
            .unwrap_or_else(|| "(untitled event)".to_owned());
        match message.channel {
            Channel::Telegram => {
                let recipient = self
                    .telegram_recipient(&message.recipient, invitation.telegram_id)
                    .await?;
                let zone = recipient.as_ref().map_or_else(
                    || organizer.as_ref().map_or(Tz::UTC, |u| u.time_zone.tz()),
                    |(user, _)| user.time_zone.tz(),
                );
                if let Some((user, _)) = recipient.as_ref()
                    && !self.store.preferences(user.id).await?.notifications_enabled
                {
                    return Ok(Outgoing::Nothing(format!("{} turned notifications off", user.name)));
                }
                let chat = recipient.map(|(_, chat)| chat).ok_or_else(|| {
                    RenderError::Undeliverable(format!("{} has not started a chat with the bot", message.recipient))
                })?;
                let mut text = match invitation.method {
                    ItipMethod::Request => format!("📅 {organizer_name} invites you: {summary}\n"),
                    ItipMethod::Cancel => format!("❌ {organizer_name} cancelled: {summary}\n"),
                };
                text.push_str(&event_lines(details.as_ref(), invitation.start, zone));
                let buttons = match invitation.method {
                    ItipMethod::Request => vec![vec![
                        rsvp_button("Accept", 'a', message),
                        rsvp_button("Maybe", 't', message),
                        rsvp_button("Decline", 'd', message),
                    ]],
                    ItipMethod::Cancel => Vec::new(),
                };
                Ok(Outgoing::Telegram { chat, text, buttons })
            }
            Channel::Email => {
                let zone = organizer.as_ref().map_or(Tz::UTC, |u| u.time_zone.tz());
                let (subject, opening, method) = match invitation.method {
                    ItipMethod::Request => (
                        format!("Invitation: {summary}"),
                        format!("{organizer_name} invites you to \"{summary}\"."),
                        "REQUEST",
                    ),
                    ItipMethod::Cancel => (
                        format!("Cancelled: {summary}"),
                        format!("{organizer_name} cancelled \"{summary}\"."),
                        "CANCEL",
                    ),
                };
                let text = format!(
                    "{opening}\n\n{}\nThe attached invitation opens in your calendar app.\n\n-- \nSent by Televent\n",
                    event_lines(details.as_ref(), invitation.start, zone)
                );
                Ok(Outgoing::Email(Mail {
                    to: message.recipient.clone(),
                    subject,
                    text,
                    calendar: Some((method.to_owned(), invitation.itip.clone())),
                }))
            }
        }
    }

    /// The Televent user and chat behind a Telegram recipient: a chat id, or `@name` for a user
    /// who had not started the bot when the message was made (they may have since).
    async fn telegram_recipient(
        &self,
        recipient: &str,
        known: Option<TelegramId>,
    ) -> Result<Option<(User, TelegramId)>, AppError> {
        if let Some(name) = recipient.strip_prefix('@') {
            let Ok(name) = UserName::parse(name) else {
                return Ok(None);
            };
            let user = self.store.user_by_name(&name).await?;
            return Ok(user.and_then(|u| u.telegram_id.map(|chat| (u, chat))));
        }
        let chat = known.or_else(|| recipient.parse::<i64>().ok().and_then(|id| TelegramId::new(id).ok()));
        let Some(chat) = chat else { return Ok(None) };
        let user = self.store.user_by_telegram_id(chat).await?;
        Ok(user.map(|u| (u, chat)))
    }

    async fn render_reminder(&self, reminder: &ReminderNotice, now: DateTime<Utc>) -> Result<Outgoing, RenderError> {
        let Some(user) = self.store.user_by_id(reminder.user).await? else {
            return Ok(Outgoing::Nothing("the user is gone".to_owned()));
        };
        if !self.store.preferences(user.id).await?.notifications_enabled {
            return Ok(Outgoing::Nothing("notifications are off".to_owned()));
        }
        let chat = chat_of(&user, reminder.telegram_id)?;
        let zone = user.time_zone.tz();
        let Some(stored) = self.store.object_by_uid(reminder.calendar, &reminder.uid).await? else {
            return Ok(Outgoing::Nothing("the event was deleted".to_owned()));
        };
        let Ok(resource) = ingest_resource(&stored.bytes) else {
            return Ok(Outgoing::Nothing("the event no longer reads".to_owned()));
        };
        let Some(occurrence) = occurrence_at(&resource.object, reminder.occurrence_start, zone) else {
            return Ok(Outgoing::Nothing("the occurrence was moved or cancelled".to_owned()));
        };
        let start = reminder.occurrence_start.with_timezone(&zone);
        let minutes = (reminder.occurrence_start - now).num_minutes();
        let when = if minutes > 0 {
            format!("starts at {} (in {})", start.format("%H:%M"), minutes_text(minutes))
        } else {
            format!("started at {}", start.format("%H:%M"))
        };
        let summary = occurrence.summary.unwrap_or_else(|| "(untitled event)".to_owned());
        let mut text = format!("⏰ {summary}\n{when}");
        if let Some(location) = occurrence.location {
            text.push_str(&format!("\n📍 {location}"));
        }
        Ok(Outgoing::Telegram {
            chat,
            text,
            buttons: Vec::new(),
        })
    }

    async fn render_digest(&self, digest: &DigestNotice) -> Result<Outgoing, RenderError> {
        let Some(user) = self.store.user_by_id(digest.user).await? else {
            return Ok(Outgoing::Nothing("the user is gone".to_owned()));
        };
        let preferences = self.store.preferences(user.id).await?;
        if !preferences.notifications_enabled {
            return Ok(Outgoing::Nothing("notifications are off".to_owned()));
        }
        let chat = chat_of(&user, digest.telegram_id)?;
        let zone = user.time_zone.tz();
        let (from, to) = local_day(digest.date, zone);
        let entries = self.agenda(&user, &[], from, to).await?;
        if entries.is_empty() && !preferences.digest_when_empty {
            return Ok(Outgoing::Nothing(
                "nothing planned, and the user asked for silence".to_owned(),
            ));
        }
        let mut text = format!("☀️ {}", digest.date.format("%A %-d %B"));
        if entries.is_empty() {
            text.push_str("\nNothing planned today.");
        }
        for entry in entries {
            let summary = entry.summary.unwrap_or_else(|| "(untitled)".to_owned());
            let when = if entry.all_day {
                "all day".to_owned()
            } else if entry.start.with_timezone(&Utc) < from {
                "until ".to_owned() + &entry.end.map_or(String::new(), |e| e.format("%H:%M").to_string())
            } else {
                match entry.end {
                    Some(end) if end > entry.start => {
                        format!("{}–{}", entry.start.format("%H:%M"), end.format("%H:%M"))
                    }
                    _ => entry.start.format("%H:%M").to_string(),
                }
            };
            text.push_str(&format!("\n{when}  {summary}"));
            if let Some(location) = entry.location {
                text.push_str(&format!(" · {location}"));
            }
        }
        Ok(Outgoing::Telegram {
            chat,
            text,
            buttons: Vec::new(),
        })
    }

    async fn render_reply(&self, reply: &ReplyNotice) -> Result<Outgoing, RenderError> {
        let Some(organizer) = self.store.user_by_id(reply.organizer).await? else {
            return Ok(Outgoing::Nothing("the organizer is gone".to_owned()));
        };
        let chat = chat_of(&organizer, reply.telegram_id)?;
        let who = reply.attendee.email().unwrap_or(reply.attendee.as_str());
        let who = who.strip_suffix("@televent.internal").unwrap_or(who);
        let (mark, verb) = match reply.answer.as_str() {
            "ACCEPTED" => ("✅", "accepted"),
            "DECLINED" => ("❌", "declined"),
            "TENTATIVE" => ("❔", "may come to"),
            _ => ("•", "answered"),
        };
        let summary = reply.summary.clone().unwrap_or_else(|| "your event".to_owned());
        Ok(Outgoing::Telegram {
            chat,
            text: format!("{mark} {who} {verb} {summary}"),
            buttons: Vec::new(),
        })
    }
}

/// Where to reach `user` in Telegram: their chat now, else the one the message was made for.
fn chat_of(user: &User, when_enqueued: Option<TelegramId>) -> Result<TelegramId, RenderError> {
    user.telegram_id
        .or(when_enqueued)
        .ok_or_else(|| RenderError::Undeliverable(format!("{} has no chat with the bot", user.name)))
}

fn rsvp_button(text: &str, answer: char, message: &OutboxMessage) -> Button {
    Button {
        text: text.to_owned(),
        callback_data: format!("{RSVP_PREFIX}{answer}:{}", message.id),
    }
}

/// When and where, one line each, in `zone`.
fn event_lines(object: Option<&CalendarObject>, start: Option<DateTime<Utc>>, zone: Tz) -> String {
    let component = object.and_then(CalendarObject::primary);
    let mut lines = String::new();
    match component.and_then(|c| c.start.as_ref()) {
        Some(first) if first.is_date() => {
            lines.push_str(&format!("🗓 {} (all day)", first.local().date().format("%a %-d %b %Y")));
        }
        Some(first) => {
            let begins = first.to_utc(zone).with_timezone(&zone);
            lines.push_str(&format!("🗓 {}", begins.format("%a %-d %b %Y, %H:%M")));
            let end = component.and_then(|c| {
                televent_domain::recurrence::expand::end_of(c, first, zone).map(|e| e.to_utc(zone).with_timezone(&zone))
            });
            if let Some(end) = end.filter(|e| *e > begins) {
                if end.date_naive() == begins.date_naive() {
                    lines.push_str(&format!("–{}", end.format("%H:%M")));
                } else {
                    lines.push_str(&format!(" – {}", end.format("%a %-d %b, %H:%M")));
                }
            }
            lines.push_str(&format!(" ({})", zone.name()));
        }
        None => {
            if let Some(start) = start {
                let begins = start.with_timezone(&zone);
                lines.push_str(&format!("🗓 {} ({})", begins.format("%a %-d %b %Y, %H:%M"), zone.name()));
            }
        }
    }
    if component.is_some_and(|c| !c.rrules.is_empty() || !c.rdates.is_empty()) {
        lines.push_str(", repeating");
    }
    if let Some(location) = component.and_then(|c| c.location.as_ref()) {
        lines.push_str(&format!("\n📍 {location}"));
    }
    lines.push('\n');
    lines
}

/// What a reminder says about its occurrence.
struct OccurrenceText {
    summary: Option<String>,
    location: Option<String>,
}

/// The occurrence of `object` starting at `start`, unless it was moved or cancelled since.
fn occurrence_at(object: &CalendarObject, start: DateTime<Utc>, zone: Tz) -> Option<OccurrenceText> {
    let options = ExpandOptions {
        floating_in: zone,
        selection: Selection::StartsIn,
        ..ExpandOptions::default()
    };
    let window = Window {
        from: start - Duration::seconds(1),
        to: start + Duration::seconds(1),
    };
    expand(object, window, &options)
        .occurrences
        .into_iter()
        .find(|o| o.start.to_utc(zone) == start && o.component.status.as_deref() != Some("CANCELLED"))
        .map(|o| OccurrenceText {
            summary: o.component.summary.clone(),
            location: o.component.location.clone(),
        })
}

fn minutes_text(minutes: i64) -> String {
    match minutes {
        1 => "1 minute".to_owned(),
        m if m < 60 => format!("{m} minutes"),
        m if m % 60 == 0 && m < 48 * 60 => format!("{} h", m / 60),
        m if m < 48 * 60 => format!("{} h {} min", m / 60, m % 60),
        m => format!("{} days", m / (24 * 60)),
    }
}
