//! PROPPATCH of a calendar's properties, from real client bodies; refused properties get 403
//! and make the others 424 (nothing saved).

use super::dav;
use televent_tests::corpus::shared_dir;
use televent_tests::server::TestServer;

fn sample(name: &str) -> String {
    std::fs::read_to_string(shared_dir().join("caldav-requests").join(name)).unwrap()
}

#[tokio::test]
async fn client_proppatches_change_the_calendar() {
    let server = TestServer::spawn().await;
    let path = server.calendar_path();
    let cases = [
        (
            sample("ios5__08_proppatch_calendar_color.xml"),
            "{http://apple.com/ns/ical/}calendar-color",
        ),
        (
            sample("ios5__09_proppatch_calendar_order.xml"),
            "{http://apple.com/ns/ical/}calendar-order",
        ),
        (sample("macos1011__17_proppatch_displayname.xml"), "{DAV:}displayname"),
        (
            sample("macos1011__18_proppatch_calendar_timezone.xml"),
            "{urn:ietf:params:xml:ns:caldav}calendar-timezone",
        ),
        (
            sample("outlook-caldavsynchronizer__11_proppatch_calendar_color.xml").replace("{{#RRGGBBAA}}", "#11223344"),
            "{http://apple.com/ns/ical/}calendar-color",
        ),
        (
            sample("vdirsyncer__08_proppatch_calendar_color.xml").replace("{{#RRGGBB}}", "#abcdef"),
            "{http://apple.com/ns/ical/}calendar-color",
        ),
    ];
    let cases_len = cases.len();
    for (body, property) in cases {
        let status = server.request("PROPPATCH", &path).xml(&body).send().await.multistatus();
        assert_eq!(status.get(&path).ok(property).status, 200);
    }
    let calendar = server.engine.calendar(&server.user, "default").await.unwrap();
    assert_eq!(calendar.color.as_deref(), Some("#abcdef"));
    assert_eq!(calendar.order, Some(0));
    assert_eq!(calendar.display_name, "calendar");
    assert!(calendar.time_zone.unwrap().contains("BEGIN:VTIMEZONE"));
    let audited = server
        .engine
        .store()
        .entries(Some(server.user.id), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "calendar.update" && e.entity == "default")
        .count();
    assert_eq!(audited, cases_len, "one audit entry per saved PROPPATCH");
    let shown = server
        .request("PROPFIND", &path)
        .header("depth", "0")
        .xml("<propfind xmlns='DAV:'><prop><displayname/><calendar-color xmlns='http://apple.com/ns/ical/'/></prop></propfind>")
        .send()
        .await
        .multistatus();
    assert_eq!(shown.responses[0].ok(&dav("displayname")).text, "calendar");
    assert_eq!(
        shown.responses[0].ok("{http://apple.com/ns/ical/}calendar-color").text,
        "#abcdef"
    );
}

#[tokio::test]
async fn refused_properties_are_403_and_the_rest_424() {
    let server = TestServer::spawn().await;
    let path = server.calendar_path();
    let transparent = server
        .request("PROPPATCH", &path)
        .xml(&sample("macos1011__19_proppatch_schedule_calendar_transp.xml"))
        .send()
        .await
        .multistatus();
    assert_eq!(
        transparent.responses[0].props["{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp"].status,
        403
    );
    let mixed = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>New</D:displayname><I:calendar-order>not a number</I:calendar-order><D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>"#;
    let status = server.request("PROPPATCH", &path).xml(mixed).send().await.multistatus();
    let response = &status.responses[0];
    assert_eq!(response.props["{DAV:}displayname"].status, 424);
    assert_eq!(response.props["{http://apple.com/ns/ical/}calendar-order"].status, 409);
    assert_eq!(response.props["{DAV:}getetag"].status, 403);
    assert_eq!(
        server
            .engine
            .calendar(&server.user, "default")
            .await
            .unwrap()
            .display_name,
        server.calendar.display_name
    );
    // macOS sets default alarms on the home: "403/404 propstat is tolerated".
    let home = server
        .request("PROPPATCH", "/dav/calendars/alice/")
        .xml(&sample("macos1011__20_proppatch_home_default_alarm_vevent_date.xml"))
        .send()
        .await
        .multistatus();
    assert_eq!(
        home.responses[0].props["{urn:ietf:params:xml:ns:caldav}default-alarm-vevent-date"].status,
        403
    );
    // Removing a description.
    let set = r#"<propertyupdate xmlns="DAV:"><set><prop><calendar-description xmlns="urn:ietf:params:xml:ns:caldav">Notes</calendar-description></prop></set></propertyupdate>"#;
    server.request("PROPPATCH", &path).xml(set).send().await.multistatus();
    assert_eq!(
        server
            .engine
            .calendar(&server.user, "default")
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("Notes")
    );
    let remove = r#"<propertyupdate xmlns="DAV:"><remove><prop><calendar-description xmlns="urn:ietf:params:xml:ns:caldav"/></prop></remove></propertyupdate>"#;
    server
        .request("PROPPATCH", &path)
        .xml(remove)
        .send()
        .await
        .multistatus();
    assert_eq!(
        server
            .engine
            .calendar(&server.user, "default")
            .await
            .unwrap()
            .description,
        None
    );
    // Another user's calendar: 404 like any missing path.
    let as_bob = server
        .request("PROPPATCH", &path)
        .auth("bob", &server.other_password)
        .xml(set)
        .send()
        .await;
    assert_eq!(as_bob.status, 404);
}
