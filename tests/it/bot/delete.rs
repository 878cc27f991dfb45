//! /delete: pick an event of the next days, confirm, and it is gone.

use televent_tests::stores;

use super::rig::{ANNA, BotRig, button, buttons, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_an_event_after_confirming() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/delete");
    assert_eq!(
        text(&rig.sent(3).await),
        "Nothing planned in the next 7 days, so nothing to delete."
    );
    for (n, event) in [(4, "Dentist tomorrow 15:30"), (5, "Standup every weekday 9:00")] {
        rig.send(ANNA, None, event);
        let draft = rig.sent(n).await;
        rig.press(ANNA, &draft, &button(&draft, "Save"));
    }
    rig.answered(2).await;
    assert_eq!(rig.objects(&anna).await.len(), 2);

    rig.send(ANNA, None, "/delete");
    let offer = rig.sent(6).await;
    let labels: Vec<String> = buttons(&offer).into_iter().map(|(label, _)| label).collect();
    assert_eq!(labels, ["🗑 Standup, Thu 11 Jun 09:00", "🗑 Dentist, Thu 11 Jun 15:30"]);
    let dentist = button(&offer, "🗑 Dentist, Thu 11 Jun 15:30");
    assert!(dentist.starts_with("ev:d:") && dentist.len() <= 64, "{dentist}");
    rig.press(ANNA, &offer, &dentist);
    let confirm = rig.edited(3).await;
    assert_eq!(
        text(&confirm),
        "Delete \"Dentist\"? If it repeats, every occurrence goes; invitees are told."
    );
    rig.press(ANNA, &confirm, &button(&confirm, "🗑 Delete"));
    assert_eq!(rig.answered(4).await.body["text"], "Deleted.");
    assert_eq!(text(&rig.edited(4).await), "Deleted \"Dentist\".");
    let left = rig.objects(&anna).await;
    assert_eq!(left.len(), 1);
    assert!(String::from_utf8_lossy(&left[0].bytes).contains("SUMMARY:Standup"));
    // The used offer is stale.
    rig.press(ANNA, &confirm, &button(&confirm, "🗑 Delete"));
    assert_eq!(rig.answered(5).await.body["text"], "This button is no longer in use.");

    // Keep deletes nothing.
    rig.send(ANNA, None, "/delete");
    let offer = rig.sent(7).await;
    rig.press(ANNA, &offer, &buttons(&offer)[0].1);
    let confirm = rig.edited(5).await;
    rig.press(ANNA, &confirm, &button(&confirm, "Keep"));
    assert_eq!(rig.answered(7).await.body["text"], "Kept.");
    assert_eq!(text(&rig.edited(6).await), "Nothing was deleted.");
    assert_eq!(rig.objects(&anna).await.len(), 1);
    rig.stop().await;
}
