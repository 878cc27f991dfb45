//! Calendar use cases: properties changed and calendars deleted, owner only, audited.

use televent_app::AppError;
use televent_domain::calendar::{CalendarPatch, CalendarSlug, NewCalendar};
use televent_domain::event::Href;
use televent_domain::outbox::{ItipMethod, OutboxPayload};
use televent_ports::store::Precondition;

use crate::{engine, now};

fn event(uid: &str, attendee: Option<&str>) -> String {
    let attendee = attendee.map_or_else(String::new, |a| {
        format!("ORGANIZER:mailto:alice@televent.internal\r\nATTENDEE;RSVP=TRUE:mailto:{a}\r\n")
    });
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240601T000000Z\r\n\
DTSTART:20240610T100000Z\r\nDURATION:PT1H\r\nSUMMARY:{uid}\r\n{attendee}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// `(action, entity, detail)` of the audit log, oldest first.
async fn audit(engine: &televent_app::Televent) -> Vec<(String, String, Option<String>)> {
    let mut entries: Vec<_> = engine
        .store()
        .entries(None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.entity, e.detail))
        .collect();
    entries.reverse();
    entries
}

#[tokio::test]
async fn properties_change_for_the_owner_only_and_are_audited() {
    let engine = engine();
    let (alice, calendar) = engine.create_user("alice", None, None).await.unwrap();
    let (bob, _) = engine.create_user("bob", None, None).await.unwrap();
    let patch = CalendarPatch {
        display_name: Some("Home".to_owned()),
        color: Some(Some("#FF0000".to_owned())),
        order: Some(None),
        ..CalendarPatch::default()
    };

    assert_eq!(
        engine.update_calendar(&bob, &calendar, patch.clone()).await,
        Err(AppError::NotFound("calendar 'default'".to_owned())),
        "another user's calendar looks like none"
    );
    assert_eq!(engine.calendars(&alice).await.unwrap(), vec![calendar.clone()]);
    assert!(audit(&engine).await.is_empty());

    let updated = engine.update_calendar(&alice, &calendar, patch).await.unwrap();
    assert_eq!(updated.display_name, "Home");
    assert_eq!(updated.color.as_deref(), Some("#FF0000"));
    assert_eq!(updated.order, None);
    assert_eq!(engine.calendar(&alice, "default").await.unwrap(), updated);
    assert_eq!(
        audit(&engine).await,
        [(
            "calendar.update".to_owned(),
            "default".to_owned(),
            Some("changed: display_name, color, order".to_owned())
        )]
    );
    let entry = &engine.store().entries(Some(alice.id), 1).await.unwrap()[0];
    assert_eq!((entry.at, entry.user), (now(), Some(alice.id)));
}

#[tokio::test]
async fn deleting_a_calendar_removes_its_resources_tells_attendees_and_is_audited() {
    let engine = engine();
    let (alice, _) = engine.create_user("alice", None, None).await.unwrap();
    let (bob, _) = engine.create_user("bob", None, None).await.unwrap();
    let work = engine
        .create_calendar(&alice, NewCalendar::named(CalendarSlug::parse("work").unwrap(), "Work"))
        .await
        .unwrap();
    for (href, body) in [
        ("meeting.ics", event("meeting", Some("carol@example.com"))),
        ("alone.ics", event("alone", None)),
    ] {
        engine
            .put_object(
                &alice,
                &work,
                &Href::parse(href).unwrap(),
                body.as_bytes(),
                Precondition::None,
            )
            .await
            .unwrap();
    }

    assert_eq!(
        engine.delete_calendar(&bob, &work).await,
        Err(AppError::NotFound("calendar 'work'".to_owned()))
    );
    assert_eq!(
        engine.store().object_metas(work.id).await.unwrap().len(),
        2,
        "nothing removed"
    );

    engine.delete_calendar(&alice, &work).await.unwrap();
    assert!(matches!(
        engine.calendar(&alice, "work").await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(engine.calendars(&alice).await.unwrap().len(), 1);
    let cancels: Vec<(String, ItipMethod)> = engine
        .store()
        .list(None, 100, now())
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| match m.payload {
            OutboxPayload::Invitation(invitation) => Some((m.recipient, invitation.method)),
            _ => None,
        })
        .filter(|(_, method)| *method == ItipMethod::Cancel)
        .collect();
    assert_eq!(cancels, [("carol@example.com".to_owned(), ItipMethod::Cancel)]);
    assert_eq!(
        audit(&engine).await,
        [(
            "calendar.delete".to_owned(),
            "work".to_owned(),
            Some("2 resources".to_owned())
        )]
    );

    assert_eq!(
        engine.delete_calendar(&alice, &work).await,
        Err(AppError::NotFound("calendar 'work'".to_owned())),
        "already gone"
    );
}

#[tokio::test]
async fn the_default_calendar_is_never_deleted() {
    let engine = engine();
    let (alice, calendar) = engine.create_user("alice", None, None).await.unwrap();
    engine
        .put_object(
            &alice,
            &calendar,
            &Href::parse("a.ics").unwrap(),
            event("a", None).as_bytes(),
            Precondition::None,
        )
        .await
        .unwrap();
    assert_eq!(
        engine.delete_calendar(&alice, &calendar).await,
        Err(AppError::Forbidden("the default calendar cannot be deleted".to_owned()))
    );
    assert_eq!(engine.store().object_metas(calendar.id).await.unwrap().len(), 1);
    assert!(audit(&engine).await.is_empty());
}
