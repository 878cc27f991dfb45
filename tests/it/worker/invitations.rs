//! Invitations by Telegram and by e-mail, answers, cancellations.

use televent_app::RsvpCallback;
use televent_domain::attendee::PartStat;
use televent_domain::ingest::ingest_resource;
use televent_domain::user::TelegramId;
use televent_tests::smtp_server::SinkOptions;
use televent_tests::stores::TestStore;

use super::rig::{PATIENCE, Rig, RigOptions, buttons, chat, meeting, text};

const ALICE: i64 = 1001;
const BOB: i64 = 2002;

pub async fn telegram_invitation_and_rsvp_round_trip(store: TestStore) {
    let rig = Rig::new(store).await;
    let (alice, calendar) = rig.user("alice", Some(ALICE), "Europe/Berlin").await;
    rig.user("bob", Some(BOB), "America/New_York").await;
    rig.user("mallory", Some(3003), "UTC").await;
    let ics = meeting("plan-1", "alice", &["bob@televent.internal"], "20260612T100000", "");
    let href = rig.put(&alice, &calendar, "plan-1", &ics).await;

    let report = rig.deliver().await;
    assert_eq!((report.claimed, report.delivered), (1, 1), "{report:?}");
    let sent = rig.telegram.wait_for_calls("sendmessage", 1, PATIENCE).await;
    assert_eq!(chat(&sent[0]), BOB);
    let body = text(&sent[0]);
    assert!(body.contains("alice invites you: Planning"), "{body}");
    assert!(
        body.contains("Fri 12 Jun 2026, 04:00–05:00 (America/New_York)"),
        "in bob's zone: {body}"
    );
    assert!(body.contains("Room 4"), "{body}");
    let answers = buttons(&sent[0]);
    let labels: Vec<&str> = answers.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(labels, ["Accept", "Maybe", "Decline"]);
    let accept = RsvpCallback::parse(&answers[0].1).unwrap();
    assert_eq!(accept.answer, PartStat::Accepted);

    // Saving the same version again invites nobody twice.
    rig.put(&alice, &calendar, "plan-1", &ics).await;
    assert_eq!(rig.deliver().await.claimed, 0);

    // Only the invited user may answer.
    let stranger = rig
        .engine
        .answer_invitation(TelegramId::new(3003).unwrap(), &accept)
        .await;
    assert!(
        matches!(stranger, Err(televent_app::AppError::NotFound(_))),
        "{stranger:?}"
    );

    let before = rig.engine.store().object(calendar.id, &href).await.unwrap().unwrap();
    let token = rig.engine.store().calendar_by_id(calendar.id).await.unwrap().unwrap();
    let outcome = rig
        .engine
        .answer_invitation(TelegramId::new(BOB).unwrap(), &accept)
        .await
        .unwrap();
    assert!(outcome.changed);
    assert_eq!(outcome.organizer, "alice");
    let after = rig.engine.store().object(calendar.id, &href).await.unwrap().unwrap();
    assert_ne!(after.etag, before.etag, "the organizer's copy has a new ETag");
    let resource = ingest_resource(&after.bytes).unwrap();
    let bob = &resource.object.primary().unwrap().attendees[0];
    assert_eq!(bob.status, PartStat::Accepted);
    let changes = rig
        .engine
        .store()
        .changes_since(calendar.id, Some(token.sync_token), Some(100))
        .await
        .unwrap();
    assert!(
        changes.changes.iter().any(|c| c.href == href.as_str()),
        "the sync token moved past the answer"
    );

    // The organizer is told.
    assert_eq!(rig.deliver().await.delivered, 1);
    let sent = rig.telegram.wait_for_calls("sendmessage", 2, PATIENCE).await;
    assert_eq!(chat(&sent[1]), ALICE);
    assert_eq!(text(&sent[1]), "✅ bob accepted Planning");

    // The same answer again changes nothing and tells nobody.
    let again = rig
        .engine
        .answer_invitation(TelegramId::new(BOB).unwrap(), &accept)
        .await
        .unwrap();
    assert!(!again.changed);
    assert_eq!(rig.deliver().await.claimed, 0);
}

pub async fn an_answer_saved_through_caldav_reaches_the_organizer(store: TestStore) {
    let rig = Rig::new(store).await;
    let (alice, alice_calendar) = rig.user("alice", Some(ALICE), "Europe/Berlin").await;
    let (bob, bob_calendar) = rig.user("bob", Some(BOB), "Europe/Berlin").await;
    let ics = meeting("plan-2", "alice", &["bob@televent.internal"], "20260612T100000", "");
    let href = rig.put(&alice, &alice_calendar, "plan-2", &ics).await;
    rig.deliver().await;

    // Bob's client stores its copy with his answer.
    let answered = ics.replace("PARTSTAT=NEEDS-ACTION;RSVP=TRUE", "PARTSTAT=DECLINED");
    rig.put(&bob, &bob_calendar, "plan-2", &answered).await;
    let organizer_copy = rig
        .engine
        .store()
        .object(alice_calendar.id, &href)
        .await
        .unwrap()
        .unwrap();
    let resource = ingest_resource(&organizer_copy.bytes).unwrap();
    assert_eq!(
        resource.object.primary().unwrap().attendees[0].status,
        PartStat::Declined
    );
    rig.deliver().await;
    let sent = rig.telegram.wait_for_calls("sendmessage", 2, PATIENCE).await;
    assert_eq!(chat(&sent[1]), ALICE);
    assert_eq!(text(&sent[1]), "❌ bob declined Planning");
}

pub async fn email_invitation_then_cancel(store: TestStore) {
    let options = RigOptions {
        smtp: Some(SinkOptions::default()),
        ..RigOptions::default()
    };
    let rig = Rig::with(store, options).await;
    let (alice, calendar) = rig.user("alice", Some(ALICE), "Europe/Berlin").await;
    let ics = meeting("plan-3", "alice", &["Carol@Example.com"], "20260612T100000", "");
    let href = rig.put(&alice, &calendar, "plan-3", &ics).await;
    assert_eq!(rig.deliver().await.delivered, 1);
    let sink = rig.smtp.as_ref().unwrap();
    let mail = sink.wait_for_messages(1, PATIENCE).await.remove(0);
    assert_eq!(mail.rcpt_tos, ["carol@example.com"]);
    assert_eq!(mail.header("subject"), Some("Invitation: Planning"));
    let readable = mail.part("text/plain").expect("a text part");
    assert!(
        readable.body.contains("alice invites you to \"Planning\""),
        "{}",
        readable.body
    );
    assert!(
        readable.body.contains("Fri 12 Jun 2026, 10:00–11:00 (Europe/Berlin)"),
        "{}",
        readable.body
    );
    let itip = mail.part("text/calendar").expect("an iTIP part");
    assert_eq!(itip.param("method"), Some("REQUEST"));
    assert!(itip.body.contains("METHOD:REQUEST"));
    assert!(itip.body.contains("UID:plan-3"));

    rig.engine
        .delete_object(&alice, &calendar, &href, televent_ports::store::Precondition::None)
        .await
        .unwrap();
    assert_eq!(rig.deliver().await.delivered, 1);
    let mail = sink.wait_for_messages(2, PATIENCE).await.remove(1);
    assert_eq!(mail.header("subject"), Some("Cancelled: Planning"));
    let itip = mail.part("text/calendar").unwrap();
    assert_eq!(itip.param("method"), Some("CANCEL"));
    assert!(itip.body.contains("STATUS:CANCELLED"));
    assert!(rig.sent().is_empty(), "an external attendee gets no Telegram message");
}

pub async fn rsvp_by_pressing_the_telegram_button(store: TestStore) {
    let rig = Rig::new(store).await;
    let (alice, calendar) = rig.user("alice", Some(ALICE), "Europe/Berlin").await;
    rig.user("bob", Some(BOB), "Europe/Berlin").await;
    let ics = meeting("plan-4", "alice", &["bob@televent.internal"], "20260612T100000", "");
    let href = rig.put(&alice, &calendar, "plan-4", &ics).await;
    rig.deliver().await;
    let invitation = rig.telegram.wait_for_calls("sendmessage", 1, PATIENCE).await.remove(0);
    let maybe = buttons(&invitation)[1].1.clone();

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let poller = {
        // The poller's calls wait up to 20 s for news: its client waits longer than that.
        let notifier =
            televent_adapters::telegram::notifier::TelegramNotifier::new(super::rig::TOKEN, Some(&rig.telegram.url()))
                .unwrap();
        let engine = rig.engine.clone();
        tokio::spawn(async move {
            televent_adapters::telegram::updates::run(&notifier, engine, async {
                let _ = stopped.await;
            })
            .await;
        })
    };
    let press = |update_id: i64, from: i64, data: &str| {
        serde_json::json!({
            "update_id": update_id,
            "callback_query": {
                "id": format!("cb{update_id}"),
                "from": {"id": from, "is_bot": false, "first_name": "Bob"},
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": 1_780_000_000,
                    "chat": {"id": from, "type": "private", "first_name": "Bob"},
                    "from": {"id": televent_tests::fake_telegram::BOT_ID, "is_bot": true, "first_name": "Televent"},
                    "text": text(&invitation),
                    "reply_markup": invitation.body["reply_markup"].clone(),
                }
            }
        })
    };
    rig.telegram.push_update(press(10, BOB, &maybe));
    let answered = rig.telegram.wait_for_calls("answercallbackquery", 1, PATIENCE).await;
    assert_eq!(answered[0].body["callback_query_id"], "cb10");
    assert_eq!(answered[0].body["text"], "You said maybe to Planning. alice is told.");
    let edited = rig.telegram.wait_for_calls("editmessagetext", 1, PATIENCE).await;
    assert!(
        text(&edited[0]).ends_with("\n\nYour answer: said maybe to"),
        "{}",
        text(&edited[0])
    );
    let stored = rig.engine.store().object(calendar.id, &href).await.unwrap().unwrap();
    let resource = ingest_resource(&stored.bytes).unwrap();
    assert_eq!(
        resource.object.primary().unwrap().attendees[0].status,
        PartStat::Tentative
    );

    // Someone else pressing a forwarded button changes nothing.
    rig.telegram.push_update(press(11, 3003, &maybe));
    let answered = rig.telegram.wait_for_calls("answercallbackquery", 2, PATIENCE).await;
    assert_eq!(
        answered[1].body["text"],
        "This invitation is no longer valid (the event may be gone)."
    );
    let _ = stop.send(());
    poller.await.unwrap();
}
