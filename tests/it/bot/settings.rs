//! /settings and its buttons.

use televent_tests::stores;

use super::rig::{ANNA, BotRig, button, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_change_in_place() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/settings");
    let shown = rig.sent(3).await;
    assert_eq!(
        text(&shown),
        "Your settings:\nTime zone: Europe/Berlin\nReminder: 15 minutes before\nDaily digest: 08:00\nNotifications: on"
    );
    rig.press(ANNA, &shown, &button(&shown, "Turn notifications off"));
    assert_eq!(rig.answered(1).await.body["text"], "Saved.");
    let edited = rig.edited(1).await;
    assert!(text(&edited).ends_with("Notifications: off"), "{}", text(&edited));
    assert!(!rig.engine.preferences(&anna).await.unwrap().notifications_enabled);

    rig.press(ANNA, &shown, &button(&shown, "30 min"));
    rig.answered(2).await;
    rig.press(ANNA, &shown, &button(&shown, "no digest"));
    rig.answered(3).await;
    let preferences = rig.engine.preferences(&anna).await.unwrap();
    assert_eq!(preferences.reminder_minutes_before, Some(30));
    assert_eq!(preferences.daily_digest_time, None);
    rig.press(ANNA, &shown, &button(&shown, "no reminder"));
    rig.press(ANNA, &shown, &button(&shown, "07:00"));
    rig.answered(5).await;
    let preferences = rig.engine.preferences(&anna).await.unwrap();
    assert_eq!(preferences.reminder_minutes_before, None);
    assert_eq!(preferences.daily_digest_time, chrono::NaiveTime::from_hms_opt(7, 0, 0));
    let last = rig.edited(5).await;
    assert!(
        text(&last).contains("Reminder: none\nDaily digest: 07:00\nNotifications: off"),
        "{}",
        text(&last)
    );

    rig.press(ANNA, &shown, &button(&shown, "Change time zone"));
    rig.answered(6).await;
    assert_eq!(
        text(&rig.sent(4).await),
        "Your time zone is Europe/Berlin. Send your city (Berlin) or an IANA zone (Europe/Berlin)."
    );
    rig.send(ANNA, None, "new york");
    assert!(text(&rig.sent(5).await).starts_with("Your time zone is now America/New_York."));
    assert_eq!(rig.user(ANNA).await.time_zone.name(), "America/New_York");
    rig.stop().await;
}
