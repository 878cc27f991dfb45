//! GET, HEAD, PUT and DELETE of resources, with If-Match / If-None-Match and every refusal of
//! bad data as a 4xx naming its precondition.

use super::put_event;
use televent_domain::calendar::{CalendarSlug, NewCalendar};
use televent_domain::component::ComponentKind;
use televent_domain::etag::ETag;
use televent_tests::data::{event, timed};
use televent_tests::server::TestServer;

fn href(server: &TestServer, name: &str) -> String {
    format!("{}{name}", server.calendar_path())
}

#[tokio::test]
async fn put_stores_the_bytes_exactly_and_get_and_head_return_them() {
    let server = TestServer::spawn().await;
    // LF line ends and no trailing newline: kept exactly as sent.
    let body = timed("exact", "20240601T100000Z", "Exact")
        .replace("\r\n", "\n")
        .trim_end()
        .to_owned();
    let put = server
        .request("PUT", &href(&server, "exact.ics"))
        .header("content-type", "text/calendar")
        .body(body.clone())
        .send()
        .await;
    assert_eq!(put.status, 201, "{}", put.text());
    let etag = put.header("etag").unwrap();
    assert_eq!(etag, ETag::of(body.as_bytes()).as_str());
    let get = server.request("GET", &href(&server, "exact.ics")).send().await;
    assert_eq!(get.status, 200);
    assert_eq!(get.body, body.as_bytes());
    assert_eq!(get.header("etag").as_deref(), Some(etag.as_str()));
    assert!(get.header("content-type").unwrap().starts_with("text/calendar"));
    assert!(get.header("last-modified").unwrap().ends_with("GMT"));
    let head = server.request("HEAD", &href(&server, "exact.ics")).send().await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag").as_deref(), Some(etag.as_str()));
    assert_eq!(head.header("content-length"), Some(body.len().to_string()));
    let cached = server
        .request("GET", &href(&server, "exact.ics"))
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(cached.status, 304);
}

#[tokio::test]
async fn if_none_match_star_creates_and_then_refuses() {
    let server = TestServer::spawn().await;
    let body = timed("new", "20240601T100000Z", "New");
    let first = server
        .request("PUT", &href(&server, "new.ics"))
        .header("if-none-match", "*")
        .body(body.clone())
        .send()
        .await;
    assert_eq!(first.status, 201, "{}", first.text());
    let second = server
        .request("PUT", &href(&server, "new.ics"))
        .header("if-none-match", "*")
        .body(body)
        .send()
        .await;
    assert_eq!(second.status, 412);
}

#[tokio::test]
async fn if_match_guards_updates_and_deletes() {
    let server = TestServer::spawn().await;
    let created = put_event(&server, "guarded", "20240601T100000Z").await;
    let etag = created.header("etag").unwrap();
    let path = href(&server, "guarded.ics");
    let changed = timed("guarded", "20240601T110000Z", "Moved");
    let stale = server
        .request("PUT", &path)
        .header("if-match", "\"not-the-etag\"")
        .body(changed.clone())
        .send()
        .await;
    assert_eq!(stale.status, 412);
    let weak = server
        .request("PUT", &path)
        .header("if-match", &format!("W/{etag}"))
        .body(changed.clone())
        .send()
        .await;
    assert_eq!(weak.status, 412);
    let updated = server
        .request("PUT", &path)
        .header("if-match", &etag)
        .body(changed.clone())
        .send()
        .await;
    assert_eq!(updated.status, 204);
    let new_etag = updated.header("etag").unwrap();
    assert_eq!(new_etag, ETag::of(changed.as_bytes()).as_str());
    let missing = server
        .request("PUT", &href(&server, "absent.ics"))
        .header("if-match", "*")
        .body(timed("absent", "20240601T100000Z", "x"))
        .send()
        .await;
    assert_eq!(missing.status, 412);
    let old = server.request("DELETE", &path).header("if-match", &etag).send().await;
    assert_eq!(old.status, 412);
    assert_eq!(server.request("GET", &path).send().await.status, 200);
    let deleted = server
        .request("DELETE", &path)
        .header("if-match", &new_etag)
        .send()
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(server.request("GET", &path).send().await.status, 404);
    assert_eq!(server.request("DELETE", &path).send().await.status, 404);
}

#[tokio::test]
async fn an_update_without_conditions_answers_204_and_delete_without_if_match_works() {
    let server = TestServer::spawn().await;
    assert_eq!(put_event(&server, "plain", "20240601T100000Z").await.status, 201);
    assert_eq!(put_event(&server, "plain", "20240601T120000Z").await.status, 204);
    assert_eq!(
        server
            .request("DELETE", &href(&server, "plain.ics"))
            .send()
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn bad_data_is_refused_with_its_precondition_and_nothing_is_stored() {
    let server = TestServer::spawn().await;
    let two_uids = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{}{}END:VCALENDAR\r\n",
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"
    );
    let journal = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VJOURNAL\r\nUID:j\r\nDTSTAMP:20240101T000000Z\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n";
    let cases = [
        (
            "garbage",
            "this is not iCalendar at all".to_owned(),
            "{urn:ietf:params:xml:ns:caldav}valid-calendar-data",
        ),
        (
            "empty",
            String::new(),
            "{urn:ietf:params:xml:ns:caldav}valid-calendar-data",
        ),
        (
            "two-uids",
            two_uids,
            "{urn:ietf:params:xml:ns:caldav}valid-calendar-object-resource",
        ),
        (
            "journal",
            journal.to_owned(),
            "{urn:ietf:params:xml:ns:caldav}supported-calendar-component",
        ),
    ];
    for (name, body, precondition) in cases {
        let response = server
            .request("PUT", &href(&server, &format!("{name}.ics")))
            .body(body)
            .send()
            .await;
        assert_eq!(response.status, 403, "{name}: {}", response.text());
        assert_eq!(response.precondition(), precondition, "{name}");
        assert!(response.text().contains("responsedescription"), "{name}");
    }
    assert!(
        server
            .engine
            .store()
            .object_metas(server.calendar.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_uid_used_by_another_resource_is_a_conflict_naming_it() {
    let server = TestServer::spawn().await;
    assert_eq!(put_event(&server, "shared", "20240601T100000Z").await.status, 201);
    let response = server
        .request("PUT", &href(&server, "elsewhere.ics"))
        .body(timed("shared", "20240601T100000Z", "x"))
        .send()
        .await;
    assert_eq!(response.status, 409);
    assert_eq!(
        response.precondition(),
        "{urn:ietf:params:xml:ns:caldav}no-uid-conflict"
    );
    assert!(
        response
            .text()
            .contains(&format!("<d:href>{}shared.ics</d:href>", server.calendar_path())),
        "{}",
        response.text()
    );
}

#[tokio::test]
async fn a_resource_over_max_resource_size_is_refused() {
    let config = televent_adapters::http::HttpConfig {
        max_resource_size: 1000,
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::server::test_store().await, config).await;
    let big = event(
        "big",
        &format!("DTSTART:20240601T100000Z\r\nDESCRIPTION:{}\r\n", "x".repeat(2000)),
    );
    let response = server.request("PUT", &href(&server, "big.ics")).body(big).send().await;
    assert_eq!(response.status, 403);
    assert_eq!(
        response.precondition(),
        "{urn:ietf:params:xml:ns:caldav}max-resource-size"
    );
    let status = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .xml(
            "<propfind xmlns='DAV:'><prop><max-resource-size xmlns='urn:ietf:params:xml:ns:caldav'/></prop></propfind>",
        )
        .send()
        .await
        .multistatus();
    assert_eq!(
        status.responses[0]
            .ok("{urn:ietf:params:xml:ns:caldav}max-resource-size")
            .text,
        "1000"
    );
}

#[tokio::test]
async fn a_calendar_refuses_components_it_does_not_take() {
    let server = TestServer::spawn().await;
    let mut tasks = NewCalendar::named(CalendarSlug::parse("tasks").unwrap(), "Tasks");
    tasks.components = vec![ComponentKind::Todo];
    server.engine.create_calendar(&server.user, tasks).await.unwrap();
    let response = server
        .request("PUT", "/dav/calendars/alice/tasks/e.ics")
        .body(timed("e", "20240601T100000Z", "e"))
        .send()
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(
        response.precondition(),
        "{urn:ietf:params:xml:ns:caldav}supported-calendar-component"
    );
}

#[tokio::test]
async fn other_wrong_puts() {
    let server = TestServer::spawn().await;
    let body = timed("w", "20240601T100000Z", "w");
    let json = server
        .request("PUT", &href(&server, "w.ics"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await;
    assert_eq!(json.status, 403);
    assert_eq!(
        json.precondition(),
        "{urn:ietf:params:xml:ns:caldav}supported-calendar-data"
    );
    let no_calendar = server
        .request("PUT", "/dav/calendars/alice/missing/w.ics")
        .body(body.clone())
        .send()
        .await;
    assert_eq!(no_calendar.status, 409);
    let on_collection = server
        .request("PUT", &server.calendar_path())
        .body(body.clone())
        .send()
        .await;
    assert_eq!(on_collection.status, 405);
    assert!(on_collection.header("allow").is_some());
    let encoded = server
        .request("PUT", &href(&server, "a%20b%40c.ics"))
        .body(body)
        .send()
        .await;
    assert_eq!(encoded.status, 201);
    let listed = server.engine.store().object_metas(server.calendar.id).await.unwrap();
    assert_eq!(listed[0].href.as_str(), "a b@c.ics");
    assert_eq!(
        server.request("GET", &href(&server, "a%20b@c.ics")).send().await.status,
        200
    );
}

#[tokio::test]
async fn get_on_a_calendar_exports_it_whole() {
    let server = TestServer::spawn().await;
    put_event(&server, "x1", "20240601T100000Z").await;
    put_event(&server, "x2", "20240602T100000Z").await;
    let response = server.request("GET", &server.calendar_path()).send().await;
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").unwrap().starts_with("text/calendar"));
    let text = response.text();
    assert!(
        text.starts_with("BEGIN:VCALENDAR") && text.contains("UID:x1") && text.contains("UID:x2"),
        "{text}"
    );
    let head = server.request("HEAD", &server.calendar_path()).send().await;
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), Some(text.len().to_string()));
}

#[tokio::test]
async fn a_resource_name_the_server_cannot_keep_is_refused() {
    let server = TestServer::spawn().await;
    let long = format!("{}.ics", "x".repeat(300));
    let body = timed("long", "20240601T100000Z", "long");
    let response = server.request("PUT", &href(&server, &long)).body(body).send().await;
    assert_eq!(response.status, 403);
    assert_eq!(server.request("GET", &href(&server, &long)).send().await.status, 404);
}
