//! MKCALENDAR and extended MKCOL.

use super::{caldav, dav};
use televent_tests::server::TestServer;

#[tokio::test]
async fn mkcalendar_creates_a_calendar_with_the_body_properties() {
    let server = TestServer::spawn().await;
    let body = std::fs::read_to_string(
        televent_tests::corpus::shared_dir().join("caldav-requests/macos1011__22_mkcalendar.xml"),
    )
    .unwrap()
    .replace("{order}", "4")
    .replace("{component_type}", "VTODO")
    .replace("{color}", "FF2968FF")
    .replace("{name}", "Errands &amp; more");
    let response = server
        .request("MKCALENDAR", "/dav/calendars/alice/errands/")
        .xml(&body)
        .send()
        .await;
    assert_eq!(response.status, 201, "{}", response.text());
    let calendar = server.engine.calendar(&server.user, "errands").await.unwrap();
    assert_eq!(calendar.display_name, "Errands & more");
    assert_eq!(calendar.order, Some(4));
    assert_eq!(calendar.color.as_deref(), Some("#FF2968FF"));
    assert!(
        calendar
            .time_zone
            .as_deref()
            .unwrap()
            .contains("TZID:America/Los_Angeles")
    );
    assert_eq!(calendar.components.len(), 1);
    let props = r#"<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/"><prop><displayname/><I:calendar-color/><I:calendar-order/><C:calendar-timezone/><resourcetype/></prop></propfind>"#;
    let status = server
        .request("PROPFIND", "/dav/calendars/alice/errands/")
        .header("depth", "0")
        .xml(props)
        .send()
        .await
        .multistatus();
    let listed = &status.responses[0];
    assert_eq!(listed.ok(&dav("displayname")).text, "Errands & more");
    assert_eq!(listed.ok("{http://apple.com/ns/ical/}calendar-color").text, "#FF2968FF");
    assert!(
        listed
            .ok(&caldav("calendar-timezone"))
            .text
            .contains("BEGIN:VTIMEZONE\r\n")
    );
    // Creating it again is refused, and nothing changes.
    let again = server
        .request("MKCALENDAR", "/dav/calendars/alice/errands/")
        .xml(&body)
        .send()
        .await;
    assert_eq!(again.status, 405);
    assert_eq!(again.precondition(), "{DAV:}resource-must-be-null");
}

#[tokio::test]
async fn mkcalendar_without_a_body_and_extended_mkcol() {
    let server = TestServer::spawn().await;
    assert_eq!(
        server
            .request("MKCALENDAR", "/dav/calendars/alice/bare/")
            .send()
            .await
            .status,
        201
    );
    assert_eq!(
        server.engine.calendar(&server.user, "bare").await.unwrap().display_name,
        "bare"
    );
    let mkcol = r#"<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype><D:displayname>Via MKCOL</D:displayname></D:prop></D:set></D:mkcol>"#;
    assert_eq!(
        server
            .request("MKCOL", "/dav/calendars/alice/viamkcol/")
            .xml(mkcol)
            .send()
            .await
            .status,
        201
    );
    assert_eq!(
        server
            .engine
            .calendar(&server.user, "viamkcol")
            .await
            .unwrap()
            .display_name,
        "Via MKCOL"
    );
    let plain_collection = server.request("MKCOL", "/dav/calendars/alice/plain/").send().await;
    assert_eq!(plain_collection.status, 403);
    let journals = r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-component-set><C:comp name="VJOURNAL"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#;
    let refused = server
        .request("MKCALENDAR", "/dav/calendars/alice/journal/")
        .xml(journals)
        .send()
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.precondition(),
        "{urn:ietf:params:xml:ns:caldav}supported-calendar-component"
    );
    assert_eq!(
        server
            .request("MKCALENDAR", "/dav/calendars/alice/")
            .send()
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn delete_removes_a_calendar_with_its_resources_but_not_the_default_one() {
    let server = TestServer::spawn().await;
    assert_eq!(
        server
            .request("MKCALENDAR", "/dav/calendars/alice/trip/")
            .send()
            .await
            .status,
        201
    );
    for uid in ["t1", "t2"] {
        let body = televent_tests::data::timed(uid, "20240601T100000Z", uid);
        let response = server
            .request("PUT", &format!("/dav/calendars/alice/trip/{uid}.ics"))
            .body(body)
            .send()
            .await;
        assert_eq!(response.status, 201);
    }
    let as_bob = server
        .request("DELETE", "/dav/calendars/alice/trip/")
        .auth("bob", &server.other_password)
        .send()
        .await;
    assert_eq!(as_bob.status, 404);
    assert_eq!(
        server
            .request("DELETE", "/dav/calendars/alice/trip/")
            .send()
            .await
            .status,
        204
    );
    assert_eq!(
        server
            .request("PROPFIND", "/dav/calendars/alice/trip/")
            .header("depth", "0")
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        server
            .request("GET", "/dav/calendars/alice/trip/t1.ics")
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        server
            .request("DELETE", "/dav/calendars/alice/trip/")
            .send()
            .await
            .status,
        404
    );
    // The name is free again, and the new calendar starts empty.
    assert_eq!(
        server
            .request("MKCALENDAR", "/dav/calendars/alice/trip/")
            .send()
            .await
            .status,
        201
    );
    let listing = server
        .request("PROPFIND", "/dav/calendars/alice/trip/")
        .header("depth", "1")
        .send()
        .await
        .multistatus();
    assert_eq!(listing.responses.len(), 1);
    let default = server.request("DELETE", &server.calendar_path()).send().await;
    assert_eq!(default.status, 403);
    assert!(default.text().contains("need-privileges"), "{}", default.text());
    assert_eq!(server.engine.calendars(&server.user).await.unwrap().len(), 2);
    let deletions: Vec<_> = server
        .engine
        .store()
        .entries(Some(server.user.id), 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "calendar.delete")
        .map(|e| (e.entity, e.detail))
        .collect();
    assert_eq!(deletions, [("trip".to_owned(), Some("2 resources".to_owned()))]);
}
