//! One of the user's events changed from a chat: its fields read, a new title or time written,
//! people invited. Every write goes through [`Televent::put_object`] with If-Match of the ETag
//! the caller read (a change made elsewhere meanwhile is refused, never overwritten), and only
//! the changed lines of the stored bytes are rewritten (`televent_domain::event_edit`).

use chrono::Days;
use televent_domain::event_edit::{EditError, EventFields, EventPatch, EventTime, apply_patch, read_event};
use televent_domain::quick_add::{DraftTime, QuickAddError, parse_quick_add};
use televent_domain::user::{User, UserName};
use televent_ports::store::Precondition;

use super::account::telegram_user_name;
use super::events::EventRef;
use super::organizer::with_organizer;
use crate::engine::Televent;
use crate::error::AppError;

/// An event and its fields, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetails {
    /// Where it is stored, with the ETag read.
    pub event: EventRef,
    /// Its fields, times in the user's zone when stored in UTC or as floating time.
    pub fields: EventFields,
}

/// Who an invitation added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invited {
    /// The addresses added as attendees now, in the order given.
    pub added: Vec<String>,
    /// Addresses given that were attendees already (or the user's own).
    pub already: Vec<String>,
}

impl Televent {
    /// The user's event with `uid` and its fields.
    pub async fn event_details(&self, user: &User, uid: &str) -> Result<EventDetails, AppError> {
        for calendar in self.calendars(user).await? {
            if let Some(stored) = self.store.object_by_uid(calendar.id, uid).await? {
                let fields = read_event(&stored.bytes, user.time_zone.tz()).map_err(edit_error)?;
                return Ok(EventDetails {
                    event: EventRef {
                        href: stored.href,
                        etag: stored.etag,
                        summary: stored.index.summary,
                        calendar,
                    },
                    fields,
                });
            }
        }
        Err(AppError::NotFound(format!("event '{uid}'")))
    }

    /// Writes `patch` into `event` as it was read: `PreconditionFailed` when it changed since,
    /// `NotFound` when it is gone, `Invalid` (with a sentence for people) for a refused value.
    /// Returns the event's fields afterwards (unchanged when the patch changed nothing).
    pub async fn edit_event(&self, user: &User, event: &EventRef, patch: &EventPatch) -> Result<EventFields, AppError> {
        let bytes = self.current_bytes(event).await?;
        let Some(text) = apply_patch(&bytes, patch, self.clock.now()).map_err(edit_error)? else {
            return read_event(&bytes, user.time_zone.tz()).map_err(edit_error);
        };
        self.put_object(
            user,
            &event.calendar,
            &event.href,
            text.as_bytes(),
            Precondition::IfMatch(event.etag.clone()),
        )
        .await?;
        read_event(text.as_bytes(), user.time_zone.tz()).map_err(edit_error)
    }

    /// Adds `emails` (lower-cased e-mail addresses) as attendees of `event`, which the user
    /// must organize: an event without an ORGANIZER gets the user as its organizer, so that the
    /// invitations go out with the write. `Forbidden` when someone else organizes it.
    pub async fn invite_to_event(&self, user: &User, event: &EventRef, emails: &[String]) -> Result<Invited, AppError> {
        let bytes = self.current_bytes(event).await?;
        let fields = read_event(&bytes, user.time_zone.tz()).map_err(edit_error)?;
        let own: Vec<String> = self
            .own_addresses(user)
            .await?
            .iter()
            .filter_map(|address| address.email().map(str::to_owned))
            .collect();
        if let Some(organizer) = &fields.organizer
            && !own.iter().any(|email| email.eq_ignore_ascii_case(organizer))
        {
            return Err(AppError::Forbidden(format!(
                "only its organizer ({organizer}) can invite people to this event"
            )));
        }
        let mut attendees: Vec<String> = fields.attendees.iter().map(|a| a.email.clone()).collect();
        let mut invited = Invited {
            added: Vec::new(),
            already: Vec::new(),
        };
        for email in emails {
            let email = email.trim().to_lowercase();
            if attendees.contains(&email) || own.contains(&email) {
                invited.already.push(email);
            } else {
                attendees.push(email.clone());
                invited.added.push(email);
            }
        }
        if invited.added.is_empty() {
            return Ok(invited);
        }
        let patch = EventPatch {
            attendees: Some(attendees),
            ..EventPatch::default()
        };
        let Some(mut text) = apply_patch(&bytes, &patch, self.clock.now()).map_err(edit_error)? else {
            return Ok(invited);
        };
        if fields.organizer.is_none() {
            text = with_organizer(&text, &user.internal_address());
        }
        self.put_object(
            user,
            &event.calendar,
            &event.href,
            text.as_bytes(),
            Precondition::IfMatch(event.etag.clone()),
        )
        .await?;
        Ok(invited)
    }

    /// The Televent user who came from Telegram with `username` (with or without the `@`),
    /// found by the user name Televent made from it.
    pub async fn telegram_invitee(&self, username: &str) -> Result<Option<User>, AppError> {
        let Some(name) = telegram_user_name(username).and_then(|name| UserName::parse(&name).ok()) else {
            return Ok(None);
        };
        Ok(self
            .store
            .user_by_name(&name)
            .await?
            .filter(|user| user.telegram_id.is_some()))
    }

    /// A new time for an event, read like the time part of a quick-add message ("tomorrow
    /// 15:00", "Friday 10-11", "24 Dec") in the user's zone at the clock's now.
    pub fn event_time_from_text(&self, user: &User, text: &str) -> Result<EventTime, QuickAddError> {
        let zone = user.time_zone.tz();
        // The parser wants a title; the words of `text` that are no time would become one.
        let draft = parse_quick_add(&format!("Event {text}"), self.clock.now().with_timezone(&zone))?;
        Ok(match draft.when {
            DraftTime::Timed { start, end } => EventTime::Timed { start, end, zone },
            DraftTime::AllDay { first, last_inclusive } => EventTime::AllDay {
                start: first,
                end_exclusive: last_inclusive.checked_add_days(Days::new(1)).unwrap_or(last_inclusive),
            },
        })
    }

    /// The stored bytes of `event`, refused when its ETag is no longer the one read.
    async fn current_bytes(&self, event: &EventRef) -> Result<Vec<u8>, AppError> {
        let Some(stored) = self.store.object(event.calendar.id, &event.href).await? else {
            return Err(AppError::NotFound(format!("resource '{}'", event.href)));
        };
        if stored.etag != event.etag {
            return Err(AppError::PreconditionFailed);
        }
        Ok(stored.bytes)
    }
}

/// A refused value keeps its sentence; data that cannot be edited is forbidden here.
fn edit_error(error: EditError) -> AppError {
    match error {
        EditError::Invalid(message) => AppError::Invalid(message),
        other => AppError::Forbidden(other.to_string()),
    }
}
