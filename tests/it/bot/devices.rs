//! /device, /devices, /revoke: CalDAV passwords made, listed and revoked from the chat.

use televent_tests::stores;

use super::rig::{ANNA, BotRig, buttons, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_list_and_revoke_a_device_password() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/revoke");
    assert_eq!(text(&rig.sent(3).await), "You have no device passwords to revoke.");
    rig.send(ANNA, None, "/device iPhone");
    let made = rig.sent(4).await;
    let made_text = text(&made);
    assert!(
        made_text.starts_with("A password for \"iPhone\" (shown only this once; /revoke ends it):\n\n"),
        "{made_text}"
    );
    assert!(made_text.contains("\nServer: https://cal.example.com/dav/\nUser name: anna\nPassword: "));
    assert!(made_text.contains("\nThunderbird: ") && made_text.contains("\nAndroid: install DAVx5"));
    let password = made_text
        .lines()
        .find_map(|line| line.strip_prefix("Password: "))
        .unwrap()
        .to_owned();
    assert!(rig.engine.authenticate("anna", &password).await.unwrap().is_some());

    rig.send(ANNA, None, "/device");
    rig.sent(5).await;
    rig.send(ANNA, None, "/devices");
    let listed = text(&rig.sent(6).await).to_owned();
    assert!(listed.starts_with("Your device passwords:\n- "), "{listed}");
    assert!(
        listed.contains("- iPhone (made 10 Jun 2026, last used 10 Jun 2026 11:00)"),
        "{listed}"
    );
    assert!(
        listed.contains("- Calendar app (made 10 Jun 2026, never used)"),
        "{listed}"
    );

    rig.send(ANNA, None, "/revoke");
    let offer = rig.sent(7).await;
    let offered = buttons(&offer);
    assert_eq!(offered.len(), 2);
    let (_, data) = offered
        .iter()
        .find(|(label, _)| label == "Revoke iPhone")
        .unwrap()
        .clone();
    assert!(data.starts_with("dv:r:") && data.len() == 37, "{data}");
    rig.press(ANNA, &offer, &data);
    assert_eq!(rig.answered(1).await.body["text"], "Revoked.");
    assert_eq!(
        text(&rig.edited(1).await),
        "Revoked \"iPhone\": apps using it can no longer sign in."
    );
    assert!(rig.engine.authenticate("anna", &password).await.unwrap().is_none());
    rig.press(ANNA, &offer, &data);
    assert_eq!(rig.answered(2).await.body["text"], "This button is no longer in use.");

    // Someone else's button press revokes nothing of Anna's.
    rig.send(2002, Some("mallory"), "/start");
    rig.sent(8).await;
    let (_, other) = offered
        .iter()
        .find(|(label, _)| label == "Revoke Calendar app")
        .unwrap()
        .clone();
    rig.press(2002, &offer, &other);
    assert_eq!(rig.answered(3).await.body["text"], "This button is no longer in use.");
    let anna = rig.user(ANNA).await;
    assert_eq!(
        rig.engine
            .devices(&anna)
            .await
            .unwrap()
            .iter()
            .filter(|d| d.is_active())
            .count(),
        1
    );
    rig.stop().await;
}
