//! /subscribe: the default calendar's read-only link, made once, renewed, revoked.

use televent_tests::stores;

use super::rig::{ANNA, BotRig, text};

fn link(body: &str) -> String {
    body.lines()
        .find(|line| line.starts_with("https://cal.example.com/ics/"))
        .unwrap_or_else(|| panic!("no link in {body}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_hands_out_renews_and_revokes_the_link() {
    let rig = BotRig::start(stores::memory().await).await;
    rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/subscribe");
    let first = text(&rig.sent(3).await).to_owned();
    let url = link(&first);
    assert!(first.contains("webcal://cal.example.com/ics/"), "{first}");
    let token = url
        .trim_start_matches("https://cal.example.com/ics/")
        .trim_end_matches(".ics")
        .to_owned();
    let (owner, calendar) = rig
        .engine
        .subscribed_calendar(&token)
        .await
        .unwrap()
        .expect("the link opens");
    assert_eq!(owner.name.as_str(), "anna");
    assert_eq!(calendar.slug.as_str(), "default");

    rig.send(ANNA, None, "/subscribe");
    assert_eq!(link(text(&rig.sent(4).await)), url, "asking again shows the same link");

    rig.send(ANNA, None, "/subscribe new");
    let renewed = link(text(&rig.sent(5).await));
    assert_ne!(renewed, url);
    assert_eq!(
        rig.engine.subscribed_calendar(&token).await.unwrap(),
        None,
        "the old link is dead"
    );

    rig.send(ANNA, None, "/subscribe off");
    assert!(text(&rig.sent(6).await).starts_with("Done: the subscription link no longer works"));
    let new_token = renewed
        .trim_start_matches("https://cal.example.com/ics/")
        .trim_end_matches(".ics");
    assert_eq!(rig.engine.subscribed_calendar(new_token).await.unwrap(), None);
    rig.send(ANNA, None, "/subscribe off");
    assert_eq!(text(&rig.sent(7).await), "There is no subscription link to revoke.");
    rig.send(ANNA, None, "/subscribe maybe");
    assert!(text(&rig.sent(8).await).starts_with("I don't know \"/subscribe maybe\""));
    rig.stop().await;
}
