//! The Interceptor wired to the outbox: which invitation messages a write of the organizer's
//! resource causes. They are enqueued in the same transaction as the write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use televent_domain::attendee::CalAddress;
use televent_domain::calendar::Calendar;
use televent_domain::ingest::Resource;
use televent_domain::interceptor::{KnownRecipient, Route, route_attendees};
use televent_domain::itip::itip_message;
use televent_domain::object::CalendarObject;
use televent_domain::outbox::{Channel, Invitation, ItipMethod, NewOutboxMessage, OutboxPayload};
use televent_domain::user::{INTERNAL_DOMAIN, User, UserName};

use crate::engine::Televent;
use crate::error::AppError;

impl Televent {
    /// Invitation messages for `object` written by `user`: only when `user` organizes it. One
    /// message per attendee and SEQUENCE, so saving the same version twice invites once.
    pub(crate) async fn invitations(
        &self,
        user: &User,
        calendar: &Calendar,
        object: &CalendarObject,
        bytes: &[u8],
        method: ItipMethod,
        now: DateTime<Utc>,
    ) -> Result<Vec<NewOutboxMessage>, AppError> {
        let own = CalAddress::parse(&user.internal_address());
        let organized_by_user = object
            .primary()
            .and_then(|c| c.organizer.as_ref())
            .is_some_and(|o| Some(&o.address) == own.as_ref());
        if !organized_by_user {
            return Ok(Vec::new());
        }
        let known = self.known_recipients(object).await?;
        let own: Vec<CalAddress> = own.into_iter().collect();
        let decisions = route_attendees(object, &own, |address| known.get(address).cloned());
        let primary = object.primary();
        let sequence = primary.map_or(0, |c| c.sequence);
        let summary = primary.and_then(|c| c.summary.clone());
        let start = primary
            .and_then(|c| c.start.as_ref())
            .map(|s| s.to_utc(user.time_zone.tz()));
        let itip = itip_message(bytes, method);
        let method_name = match method {
            ItipMethod::Request => "request",
            ItipMethod::Cancel => "cancel",
        };
        let mut messages = Vec::new();
        for decision in decisions {
            let (channel, recipient, telegram_id) = match decision.route {
                Route::Telegram { user, telegram_id } => {
                    let recipient = telegram_id.map_or_else(|| format!("@{user}"), |id| id.to_string());
                    (Channel::Telegram, recipient, telegram_id)
                }
                Route::Email { address } => (Channel::Email, address, None),
                Route::Skip(_) => continue,
            };
            let attendee = decision.attendee.address;
            messages.push(NewOutboxMessage {
                channel,
                recipient,
                idempotency_key: format!(
                    "invite/{}/{}/{sequence}/{method_name}/{}",
                    calendar.id,
                    object.uid,
                    attendee.as_str()
                ),
                payload: OutboxPayload::Invitation(Invitation {
                    method,
                    organizer: user.id,
                    calendar: calendar.id,
                    uid: object.uid.clone(),
                    sequence,
                    attendee,
                    telegram_id,
                    summary: summary.clone(),
                    start,
                    itip: itip.clone(),
                }),
                available_at: now,
            });
        }
        Ok(messages)
    }

    /// The Televent users behind the attendees' addresses (`NAME@televent.internal`).
    async fn known_recipients(&self, object: &CalendarObject) -> Result<HashMap<CalAddress, KnownRecipient>, AppError> {
        let mut known = HashMap::new();
        for attendee in object.components().flat_map(|c| c.attendees.iter()) {
            let Some((local, domain)) = attendee.address.email().and_then(|e| e.rsplit_once('@')) else {
                continue;
            };
            if domain != INTERNAL_DOMAIN || known.contains_key(&attendee.address) {
                continue;
            }
            let Ok(name) = UserName::parse(local) else { continue };
            if let Some(user) = self.store.user_by_name(&name).await? {
                known.insert(
                    attendee.address.clone(),
                    KnownRecipient {
                        name: user.name,
                        telegram_id: user.telegram_id,
                    },
                );
            }
        }
        Ok(known)
    }

    /// CANCELs for attendees an update removed.
    pub(crate) async fn cancellations_for_removed(
        &self,
        user: &User,
        calendar: &Calendar,
        before: &Resource,
        after: &CalendarObject,
        now: DateTime<Utc>,
    ) -> Result<Vec<NewOutboxMessage>, AppError> {
        let still: Vec<&CalAddress> = after
            .components()
            .flat_map(|c| c.attendees.iter().map(|a| &a.address))
            .collect();
        let mut removed = before.object.clone();
        for component in removed.master.iter_mut().chain(removed.overrides.iter_mut()) {
            component.attendees.retain(|a| !still.contains(&&a.address));
        }
        if removed.components().all(|c| c.attendees.is_empty()) {
            return Ok(Vec::new());
        }
        self.invitations(user, calendar, &removed, &before.bytes, ItipMethod::Cancel, now)
            .await
    }
}
