//! Outbox messages: what must be delivered (invitations, reminders, digests), written in the
//! same transaction as the change that caused them and delivered at least once.

use chrono::{DateTime, NaiveDate, Utc};

use crate::attendee::{CalAddress, PartStat};
use crate::ids::{CalendarId, OutboxId, UserId};
use crate::user::TelegramId;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A Telegram message from the bot.
    Telegram,
    /// An e-mail through SMTP.
    Email,
}

impl Channel {
    /// Stable storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Telegram => "telegram",
            Self::Email => "email",
        }
    }

    /// Reads a storage name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "telegram" => Some(Self::Telegram),
            "email" => Some(Self::Email),
            _ => None,
        }
    }
}

/// Where a message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxStatus {
    /// Waiting for a worker (perhaps until a retry time).
    Pending,
    /// Claimed by a worker whose lease has not ended.
    Claimed,
    /// Delivered.
    Delivered,
    /// Dead-lettered after too many failures; kept until someone retries it.
    Failed,
}

impl OutboxStatus {
    /// Stable storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Claimed => "claimed",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Reads a storage name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(Self::Pending),
            "claimed" => Some(Self::Claimed),
            "delivered" => Some(Self::Delivered),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// The iTIP method of an invitation (RFC 5546).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItipMethod {
    /// An invitation or an update.
    Request,
    /// A cancellation.
    Cancel,
}

/// An invitation to one attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// REQUEST or CANCEL.
    pub method: ItipMethod,
    /// The organizing user.
    pub organizer: UserId,
    /// The organizer's calendar holding the event.
    pub calendar: CalendarId,
    /// The event's UID.
    pub uid: String,
    /// The event's SEQUENCE when the invitation was made.
    pub sequence: i64,
    /// Who is invited.
    pub attendee: CalAddress,
    /// The attendee's Telegram id, for the Telegram channel.
    pub telegram_id: Option<TelegramId>,
    /// SUMMARY, for the message text.
    pub summary: Option<String>,
    /// First occurrence start, for the message text.
    pub start: Option<DateTime<Utc>>,
    /// The iTIP body (a VCALENDAR with METHOD) for e-mail.
    pub itip: String,
}

/// A reminder of one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderNotice {
    /// Who is reminded.
    pub user: UserId,
    /// Where to reach them.
    pub telegram_id: Option<TelegramId>,
    /// The calendar holding the event.
    pub calendar: CalendarId,
    /// The event's UID.
    pub uid: String,
    /// SUMMARY.
    pub summary: Option<String>,
    /// When the occurrence starts.
    pub occurrence_start: DateTime<Utc>,
}

/// An attendee answered: the organizer is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyNotice {
    /// The organizing user.
    pub organizer: UserId,
    /// Where to reach them.
    pub telegram_id: Option<TelegramId>,
    /// Who answered.
    pub attendee: CalAddress,
    /// Their answer.
    pub answer: PartStat,
    /// SUMMARY of the event.
    pub summary: Option<String>,
}

/// A daily digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestNotice {
    /// Who it is for.
    pub user: UserId,
    /// Where to reach them.
    pub telegram_id: Option<TelegramId>,
    /// The local date it covers.
    pub date: NaiveDate,
}

/// What a message carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxPayload {
    /// An invitation or cancellation.
    Invitation(Invitation),
    /// A reminder.
    Reminder(ReminderNotice),
    /// A digest.
    Digest(DigestNotice),
    /// An attendee's answer, for the organizer.
    Reply(ReplyNotice),
}

impl OutboxPayload {
    /// The user the message belongs to: the one reminded or sent a digest, the organizer of
    /// an invitation or of the event answered.
    pub fn owner(&self) -> UserId {
        match self {
            Self::Invitation(invitation) => invitation.organizer,
            Self::Reminder(reminder) => reminder.user,
            Self::Digest(digest) => digest.user,
            Self::Reply(reply) => reply.organizer,
        }
    }
}

/// A message to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxMessage {
    /// How it travels.
    pub channel: Channel,
    /// Chat id or e-mail address.
    pub recipient: String,
    /// What it carries.
    pub payload: OutboxPayload,
    /// Messages with the same key are enqueued once (event, occurrence, recipient, ...).
    pub idempotency_key: String,
    /// Not before this instant.
    pub available_at: DateTime<Utc>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Identifier.
    pub id: OutboxId,
    /// How it travels.
    pub channel: Channel,
    /// Chat id or e-mail address.
    pub recipient: String,
    /// What it carries.
    pub payload: OutboxPayload,
    /// Deduplication key.
    pub idempotency_key: String,
    /// Where it is.
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Not before this instant (next retry).
    pub available_at: DateTime<Utc>,
    /// The last delivery error.
    pub last_error: Option<String>,
    /// Enqueued.
    pub created_at: DateTime<Utc>,
}
