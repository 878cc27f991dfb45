//! The sync token of a calendar home (RFC 6578 on the home, members are the calendars).
//!
//! The token carries the state the client has seen: for each calendar, its slug and a 64-bit
//! BLAKE3 digest of its id, sync counter, last change time and properties. Any member change
//! (the counter grows), property change, creation or deletion changes the state and so the
//! token; comparing the state in a token with the calendars now gives the exact delta, without
//! any table of its own. Slugs travel in the token because a deleted calendar is reported by
//! its href and the store no longer knows it. The token names its user, so another user's
//! token is refused. This module is pure: it must never touch the store.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use televent_domain::calendar::Calendar;
use televent_domain::ids::UserId;
use televent_domain::sync::SyncError;

const PREFIX: &str = "http://televent.invalid/home-sync/";

/// What a client has seen of a home: each calendar's slug and the digest of its state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeState(BTreeMap<String, u64>);

/// One difference between a token's state and the calendars now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeChange<'a> {
    /// New or changed since the token: report its properties.
    Changed(&'a Calendar),
    /// Gone since the token: report its href as 404.
    Deleted(String),
}

impl HomeState {
    /// The state of `calendars` now.
    pub fn of(calendars: &[Calendar]) -> Self {
        Self(
            calendars
                .iter()
                .map(|c| (c.slug.as_str().to_owned(), digest(c)))
                .collect(),
        )
    }

    /// Reads a token sent back for `user`'s home. `Unknown` for anything this server did not
    /// issue to this user.
    pub fn parse(text: &str, user: UserId) -> Result<Self, SyncError> {
        let rest = text.trim().strip_prefix(PREFIX).ok_or(SyncError::Unknown)?;
        let (owner, data) = rest.split_once('/').ok_or(SyncError::Unknown)?;
        if owner.parse::<UserId>().ok() != Some(user) {
            return Err(SyncError::Unknown);
        }
        let bytes = URL_SAFE_NO_PAD.decode(data).map_err(|_| SyncError::Unknown)?;
        let text = String::from_utf8(bytes).map_err(|_| SyncError::Unknown)?;
        let mut state = BTreeMap::new();
        // Slugs hold no control characters, so tab and newline separate safely.
        for line in text.split('\n').filter(|line| !line.is_empty()) {
            let (slug, hash) = line.split_once('\t').ok_or(SyncError::Unknown)?;
            if slug.is_empty() || hash.len() != 16 {
                return Err(SyncError::Unknown);
            }
            let hash = u64::from_str_radix(hash, 16).map_err(|_| SyncError::Unknown)?;
            state.insert(slug.to_owned(), hash);
        }
        Ok(Self(state))
    }

    /// The token for this state, issued to `user`.
    pub fn token(&self, user: UserId) -> String {
        let text: String = self
            .0
            .iter()
            .map(|(slug, hash)| format!("{slug}\t{hash:016x}\n"))
            .collect();
        format!("{PREFIX}{user}/{}", URL_SAFE_NO_PAD.encode(text))
    }

    /// What differs between this (older) state and `calendars` now: changed and new
    /// calendars in the order given, then deleted ones by slug.
    pub fn changes<'a>(&self, calendars: &'a [Calendar]) -> Vec<HomeChange<'a>> {
        let mut changes: Vec<HomeChange<'a>> = calendars
            .iter()
            .filter(|c| self.0.get(c.slug.as_str()) != Some(&digest(c)))
            .map(HomeChange::Changed)
            .collect();
        changes.extend(
            self.0
                .keys()
                .filter(|slug| !calendars.iter().any(|c| c.slug.as_str() == slug.as_str()))
                .map(|slug| HomeChange::Deleted(slug.clone())),
        );
        changes
    }

    /// This state once `reported` changes are known to the client (the rest, cut by a limit,
    /// stay as they were, so they are reported next time).
    pub fn after(&self, reported: &[HomeChange<'_>]) -> Self {
        let mut state = self.0.clone();
        for change in reported {
            match change {
                HomeChange::Changed(calendar) => {
                    state.insert(calendar.slug.as_str().to_owned(), digest(calendar));
                }
                HomeChange::Deleted(slug) => {
                    state.remove(slug);
                }
            }
        }
        Self(state)
    }
}

/// A calendar's state: id, counter, last change and every property, each length-prefixed.
fn digest(calendar: &Calendar) -> u64 {
    let mut hasher = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(calendar.id.to_string().as_bytes());
    field(&calendar.sync_token.seq().to_le_bytes());
    field(&calendar.updated_at.timestamp_micros().to_le_bytes());
    field(calendar.display_name.as_bytes());
    field(calendar.color.as_deref().unwrap_or("\u{0}none").as_bytes());
    field(calendar.description.as_deref().unwrap_or("\u{0}none").as_bytes());
    field(calendar.time_zone.as_deref().unwrap_or("\u{0}none").as_bytes());
    field(
        calendar
            .order
            .map_or_else(|| "none".to_owned(), |o| o.to_string())
            .as_bytes(),
    );
    for kind in &calendar.components {
        field(kind.as_str().as_bytes());
    }
    let [a, b, c, d, e, f, g, h, ..] = *hasher.finalize().as_bytes();
    u64::from_le_bytes([a, b, c, d, e, f, g, h])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use chrono::{TimeZone, Utc};
    use televent_domain::calendar::{CalendarSlug, NewCalendar};
    use televent_domain::sync::SyncToken;

    use super::*;

    fn calendar(owner: UserId, slug: &str) -> Calendar {
        let at = Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap();
        Calendar::create(owner, NewCalendar::named(CalendarSlug::parse(slug).unwrap(), slug), at)
    }

    #[test]
    fn tokens_round_trip_and_belong_to_their_user() {
        let user = UserId::new_random();
        let calendars = vec![calendar(user, "default"), calendar(user, "tab\u{e9} x")];
        let state = HomeState::of(&calendars);
        let token = state.token(user);
        assert_eq!(HomeState::parse(&token, user), Ok(state.clone()));
        assert_eq!(HomeState::parse(&token, UserId::new_random()), Err(SyncError::Unknown));
        let empty = HomeState::default().token(user);
        assert_eq!(HomeState::parse(&empty, user), Ok(HomeState::default()));
        for bad in [
            "",
            "x",
            "http://televent.invalid/sync/a/1",
            &format!("{PREFIX}{user}/!!"),
        ] {
            assert_eq!(HomeState::parse(bad, user), Err(SyncError::Unknown), "{bad}");
        }
    }

    #[test]
    fn member_property_creation_and_deletion_changes_are_found() {
        let user = UserId::new_random();
        let mut calendars = vec![calendar(user, "default"), calendar(user, "work")];
        let before = HomeState::of(&calendars);
        assert!(before.changes(&calendars).is_empty());
        assert_eq!(HomeState::default().changes(&calendars).len(), 2);

        calendars[0].sync_token = SyncToken::new(calendars[0].id, 1);
        calendars[1].color = Some("#FF0000".to_owned());
        let home = calendar(user, "home");
        calendars.push(home);
        assert_eq!(before.changes(&calendars).len(), 3);

        let without_work = vec![calendars[0].clone()];
        let changes = before.changes(&without_work);
        assert_eq!(
            changes,
            [
                HomeChange::Changed(&without_work[0]),
                HomeChange::Deleted("work".to_owned())
            ]
        );
        // Cut after the first: the deletion is still pending.
        let partial = before.after(&changes[..1]);
        assert_eq!(partial.changes(&without_work), [HomeChange::Deleted("work".to_owned())]);
        assert_eq!(before.after(&changes), HomeState::of(&without_work));
    }
}
