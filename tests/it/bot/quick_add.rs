//! Quick add: a message read into a draft, confirmed with Save or dropped with Cancel.

use televent_domain::outbox::Channel;
use televent_tests::stores::{self, TestStore};

use super::rig::{ANNA, BOB, BotRig, button, buttons, text};

async fn save_a_draft(store: TestStore) {
    let rig = BotRig::start(store).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "Dentist tomorrow 15:30 for 1h at Main St 5");
    let draft = rig.sent(3).await;
    assert_eq!(
        text(&draft),
        "New event:\nDentist\nWhen: Thu 11 Jun 2026 15:30-16:30 (Europe/Berlin)\nWhere: Main St 5\n\nSave it?"
    );
    let labels: Vec<String> = buttons(&draft).into_iter().map(|(label, _)| label).collect();
    assert_eq!(labels, ["Save", "Edit", "Cancel"]);
    assert!(buttons(&draft).iter().all(|(_, data)| data.len() <= 64));
    assert!(rig.objects(&anna).await.is_empty(), "nothing stored before Save");

    let save = button(&draft, "Save");
    assert!(save.starts_with("qa:s:"), "{save}");
    rig.press(ANNA, &draft, &save);
    assert_eq!(rig.answered(1).await.body["text"], "Saved.");
    let edited = rig.edited(1).await;
    assert!(text(&edited).starts_with("Saved.\nDentist\n"), "{}", text(&edited));
    assert!(edited.body.get("reply_markup").is_none(), "the buttons are gone");
    let objects = rig.objects(&anna).await;
    assert_eq!(objects.len(), 1);
    let ics = String::from_utf8(objects[0].bytes.clone()).unwrap();
    assert!(ics.contains("SUMMARY:Dentist\r\n"), "{ics}");
    assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20260611T153000\r\n"), "{ics}");
    assert!(ics.contains("LOCATION:Main St 5\r\n"), "{ics}");

    // The same button again: the draft is gone.
    rig.press(ANNA, &draft, &save);
    assert_eq!(rig.answered(2).await.body["text"], "This button is no longer in use.");
    assert_eq!(rig.objects(&anna).await.len(), 1);

    rig.send(ANNA, None, "/tomorrow");
    assert_eq!(
        text(&rig.sent(4).await),
        "Tomorrow, Thu 11 Jun\n15:30-16:30  Dentist (Main St 5)"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_a_draft_on_memory() {
    save_a_draft(stores::memory().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_a_draft_on_sqlite() {
    save_a_draft(stores::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_edit_new_and_what_cannot_be_read() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/new Standup every weekday 9:00");
    let draft = rig.sent(3).await;
    assert!(text(&draft).contains("\nRepeats: every weekday"), "{}", text(&draft));
    rig.press(ANNA, &draft, &button(&draft, "Edit"));
    assert_eq!(
        rig.answered(1).await.body["text"],
        "Send the corrected text and I will read it again."
    );
    rig.press(ANNA, &draft, &button(&draft, "Cancel"));
    assert_eq!(rig.answered(2).await.body["text"], "Cancelled.");
    assert_eq!(text(&rig.edited(1).await), "Cancelled: nothing was saved.");
    rig.press(ANNA, &draft, &button(&draft, "Save"));
    assert_eq!(rig.answered(3).await.body["text"], "This button is no longer in use.");
    assert!(rig.objects(&anna).await.is_empty());

    // A newer draft replaces the older: the old Save button is stale.
    rig.send(ANNA, None, "Lunch Friday 12:30");
    let first = rig.sent(4).await;
    rig.send(ANNA, None, "Lunch Friday 13:00");
    let second = rig.sent(5).await;
    rig.press(ANNA, &first, &button(&first, "Save"));
    assert_eq!(rig.answered(4).await.body["text"], "This button is no longer in use.");
    rig.press(ANNA, &second, &button(&second, "Save"));
    assert_eq!(rig.answered(5).await.body["text"], "Saved.");
    assert_eq!(rig.objects(&anna).await.len(), 1);

    rig.send(ANNA, None, "hello there");
    assert_eq!(
        text(&rig.sent(6).await),
        "I couldn't find when it is. Try: Dentist tomorrow 15:30 for 1h, or Standup every weekday 9:00"
    );
    rig.send(ANNA, None, "/new");
    assert!(text(&rig.sent(7).await).starts_with("Send /new with the event"));
    rig.press(ANNA, &first, "qa:s:zz");
    assert_eq!(rig.answered(6).await.body["text"], "This button is no longer in use.");

    // A draft waits 30 minutes for its Save, by the engine's clock.
    rig.send(ANNA, None, "Call mom tomorrow 18:00");
    let waiting = rig.sent(8).await;
    rig.clock.advance(chrono::Duration::minutes(31));
    rig.press(ANNA, &waiting, &button(&waiting, "Save"));
    assert_eq!(rig.answered(7).await.body["text"], "This button is no longer in use.");
    assert_eq!(rig.objects(&anna).await.len(), 1);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_draft_invites_through_the_outbox() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.onboard(BOB, "bob", "Berlin", 3).await;
    rig.send(ANNA, None, "Lunch with @bob tomorrow 12:00");
    let draft = rig.sent(5).await;
    assert!(text(&draft).contains("\nInvites: @bob\n"), "{}", text(&draft));
    rig.press(ANNA, &draft, &button(&draft, "Save"));
    assert_eq!(rig.answered(1).await.body["text"], "Saved.");
    let outbox = rig.engine.outbox_messages(None, 100).await.unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0].channel, Channel::Telegram);
    assert_eq!(outbox[0].recipient, BOB.to_string());
    rig.stop().await;
}
