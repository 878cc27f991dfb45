//! Sync tokens and the change log (RFC 6578).
//!
//! Each calendar has a counter that every member change bumps; the change log records, per
//! bump, which href was created, updated or deleted. "What changed since token T" is the set of
//! hrefs with a log row after T, each with its latest kind.

use std::collections::BTreeMap;
use std::fmt;

use crate::event::Href;
use crate::ids::CalendarId;

/// A calendar's position in its change log. Rendered as a URI that also names the calendar, so
/// a token from another calendar is recognised as foreign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SyncToken {
    calendar: CalendarId,
    seq: u64,
}

/// Why a client's sync token cannot be used (`DAV:valid-sync-token`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Not a token this server issued for this calendar.
    #[error("the sync token was not issued for this calendar")]
    Unknown,
    /// Older than the oldest change still in the log: the client must sync from scratch.
    #[error("the sync token is too old; sync again from scratch")]
    TooOld,
}

const PREFIX: &str = "http://televent.invalid/sync/";

impl SyncToken {
    /// The token at position `seq` of `calendar`'s log.
    pub fn new(calendar: CalendarId, seq: u64) -> Self {
        Self { calendar, seq }
    }

    /// Reads a token a client sent back for `calendar`.
    pub fn parse(text: &str, calendar: CalendarId) -> Result<Self, SyncError> {
        let rest = text.trim().strip_prefix(PREFIX).ok_or(SyncError::Unknown)?;
        let (id, seq) = rest.split_once('/').ok_or(SyncError::Unknown)?;
        if id.parse::<CalendarId>().ok() != Some(calendar) {
            return Err(SyncError::Unknown);
        }
        let seq = seq.parse().map_err(|_| SyncError::Unknown)?;
        Ok(Self { calendar, seq })
    }

    /// The position in the log.
    pub fn seq(self) -> u64 {
        self.seq
    }

    /// The calendar.
    pub fn calendar(self) -> CalendarId {
        self.calendar
    }
}

impl fmt::Display for SyncToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}/{}", self.calendar, self.seq)
    }
}

/// What happened to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// It was created.
    Created,
    /// Its content changed.
    Updated,
    /// It was removed.
    Deleted,
}

impl ChangeKind {
    /// Stable storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
        }
    }

    /// Reads a storage name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "created" => Some(Self::Created),
            "updated" => Some(Self::Updated),
            "deleted" => Some(Self::Deleted),
            _ => None,
        }
    }
}

/// One row of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The member's href (its name in the collection).
    pub href: String,
    /// What happened.
    pub kind: ChangeKind,
    /// The counter value this change was given.
    pub seq: u64,
}

/// The changes since a token, one per href (its latest), and the token to use next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    /// Latest change per href, in log order.
    pub changes: Vec<Change>,
    /// The token that covers these changes.
    pub token: SyncToken,
    /// True when a limit cut the list: `token` then covers only what was returned.
    pub truncated: bool,
}

impl ChangeSet {
    /// The hrefs of the members that changed and are still there (what to read again).
    pub fn live_hrefs(&self) -> Vec<Href> {
        self.changes
            .iter()
            .filter(|c| c.kind != ChangeKind::Deleted)
            .filter_map(|c| Href::parse(&c.href).ok())
            .collect()
    }
}

/// Collapses log rows (in any order) to the latest per href, in log order. With `limit`, keeps
/// the first `limit` hrefs and returns the token up to the last kept change.
pub fn collapse(rows: Vec<Change>, current: SyncToken, limit: Option<usize>) -> ChangeSet {
    let mut latest: BTreeMap<String, Change> = BTreeMap::new();
    for row in rows {
        match latest.get(&row.href) {
            Some(existing) if existing.seq >= row.seq => {}
            _ => {
                latest.insert(row.href.clone(), row);
            }
        }
    }
    let mut changes: Vec<Change> = latest.into_values().collect();
    changes.sort_by_key(|c| c.seq);
    match limit {
        Some(limit) if changes.len() > limit => {
            changes.truncate(limit);
            let last = changes.last().map_or(0, |c| c.seq);
            // Rows of a kept href that came after `last` are not lost: the next sync starts at
            // `last` and sees them again.
            ChangeSet {
                changes,
                token: SyncToken::new(current.calendar, last),
                truncated: true,
            }
        }
        _ => ChangeSet {
            changes,
            token: current,
            truncated: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(href: &str, kind: ChangeKind, seq: u64) -> Change {
        Change {
            href: href.to_owned(),
            kind,
            seq,
        }
    }

    #[test]
    fn tokens_round_trip_and_refuse_foreign_ones() {
        let calendar = CalendarId::new_random();
        let token = SyncToken::new(calendar, 7);
        assert_eq!(SyncToken::parse(&token.to_string(), calendar), Ok(token));
        assert_eq!(
            SyncToken::parse(&token.to_string(), CalendarId::new_random()),
            Err(SyncError::Unknown)
        );
        assert_eq!(SyncToken::parse("garbage", calendar), Err(SyncError::Unknown));
        assert_eq!(
            SyncToken::parse(&format!("{PREFIX}{calendar}/x"), calendar),
            Err(SyncError::Unknown)
        );
    }

    #[test]
    fn collapse_keeps_the_latest_change_per_href() {
        let calendar = CalendarId::new_random();
        let rows = vec![
            change("a.ics", ChangeKind::Created, 1),
            change("b.ics", ChangeKind::Created, 2),
            change("a.ics", ChangeKind::Updated, 3),
            change("b.ics", ChangeKind::Deleted, 4),
            change("c.ics", ChangeKind::Created, 5),
        ];
        let set = collapse(rows.clone(), SyncToken::new(calendar, 5), None);
        assert_eq!(
            set.changes,
            [
                change("a.ics", ChangeKind::Updated, 3),
                change("b.ics", ChangeKind::Deleted, 4),
                change("c.ics", ChangeKind::Created, 5)
            ]
        );
        assert!(!set.truncated);
        let limited = collapse(rows, SyncToken::new(calendar, 5), Some(2));
        assert_eq!(limited.changes.len(), 2);
        assert!(limited.truncated);
        assert_eq!(limited.token.seq(), 4);
    }
}
