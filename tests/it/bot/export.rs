//! `/export`: the default calendar sent back as `<user>.ics`.

use televent_tests::fake_telegram::BOT_USERNAME;
use televent_tests::stores;

use super::rig::{ANNA, BotRig, PATIENCE, button, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_sends_the_calendar_as_a_document() {
    let rig = BotRig::start(stores::memory().await).await;
    let menu = rig.telegram.wait_for_calls("setmycommands", 1, PATIENCE).await;
    let listed = menu[0].body["commands"].as_array().unwrap();
    assert!(listed.iter().any(|c| c["command"] == "export"), "{listed:?}");

    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "Dentist tomorrow 15:30 for 1h at Main St 5");
    let draft = rig.sent(3).await;
    rig.press(ANNA, &draft, &button(&draft, "Save"));
    assert_eq!(rig.answered(1).await.body["text"], "Saved.");
    let objects = rig.objects(&anna).await;
    assert_eq!(objects.len(), 1);
    let uid = objects[0].index.uid.as_str().to_owned();

    rig.send(ANNA, None, "/export");
    let sent = rig.telegram.wait_for_calls("senddocument", 1, PATIENCE).await;
    let raw = sent[0].body.as_str().expect("a multipart body");
    assert!(raw.contains("filename=\"anna.ics\""), "{raw}");
    assert!(raw.contains(&format!("UID:{uid}\r\n")), "{raw}");
    assert!(raw.contains("SUMMARY:Dentist\r\n"), "{raw}");
    assert!(raw.contains("BEGIN:VCALENDAR\r\n"), "{raw}");
    assert!(raw.contains(": 1 event."), "the caption counts the events: {raw}");
    assert!(raw.contains(&ANNA.to_string()), "sent to Anna's chat: {raw}");

    // In a group, the calendar is not shown.
    rig.send_in_group(ANNA, -5000, &format!("/export@{BOT_USERNAME}"));
    assert_eq!(text(&rig.sent(4).await), "Please send me this in a private chat.");
    assert_eq!(rig.telegram.calls_named("senddocument").len(), 1);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_calendar_exports_too() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/export");
    let sent = rig.telegram.wait_for_calls("senddocument", 1, PATIENCE).await;
    let raw = sent[0].body.as_str().expect("a multipart body");
    assert!(raw.contains("filename=\"anna.ics\""), "{raw}");
    assert!(raw.contains(": 0 events."), "{raw}");
    assert!(!raw.contains("BEGIN:VEVENT"), "{raw}");
    rig.stop().await;
}
