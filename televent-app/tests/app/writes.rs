use chrono::Duration;
use televent_app::AppError;
use televent_domain::event::Href;
use televent_domain::outbox::{Channel, ItipMethod, OutboxPayload};
use televent_ports::store::Precondition;

use crate::{engine, now};

fn meeting(attendees: &[&str], sequence: u32) -> String {
    let lines: String = attendees
        .iter()
        .map(|a| format!("ATTENDEE;RSVP=TRUE:mailto:{a}\r\n"))
        .collect();
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:meeting-1\r\nDTSTAMP:20240601T000000Z\r\nSEQUENCE:{sequence}\r\n\
DTSTART;TZID=Europe/Berlin:20240610T100000\r\nDURATION:PT1H\r\nSUMMARY:Planning\r\nORGANIZER:mailto:alice@televent.internal\r\n\
ATTENDEE:mailto:alice@televent.internal\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// `(channel, recipient, method)` of every outbox message.
async fn sent(engine: &televent_app::Televent) -> Vec<(Channel, String, ItipMethod)> {
    let mut messages: Vec<_> = engine
        .store()
        .list(None, 100, now())
        .await
        .unwrap()
        .into_iter()
        .map(|m| match m.payload {
            OutboxPayload::Invitation(invitation) => (m.channel, m.recipient, invitation.method),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    messages.sort_by_key(|(c, r, m)| (c.as_str(), r.clone(), *m == ItipMethod::Cancel));
    messages
}

#[tokio::test]
async fn an_organizers_writes_invite_update_and_cancel_through_the_right_channels() {
    let engine = engine();
    let (alice, calendar) = engine.create_user("alice", None, Some("Europe/Berlin")).await.unwrap();
    engine.create_user("bob", Some(4242), None).await.unwrap();
    let href = Href::parse("meeting.ics").unwrap();

    let first = meeting(&["bob@televent.internal", "carol@example.com"], 0);
    engine
        .put_object(&alice, &calendar, &href, first.as_bytes(), Precondition::IfNoneMatchAny)
        .await
        .unwrap();
    assert_eq!(
        sent(&engine).await,
        [
            (Channel::Email, "carol@example.com".to_owned(), ItipMethod::Request),
            (Channel::Telegram, "4242".to_owned(), ItipMethod::Request),
        ],
        "the organizer is not invited; bob by Telegram, carol by e-mail"
    );
    // Saving the same version again invites nobody twice.
    engine
        .put_object(&alice, &calendar, &href, first.as_bytes(), Precondition::None)
        .await
        .unwrap();
    assert_eq!(sent(&engine).await.len(), 2);

    // Carol is dropped in version 1: she gets a CANCEL, bob a new REQUEST.
    let second = meeting(&["bob@televent.internal"], 1);
    engine
        .put_object(&alice, &calendar, &href, second.as_bytes(), Precondition::None)
        .await
        .unwrap();
    let messages = sent(&engine).await;
    assert!(
        messages.contains(&(Channel::Email, "carol@example.com".to_owned(), ItipMethod::Cancel)),
        "{messages:?}"
    );
    assert_eq!(
        messages
            .iter()
            .filter(|(_, r, m)| r == "4242" && *m == ItipMethod::Request)
            .count(),
        2
    );

    // Deleting cancels for everyone still invited.
    engine
        .delete_object(&alice, &calendar, &href, Precondition::None)
        .await
        .unwrap();
    assert!(
        sent(&engine)
            .await
            .contains(&(Channel::Telegram, "4242".to_owned(), ItipMethod::Cancel))
    );
    let cancel = engine
        .store()
        .list(None, 100, now())
        .await
        .unwrap()
        .into_iter()
        .find_map(|m| match m.payload {
            OutboxPayload::Invitation(i) if m.recipient == "4242" && i.method == ItipMethod::Cancel => Some(i),
            _ => None,
        })
        .unwrap();
    assert!(cancel.itip.contains("METHOD:CANCEL\r\n") && cancel.itip.contains("STATUS:CANCELLED\r\n"));
    let invitation = cancel;
    assert_eq!(invitation.uid, "meeting-1");
}

#[tokio::test]
async fn an_event_someone_else_organizes_sends_nothing() {
    let engine = engine();
    let (alice, calendar) = engine.create_user("alice", None, None).await.unwrap();
    let foreign = meeting(&["carol@example.com"], 0).replace(
        "ORGANIZER:mailto:alice@televent.internal",
        "ORGANIZER:mailto:boss@example.com",
    );
    engine
        .put_object(
            &alice,
            &calendar,
            &Href::parse("m.ics").unwrap(),
            foreign.as_bytes(),
            Precondition::None,
        )
        .await
        .unwrap();
    assert!(sent(&engine).await.is_empty());
}

#[tokio::test]
async fn bad_data_and_foreign_calendars_are_refused_and_store_nothing() {
    let engine = engine();
    let (alice, calendar) = engine.create_user("alice", None, None).await.unwrap();
    let (bob, _) = engine.create_user("bob", None, None).await.unwrap();
    let href = Href::parse("x.ics").unwrap();
    let error = engine
        .put_object(
            &alice,
            &calendar,
            &href,
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
            Precondition::None,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Ingest(_)), "{error:?}");
    let body = meeting(&[], 0);
    let error = engine
        .put_object(&bob, &calendar, &href, body.as_bytes(), Precondition::None)
        .await
        .unwrap_err();
    assert_eq!(error, AppError::NotFound("calendar 'default'".to_owned()));
    assert!(engine.store().objects(calendar.id).await.unwrap().is_empty());
    assert_eq!(engine.calendar(&alice, "default").await.unwrap().sync_token.seq(), 0);
}

#[tokio::test]
async fn the_agenda_reads_floating_and_all_day_times_in_the_users_zone() {
    let engine = engine();
    let (alice, calendar) = engine.create_user("alice", None, Some("Asia/Tokyo")).await.unwrap();
    let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n\
BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20240610T090000\r\nDURATION:PT1H\r\nSUMMARY:floating\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20240611\r\nSUMMARY:all day\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20240610T000000Z\r\nSUMMARY:cancelled\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let report = engine
        .import(&alice, &calendar, body.as_bytes(), &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(report.created, 3);
    let entries = engine
        .agenda(&alice, &[], now() + Duration::days(8), now() + Duration::days(11))
        .await
        .unwrap();
    let seen: Vec<(String, String, bool)> = entries
        .iter()
        .map(|e| (e.summary.clone().unwrap(), e.start.to_rfc3339(), e.all_day))
        .collect();
    assert_eq!(
        seen,
        [
            ("floating".to_owned(), "2024-06-10T09:00:00+09:00".to_owned(), false),
            ("all day".to_owned(), "2024-06-11T00:00:00+09:00".to_owned(), true),
        ]
    );
    // Importing the same file again replaces in place.
    let again = engine
        .import(&alice, &calendar, body.as_bytes(), &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!((again.created, again.updated), (0, 3));
}
