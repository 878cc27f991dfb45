//! Reminders: scheduled ahead with their due time, sent when due, at the right instant across
//! a DST change, once however often the scheduler runs.

use chrono::Duration;
use televent_domain::outbox::OutboxStatus;
use televent_tests::data::at;
use televent_tests::stores::TestStore;

use super::rig::{PATIENCE, Rig, RigOptions, chat, text};

const ALICE: i64 = 1001;

/// Sundays 10:00 in Berlin from 22 March 2026: CET (UTC+1) that day, CEST (UTC+2) from 29 March.
const WEEKLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\nBEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20260301T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260322T100000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;BYDAY=SU\r\nSUMMARY:Sunday run\r\nLOCATION:Park\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

pub async fn reminders_of_a_weekly_event_follow_dst(store: TestStore) {
    let rig = Rig::with(
        store,
        RigOptions {
            start: at(2026, 3, 22, 8, 30),
            ..RigOptions::default()
        },
    )
    .await;
    let (alice, calendar) = rig.user("alice", Some(ALICE), "Europe/Berlin").await;
    let mut preferences = rig.engine.preferences(&alice).await.unwrap();
    preferences.daily_digest_time = None;
    rig.engine.set_preferences(&alice, preferences).await.unwrap();
    rig.put(&alice, &calendar, "weekly", WEEKLY).await;

    // Before DST: 10:00 CET is 09:00 UTC, so 15 minutes before is 08:45 UTC.
    assert_eq!(rig.schedule().await.reminders, 1);
    assert_eq!(
        rig.schedule().await.reminders,
        0,
        "scheduling again enqueues nothing new"
    );
    let pending = rig.messages(Some(OutboxStatus::Pending)).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].available_at, at(2026, 3, 22, 8, 45));
    assert_eq!(rig.deliver().await.claimed, 0, "not due yet");
    rig.clock.set(at(2026, 3, 22, 8, 45));
    assert_eq!(rig.deliver().await.delivered, 1);
    let sent = rig.telegram.wait_for_calls("sendmessage", 1, PATIENCE).await;
    assert_eq!(chat(&sent[0]), ALICE);
    assert_eq!(
        text(&sent[0]),
        "⏰ Sunday run\nstarts at 10:00 (in 15 minutes)\n📍 Park"
    );

    // After DST: 10:00 CEST is 08:00 UTC, so 07:45 UTC.
    rig.clock.set(at(2026, 3, 29, 7, 30));
    assert_eq!(rig.schedule().await.reminders, 1);
    let due: Vec<_> = rig
        .messages(Some(OutboxStatus::Pending))
        .await
        .into_iter()
        .map(|m| m.available_at)
        .collect();
    assert_eq!(due, [at(2026, 3, 29, 7, 45)]);
    rig.clock.set(at(2026, 3, 29, 7, 46));
    assert_eq!(rig.deliver().await.delivered, 1);
    let sent = rig.telegram.wait_for_calls("sendmessage", 2, PATIENCE).await;
    assert_eq!(
        text(&sent[1]),
        "⏰ Sunday run\nstarts at 10:00 (in 14 minutes)\n📍 Park"
    );

    // Notifications off: nothing is scheduled.
    let mut preferences = rig.engine.preferences(&alice).await.unwrap();
    preferences.notifications_enabled = false;
    rig.engine.set_preferences(&alice, preferences).await.unwrap();
    rig.clock.set(at(2026, 4, 5, 7, 30));
    assert_eq!(rig.schedule().await.reminders, 0);
}

pub async fn a_moved_event_is_not_reminded_at_the_old_time(store: TestStore) {
    let rig = Rig::with(
        store,
        RigOptions {
            start: at(2026, 6, 10, 7, 30),
            ..RigOptions::default()
        },
    )
    .await;
    let (alice, calendar) = rig.user("alice", Some(ALICE), "UTC").await;
    let event = |start: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\nBEGIN:VEVENT\r\nUID:dentist\r\nDTSTAMP:20260601T000000Z\r\nDTSTART:{start}\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    rig.put(&alice, &calendar, "dentist", &event("20260610T080000Z")).await;
    assert_eq!(rig.schedule().await.reminders, 1);
    // Moved to the afternoon before the reminder went out.
    rig.put(&alice, &calendar, "dentist", &event("20260610T150000Z")).await;
    rig.advance(Duration::minutes(16));
    let report = rig.deliver().await;
    assert_eq!((report.delivered, report.dropped), (0, 1), "{report:?}");
    assert!(rig.sent().is_empty());
    // The new time gets its own reminder.
    rig.clock.set(at(2026, 6, 10, 14, 40));
    assert_eq!(rig.schedule().await.reminders, 1);
    rig.clock.set(at(2026, 6, 10, 14, 45));
    assert_eq!(rig.deliver().await.delivered, 1);
    let sent = rig.telegram.wait_for_calls("sendmessage", 1, PATIENCE).await;
    assert!(
        text(&sent[0]).starts_with("⏰ Dentist\nstarts at 15:00"),
        "{}",
        text(&sent[0])
    );
}
