//! Builders for test data.

use chrono::{DateTime, TimeZone, Utc};
use televent_domain::calendar::Calendar;
use televent_domain::event::{Href, ObjectIndexRow};
use televent_domain::ingest::ingest_resource;
use televent_domain::outbox::{Channel, NewOutboxMessage, OutboxPayload, ReminderNotice};
use televent_domain::user::{TimeZoneId, User, UserName};
use televent_ports::Store;
use televent_ports::store::{NewUser, ObjectWrite, Precondition};

/// A fixed instant, so tests do not depend on the wall clock.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// The instant every test pretends it is.
pub fn now() -> DateTime<Utc> {
    at(2024, 6, 1, 12, 0)
}

/// A VEVENT resource with `uid` and extra lines `body` (DTSTART etc.).
pub fn event(uid: &str, body: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent tests//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// A timed one-hour event starting at `start` (iCalendar UTC form, `20240101T100000Z`).
pub fn timed(uid: &str, start: &str, summary: &str) -> String {
    event(
        uid,
        &format!("DTSTART:{start}\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n"),
    )
}

/// A write of `text` to `href` in `calendar`.
pub fn write(calendar: &Calendar, href: &str, text: &str, precondition: Precondition) -> ObjectWrite {
    let resource = ingest_resource(text.as_bytes()).unwrap();
    ObjectWrite {
        calendar: calendar.id,
        href: Href::parse(href).unwrap(),
        etag: resource.etag.clone(),
        index: ObjectIndexRow::of(&resource),
        bytes: resource.bytes,
        precondition,
        outbox: Vec::new(),
        at: now(),
    }
}

/// A reminder message with this idempotency key.
pub fn reminder_message(user: &User, key: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Telegram,
        recipient: "42".to_owned(),
        payload: OutboxPayload::Reminder(ReminderNotice {
            user: user.id,
            telegram_id: None,
            calendar: televent_domain::ids::CalendarId::new_random(),
            uid: "u".to_owned(),
            summary: Some("Standup".to_owned()),
            occurrence_start: at(2024, 6, 2, 9, 0),
        }),
        idempotency_key: key.to_owned(),
        available_at: now(),
    }
}

/// Creates user `name` (UTC) and returns it with its default calendar.
pub async fn user(store: &dyn Store, name: &str) -> (User, Calendar) {
    store
        .create_user(NewUser {
            name: UserName::parse(name).unwrap(),
            telegram_id: None,
            time_zone: TimeZoneId::UTC,
            at: now(),
        })
        .await
        .unwrap()
}
