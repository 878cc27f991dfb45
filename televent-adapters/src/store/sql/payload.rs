//! The JSON an outbox row's `payload` column holds, and its conversion to and from
//! [`OutboxPayload`].
//!
//! Domain types are deliberately not `Serialize`: this module owns the stored format. It must
//! stay readable by older and newer versions alike, so change it only by adding optional
//! fields. Instants are RFC 3339 strings, dates `YYYY-MM-DD`, identifiers UUID strings.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use televent_domain::attendee::{CalAddress, PartStat};
use televent_domain::ids::{CalendarId, UserId};
use televent_domain::outbox::{DigestNotice, Invitation, ItipMethod, OutboxPayload, ReminderNotice, ReplyNotice};
use televent_domain::user::TelegramId;
use televent_ports::StoreError;

use super::error::corrupt;

/// A payload as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum PayloadDto {
    Invitation(InvitationDto),
    Reminder(ReminderDto),
    Digest(DigestDto),
    Reply(ReplyDto),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
enum MethodDto {
    Request,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct InvitationDto {
    method: MethodDto,
    organizer: String,
    calendar: String,
    uid: String,
    sequence: i64,
    attendee: String,
    telegram_id: Option<i64>,
    summary: Option<String>,
    start: Option<String>,
    itip: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ReminderDto {
    user: String,
    telegram_id: Option<i64>,
    calendar: String,
    uid: String,
    summary: Option<String>,
    occurrence_start: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DigestDto {
    user: String,
    telegram_id: Option<i64>,
    date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ReplyDto {
    organizer: String,
    telegram_id: Option<i64>,
    attendee: String,
    answer: String,
    summary: Option<String>,
}

/// The JSON text to store for `payload`.
pub fn encode(payload: &OutboxPayload) -> Result<String, StoreError> {
    let dto = match payload {
        OutboxPayload::Invitation(i) => PayloadDto::Invitation(InvitationDto {
            method: match i.method {
                ItipMethod::Request => MethodDto::Request,
                ItipMethod::Cancel => MethodDto::Cancel,
            },
            organizer: i.organizer.to_string(),
            calendar: i.calendar.to_string(),
            uid: i.uid.clone(),
            sequence: i.sequence,
            attendee: i.attendee.as_str().to_owned(),
            telegram_id: i.telegram_id.map(TelegramId::get),
            summary: i.summary.clone(),
            start: i.start.map(rfc3339),
            itip: i.itip.clone(),
        }),
        OutboxPayload::Reminder(r) => PayloadDto::Reminder(ReminderDto {
            user: r.user.to_string(),
            telegram_id: r.telegram_id.map(TelegramId::get),
            calendar: r.calendar.to_string(),
            uid: r.uid.clone(),
            summary: r.summary.clone(),
            occurrence_start: rfc3339(r.occurrence_start),
        }),
        OutboxPayload::Digest(d) => PayloadDto::Digest(DigestDto {
            user: d.user.to_string(),
            telegram_id: d.telegram_id.map(TelegramId::get),
            date: d.date.to_string(),
        }),
        OutboxPayload::Reply(r) => PayloadDto::Reply(ReplyDto {
            organizer: r.organizer.to_string(),
            telegram_id: r.telegram_id.map(TelegramId::get),
            attendee: r.attendee.as_str().to_owned(),
            answer: r.answer.as_str().to_owned(),
            summary: r.summary.clone(),
        }),
    };
    serde_json::to_string(&dto).map_err(|e| StoreError::Invalid(format!("outbox payload does not serialize: {e}")))
}

/// The payload stored as `json`.
pub fn decode(json: &str) -> Result<OutboxPayload, StoreError> {
    let dto: PayloadDto = serde_json::from_str(json).map_err(|e| corrupt(format!("outbox payload: {e}")))?;
    Ok(match dto {
        PayloadDto::Invitation(i) => OutboxPayload::Invitation(Invitation {
            method: match i.method {
                MethodDto::Request => ItipMethod::Request,
                MethodDto::Cancel => ItipMethod::Cancel,
            },
            organizer: parse_id::<UserId>(&i.organizer)?,
            calendar: parse_id::<CalendarId>(&i.calendar)?,
            uid: i.uid,
            sequence: i.sequence,
            attendee: CalAddress::parse(&i.attendee)
                .ok_or_else(|| corrupt(format!("outbox payload: '{}' is not an address", i.attendee)))?,
            telegram_id: telegram(i.telegram_id)?,
            summary: i.summary,
            start: i.start.as_deref().map(parse_instant).transpose()?,
            itip: i.itip,
        }),
        PayloadDto::Reminder(r) => OutboxPayload::Reminder(ReminderNotice {
            user: parse_id::<UserId>(&r.user)?,
            telegram_id: telegram(r.telegram_id)?,
            calendar: parse_id::<CalendarId>(&r.calendar)?,
            uid: r.uid,
            summary: r.summary,
            occurrence_start: parse_instant(&r.occurrence_start)?,
        }),
        PayloadDto::Digest(d) => OutboxPayload::Digest(DigestNotice {
            user: parse_id::<UserId>(&d.user)?,
            telegram_id: telegram(d.telegram_id)?,
            date: d
                .date
                .parse::<NaiveDate>()
                .map_err(|e| corrupt(format!("outbox payload date '{}': {e}", d.date)))?,
        }),
        PayloadDto::Reply(r) => OutboxPayload::Reply(ReplyNotice {
            organizer: parse_id::<UserId>(&r.organizer)?,
            telegram_id: telegram(r.telegram_id)?,
            attendee: CalAddress::parse(&r.attendee)
                .ok_or_else(|| corrupt(format!("outbox payload: '{}' is not an address", r.attendee)))?,
            answer: PartStat::parse(&r.answer),
            summary: r.summary,
        }),
    })
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|e| corrupt(format!("outbox payload instant '{text}': {e}")))
}

fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| corrupt(format!("outbox payload id '{text}' is not a UUID")))
}

fn telegram(id: Option<i64>) -> Result<Option<TelegramId>, StoreError> {
    id.map(|id| TelegramId::new(id).map_err(corrupt)).transpose()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn check(payload: OutboxPayload) {
        let json = encode(&payload).unwrap();
        assert_eq!(decode(&json).unwrap(), payload, "{json}");
    }

    #[test]
    fn every_payload_round_trips() {
        let at = Utc.with_ymd_and_hms(2024, 6, 2, 9, 0, 0).unwrap();
        check(OutboxPayload::Invitation(Invitation {
            method: ItipMethod::Cancel,
            organizer: UserId::new_random(),
            calendar: CalendarId::new_random(),
            uid: "u@example.com".to_owned(),
            sequence: 3,
            attendee: CalAddress::parse("mailto:Bob@Example.com").unwrap(),
            telegram_id: Some(TelegramId::new(42).unwrap()),
            summary: Some("Lunch".to_owned()),
            start: Some(at + chrono::Duration::microseconds(5)),
            itip: "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n".to_owned(),
        }));
        check(OutboxPayload::Reminder(ReminderNotice {
            user: UserId::new_random(),
            telegram_id: None,
            calendar: CalendarId::new_random(),
            uid: "u".to_owned(),
            summary: None,
            occurrence_start: at,
        }));
        check(OutboxPayload::Digest(DigestNotice {
            user: UserId::new_random(),
            telegram_id: None,
            date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        }));
        check(OutboxPayload::Reply(ReplyNotice {
            organizer: UserId::new_random(),
            telegram_id: Some(TelegramId::new(7).unwrap()),
            attendee: CalAddress::parse("mailto:bob@televent.internal").unwrap(),
            answer: PartStat::Tentative,
            summary: Some("Lunch".to_owned()),
        }));
    }

    #[test]
    fn garbage_is_corrupt() {
        assert!(matches!(decode("{\"type\":\"reminder\"}"), Err(StoreError::Corrupt(_))));
        assert!(matches!(decode("not json"), Err(StoreError::Corrupt(_))));
    }
}
