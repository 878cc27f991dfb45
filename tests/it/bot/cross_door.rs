//! Both doors on one store: what the chat saves is read over CalDAV, and what a CalDAV app
//! puts is listed by `/today`.

use hyper::StatusCode;
use televent_adapters::http::HttpConfig;
use televent_tests::server::TestServer;
use televent_tests::stores::{self, TestStore};

use super::rig::{ANNA, BotRig, button, text};

async fn chat_and_caldav_see_the_same_calendar(store: TestStore) {
    let server = TestServer::spawn_with(store.share(), HttpConfig::default()).await;
    let rig = BotRig::start(store).await;
    // TestServer made alice and bob; the chat's user is anna, and she is the one used below.
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    assert_eq!(anna.name.as_str(), "anna");

    // The chat saves an event.
    rig.send(ANNA, None, "Dentist tomorrow 15:30 for 1h at Main St 5");
    let draft = rig.sent(3).await;
    rig.press(ANNA, &draft, &button(&draft, "Save"));
    assert_eq!(rig.answered(1).await.body["text"], "Saved.");
    let objects = rig.objects(&anna).await;
    assert_eq!(objects.len(), 1);
    let href = objects[0].href.as_str().to_owned();

    // A device password from the chat.
    rig.send(ANNA, None, "/device Phone");
    let made = rig.sent(4).await;
    let password = text(&made)
        .lines()
        .find_map(|line| line.strip_prefix("Password: "))
        .unwrap_or_else(|| panic!("no password in {}", text(&made)))
        .to_owned();
    assert!(text(&made).contains("\nUser name: anna\n"), "{}", text(&made));

    // CalDAV, as anna with that password, lists the calendar and reads the event.
    let listing = server
        .request("PROPFIND", "/dav/calendars/anna/default/")
        .auth("anna", &password)
        .header("depth", "1")
        .xml(r#"<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>"#)
        .send()
        .await
        .multistatus();
    let event_path = format!("/dav/calendars/anna/default/{href}");
    listing.get(&event_path).ok("{DAV:}getetag");
    let got = server.request("GET", &event_path).auth("anna", &password).send().await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    let ics = got.text();
    assert!(ics.contains("SUMMARY:Dentist\r\n"), "{ics}");
    assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20260611T153000\r\n"), "{ics}");
    // Someone else's password does not open anna's calendar.
    let refused = server.request("GET", &event_path).send().await;
    assert_ne!(refused.status, StatusCode::OK);

    // A CalDAV app puts an event today (the bot's clock: Wed 10 Jun 2026, 09:00 UTC).
    let put = server
        .request("PUT", "/dav/calendars/anna/default/standup.ics")
        .auth("anna", &password)
        .header("content-type", "text/calendar; charset=utf-8")
        .header("if-none-match", "*")
        .body(televent_tests::data::event(
            "standup-from-caldav",
            "DTSTART;TZID=Europe/Berlin:20260610T140000\r\nDTEND;TZID=Europe/Berlin:20260610T143000\r\n\
             SUMMARY:Standup from the phone\r\n",
        ))
        .send()
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text());

    rig.send(ANNA, None, "/today");
    assert_eq!(
        text(&rig.sent(5).await),
        "Today, Wed 10 Jun\n14:00-14:30  Standup from the phone"
    );
    rig.send(ANNA, None, "/tomorrow");
    assert_eq!(
        text(&rig.sent(6).await),
        "Tomorrow, Thu 11 Jun\n15:30-16:30  Dentist (Main St 5)"
    );
    // The server holds the shared handle; the rig holds the store's guard, so it goes last.
    server.stop().await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_and_caldav_see_the_same_calendar_on_memory() {
    chat_and_caldav_see_the_same_calendar(stores::memory().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_and_caldav_see_the_same_calendar_on_sqlite() {
    chat_and_caldav_see_the_same_calendar(stores::sqlite().await).await;
}
