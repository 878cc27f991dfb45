//! Attendees' answers reaching the organizer's copy: a tap on an invitation's button in
//! Telegram, or an internal attendee's CalDAV client saving their PARTSTAT. Either way the
//! organizer's resource gets the new PARTSTAT (new ETag, sync bump, so their CalDAV client sees
//! it) and the organizer is told, in one write.

use televent_domain::attendee::{CalAddress, PartStat};
use televent_domain::event::ObjectIndexRow;
use televent_domain::ids::{CalendarId, OutboxId};
use televent_domain::ingest::ingest_resource;
use televent_domain::object::CalendarObject;
use televent_domain::outbox::{Channel, ItipMethod, NewOutboxMessage, OutboxPayload, ReplyNotice};
use televent_domain::rsvp::with_partstat;
use televent_domain::user::{TelegramId, User};
use televent_ports::StoreError;
use televent_ports::store::{ObjectWrite, Precondition};

use super::render::RSVP_PREFIX;
use crate::engine::Televent;
use crate::error::AppError;

/// A pressed Accept / Maybe / Decline button, read from its callback data
/// (`rsvp:<a|t|d>:<invitation message id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpCallback {
    /// The invitation's outbox message.
    pub invitation: OutboxId,
    /// The answer.
    pub answer: PartStat,
}

impl RsvpCallback {
    /// Reads callback data; `None` for anything that is not an RSVP button.
    pub fn parse(data: &str) -> Option<Self> {
        let rest = data.strip_prefix(RSVP_PREFIX)?;
        let (letter, id) = rest.split_once(':')?;
        let answer = match letter {
            "a" => PartStat::Accepted,
            "t" => PartStat::Tentative,
            "d" => PartStat::Declined,
            _ => return None,
        };
        Some(Self {
            invitation: id.parse().ok()?,
            answer,
        })
    }
}

/// What an answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpOutcome {
    /// The event's SUMMARY.
    pub summary: Option<String>,
    /// The organizer's user name.
    pub organizer: String,
    /// The answer recorded.
    pub answer: PartStat,
    /// False when the organizer's copy already held this answer.
    pub changed: bool,
}

/// Tries of a read-modify-write of the organizer's copy before giving up (each lost race
/// means someone else wrote it in between).
const WRITE_TRIES: usize = 5;

impl Televent {
    /// Records the answer of the Telegram user `from` to the invitation behind `callback`.
    /// Only the invited user may answer; anyone else gets `NotFound`, as if it did not exist.
    pub async fn answer_invitation(&self, from: TelegramId, callback: &RsvpCallback) -> Result<RsvpOutcome, AppError> {
        let now = self.clock.now();
        let gone = || AppError::NotFound("invitation".to_owned());
        let message = self.store.message(callback.invitation, now).await?.ok_or_else(gone)?;
        let OutboxPayload::Invitation(invitation) = message.payload else {
            return Err(gone());
        };
        if invitation.method != ItipMethod::Request {
            return Err(gone());
        }
        let responder = self.store.user_by_telegram_id(from).await?;
        let invited = invitation.telegram_id == Some(from)
            || match &responder {
                Some(user) => self.own_addresses(user).await?.contains(&invitation.attendee),
                None => false,
            };
        if !invited {
            return Err(gone());
        }
        let organizer = self.store.user_by_id(invitation.organizer).await?.ok_or_else(gone)?;
        let changed = self
            .apply_reply(
                &organizer,
                invitation.calendar,
                &invitation.uid,
                &invitation.attendee,
                &callback.answer,
            )
            .await?;
        Ok(RsvpOutcome {
            summary: invitation.summary,
            organizer: organizer.name.as_str().to_owned(),
            answer: callback.answer.clone(),
            changed,
        })
    }

    /// Writes `attendee`'s `answer` into the organizer's resource `uid` in `calendar`, with a
    /// notice to the organizer in the same write. False when it was already there.
    pub(crate) async fn apply_reply(
        &self,
        organizer: &User,
        calendar: CalendarId,
        uid: &str,
        attendee: &CalAddress,
        answer: &PartStat,
    ) -> Result<bool, AppError> {
        for _ in 0..WRITE_TRIES {
            let now = self.clock.now();
            let Some(stored) = self.store.object_by_uid(calendar, uid).await? else {
                return Err(AppError::NotFound("the event".to_owned()));
            };
            let Some(updated) = with_partstat(&stored.bytes, attendee, answer) else {
                return Ok(false);
            };
            let resource = ingest_resource(updated.as_bytes()).map_err(AppError::Ingest)?;
            let summary = resource.object.primary().and_then(|c| c.summary.clone());
            let outbox = organizer
                .telegram_id
                .map(|chat| NewOutboxMessage {
                    channel: Channel::Telegram,
                    recipient: chat.to_string(),
                    idempotency_key: format!("reply/{calendar}/{uid}/{}/{}", attendee.as_str(), resource.etag),
                    payload: OutboxPayload::Reply(ReplyNotice {
                        organizer: organizer.id,
                        telegram_id: Some(chat),
                        attendee: attendee.clone(),
                        answer: answer.clone(),
                        summary,
                    }),
                    available_at: now,
                })
                .into_iter()
                .collect();
            let write = ObjectWrite {
                calendar,
                href: stored.href.clone(),
                etag: resource.etag.clone(),
                index: ObjectIndexRow::of(&resource),
                bytes: resource.bytes,
                precondition: Precondition::IfMatch(stored.etag),
                outbox,
                at: now,
            };
            match self.store.put_object(write).await {
                Ok(_) => return Ok(true),
                Err(StoreError::PreconditionFailed) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(AppError::Unavailable(
            "the event kept changing while the answer was written; try again".to_owned(),
        ))
    }

    /// After `user` saved `object` through CalDAV: when another Televent user organizes it and
    /// `user` is an attendee who answered, carry the answer to the organizer's copy. Best
    /// effort: the attendee's own write already stands, so a failure here is logged.
    /// `own` are the user's addresses (empty when the object names no organizer).
    pub(crate) async fn forward_attendee_answer(&self, user: &User, own: &[CalAddress], object: &CalendarObject) {
        if let Err(error) = self.try_forward_attendee_answer(user, own, object).await {
            tracing::warn!(user = %user.name, uid = %object.uid, %error, "could not carry an answer to the organizer");
        }
    }

    async fn try_forward_attendee_answer(
        &self,
        user: &User,
        own: &[CalAddress],
        object: &CalendarObject,
    ) -> Result<(), AppError> {
        let Some(component) = object.primary() else {
            return Ok(());
        };
        let Some(organizer) = component.organizer.as_ref() else {
            return Ok(());
        };
        if own.contains(&organizer.address) {
            return Ok(());
        }
        let Some((attendee, answer)) = component
            .attendees
            .iter()
            .find(|a| own.contains(&a.address))
            .map(|a| (a.address.clone(), a.status.clone()))
            .filter(|(_, status)| *status != PartStat::NeedsAction)
        else {
            return Ok(());
        };
        let Some(organizer) = self.store.user_by_address(&organizer.address).await? else {
            return Ok(());
        };
        if organizer.id == user.id {
            return Ok(());
        }
        for calendar in self.store.calendars(organizer.id).await? {
            if self.store.object_by_uid(calendar.id, &object.uid).await?.is_some() {
                self.apply_reply(&organizer, calendar.id, &object.uid, &attendee, &answer)
                    .await?;
                return Ok(());
            }
        }
        Ok(())
    }
}
