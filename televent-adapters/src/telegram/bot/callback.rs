//! The callback data of the bot's own buttons: short prefixes, at most 64 bytes (Telegram's
//! limit), parsed strictly. Invitation buttons (`rsvp:…`) are `televent_app::RsvpCallback`.

use chrono::NaiveTime;
use televent_domain::ids::DeviceId;

/// Telegram's limit on callback data, in bytes.
pub const MAX_CALLBACK_DATA: usize = 64;

/// A pressed button of the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// Save the pending draft with this id (`qa:s:<id>`).
    SaveDraft(String),
    /// Drop it (`qa:c:<id>`).
    CancelDraft(String),
    /// Correct it (`qa:e:<id>`).
    EditDraft(String),
    /// Revoke a device password (`dv:r:<uuid without dashes>`).
    RevokeDevice(DeviceId),
    /// Use this zone (`tz:<IANA name>`), one of several a city matched.
    PickZone(String),
    /// Turn notifications on or off (`st:n`).
    ToggleNotifications,
    /// Remind this many minutes before, 0 for no reminder (`st:r:<minutes>`).
    ReminderMinutes(u32),
    /// The daily digest at this time, or none (`st:d:<HHMM>`, `st:d:off`).
    DigestAt(Option<NaiveTime>),
    /// Ask for a new zone (`st:z`).
    ChangeZone,
    /// Offer to delete the event `/delete` listed under this token (`ev:d:<token>`).
    DeleteEvent(String),
    /// Delete it, confirmed (`ev:y:<token>`).
    ConfirmDelete(String),
    /// Keep it (`ev:n:<token>`).
    KeepEvent(String),
    /// Show the details of an event offered under this token (`ev:o:<token>`).
    OpenEvent(String),
    /// Ask for its new title (`ev:r:<token>`).
    RenameEvent(String),
    /// Ask for its new time (`ev:t:<token>`).
    MoveEvent(String),
    /// Ask whom to invite to it (`ev:i:<token>`).
    InviteTo(String),
}

impl Callback {
    /// Reads callback data; `None` for anything else (an old or foreign button).
    pub fn parse(data: &str) -> Option<Self> {
        if data.len() > MAX_CALLBACK_DATA {
            return None;
        }
        let draft_id = |id: &str| {
            (!id.is_empty() && id.len() <= 16 && id.chars().all(|c| c.is_ascii_hexdigit())).then(|| id.to_owned())
        };
        if let Some(id) = data.strip_prefix("qa:s:") {
            return draft_id(id).map(Self::SaveDraft);
        }
        if let Some(id) = data.strip_prefix("qa:c:") {
            return draft_id(id).map(Self::CancelDraft);
        }
        if let Some(id) = data.strip_prefix("qa:e:") {
            return draft_id(id).map(Self::EditDraft);
        }
        if let Some(token) = data.strip_prefix("ev:d:") {
            return draft_id(token).map(Self::DeleteEvent);
        }
        if let Some(token) = data.strip_prefix("ev:y:") {
            return draft_id(token).map(Self::ConfirmDelete);
        }
        if let Some(token) = data.strip_prefix("ev:n:") {
            return draft_id(token).map(Self::KeepEvent);
        }
        if let Some(token) = data.strip_prefix("ev:o:") {
            return draft_id(token).map(Self::OpenEvent);
        }
        if let Some(token) = data.strip_prefix("ev:r:") {
            return draft_id(token).map(Self::RenameEvent);
        }
        if let Some(token) = data.strip_prefix("ev:t:") {
            return draft_id(token).map(Self::MoveEvent);
        }
        if let Some(token) = data.strip_prefix("ev:i:") {
            return draft_id(token).map(Self::InviteTo);
        }
        if let Some(id) = data.strip_prefix("dv:r:") {
            if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            return id.parse().ok().map(Self::RevokeDevice);
        }
        if let Some(zone) = data.strip_prefix("tz:") {
            return zone
                .parse::<chrono_tz::Tz>()
                .ok()
                .map(|_| Self::PickZone(zone.to_owned()));
        }
        match data {
            "st:n" => return Some(Self::ToggleNotifications),
            "st:z" => return Some(Self::ChangeZone),
            "st:d:off" => return Some(Self::DigestAt(None)),
            _ => {}
        }
        if let Some(minutes) = data.strip_prefix("st:r:") {
            let minutes: u32 = minutes.parse().ok().filter(|m| *m <= 24 * 60)?;
            return Some(Self::ReminderMinutes(minutes));
        }
        if let Some(time) = data.strip_prefix("st:d:") {
            if time.len() != 4 {
                return None;
            }
            return NaiveTime::parse_from_str(time, "%H%M")
                .ok()
                .map(|t| Self::DigestAt(Some(t)));
        }
        None
    }

    /// The callback data for this button.
    pub fn data(&self) -> String {
        match self {
            Self::SaveDraft(id) => format!("qa:s:{id}"),
            Self::CancelDraft(id) => format!("qa:c:{id}"),
            Self::EditDraft(id) => format!("qa:e:{id}"),
            Self::RevokeDevice(id) => format!("dv:r:{}", id.as_uuid().simple()),
            Self::PickZone(zone) => format!("tz:{zone}"),
            Self::ToggleNotifications => "st:n".to_owned(),
            Self::ReminderMinutes(minutes) => format!("st:r:{minutes}"),
            Self::DigestAt(Some(time)) => format!("st:d:{}", time.format("%H%M")),
            Self::DigestAt(None) => "st:d:off".to_owned(),
            Self::ChangeZone => "st:z".to_owned(),
            Self::DeleteEvent(token) => format!("ev:d:{token}"),
            Self::ConfirmDelete(token) => format!("ev:y:{token}"),
            Self::KeepEvent(token) => format!("ev:n:{token}"),
            Self::OpenEvent(token) => format!("ev:o:{token}"),
            Self::RenameEvent(token) => format!("ev:r:{token}"),
            Self::MoveEvent(token) => format!("ev:t:{token}"),
            Self::InviteTo(token) => format!("ev:i:{token}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;
    use chrono_tz::TZ_VARIANTS;
    use televent_domain::ids::DeviceId;

    use super::{Callback, MAX_CALLBACK_DATA};

    #[test]
    fn round_trips_within_the_limit() {
        let mut all = vec![
            Callback::SaveDraft("0123456789ab".to_owned()),
            Callback::CancelDraft("0123456789ab".to_owned()),
            Callback::EditDraft("0123456789ab".to_owned()),
            Callback::RevokeDevice(DeviceId::new_random()),
            Callback::ToggleNotifications,
            Callback::ReminderMinutes(60),
            Callback::ReminderMinutes(0),
            Callback::DigestAt(NaiveTime::from_hms_opt(7, 0, 0)),
            Callback::DigestAt(None),
            Callback::ChangeZone,
            Callback::DeleteEvent("0123456789ab".to_owned()),
            Callback::ConfirmDelete("0123456789ab".to_owned()),
            Callback::KeepEvent("0123456789ab".to_owned()),
            Callback::OpenEvent("0123456789ab".to_owned()),
            Callback::RenameEvent("0123456789ab".to_owned()),
            Callback::MoveEvent("0123456789ab".to_owned()),
            Callback::InviteTo("0123456789ab".to_owned()),
        ];
        all.extend(TZ_VARIANTS.iter().map(|tz| Callback::PickZone(tz.name().to_owned())));
        for callback in all {
            let data = callback.data();
            assert!(data.len() <= MAX_CALLBACK_DATA, "{data}");
            assert_eq!(Callback::parse(&data), Some(callback), "{data}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        for data in [
            "",
            "qa:s:",
            "qa:s:xyz",
            "qa:x:0123",
            "dv:r:1234",
            "tz:Mars/Olympus",
            "st:r:abc",
            "st:d:7",
            "st:d:2500",
            "st:n:",
            "rsvp:a:1",
        ] {
            assert_eq!(Callback::parse(data), None, "{data}");
        }
    }
}
