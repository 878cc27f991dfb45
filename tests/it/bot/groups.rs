//! Groups: only commands that name the bot; secrets only in private chats; stray buttons.

use televent_tests::fake_telegram::BOT_USERNAME;
use televent_tests::stores;

use super::rig::{ANNA, BotRig, text};

const GROUP: i64 = -100_500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_groups_only_commands_naming_the_bot_are_answered() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send_in_group(ANNA, GROUP, "/today");
    rig.send_in_group(ANNA, GROUP, "Dentist tomorrow 15:30");
    rig.send_in_group(ANNA, GROUP, "/today@some_other_bot");
    rig.send_in_group(ANNA, GROUP, &format!("/today@{BOT_USERNAME}"));
    let today = rig.sent(3).await;
    assert_eq!(today.body["chat_id"], GROUP);
    assert_eq!(text(&today), "Today, Wed 10 Jun\nNothing planned.");
    rig.send_in_group(ANNA, GROUP, &format!("/device@{BOT_USERNAME}"));
    assert_eq!(text(&rig.sent(4).await), "Please send me this in a private chat.");
    assert_eq!(
        rig.telegram.calls_named("sendmessage").len(),
        4,
        "the others were ignored"
    );
    let anna = rig.user(ANNA).await;
    assert!(rig.engine.devices(&anna).await.unwrap().is_empty());

    // A button the bot does not know (or no longer knows).
    let message = rig.sent(1).await;
    for data in ["zz:1", "qa:s:", "dv:r:00", "st:r:x"] {
        rig.press(ANNA, &message, data);
    }
    let answers = rig
        .telegram
        .wait_for_calls("answercallbackquery", 4, super::rig::PATIENCE)
        .await;
    assert!(
        answers
            .iter()
            .all(|a| a.body["text"] == "This button is no longer in use.")
    );
    rig.stop().await;
}
