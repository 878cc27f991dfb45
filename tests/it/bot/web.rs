//! /web: a one-time sign-in link to the web page, and a Mini App button over HTTPS.

use televent_tests::stores;

use super::rig::{ANNA, BotRig, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_gives_a_link_that_signs_in_once() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/web");
    let sent = rig.sent(3).await;
    let body = text(&sent);
    assert!(body.ends_with("\n\nIt works once, within 10 minutes."), "{body}");
    let link = body
        .lines()
        .find(|line| line.starts_with("https://cal.example.com/login#token="))
        .unwrap_or_else(|| panic!("no link in {body}"));
    assert_eq!(sent.body["link_preview_options"]["is_disabled"], true);
    let app = &sent.body["reply_markup"]["inline_keyboard"][0][0];
    assert_eq!(app["text"], "Open in Telegram");
    assert_eq!(app["web_app"]["url"], "https://cal.example.com/week");

    let token = link.split_once("#token=").unwrap().1;
    let session = rig
        .engine
        .sign_in_with_link(token)
        .await
        .unwrap()
        .expect("the link signs in");
    assert_eq!(session.user.id, anna.id);
    assert_eq!(rig.engine.sign_in_with_link(token).await.unwrap(), None, "only once");

    rig.send(ANNA, None, "/help");
    let help = rig.sent(4).await;
    assert!(text(&help).contains("\n/web - "), "{}", text(&help));
    let menu = rig.telegram.calls_named("setmycommands");
    assert!(
        menu[0].body["commands"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["command"] == "web"),
        "{menu:?}"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_without_a_public_url_explains() {
    let now = televent_tests::data::at(2026, 6, 10, 9, 0);
    let rig = BotRig::start_with(stores::memory().await, now, None).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/web");
    let sent = rig.sent(3).await;
    assert!(
        text(&sent).starts_with("This server has no public web address configured"),
        "{}",
        text(&sent)
    );
    assert!(text(&sent).contains("TELEVENT_PUBLIC_URL"), "{}", text(&sent));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_over_plain_http_has_no_mini_app_button() {
    let now = televent_tests::data::at(2026, 6, 10, 9, 0);
    let rig = BotRig::start_with(stores::memory().await, now, Some("http://localhost:8080")).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/web");
    let sent = rig.sent(3).await;
    assert!(
        text(&sent).contains("\nhttp://localhost:8080/login#token="),
        "{}",
        text(&sent)
    );
    assert!(sent.body.get("reply_markup").is_none(), "{:?}", sent.body);
    rig.stop().await;
}
