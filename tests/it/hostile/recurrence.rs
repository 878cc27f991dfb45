//! Hostile recurrence rules: SECONDLY with every BYSECOND over years, COUNT=100000000, UNTIL in
//! year 9999. Stored, then queried with expand and a time-range over 100 years: answered within
//! the request with the expansion capped, a bounded 207, never a 5xx or a timeout.

use std::time::{Duration, Instant};

use serde_json::json;
use televent_domain::recurrence::expand::DEFAULT_MAX_INSTANCES;
use televent_tests::data::event;
use televent_tests::server::TestServer;

use super::{assert_alive, put};

/// Rules an attacker would store, each as `(name, lines)`.
fn rules() -> Vec<(&'static str, String)> {
    let seconds: Vec<String> = (0..60).map(|s| s.to_string()).collect();
    let minutes: Vec<String> = (0..60).map(|s| s.to_string()).collect();
    vec![
        (
            "secondly",
            "DTSTART:20240101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\n".to_owned(),
        ),
        (
            "byseconds",
            format!(
                "DTSTART:20240101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=MINUTELY;BYSECOND={};BYMINUTE={}\r\n",
                seconds.join(","),
                minutes.join(",")
            ),
        ),
        (
            "count",
            "DTSTART:20240101T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY;COUNT=100000000\r\n".to_owned(),
        ),
        (
            "until9999",
            "DTSTART:20240101T000000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=HOURLY;UNTIL=99991231T235959Z\r\n".to_owned(),
        ),
        (
            "nothing",
            // A rule that never yields: 30 February.
            "DTSTART:20240101T000000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n".to_owned(),
        ),
        (
            "huge-interval",
            "DTSTART:20240101T000000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=SECONDLY;INTERVAL=4294967295;COUNT=3\r\n"
                .to_owned(),
        ),
    ]
}

const QUERY_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn hostile_rules_are_stored_and_expanded_with_a_cap() {
    let server = TestServer::spawn().await;
    for (name, lines) in rules() {
        let body = event(name, &format!("{lines}SUMMARY:{name}\r\n"));
        let response = put(&server, &format!("{name}.ics"), body.as_bytes()).await;
        assert!(
            response.status == 201 || response.status == 403,
            "{name}: {} {}",
            response.status,
            response.text()
        );
    }
    // A calendar-query with expand over 100 years, one event at a time.
    for (name, _) in rules() {
        let body = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data><C:expand start="20240101T000000Z" end="21240101T000000Z"/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="20240101T000000Z" end="21240101T000000Z"/>
    <C:prop-filter name="UID"><C:text-match collation="i;octet">{name}</C:text-match></C:prop-filter>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"#
        );
        let started = Instant::now();
        let response = tokio::time::timeout(
            QUERY_TIMEOUT,
            server
                .request("REPORT", &server.calendar_path())
                .header("depth", "1")
                .xml(&body)
                .send(),
        )
        .await
        .unwrap_or_else(|_| panic!("{name}: no answer within {QUERY_TIMEOUT:?}"));
        let elapsed = started.elapsed();
        assert_eq!(response.status, 207, "{name}: {}", response.status);
        let instances = response.text().matches("BEGIN:VEVENT").count();
        eprintln!(
            "{name}: {instances} instances, {} bytes, {elapsed:?}",
            response.body.len()
        );
        assert!(instances <= DEFAULT_MAX_INSTANCES, "{name}: {instances} instances");
        // Each instance is a few hundred bytes at most: bounded by the cap.
        assert!(
            response.body.len() < DEFAULT_MAX_INSTANCES * 400,
            "{name}: {} bytes",
            response.body.len()
        );
    }
    // The same without a UID filter: every hostile event at once.
    let body = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="21240101T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let response = tokio::time::timeout(
        QUERY_TIMEOUT,
        server
            .request("REPORT", &server.calendar_path())
            .header("depth", "1")
            .xml(body)
            .send(),
    )
    .await
    .expect("an answer within the request");
    assert_eq!(response.status, 207);
    // A free-busy query over 100 years.
    let body = r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z" end="21240101T000000Z"/></C:free-busy-query>"#;
    let response = tokio::time::timeout(
        QUERY_TIMEOUT,
        server
            .request("REPORT", &server.calendar_path())
            .header("depth", "1")
            .xml(body)
            .send(),
    )
    .await
    .expect("an answer within the request");
    assert_eq!(response.status, 200, "{}", response.status);
    assert!(response.body.len() < 64 * 1024 * 1024, "{} bytes", response.body.len());
    // The REST occurrences over its longest window (400 days).
    let token = super::text::sign_in(&server).await;
    let response = tokio::time::timeout(
        QUERY_TIMEOUT,
        server
            .request("GET", "/api/v1/occurrences?from=2024-01-01&to=2025-02-04")
            .bearer(&token)
            .send(),
    )
    .await
    .expect("an answer within the request");
    assert!(
        response.status == 200 || response.status.is_client_error(),
        "{}",
        response.status
    );
    if response.status == 200 {
        let items = response.json()["items"].as_array().unwrap().len();
        eprintln!("occurrences: {items} items, {} bytes", response.body.len());
        assert!(items <= DEFAULT_MAX_INSTANCES * rules().len());
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn hostile_rules_through_the_rest_api_are_refused_or_capped() {
    let server = TestServer::spawn().await;
    let token = super::text::sign_in(&server).await;
    for rrule in [
        "FREQ=SECONDLY",
        "FREQ=SECONDLY;BYSECOND=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59",
        "FREQ=MINUTELY;COUNT=100000000",
        "FREQ=HOURLY;UNTIL=99991231T235959Z",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;COUNT=-1",
        "FREQ=NEVER",
        "FREQ=DAILY;BYDAY=XX",
        "",
    ] {
        let response = server
            .request("POST", "/api/v1/calendars/default/events")
            .bearer(&token)
            .json(&json!({"title": "r", "start": "2026-12-01T10:00", "recurrence": {"rrule": rrule}}))
            .send()
            .await;
        assert!(
            response.status == 201 || response.status == 400,
            "{rrule}: {} {}",
            response.status,
            response.text()
        );
        if response.status == 400 {
            assert_eq!(response.problem(), "invalid-request", "{rrule}");
        }
    }
    let response = tokio::time::timeout(
        QUERY_TIMEOUT,
        server
            .request("GET", "/api/v1/occurrences?from=2026-12-01&to=2027-12-31")
            .bearer(&token)
            .send(),
    )
    .await
    .expect("an answer within the request");
    assert_eq!(
        response.status,
        200,
        "{}",
        response.text().chars().take(300).collect::<String>()
    );
    // Windows beyond the documented 400 days, reversed or absurd, are refused.
    for query in [
        "from=2026-01-01&to=2126-01-01",
        "from=2027-01-01&to=2026-01-01",
        "from=-9999-01-01&to=9999-12-31",
        "from=2026-01-01&to=2026-01-01T00:00",
        "from=2026-02-30&to=2026-03-01",
    ] {
        let response = server
            .request("GET", &format!("/api/v1/occurrences?{query}"))
            .bearer(&token)
            .send()
            .await;
        assert_eq!(response.status, 400, "{query}: {}", response.text());
        assert_eq!(response.problem(), "invalid-request");
    }
    assert_alive(&server).await;
}

/// The cap is per event and per call, not per response: a few SECONDLY events make one
/// calendar-query with expand, or one `GET /api/v1/occurrences`, answer hundreds of thousands
/// of instances (tens of MB each time; with a hundred such events, gigabytes), built in
/// memory. One response should stay within one cap in total.
#[tokio::test]
async fn one_response_stays_within_one_expansion_cap_whatever_the_number_of_events() {
    let server = TestServer::spawn().await;
    for i in 0..3 {
        let body = event(
            &format!("flood{i}"),
            "DTSTART:20240101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:flood\r\n",
        );
        assert_eq!(
            put(&server, &format!("flood{i}.ics"), body.as_bytes()).await.status,
            201
        );
    }
    let token = super::text::sign_in(&server).await;
    let response = server
        .request("GET", "/api/v1/occurrences?from=2024-01-01&to=2025-02-04")
        .bearer(&token)
        .send()
        .await;
    assert!(response.status == 200 || response.status.is_client_error());
    let mut over = Vec::new();
    if response.status == 200 {
        let items = response.json()["items"].as_array().unwrap().len();
        if items > DEFAULT_MAX_INSTANCES {
            over.push(format!(
                "GET /api/v1/occurrences: {items} occurrences, {} bytes",
                response.body.len()
            ));
        }
    }
    let body = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data><C:expand start="20240101T000000Z" end="21240101T000000Z"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="21240101T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let response = server
        .request("REPORT", &server.calendar_path())
        .header("depth", "1")
        .xml(body)
        .send()
        .await;
    assert!(response.status == 207 || response.status.is_client_error());
    let instances = response.text().matches("BEGIN:VEVENT").count();
    if instances > DEFAULT_MAX_INSTANCES {
        over.push(format!(
            "calendar-query expand: {instances} instances, {} bytes",
            response.body.len()
        ));
    }
    assert!(over.is_empty(), "{over:#?}");
}
