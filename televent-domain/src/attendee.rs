//! Organizers and attendees (RFC 5545 sections 3.8.4.1, 3.8.4.3), with role and status.

use crate::ical::Property;

/// A calendar user address, normalised: `mailto:` addresses are lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalAddress(String);

impl CalAddress {
    /// Normalises an address as written in ORGANIZER or ATTENDEE.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.get(..7) {
            Some(prefix) if prefix.eq_ignore_ascii_case("mailto:") => {
                let email = text.get(7..).unwrap_or_default().trim();
                (!email.is_empty()).then(|| Self(format!("mailto:{}", email.to_lowercase())))
            }
            _ => Some(Self(text.to_owned())),
        }
    }

    /// The address as a URI, for example `mailto:anna@example.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The e-mail address of a `mailto:` URI.
    pub fn email(&self) -> Option<&str> {
        self.0.strip_prefix("mailto:")
    }
}

/// An attendee's part in the meeting (ROLE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// CHAIR
    Chair,
    /// REQ-PARTICIPANT, the default.
    Required,
    /// OPT-PARTICIPANT
    Optional,
    /// NON-PARTICIPANT
    NonParticipant,
    /// Any other value, kept as written.
    Other(String),
}

/// An attendee's answer (PARTSTAT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartStat {
    /// NEEDS-ACTION, the default.
    NeedsAction,
    /// ACCEPTED
    Accepted,
    /// DECLINED
    Declined,
    /// TENTATIVE
    Tentative,
    /// DELEGATED
    Delegated,
    /// Any other value, kept as written.
    Other(String),
}

impl PartStat {
    /// The iCalendar token.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NeedsAction => "NEEDS-ACTION",
            Self::Accepted => "ACCEPTED",
            Self::Declined => "DECLINED",
            Self::Tentative => "TENTATIVE",
            Self::Delegated => "DELEGATED",
            Self::Other(other) => other,
        }
    }

    /// Reads a PARTSTAT token.
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_uppercase().as_str() {
            "" | "NEEDS-ACTION" => Self::NeedsAction,
            "ACCEPTED" => Self::Accepted,
            "DECLINED" => Self::Declined,
            "TENTATIVE" => Self::Tentative,
            "DELEGATED" => Self::Delegated,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// An ATTENDEE property, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Who.
    pub address: CalAddress,
    /// CN
    pub common_name: Option<String>,
    /// ROLE
    pub role: Role,
    /// PARTSTAT
    pub status: PartStat,
    /// RSVP=TRUE
    pub rsvp: bool,
}

impl Attendee {
    /// Reads an ATTENDEE property; `None` when its value is empty.
    pub fn from_property(property: &Property) -> Option<Self> {
        let address = CalAddress::parse(&property.value)?;
        let role = match property.param("ROLE").map(str::to_ascii_uppercase).as_deref() {
            None | Some("REQ-PARTICIPANT") => Role::Required,
            Some("CHAIR") => Role::Chair,
            Some("OPT-PARTICIPANT") => Role::Optional,
            Some("NON-PARTICIPANT") => Role::NonParticipant,
            Some(other) => Role::Other(other.to_owned()),
        };
        Some(Self {
            address,
            common_name: property.param("CN").map(str::to_owned),
            role,
            status: PartStat::parse(property.param("PARTSTAT").unwrap_or_default()),
            rsvp: property.param("RSVP").is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
        })
    }
}

/// An ORGANIZER property, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    /// Who.
    pub address: CalAddress,
    /// CN
    pub common_name: Option<String>,
}

impl Organizer {
    /// Reads an ORGANIZER property; `None` when its value is empty.
    pub fn from_property(property: &Property) -> Option<Self> {
        Some(Self {
            address: CalAddress::parse(&property.value)?,
            common_name: property.param("CN").map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::content_line::parse_line;

    #[test]
    fn reads_attendees() {
        let line = "ATTENDEE;CN=Anna;ROLE=OPT-PARTICIPANT;PARTSTAT=accepted;RSVP=TRUE:MAILTO:Anna@Example.com";
        let attendee = Attendee::from_property(&parse_line(line, 1).unwrap()).unwrap();
        assert_eq!(attendee.address.as_str(), "mailto:anna@example.com");
        assert_eq!(attendee.address.email(), Some("anna@example.com"));
        assert_eq!(attendee.role, Role::Optional);
        assert_eq!(attendee.status, PartStat::Accepted);
        assert!(attendee.rsvp);
        assert_eq!(attendee.common_name.as_deref(), Some("Anna"));
    }
}
