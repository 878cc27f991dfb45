//! The Interceptor: for each attendee of an event, decide how the invitation travels.
//!
//! An attendee at `@televent.internal`, or at an address that belongs to a Televent user with
//! a Telegram id, is invited through Telegram; any other `mailto:` attendee by e-mail. The
//! organizer is never invited, and an attendee that asked for client-side scheduling is left
//! alone.

use std::collections::BTreeSet;

use crate::attendee::{Attendee, CalAddress};
use crate::object::CalendarObject;
use crate::user::{INTERNAL_DOMAIN, TelegramId, UserName};

/// A Televent user an address may belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRecipient {
    /// The user.
    pub name: UserName,
    /// Their Telegram account, if linked.
    pub telegram_id: Option<TelegramId>,
}

/// How one attendee is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Through the Telegram bot.
    Telegram {
        /// The Televent user.
        user: UserName,
        /// Their chat, when linked; without it the message waits until they link one.
        telegram_id: Option<TelegramId>,
    },
    /// By e-mail (iTIP over SMTP).
    Email {
        /// The address.
        address: String,
    },
    /// Not invited, and why.
    Skip(String),
}

/// The decision for one attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The attendee as written.
    pub attendee: Attendee,
    /// How they are reached.
    pub route: Route,
}

/// Decides, for every distinct attendee of `object`, how they are invited. `organizer` lists
/// the organizer's own addresses; `lookup` finds the Televent user behind an address.
pub fn route_attendees(
    object: &CalendarObject,
    organizer: &[CalAddress],
    lookup: impl Fn(&CalAddress) -> Option<KnownRecipient>,
) -> Vec<Decision> {
    let mut seen = BTreeSet::new();
    let organizer_in_object: Vec<CalAddress> = object
        .components()
        .filter_map(|c| c.organizer.as_ref().map(|o| o.address.clone()))
        .collect();
    let mut decisions = Vec::new();
    for attendee in object.components().flat_map(|c| c.attendees.iter()) {
        if !seen.insert(attendee.address.clone()) {
            continue;
        }
        let is_organizer = organizer.contains(&attendee.address) || organizer_in_object.contains(&attendee.address);
        let route = if is_organizer {
            Route::Skip("the organizer is not invited".to_owned())
        } else {
            route_one(&attendee.address, &lookup)
        };
        decisions.push(Decision {
            attendee: attendee.clone(),
            route,
        });
    }
    decisions
}

fn route_one(address: &CalAddress, lookup: &impl Fn(&CalAddress) -> Option<KnownRecipient>) -> Route {
    let Some(email) = address.email() else {
        return Route::Skip(format!("{} is not an e-mail address", address.as_str()));
    };
    if let Some((local, domain)) = email.rsplit_once('@')
        && domain == INTERNAL_DOMAIN
    {
        return match lookup(address) {
            Some(known) => Route::Telegram {
                user: known.name,
                telegram_id: known.telegram_id,
            },
            None => Route::Skip(format!("no Televent user is called '{local}'")),
        };
    }
    match lookup(address) {
        Some(known) if known.telegram_id.is_some() => Route::Telegram {
            user: known.name,
            telegram_id: known.telegram_id,
        },
        _ => Route::Email {
            address: email.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest_resource;

    fn object(attendees: &[&str]) -> CalendarObject {
        let lines: String = attendees.iter().map(|a| format!("ATTENDEE:{a}\r\n")).collect();
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART:20240101T100000Z\r\nORGANIZER:mailto:boss@example.com\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        ingest_resource(text.as_bytes()).unwrap().object
    }

    #[test]
    fn each_attendee_gets_the_right_channel() {
        let object = object(&[
            "mailto:boss@example.com",
            "mailto:anna@televent.internal",
            "mailto:ghost@televent.internal",
            "mailto:Bob@Example.org",
            "mailto:linked@example.net",
            "urn:uuid:123",
            "mailto:anna@televent.internal",
        ]);
        let anna = UserName::parse("anna").unwrap();
        let linked = UserName::parse("linked").unwrap();
        let lookup = |address: &CalAddress| match address.as_str() {
            "mailto:anna@televent.internal" => Some(KnownRecipient {
                name: anna.clone(),
                telegram_id: TelegramId::new(7).ok(),
            }),
            "mailto:linked@example.net" => Some(KnownRecipient {
                name: linked.clone(),
                telegram_id: TelegramId::new(8).ok(),
            }),
            _ => None,
        };
        let routes: Vec<Route> = route_attendees(&object, &[], lookup)
            .into_iter()
            .map(|d| d.route)
            .collect();
        assert_eq!(routes.len(), 6, "duplicates are routed once");
        assert!(matches!(&routes[0], Route::Skip(why) if why.contains("organizer")));
        assert_eq!(
            routes[1],
            Route::Telegram {
                user: UserName::parse("anna").unwrap(),
                telegram_id: TelegramId::new(7).ok()
            }
        );
        assert!(matches!(&routes[2], Route::Skip(why) if why.contains("ghost")));
        assert_eq!(
            routes[3],
            Route::Email {
                address: "bob@example.org".to_owned()
            }
        );
        assert!(matches!(
            &routes[4],
            Route::Telegram {
                telegram_id: Some(_),
                ..
            }
        ));
        assert!(matches!(&routes[5], Route::Skip(_)));
    }
}
