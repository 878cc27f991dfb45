//! Enqueueing reminders and digests ahead of time. Each gets an idempotency key (user, event,
//! occurrence, fire time; user and date for a digest), so running the scheduler again, or on
//! several workers at once, enqueues each notice once; a VALARM firing when the user's default
//! reminder does is one message, not two.

use chrono::{DateTime, Duration, Utc};
use televent_domain::ingest::ingest_resource;
use televent_domain::outbox::{Channel, DigestNotice, NewOutboxMessage, OutboxPayload, ReminderNotice};
use televent_domain::recurrence::Window;
use televent_domain::reminder::reminders;
use televent_domain::tz::local::local_instant;
use televent_domain::user::User;

use crate::engine::Televent;
use crate::error::AppError;

/// How far ahead the scheduler looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleConfig {
    /// Notices firing up to this far ahead are enqueued now (each with its own due time).
    pub horizon: Duration,
    /// Notices whose time passed less than this ago are still sent (the worker was down for a
    /// moment); older ones are left out: a reminder an hour late helps nobody.
    pub grace: Duration,
    /// The longest VALARM lead looked for (events this far ahead are read each run).
    pub longest_lead: Duration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            horizon: Duration::minutes(30),
            grace: Duration::minutes(10),
            longest_lead: Duration::days(8),
        }
    }
}

/// What a scheduler run enqueued (new messages only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScheduleReport {
    /// Reminders.
    pub reminders: usize,
    /// Digests.
    pub digests: usize,
}

impl Televent {
    /// Enqueues the reminders and digests due in `[now - grace, now + horizon)` for every user
    /// with notifications on and a chat with the bot.
    pub async fn schedule_notices(&self, config: &ScheduleConfig) -> Result<ScheduleReport, AppError> {
        let now = self.clock.now();
        let window = Window {
            from: now - config.grace,
            to: now + config.horizon,
        };
        let mut report = ScheduleReport::default();
        for user in self.store.users().await? {
            let Some(chat) = user.telegram_id else { continue };
            let preferences = self.store.preferences(user.id).await?;
            if !preferences.notifications_enabled {
                continue;
            }
            let mut messages = Vec::new();
            if let Some(time) = preferences.daily_digest_time {
                let zone = user.time_zone.tz();
                let first = window.from.with_timezone(&zone).date_naive();
                let last = window.to.with_timezone(&zone).date_naive();
                for date in first.iter_days().take_while(|d| *d <= last) {
                    let at = local_instant(date, time, zone);
                    if at >= window.from && at < window.to {
                        messages.push(NewOutboxMessage {
                            channel: Channel::Telegram,
                            recipient: chat.to_string(),
                            payload: OutboxPayload::Digest(DigestNotice {
                                user: user.id,
                                telegram_id: Some(chat),
                                date,
                            }),
                            idempotency_key: format!("digest/{}/{date}", user.id),
                            available_at: at,
                        });
                    }
                }
            }
            let digests = messages.len();
            self.reminder_messages(&user, &preferences, window, config, &mut messages)
                .await?;
            let reminders = messages.len() - digests;
            if !messages.is_empty() {
                let fresh = self.store.enqueue(messages, now).await?;
                // Split the count of new messages as enqueued (digests first): exact when all
                // are new, which is what a report is read for.
                report.digests += fresh.min(digests);
                report.reminders += fresh.saturating_sub(digests).min(reminders);
            }
        }
        Ok(report)
    }

    async fn reminder_messages(
        &self,
        user: &User,
        preferences: &televent_domain::user::UserPreferences,
        window: Window,
        config: &ScheduleConfig,
        messages: &mut Vec<NewOutboxMessage>,
    ) -> Result<(), AppError> {
        let Some(chat) = user.telegram_id else { return Ok(()) };
        let zone = user.time_zone.tz();
        for calendar in self.store.calendars(user.id).await? {
            let from = window.from - Duration::days(1);
            let to = window.to + config.longest_lead;
            for stored in self.store.candidates(calendar.id, from, to).await? {
                let Ok(resource) = ingest_resource(&stored.bytes) else {
                    continue;
                };
                for reminder in reminders(&resource.object, preferences, zone, window) {
                    messages.push(NewOutboxMessage {
                        channel: Channel::Telegram,
                        recipient: chat.to_string(),
                        idempotency_key: format!(
                            "reminder/{}/{}/{}/{}/{}",
                            user.id,
                            calendar.id,
                            resource.object.uid,
                            stamp(reminder.occurrence_start),
                            stamp(reminder.fire_at)
                        ),
                        payload: OutboxPayload::Reminder(ReminderNotice {
                            user: user.id,
                            telegram_id: Some(chat),
                            calendar: calendar.id,
                            uid: resource.object.uid.clone(),
                            summary: reminder.summary,
                            occurrence_start: reminder.occurrence_start,
                        }),
                        available_at: reminder.fire_at,
                    });
                }
            }
        }
        Ok(())
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}
