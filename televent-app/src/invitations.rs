//! The Interceptor wired to the outbox: which invitation messages a write of the organizer's
//! resource causes. They are enqueued in the same transaction as the write.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use televent_domain::attendee::CalAddress;
use televent_domain::calendar::Calendar;
use televent_domain::ingest::Resource;
use televent_domain::interceptor::{KnownRecipient, Route, route_attendees};
use televent_domain::itip::itip_message;
use televent_domain::object::CalendarObject;
use televent_domain::outbox::{Channel, Invitation, ItipMethod, NewOutboxMessage, OutboxPayload};
use televent_domain::user::User;

use crate::engine::Televent;
use crate::error::AppError;

impl Televent {
    /// Invitation messages for `object` written by `user`, whose addresses are `own`: only
    /// when `user` organizes it. One message per attendee and SEQUENCE, so saving the same
    /// version twice invites once.
    #[allow(clippy::too_many_arguments)] // the write's parts, each needed, none optional
    pub(crate) async fn invitations(
        &self,
        user: &User,
        own: &[CalAddress],
        calendar: &Calendar,
        object: &CalendarObject,
        bytes: &[u8],
        method: ItipMethod,
        now: DateTime<Utc>,
    ) -> Result<Vec<NewOutboxMessage>, AppError> {
        let Some(organizer) = object.primary().and_then(|c| c.organizer.as_ref()) else {
            return Ok(Vec::new());
        };
        if !own.contains(&organizer.address) {
            return Ok(Vec::new());
        }
        let known = self.known_recipients(object).await?;
        let decisions = route_attendees(object, own, |address| known.get(address).cloned());
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

    /// `user`'s addresses when one of `objects` names an organizer (the only case that needs
    /// them), read once per write; empty otherwise.
    pub(crate) async fn own_addresses_for(
        &self,
        user: &User,
        objects: &[&CalendarObject],
    ) -> Result<Vec<CalAddress>, AppError> {
        if objects
            .iter()
            .any(|o| o.primary().is_some_and(|c| c.organizer.is_some()))
        {
            self.own_addresses(user).await
        } else {
            Ok(Vec::new())
        }
    }

    /// The Televent users behind the attendees' addresses: `NAME@televent.internal`, or an
    /// address a user linked.
    async fn known_recipients(&self, object: &CalendarObject) -> Result<HashMap<CalAddress, KnownRecipient>, AppError> {
        let addresses: BTreeSet<&CalAddress> = object
            .components()
            .flat_map(|c| c.attendees.iter().map(|a| &a.address))
            .filter(|a| a.email().is_some())
            .collect();
        let mut known = HashMap::new();
        for address in addresses {
            if let Some(user) = self.store.user_by_address(address).await? {
                known.insert(
                    address.clone(),
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
        own: &[CalAddress],
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
        self.invitations(user, own, calendar, &removed, &before.bytes, ItipMethod::Cancel, now)
            .await
    }
}
