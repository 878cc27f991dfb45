//! Quick add for a user: the message read in the user's zone at the clock's now, and a
//! confirmed draft stored through the write path like any other door's write.

use televent_domain::calendar::{Calendar, CalendarSlug};
use televent_domain::component::ComponentKind;
use televent_domain::event::Href;
use televent_domain::ids::EventId;
use televent_domain::quick_add::{EventDraft, QuickAddError, parse_quick_add};
use televent_domain::user::User;
use televent_ports::store::Precondition;

use super::organizer::with_organizer;
use crate::engine::Televent;
use crate::error::AppError;

impl Televent {
    /// Reads a quick-add message of `user` ("Dentist tomorrow 15:30 for 1h") in the user's
    /// zone at the clock's now. Nothing is stored.
    pub fn quick_add(&self, user: &User, text: &str) -> Result<EventDraft, QuickAddError> {
        let zone = user.time_zone.tz();
        parse_quick_add(text, self.clock.now().with_timezone(&zone))
    }

    /// Stores `draft` as a new event in the user's default calendar (or the first that takes
    /// events) under a fresh UID, through [`Televent::put_object`], so that its invitations
    /// are enqueued as for any write. The user is the organizer when the draft invites
    /// anyone. Returns the calendar and the new resource's name.
    pub async fn save_draft(&self, user: &User, draft: &EventDraft) -> Result<(Calendar, Href), AppError> {
        let calendar = self.event_calendar(user).await?;
        let uid = format!("{}@televent", EventId::new_random().as_uuid());
        let href = Href::parse(&format!("{uid}.ics")).map_err(AppError::Internal)?;
        let mut ics = draft.to_ics(&uid, self.clock.now());
        if !draft.attendees.is_empty() {
            // The draft's text names no organizer; without one no invitation would be sent.
            ics = with_organizer(&ics, &user.internal_address());
        }
        self.put_object(user, &calendar, &href, ics.as_bytes(), Precondition::IfNoneMatchAny)
            .await?;
        Ok((calendar, href))
    }

    /// The calendar quick-add events go to: the default one when it takes events, else the
    /// first that does.
    async fn event_calendar(&self, user: &User) -> Result<Calendar, AppError> {
        let calendars = self.calendars(user).await?;
        let default = CalendarSlug::default_calendar();
        let takes_events = |c: &&Calendar| c.components.contains(&ComponentKind::Event);
        calendars
            .iter()
            .filter(takes_events)
            .find(|c| c.slug == default)
            .or_else(|| calendars.iter().find(takes_events))
            .cloned()
            .ok_or_else(|| AppError::NotFound("a calendar that takes events".to_owned()))
    }
}
