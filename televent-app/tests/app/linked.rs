//! Linked addresses: an attendee at an address a user linked is that user, as organizer,
//! as invitee (invited on Telegram) and as the one who answers.

use televent_app::AppError;
use televent_domain::attendee::{CalAddress, PartStat};
use televent_domain::event::Href;
use televent_domain::ingest::ingest_resource;
use televent_domain::outbox::{Channel, OutboxPayload};
use televent_ports::store::Precondition;

use crate::{engine, now};

fn meeting(uid: &str, organizer: &str, attendees: &[&str]) -> String {
    let lines: String = attendees
        .iter()
        .map(|a| format!("ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{a}\r\n"))
        .collect();
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240601T000000Z\r\n\
DTSTART:20240610T100000Z\r\nDURATION:PT1H\r\nSUMMARY:Planning\r\nORGANIZER:mailto:{organizer}\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// `(channel, recipient, attendee)` of every invitation in the outbox, sorted.
async fn invited(engine: &televent_app::Televent) -> Vec<(Channel, String, String)> {
    let mut invited: Vec<_> = engine
        .store()
        .list(None, 100, now())
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| match m.payload {
            OutboxPayload::Invitation(invitation) => {
                Some((m.channel, m.recipient, invitation.attendee.as_str().to_owned()))
            }
            _ => None,
        })
        .collect();
    invited.sort_by_key(|(c, r, a)| (c.as_str(), r.clone(), a.clone()));
    invited
}

fn address(text: &str) -> CalAddress {
    CalAddress::parse(text).unwrap()
}

#[tokio::test]
async fn addresses_are_checked_linked_listed_and_unlinked() {
    let engine = engine();
    let (anna, _) = engine.create_user("anna", None, None).await.unwrap();
    let (bob, _) = engine.create_user("bob", None, None).await.unwrap();

    for bad in [
        "anna",
        "@example.com",
        "anna@",
        "a@b@c",
        "anna @example.com",
        "mailto:",
        "",
    ] {
        let result = engine.link_address(&anna, bad).await;
        assert!(
            matches!(&result, Err(AppError::Invalid(why)) if why.contains("not an e-mail address")),
            "{bad}: {result:?}"
        );
    }
    let internal = engine.link_address(&anna, "bob@televent.internal").await;
    assert!(matches!(internal, Err(AppError::Invalid(_))), "{internal:?}");

    let linked = engine.link_address(&anna, "MAILTO:Anna@Example.com").await.unwrap();
    assert_eq!(linked, address("mailto:anna@example.com"));
    engine.link_address(&anna, "anna@example.com").await.unwrap();
    engine.link_address(&anna, "a@work.example").await.unwrap();
    assert_eq!(
        engine.addresses(&anna).await.unwrap(),
        [address("mailto:a@work.example"), address("mailto:anna@example.com")]
    );
    assert_eq!(
        engine.own_addresses(&anna).await.unwrap(),
        [
            address("mailto:anna@televent.internal"),
            address("mailto:a@work.example"),
            address("mailto:anna@example.com")
        ]
    );

    let stolen = engine.link_address(&bob, "anna@example.com").await;
    assert_eq!(
        stolen,
        Err(AppError::AlreadyExists(
            "another user's link to anna@example.com".to_owned()
        ))
    );
    let not_his = engine.unlink_address(&bob, "anna@example.com").await;
    assert!(matches!(not_his, Err(AppError::NotFound(_))), "{not_his:?}");
    engine.unlink_address(&anna, "a@work.example").await.unwrap();
    assert_eq!(
        engine.addresses(&anna).await.unwrap(),
        [address("mailto:anna@example.com")]
    );
}

#[tokio::test]
async fn a_linked_address_is_invited_on_telegram_and_its_answer_reaches_the_organizer() {
    let engine = engine();
    let (alice, alice_calendar) = engine.create_user("alice", Some(1001), None).await.unwrap();
    let (bob, bob_calendar) = engine.create_user("bob", Some(4242), None).await.unwrap();
    engine.link_address(&bob, "bob@example.com").await.unwrap();
    let href = Href::parse("plan.ics").unwrap();

    let ics = meeting(
        "plan",
        "alice@televent.internal",
        &["Bob@Example.com", "carol@example.com"],
    );
    engine
        .put_object(
            &alice,
            &alice_calendar,
            &href,
            ics.as_bytes(),
            Precondition::IfNoneMatchAny,
        )
        .await
        .unwrap();
    assert_eq!(
        invited(&engine).await,
        [
            (
                Channel::Email,
                "carol@example.com".to_owned(),
                "mailto:carol@example.com".to_owned()
            ),
            (
                Channel::Telegram,
                "4242".to_owned(),
                "mailto:bob@example.com".to_owned()
            ),
        ],
        "bob's linked address is bob, on Telegram; carol is e-mailed"
    );

    // Bob's client saves his copy with his answer, on the linked address's line.
    let answered = ics.replace(
        "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:Bob@Example.com",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:Bob@Example.com",
    );
    engine
        .put_object(&bob, &bob_calendar, &href, answered.as_bytes(), Precondition::None)
        .await
        .unwrap();
    let organizer_copy = engine.store().object(alice_calendar.id, &href).await.unwrap().unwrap();
    let resource = ingest_resource(&organizer_copy.bytes).unwrap();
    let attendees = &resource.object.primary().unwrap().attendees;
    assert_eq!(attendees[0].address, address("mailto:bob@example.com"));
    assert_eq!(attendees[0].status, PartStat::Accepted);
}

#[tokio::test]
async fn a_user_organizes_with_a_linked_address() {
    let engine = engine();
    engine.create_user("alice", Some(1001), None).await.unwrap();
    let (bob, calendar) = engine.create_user("bob", Some(4242), None).await.unwrap();
    engine.link_address(&bob, "bob@example.com").await.unwrap();
    let href = Href::parse("review.ics").unwrap();

    let ics = meeting(
        "review",
        "bob@example.com",
        &[
            "bob@example.com",
            "bob@televent.internal",
            "alice@televent.internal",
            "dave@example.com",
        ],
    );
    engine
        .put_object(&bob, &calendar, &href, ics.as_bytes(), Precondition::IfNoneMatchAny)
        .await
        .unwrap();
    assert_eq!(
        invited(&engine).await,
        [
            (
                Channel::Email,
                "dave@example.com".to_owned(),
                "mailto:dave@example.com".to_owned()
            ),
            (
                Channel::Telegram,
                "1001".to_owned(),
                "mailto:alice@televent.internal".to_owned()
            ),
        ],
        "bob organizes, so he invites, and none of his own addresses is invited"
    );
}
