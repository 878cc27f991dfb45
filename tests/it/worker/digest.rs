//! The daily digest at each user's own local time.

use chrono::NaiveTime;
use televent_domain::outbox::OutboxStatus;
use televent_tests::data::at;
use televent_tests::stores::TestStore;

use super::rig::{PATIENCE, Rig, RigOptions, chat, text};

pub async fn digests_go_at_local_time_in_two_zones(store: TestStore) {
    let rig = Rig::with(
        store,
        RigOptions {
            start: at(2026, 6, 10, 4, 50),
            ..RigOptions::default()
        },
    )
    .await;
    let (alice, calendar) = rig.user("alice", Some(1001), "Europe/Berlin").await;
    let (bob, _) = rig.user("bob", Some(2002), "America/New_York").await;
    let (carol, _) = rig.user("carol", Some(3003), "America/New_York").await;
    for (user, when_empty) in [(&alice, false), (&bob, false), (&carol, true)] {
        let mut preferences = rig.engine.preferences(user).await.unwrap();
        preferences.daily_digest_time = NaiveTime::from_hms_opt(7, 0, 0);
        preferences.reminder_minutes_before = None;
        preferences.digest_when_empty = when_empty;
        rig.engine.set_preferences(user, preferences).await.unwrap();
    }
    let lunch = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\nBEGIN:VEVENT\r\nUID:lunch\r\nDTSTAMP:20260601T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260610T123000\r\nDTEND;TZID=Europe/Berlin:20260610T133000\r\nSUMMARY:Lunch\r\nLOCATION:Canteen\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:fair\r\nDTSTAMP:20260601T000000Z\r\nDTSTART;VALUE=DATE:20260610\r\nSUMMARY:Book fair\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let report = rig
        .engine
        .import(&alice, &calendar, lunch.as_bytes(), &mut |_, _| {})
        .await
        .unwrap();
    assert!(report.rejected.is_empty());

    // 07:00 in Berlin (CEST) is 05:00 UTC; 07:00 in New York (EDT) is 11:00 UTC.
    assert_eq!(rig.schedule().await.digests, 1);
    let pending = rig.messages(Some(OutboxStatus::Pending)).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].available_at, at(2026, 6, 10, 5, 0));
    rig.clock.set(at(2026, 6, 10, 5, 0));
    assert_eq!(rig.deliver().await.delivered, 1);
    let sent = rig.telegram.wait_for_calls("sendmessage", 1, PATIENCE).await;
    assert_eq!(chat(&sent[0]), 1001);
    assert_eq!(
        text(&sent[0]),
        "☀️ Wednesday 10 June\nall day  Book fair\n12:30–13:30  Lunch · Canteen"
    );

    rig.clock.set(at(2026, 6, 10, 10, 45));
    assert_eq!(rig.schedule().await.digests, 2, "bob and carol");
    rig.clock.set(at(2026, 6, 10, 11, 0));
    let report = rig.deliver().await;
    assert_eq!((report.delivered, report.dropped), (1, 1), "{report:?}");
    let sent = rig.telegram.wait_for_calls("sendmessage", 2, PATIENCE).await;
    assert_eq!(sent.len(), 2, "bob's empty day stays silent");
    assert_eq!(chat(&sent[1]), 3003);
    assert_eq!(text(&sent[1]), "☀️ Wednesday 10 June\nNothing planned today.");
    assert_eq!(rig.schedule().await.digests, 0, "one digest per day");
}
