//! /invite: pick an event, name e-mail addresses and @usernames; the attendees are written with
//! the user as organizer and the invitations wait in the outbox.

use televent_domain::event::Href;
use televent_domain::outbox::Channel;
use televent_domain::user::User;
use televent_ports::store::Precondition;
use televent_tests::stores;

use super::rig::{ANNA, BOB, BotRig, buttons, text};

async fn put(rig: &BotRig, user: &User, uid: &str, body: &str) {
    let calendar = rig.calendar(user).await;
    let ics = televent_tests::data::event(uid, body);
    let href = Href::parse(&format!("{uid}.ics")).unwrap();
    rig.engine
        .put_object(user, &calendar, &href, ics.as_bytes(), Precondition::None)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_by_e_mail_and_username() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.onboard(BOB, "bob", "Berlin", 3).await;
    rig.send(ANNA, None, "/invite");
    assert_eq!(
        text(&rig.sent(5).await),
        "Nothing planned in the next 14 days. Add an event first, like \"Lunch Friday 12:30\"."
    );
    put(
        &rig,
        &anna,
        "lunch",
        "DTSTART;TZID=Europe/Berlin:20260611T120000\r\nDTEND;TZID=Europe/Berlin:20260611T130000\r\nSUMMARY:Lunch\r\n",
    )
    .await;

    rig.send(ANNA, None, "/invite");
    let offer = rig.sent(6).await;
    assert_eq!(text(&offer), "Whom to invite to which event? Pick the event first:");
    let offered = buttons(&offer);
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].0, "👥 Lunch, Thu 11 Jun 12:00");
    rig.press(ANNA, &offer, &offered[0].1);
    rig.answered(1).await;
    assert!(text(&rig.sent(7).await).starts_with("Who should I invite to \"Lunch\"?"));
    rig.send(ANNA, None, "Kim@Example.com, @Bob");
    assert_eq!(
        text(&rig.sent(8).await),
        "Invited kim@example.com and @Bob to \"Lunch\"; they get the invitation by e-mail or in Telegram."
    );
    let objects = rig.objects(&anna).await;
    let ics = String::from_utf8(objects[0].bytes.clone()).unwrap();
    assert!(ics.contains("ORGANIZER:mailto:anna@televent.internal\r\n"), "{ics}");
    assert!(ics.contains("mailto:kim@example.com\r\n"), "{ics}");
    assert!(ics.contains("mailto:bob@televent.internal\r\n"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Lunch\r\n") && ics.contains("SEQUENCE:1\r\n"),
        "{ics}"
    );
    let outbox = rig.engine.outbox_messages(None, 100).await.unwrap();
    let mut sent: Vec<(Channel, String)> = outbox.iter().map(|m| (m.channel, m.recipient.clone())).collect();
    sent.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        sent,
        [
            (Channel::Telegram, BOB.to_string()),
            (Channel::Email, "kim@example.com".to_owned())
        ]
    );

    // /invite <addresses> right after picking; an unknown username invites nobody.
    rig.send(ANNA, None, "/invite");
    let offer = rig.sent(9).await;
    rig.press(ANNA, &offer, &buttons(&offer)[0].1);
    rig.sent(10).await;
    rig.send(ANNA, None, "/invite @ghost");
    assert_eq!(
        text(&rig.sent(11).await),
        "@ghost is not a Televent user I know, so I invited nobody for it.\n\
         Send e-mail addresses or @usernames of Televent users, like: anna@example.com @bob (or /cancel)"
    );
    rig.send(ANNA, None, "/invite lee@example.org @bob");
    assert_eq!(
        text(&rig.sent(12).await),
        "Invited lee@example.org to \"Lunch\"; they get the invitation by e-mail.\n@bob was invited already."
    );
    let ics = String::from_utf8(rig.objects(&anna).await[0].bytes.clone()).unwrap();
    assert_eq!(ics.matches("ATTENDEE").count(), 3, "{ics}");
    assert_eq!(ics.matches("ORGANIZER").count(), 1, "{ics}");
    assert_eq!(rig.engine.outbox_messages(None, 100).await.unwrap().len(), 3 + 2);
    rig.stop().await;
}
