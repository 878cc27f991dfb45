//! A shared location answers the zone question with the nearest known place's zone.

use televent_tests::stores;

use super::rig::{ANNA, BotRig, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_location_sets_the_zone() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.send(ANNA, Some("anna"), "/start");
    let welcome = rig.sent(1).await;
    let share = &welcome.body["reply_markup"]["keyboard"][0][0];
    assert_eq!(share["text"], "📍 Share location");
    assert_eq!(share["request_location"], true);

    // Potsdam, next to Berlin.
    rig.send_location(ANNA, 52.39, 13.06);
    let set = rig.sent(2).await;
    assert_eq!(
        text(&set),
        "Your time zone is Europe/Berlin (nearest: Berlin). Wrong? Type a city, like: /timezone Paris"
    );
    assert_eq!(set.body["reply_markup"]["remove_keyboard"], true);
    assert_eq!(rig.user(ANNA).await.time_zone.name(), "Europe/Berlin");

    // Asked again (/timezone), Brooklyn is New York.
    rig.send(ANNA, None, "/timezone");
    let asked = rig.sent(3).await;
    assert!(
        text(&asked).starts_with("Your time zone is Europe/Berlin."),
        "{}",
        text(&asked)
    );
    assert_eq!(asked.body["reply_markup"]["keyboard"][0][0]["request_location"], true);
    rig.send_location(ANNA, 40.68, -73.94);
    assert!(text(&rig.sent(4).await).starts_with("Your time zone is America/New_York (nearest: New York)."),);
    assert_eq!(rig.user(ANNA).await.time_zone.name(), "America/New_York");
    // The question is answered: text is an event again.
    rig.send(ANNA, None, "Dentist tomorrow 15:30");
    assert!(text(&rig.sent(5).await).starts_with("New event:"));
    rig.stop().await;
}
