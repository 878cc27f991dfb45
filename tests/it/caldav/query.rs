//! REPORT calendar-query: comp-filters, time-ranges matched against real occurrences
//! (recurrences, exceptions, floating times in the user's zone), and refusals of filters the
//! server does not run.

use super::{caldav, dav};
use televent_tests::data::event;
use televent_tests::server::TestServer;

/// Alice's calendar with a set of events and one to-do, by name.
async fn seeded() -> TestServer {
    let server = TestServer::spawn().await;
    let items = [
        ("in", event("in", "DTSTART:20240601T100000Z\r\nDTEND:20240601T110000Z\r\n")),
        ("out", event("out", "DTSTART:20240610T100000Z\r\nDTEND:20240610T110000Z\r\n")),
        // Daily since January; the instance of 1 June is excluded.
        ("daily-but-not-june-1", event("daily-but-not-june-1", "DTSTART:20240101T120000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\nEXDATE:20240601T120000Z\r\n")),
        // Weekly on Saturdays (1 June 2024 is one), forever.
        ("weekly", event("weekly", "DTSTART:20200104T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\n")),
        // 23:30 floating, read in Europe/Berlin: 21:30Z.
        ("floating", event("floating", "DTSTART:20240601T233000\r\nDURATION:PT1H\r\n")),
        // Every instance excluded: no occurrence anywhere.
        ("empty-rule", event("empty-rule", "DTSTART:20240601T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=1\r\nEXDATE:20240601T090000Z\r\n")),
        // A huge rule: every minute, forever.
        ("huge", event("huge", "DTSTART:20240101T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\n")),
        (
            "task",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:task\r\nDTSTAMP:20240101T000000Z\r\nDUE:20240601T150000Z\r\nSUMMARY:Task\r\nEND:VTODO\r\nEND:VCALENDAR\r\n".to_owned(),
        ),
    ];
    for (name, body) in items {
        let response = server
            .request("PUT", &format!("{}{name}.ics", server.calendar_path()))
            .body(body)
            .send()
            .await;
        assert_eq!(response.status, 201, "{name}: {}", response.text());
    }
    server
}

fn query(component: &str, range: &str, props: &str) -> String {
    format!(
        r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>{props}</D:prop>
        <C:filter><C:comp-filter name="VCALENDAR">{}</C:comp-filter></C:filter></C:calendar-query>"#,
        if component.is_empty() {
            String::new()
        } else {
            format!(r#"<C:comp-filter name="{component}">{range}</C:comp-filter>"#)
        }
    )
}

/// The resource names a query returns, sorted.
async fn names(server: &TestServer, body: &str) -> Vec<String> {
    let status = server
        .request("REPORT", &server.calendar_path())
        .header("depth", "1")
        .xml(body)
        .send()
        .await
        .multistatus();
    let mut names: Vec<String> = status
        .responses
        .iter()
        .map(|r| {
            r.ok(&dav("getetag"));
            r.href
                .strip_prefix(&server.calendar_path())
                .unwrap()
                .trim_end_matches(".ics")
                .to_owned()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_time_range_selects_by_real_occurrences() {
    let server = seeded().await;
    let day = query(
        "VEVENT",
        r#"<C:time-range start="20240601T000000Z" end="20240602T000000Z"/>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &day).await, ["floating", "huge", "in", "weekly"]);
    // The floating event is at 21:30Z, not 23:30Z.
    let late = query(
        "VEVENT",
        r#"<C:time-range start="20240601T230000Z" end="20240601T233000Z"/>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &late).await, ["huge"]);
    let evening = query(
        "VEVENT",
        r#"<C:time-range start="20240601T210000Z" end="20240601T220000Z"/>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &evening).await, ["floating", "huge"]);
    // The daily event's 2 June instance.
    let next_noon = query(
        "VEVENT",
        r#"<C:time-range start="20240602T123000Z" end="20240602T124500Z"/>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &next_noon).await, ["daily-but-not-june-1", "huge"]);
}

#[tokio::test]
async fn the_occurrence_index_answers_as_the_general_matcher_does() {
    // A lone time-range on a kind is answered from the snapshot's occurrence index; the same
    // range with a prop-filter every resource passes goes through the general matcher.
    let server = seeded().await;
    let starts = [
        "20240101T000000Z",
        "20240531T230000Z",
        "20240601T000000Z",
        "20240601T100000Z",
        "20240601T110000Z",
        "20240601T213000Z",
        "20240601T223000Z",
        "20240602T120000Z",
        "20240610T103000Z",
        "20250101T000000Z",
    ];
    for (index, start) in starts.iter().enumerate() {
        for end in starts.iter().skip(index + 1) {
            for kind in ["VEVENT", "VTODO"] {
                let range = format!(r#"<C:time-range start="{start}" end="{end}"/>"#);
                let indexed = query(kind, &range, "<D:getetag/>");
                let general = query(kind, &format!(r#"{range}<C:prop-filter name="UID"/>"#), "<D:getetag/>");
                assert_eq!(
                    names(&server, &indexed).await,
                    names(&server, &general).await,
                    "{kind} [{start}, {end})"
                );
            }
        }
    }
}

#[tokio::test]
async fn reports_see_every_write_made_since_the_last_report() {
    // Reports read calendars from memory kept at the sync token: each write must show at once.
    let server = seeded().await;
    let day = query(
        "VEVENT",
        r#"<C:time-range start="20240601T000000Z" end="20240602T000000Z"/>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &day).await, ["floating", "huge", "in", "weekly"]);
    let path = |name: &str| format!("{}{name}.ics", server.calendar_path());
    let moved = event("in", "DTSTART:20240605T100000Z\r\nDTEND:20240605T110000Z\r\n");
    assert_eq!(server.request("PUT", &path("in")).body(moved).send().await.status, 204);
    assert_eq!(server.request("DELETE", &path("weekly")).send().await.status, 204);
    let added = event("added", "DTSTART:20240601T070000Z\r\nDTEND:20240601T080000Z\r\n");
    assert_eq!(
        server.request("PUT", &path("added")).body(added).send().await.status,
        201
    );
    assert_eq!(names(&server, &day).await, ["added", "floating", "huge"]);
    // GET answers from the snapshot when it is current, from the store when it is not.
    let moved_again = event("in", "DTSTART:20240606T100000Z\r\nDTEND:20240606T110000Z\r\n");
    assert_eq!(
        server.request("PUT", &path("in")).body(moved_again).send().await.status,
        204
    );
    let got = server.request("GET", &path("in")).send().await;
    assert!(got.text().contains("20240606T100000Z"), "{}", got.text());
    assert_eq!(server.request("GET", &path("weekly")).send().await.status, 404);
    assert_eq!(names(&server, &day).await, ["added", "floating", "huge"]);
    let got = server.request("GET", &path("in")).send().await;
    assert!(got.text().contains("20240606T100000Z"), "{}", got.text());

    let multiget = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>{}</D:href><D:href>{}</D:href></C:calendar-multiget>"#,
        path("in"),
        path("weekly")
    );
    let status = server
        .request("REPORT", &server.calendar_path())
        .header("depth", "1")
        .xml(&multiget)
        .send()
        .await
        .multistatus();
    assert!(
        status
            .get(&path("in"))
            .ok(&caldav("calendar-data"))
            .text
            .contains("20240606T100000Z")
    );
    assert_eq!(status.get(&path("weekly")).status, Some(404));
}

#[tokio::test]
async fn open_ended_ranges_as_ios_and_davx5_send_them() {
    let server = seeded().await;
    let from_july = query("VEVENT", r#"<C:time-range start="20240701T000000Z"/>"#, "<D:getetag/>");
    assert_eq!(
        names(&server, &from_july).await,
        ["daily-but-not-june-1", "huge", "weekly"]
    );
    let until_2021 = query("VEVENT", r#"<C:time-range end="20210101T000000Z"/>"#, "<D:getetag/>");
    assert_eq!(names(&server, &until_2021).await, ["weekly"]);
}

#[tokio::test]
async fn comp_filters_without_a_range() {
    let server = seeded().await;
    assert_eq!(names(&server, &query("VTODO", "", "<D:getetag/>")).await, ["task"]);
    assert_eq!(names(&server, &query("", "", "<D:getetag/>")).await.len(), 8);
    assert_eq!(names(&server, &query("VEVENT", "", "<D:getetag/>")).await.len(), 7);
    assert!(names(&server, &query("VJOURNAL", "", "<D:getetag/>")).await.is_empty());
    assert_eq!(
        names(&server, &query("VEVENT", "<C:is-not-defined/>", "<D:getetag/>")).await,
        ["task"]
    );
    let todo_range = query(
        "VTODO",
        r#"<C:time-range start="20240601T140000Z" end="20240601T160000Z"/>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &todo_range).await, ["task"]);
}

#[tokio::test]
async fn calendar_data_comes_back_as_stored() {
    let server = seeded().await;
    let body = query(
        "VEVENT",
        r#"<C:time-range start="20240601T100000Z" end="20240601T103000Z"/>"#,
        "<D:getetag/><C:calendar-data/>",
    );
    let status = server
        .request("REPORT", &server.calendar_path())
        .header("depth", "1")
        .xml(&body)
        .send()
        .await
        .multistatus();
    let found = status.get(&format!("{}in.ics", server.calendar_path()));
    let stored = server
        .request("GET", &format!("{}in.ics", server.calendar_path()))
        .send()
        .await
        .text();
    assert_eq!(found.ok(&caldav("calendar-data")).text, stored);
}

#[tokio::test]
async fn filters_it_does_not_run_are_refused_not_misanswered() {
    let server = seeded().await;
    let cases = [
        (
            r#"<C:comp-filter name="VALARM"><C:time-range start="20240101T000000Z"/></C:comp-filter>"#,
            "supported-filter",
        ),
        (
            r#"<C:prop-filter name="SUMMARY"><C:text-match collation="i;unicode-casemap">x</C:text-match></C:prop-filter>"#,
            "supported-collation",
        ),
        (r#"<C:time-range start="2024-06-01"/>"#, "valid-filter"),
        (
            r#"<C:time-range start="20240602T000000Z" end="20240601T000000Z"/>"#,
            "valid-filter",
        ),
    ];
    for (inner, precondition) in cases {
        let response = server
            .request("REPORT", &server.calendar_path())
            .xml(&query("VEVENT", inner, "<D:getetag/>"))
            .send()
            .await;
        assert_eq!(response.status, 403, "{inner}");
        assert_eq!(
            response.precondition(),
            format!("{{urn:ietf:params:xml:ns:caldav}}{precondition}"),
            "{inner}"
        );
    }
}

#[tokio::test]
async fn property_and_parameter_filters_with_text_match() {
    let server = seeded().await;
    let with_attendee = event(
        "team",
        "DTSTART:20240601T100000Z\r\nDURATION:PT1H\r\nSUMMARY:Team Lunch\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com\r\n",
    );
    let put = server
        .request("PUT", &format!("{}team.ics", server.calendar_path()))
        .body(with_attendee)
        .send()
        .await;
    assert_eq!(put.status, 201);
    let summary = query(
        "VEVENT",
        r#"<C:prop-filter name="SUMMARY"><C:text-match>LUNCH</C:text-match></C:prop-filter>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &summary).await, ["team"]);
    let octet = query(
        "VEVENT",
        r#"<C:prop-filter name="SUMMARY"><C:text-match collation="i;octet">LUNCH</C:text-match></C:prop-filter>"#,
        "<D:getetag/>",
    );
    assert!(names(&server, &octet).await.is_empty());
    let needs_action = query(
        "VEVENT",
        r#"<C:prop-filter name="ATTENDEE"><C:param-filter name="PARTSTAT"><C:text-match>needs-action</C:text-match></C:param-filter></C:prop-filter>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &needs_action).await, ["team"]);
    let without_summary = query(
        "VEVENT",
        r#"<C:prop-filter name="SUMMARY"><C:is-not-defined/></C:prop-filter>"#,
        "<D:getetag/>",
    );
    // The seven seeded events have no SUMMARY; the to-do is not a VEVENT.
    assert_eq!(names(&server, &without_summary).await.len(), 7);
    // A time-range and a text-match together.
    let both = query(
        "VEVENT",
        r#"<C:time-range start="20240601T000000Z" end="20240602T000000Z"/><C:prop-filter name="SUMMARY"><C:text-match>team</C:text-match></C:prop-filter>"#,
        "<D:getetag/>",
    );
    assert_eq!(names(&server, &both).await, ["team"]);
}

#[tokio::test]
async fn client_queries_replayed() {
    // macOS 10.11's and python-caldav's time-range queries, and iOS 5's to-do listing.
    let server = seeded().await;
    let dir = televent_tests::corpus::shared_dir().join("caldav-requests");
    let macos = std::fs::read_to_string(dir.join("macos1011__10_calendar_query_vevent_timerange.xml"))
        .unwrap()
        .replace("20150630T010101Z", "20240601T000000Z")
        .replace("20150721T010101Z", "20240602T000000Z");
    assert_eq!(names(&server, &macos).await, ["floating", "huge", "in", "weekly"]);
    let ios = std::fs::read_to_string(dir.join("ios5__06_calendar_query_vtodo.xml")).unwrap();
    assert_eq!(names(&server, &ios).await, ["task"]);
    let python = std::fs::read_to_string(dir.join("python-caldav__01_calendar_query_timerange.xml"))
        .unwrap()
        .replacen("{{YYYYMMDDTHHMMSSZ}}", "20240610T000000Z", 1)
        .replacen("{{YYYYMMDDTHHMMSSZ}}", "20240611T000000Z", 1);
    let status = server
        .request("REPORT", &server.calendar_path())
        .header("depth", "1")
        .xml(&python)
        .send()
        .await
        .multistatus();
    let hrefs: Vec<&str> = status.responses.iter().map(|r| r.href.as_str()).collect();
    assert!(hrefs.iter().any(|h| h.ends_with("/out.ics")), "{hrefs:?}");
    for response in &status.responses {
        assert!(
            response
                .ok(&caldav("calendar-data"))
                .text
                .starts_with("BEGIN:VCALENDAR")
        );
    }
}

#[tokio::test]
async fn python_caldav_expand_returns_instances_in_utc() {
    let server = seeded().await;
    let huge = format!("{}huge.ics", server.calendar_path());
    assert_eq!(server.request("DELETE", &huge).send().await.status, 204);
    let dir = televent_tests::corpus::shared_dir().join("caldav-requests");
    let mut body = std::fs::read_to_string(dir.join("python-caldav__02_calendar_query_expand.xml")).unwrap();
    for value in [
        "20240601T110000Z",
        "20240603T130000Z",
        "20240601T110000Z",
        "20240603T130000Z",
    ] {
        body = body.replacen("{{YYYYMMDDTHHMMSSZ}}", value, 1);
    }
    let status = server
        .request("REPORT", &server.calendar_path())
        .header("depth", "1")
        .xml(&body)
        .send()
        .await
        .multistatus();
    let daily = status.get(&format!("{}daily-but-not-june-1.ics", server.calendar_path()));
    let data = &daily.ok(&caldav("calendar-data")).text;
    // 1 June is excluded; 2 and 3 June remain, each its own instance in UTC.
    assert_eq!(data.matches("BEGIN:VEVENT").count(), 2, "{data}");
    assert!(
        data.contains("RECURRENCE-ID:20240602T120000Z") && data.contains("RECURRENCE-ID:20240603T120000Z"),
        "{data}"
    );
    assert!(!data.contains("RRULE") && !data.contains("EXDATE"), "{data}");
    // The floating event (21:30Z on 1 June) is written in UTC.
    let floating = status.get(&format!("{}floating.ics", server.calendar_path()));
    assert!(
        floating
            .ok(&caldav("calendar-data"))
            .text
            .contains("DTSTART:20240601T213000Z")
    );
    // Outside the query, GET still returns the bytes as stored.
    let stored = server
        .request("GET", &format!("{}daily-but-not-june-1.ics", server.calendar_path()))
        .send()
        .await
        .text();
    assert!(stored.contains("RRULE:FREQ=DAILY"));
}

#[tokio::test]
async fn free_busy_query_answers_busy_periods_only() {
    let server = seeded().await;
    let base = server.calendar_path();
    assert_eq!(
        server.request("DELETE", &format!("{base}huge.ics")).send().await.status,
        204
    );
    for (name, body) in [
        (
            "tentative",
            "DTSTART:20240601T140000Z\r\nDURATION:PT30M\r\nSTATUS:TENTATIVE\r\nSUMMARY:Secret\r\n",
        ),
        (
            "transparent",
            "DTSTART:20240601T150000Z\r\nDURATION:PT30M\r\nTRANSP:TRANSPARENT\r\n",
        ),
        (
            "cancelled",
            "DTSTART:20240601T160000Z\r\nDURATION:PT30M\r\nSTATUS:CANCELLED\r\n",
        ),
        ("touching", "DTSTART:20240601T110000Z\r\nDURATION:PT30M\r\n"),
    ] {
        let response = server
            .request("PUT", &format!("{base}{name}.ics"))
            .body(event(name, body))
            .send()
            .await;
        assert_eq!(response.status, 201);
    }
    let body = std::fs::read_to_string(
        televent_tests::corpus::shared_dir().join("caldav-requests/python-caldav__06_free_busy_query.xml"),
    )
    .unwrap()
    .replacen("{{YYYYMMDDTHHMMSSZ}}", "20240601T000000Z", 1)
    .replacen("{{YYYYMMDDTHHMMSSZ}}", "20240602T000000Z", 1);
    let response = server
        .request("REPORT", &base)
        .header("depth", "1")
        .xml(&body)
        .send()
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(response.header("content-type").unwrap().starts_with("text/calendar"));
    let text = response.text();
    let busy: Vec<&str> = text.lines().filter(|l| l.starts_with("FREEBUSY")).collect();
    assert_eq!(
        busy,
        [
            "FREEBUSY:20240601T080000Z/20240601T090000Z",
            "FREEBUSY:20240601T100000Z/20240601T113000Z",
            "FREEBUSY:20240601T213000Z/20240601T223000Z",
            "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240601T140000Z/20240601T143000Z",
        ],
        "{text}"
    );
    assert!(!text.contains("Secret") && !text.contains("UID"), "{text}");
    let no_range = server
        .request("REPORT", &base)
        .xml("<C:free-busy-query xmlns:C='urn:ietf:params:xml:ns:caldav'/>")
        .send()
        .await;
    assert_eq!(no_range.status, 403);
}
