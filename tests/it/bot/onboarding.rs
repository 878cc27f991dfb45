//! /start, the zone question, /help, the command menu, user names.

use televent_tests::stores;

use super::rig::{ANNA, BOB, BotRig, PATIENCE, button, buttons, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_contact_creates_the_user_and_asks_for_the_zone() {
    let rig = BotRig::start(stores::memory().await).await;
    let menu = rig.telegram.wait_for_calls("setmycommands", 1, PATIENCE).await;
    let commands: Vec<&str> = menu[0].body["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    for command in [
        "today", "tomorrow", "week", "agenda", "new", "device", "devices", "revoke", "settings", "help",
    ] {
        assert!(commands.contains(&command), "{command} in {commands:?}");
    }

    rig.send(ANNA, Some("Anna_B"), "/start");
    let welcome = rig.sent(1).await;
    assert_eq!(welcome.body["chat_id"], ANNA);
    assert!(text(&welcome).starts_with("Welcome to Televent!"), "{}", text(&welcome));
    assert!(
        text(&welcome).ends_with("Send your city (Berlin) or an IANA zone (Europe/Berlin)."),
        "{}",
        text(&welcome)
    );
    let anna = rig.user(ANNA).await;
    assert_eq!(anna.name.as_str(), "anna_b");
    assert_eq!(anna.time_zone.name(), "UTC");
    assert_eq!(rig.engine.calendars(&anna).await.unwrap().len(), 1);

    rig.send(ANNA, Some("Anna_B"), "berlin");
    assert_eq!(
        text(&rig.sent(2).await),
        "Your time zone is now Europe/Berlin. Send me an event, like \"Dentist tomorrow 15:30\", or ask /today."
    );
    assert_eq!(rig.user(ANNA).await.time_zone.name(), "Europe/Berlin");

    rig.send(ANNA, Some("Anna_B"), "/start");
    assert_eq!(
        text(&rig.sent(3).await),
        "Welcome back, anna_b! Your time zone is Europe/Berlin. Send me an event, or /help for the commands."
    );
    rig.send(ANNA, Some("Anna_B"), "/help");
    let help = rig.sent(4).await;
    assert!(text(&help).contains("\n/today - What is on today"), "{}", text(&help));
    rig.send(ANNA, Some("Anna_B"), "/frobnicate");
    assert!(text(&rig.sent(5).await).starts_with("Sorry, I did not understand that."));
    // Still one user, and the menu was registered once.
    assert_eq!(rig.engine.users().await.unwrap().len(), 1);
    assert_eq!(rig.telegram.calls_named("setmycommands").len(), 1);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_place_asks_again_and_an_ambiguous_city_offers_buttons() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.send(ANNA, Some("anna"), "/start");
    rig.sent(1).await;
    rig.send(ANNA, Some("anna"), "Atlantis");
    assert!(
        text(&rig.sent(2).await).starts_with("I don't know a time zone for \"Atlantis\"."),
        "asks again"
    );
    rig.send(ANNA, Some("anna"), "Buenos Aires");
    let choice = rig.sent(3).await;
    assert!(text(&choice).starts_with("Several zones are called Buenos Aires."));
    let offered = buttons(&choice);
    assert!(offered.len() > 1, "{offered:?}");
    assert!(
        offered
            .iter()
            .all(|(_, data)| data.starts_with("tz:") && data.len() <= 64)
    );
    let data = button(&choice, "America/Argentina/Buenos_Aires");
    let query = rig.press(ANNA, &choice, &data);
    let answered = rig.answered(1).await;
    assert_eq!(answered.body["callback_query_id"], query.as_str());
    assert_eq!(answered.body["text"], "Saved.");
    let edited = rig.edited(1).await;
    assert!(text(&edited).starts_with("Your time zone is now America/Argentina/Buenos_Aires."));
    assert_eq!(rig.user(ANNA).await.time_zone.name(), "America/Argentina/Buenos_Aires");

    // Answered: plain text is quick add again, not a city.
    rig.send(ANNA, Some("anna"), "Berlin");
    assert!(text(&rig.sent(4).await).starts_with("I couldn't find when it is."));
    // /timezone with a city sets it at once.
    rig.send(ANNA, Some("anna"), "/timezone Tokyo");
    assert!(text(&rig.sent(5).await).starts_with("Your time zone is now Asia/Tokyo."));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_come_from_usernames_made_unique_or_the_telegram_id() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.engine.create_user("anna", None, None).await.unwrap();
    rig.send(ANNA, Some("Anna"), "/start");
    rig.sent(1).await;
    assert_eq!(rig.user(ANNA).await.name.as_str(), "anna2");
    rig.send(BOB, None, "hello");
    let welcome = rig.sent(2).await;
    assert!(text(&welcome).contains("(user name: tg1002)"), "{}", text(&welcome));
    assert_eq!(rig.user(BOB).await.name.as_str(), "tg1002");
    rig.stop().await;
}
