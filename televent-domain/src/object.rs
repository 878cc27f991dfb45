//! A calendar object: every component that shares one UID (its master and its overrides).

use crate::component::{ComponentKind, ObjectComponent};

/// The components of one UID: what one CalDAV resource holds.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarObject {
    /// The shared UID.
    pub uid: String,
    /// VEVENT or VTODO (all components of one object are of one kind).
    pub kind: ComponentKind,
    /// The component without RECURRENCE-ID, if any (an invitation to one instance has none).
    pub master: Option<ObjectComponent>,
    /// Components with RECURRENCE-ID, each replacing one instance.
    pub overrides: Vec<ObjectComponent>,
}

impl CalendarObject {
    /// The master, or else the first override: the component that speaks for the object.
    pub fn primary(&self) -> Option<&ObjectComponent> {
        self.master.as_ref().or_else(|| self.overrides.first())
    }

    /// Every component, master first.
    pub fn components(&self) -> impl Iterator<Item = &ObjectComponent> {
        self.master.iter().chain(self.overrides.iter())
    }

    /// True when the object has more than one instance.
    pub fn is_recurring(&self) -> bool {
        self.master.as_ref().is_some_and(ObjectComponent::is_recurring) || !self.overrides.is_empty()
    }
}
