//! The conversation state of each chat: the quick-add draft waiting for Save or Cancel, the
//! events offered as buttons (by the agenda, `/delete`, `/invite`), whether the next text is
//! the user's city, and which event the next text renames, moves or invites people to. In
//! memory, in the one process that polls the bot (see the module docs of `bot`); entries
//! expire after [`TTL`] by the engine's clock (the `Clock` port, so tests set the time instead
//! of waiting).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use televent_app::EventRef;
use televent_domain::quick_add::EventDraft;

/// How long a draft or a question waits for its answer.
pub const TTL: Duration = Duration::minutes(30);

/// Most event buttons remembered per conversation; older offers go when there would be more.
const MAX_EVENT_CHOICES: usize = 64;

/// One conversation: a chat and the Telegram user in it (in a group, each member has their
/// own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConversationKey {
    /// The chat.
    pub chat: i64,
    /// The Telegram user.
    pub user: i64,
}

/// A draft shown with Save / Cancel buttons.
#[derive(Debug, Clone)]
pub struct PendingDraft {
    /// The short id in the buttons' callback data.
    pub id: String,
    /// What was understood.
    pub draft: EventDraft,
}

/// What the next text of a conversation says about one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// Its new title.
    Title,
    /// Its new time, in quick-add words.
    Time,
    /// Addresses to invite.
    Invitees,
}

/// An event waiting for a text: which one (with the ETag read when asked, so that a change
/// made elsewhere meanwhile is noticed) and what the text is.
#[derive(Debug, Clone)]
pub struct PendingEdit {
    /// What the text is.
    pub kind: EditKind,
    /// The event as read when the question was asked.
    pub event: EventRef,
}

#[derive(Debug, Default)]
struct Conversation {
    draft: Option<(PendingDraft, DateTime<Utc>)>,
    awaiting_zone: Option<DateTime<Utc>>,
    /// The events offered as buttons: button token to UID.
    event_choices: Option<(HashMap<String, String>, DateTime<Utc>)>,
    /// The event the next text is about.
    edit: Option<(PendingEdit, DateTime<Utc>)>,
}

impl Conversation {
    fn forget_expired(&mut self, now: DateTime<Utc>) {
        let expired = |at: &DateTime<Utc>| now.signed_duration_since(*at) > TTL;
        if self.draft.as_ref().is_some_and(|(_, at)| expired(at)) {
            self.draft = None;
        }
        if self.awaiting_zone.as_ref().is_some_and(expired) {
            self.awaiting_zone = None;
        }
        if self.event_choices.as_ref().is_some_and(|(_, at)| expired(at)) {
            self.event_choices = None;
        }
        if self.edit.as_ref().is_some_and(|(_, at)| expired(at)) {
            self.edit = None;
        }
    }

    fn is_empty(&self) -> bool {
        self.draft.is_none() && self.awaiting_zone.is_none() && self.event_choices.is_none() && self.edit.is_none()
    }
}

/// Every chat's state. Shared by clones of the bot (behind an `Arc`, under a mutex held only
/// for a map operation, never across an await).
#[derive(Debug, Clone, Default)]
pub struct ConversationState {
    chats: Arc<Mutex<HashMap<ConversationKey, Conversation>>>,
}

impl ConversationState {
    fn with<T>(&self, key: ConversationKey, now: DateTime<Utc>, f: impl FnOnce(&mut Conversation) -> T) -> T {
        let mut chats = self.chats.lock().unwrap_or_else(PoisonError::into_inner);
        chats.retain(|_, conversation| {
            conversation.forget_expired(now);
            !conversation.is_empty()
        });
        let conversation = chats.entry(key).or_default();
        let result = f(conversation);
        if conversation.is_empty() {
            chats.remove(&key);
        }
        result
    }

    /// Keeps `draft` as the chat's pending draft (replacing an older one) and returns its id.
    pub fn put_draft(&self, key: ConversationKey, now: DateTime<Utc>, draft: EventDraft) -> String {
        let id = uuid::Uuid::new_v4()
            .simple()
            .to_string()
            .chars()
            .take(12)
            .collect::<String>();
        let pending = PendingDraft { id: id.clone(), draft };
        self.with(key, now, |c| c.draft = Some((pending, now)));
        id
    }

    /// The pending draft with `id`, left in place.
    pub fn draft(&self, key: ConversationKey, now: DateTime<Utc>, id: &str) -> Option<PendingDraft> {
        self.with(key, now, |c| {
            c.draft
                .as_ref()
                .filter(|(pending, _)| pending.id == id)
                .map(|(pending, _)| pending.clone())
        })
    }

    /// Removes and returns the pending draft with `id`.
    pub fn take_draft(&self, key: ConversationKey, now: DateTime<Utc>, id: &str) -> Option<PendingDraft> {
        self.with(key, now, |c| {
            if c.draft.as_ref().is_some_and(|(pending, _)| pending.id == id) {
                c.draft.take().map(|(pending, _)| pending)
            } else {
                None
            }
        })
    }

    /// The next text in this conversation is a city or zone name.
    pub fn ask_zone(&self, key: ConversationKey, now: DateTime<Utc>) {
        self.with(key, now, |c| c.awaiting_zone = Some(now));
    }

    /// True while a zone is being asked for.
    pub fn awaiting_zone(&self, key: ConversationKey, now: DateTime<Utc>) -> bool {
        self.with(key, now, |c| c.awaiting_zone.is_some())
    }

    /// The zone question is answered or dropped.
    pub fn zone_done(&self, key: ConversationKey, now: DateTime<Utc>) {
        self.with(key, now, |c| c.awaiting_zone = None);
    }
}

impl ConversationState {
    /// Keeps the events offered as buttons (with the older offers still in use, up to
    /// [`MAX_EVENT_CHOICES`]) and returns one button token per UID, in order.
    pub fn put_event_choices(&self, key: ConversationKey, now: DateTime<Utc>, uids: Vec<String>) -> Vec<String> {
        let choices: Vec<(String, String)> = uids.into_iter().map(|uid| (short_id(), uid)).collect();
        let tokens = choices.iter().map(|(token, _)| token.clone()).collect();
        self.with(key, now, |c| {
            let mut all = c.event_choices.take().map(|(all, _)| all).unwrap_or_default();
            if all.len() + choices.len() > MAX_EVENT_CHOICES {
                all.clear();
            }
            all.extend(choices);
            c.event_choices = Some((all, now));
        });
        tokens
    }

    /// The UID behind an offered event's token.
    pub fn event_choice(&self, key: ConversationKey, now: DateTime<Utc>, token: &str) -> Option<String> {
        self.with(key, now, |c| {
            c.event_choices
                .as_ref()
                .and_then(|(choices, _)| choices.get(token).cloned())
        })
    }

    /// The offer is used up.
    pub fn drop_event_choices(&self, key: ConversationKey, now: DateTime<Utc>) {
        self.with(key, now, |c| c.event_choices = None);
    }

    /// The next text in this conversation is about `edit` (replacing an older question).
    pub fn await_edit(&self, key: ConversationKey, now: DateTime<Utc>, edit: PendingEdit) {
        self.with(key, now, |c| c.edit = Some((edit, now)));
    }

    /// The event the next text is about, left in place.
    pub fn pending_edit(&self, key: ConversationKey, now: DateTime<Utc>) -> Option<PendingEdit> {
        self.with(key, now, |c| c.edit.as_ref().map(|(edit, _)| edit.clone()))
    }

    /// The question is answered or dropped.
    pub fn edit_done(&self, key: ConversationKey, now: DateTime<Utc>) {
        self.with(key, now, |c| c.edit = None);
    }
}

/// A random id of 12 hex digits for a button (unguessable enough: it is also checked
/// against the conversation it belongs to).
fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string().chars().take(12).collect()
}
