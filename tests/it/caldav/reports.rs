//! REPORT calendar-multiget and sync-collection (RFC 6578).

use super::{caldav, dav, put_event};
use televent_tests::server::TestServer;

fn sync_body(token: &str, limit: Option<usize>) -> String {
    let limit = limit
        .map(|n| format!("<limit><nresults>{n}</nresults></limit>"))
        .unwrap_or_default();
    format!(
        "<sync-collection xmlns='DAV:'><sync-token>{token}</sync-token><sync-level>1</sync-level>{limit}<prop><getetag/></prop></sync-collection>"
    )
}

#[tokio::test]
async fn multiget_returns_data_and_etags_and_404_for_missing_hrefs() {
    let server = TestServer::spawn().await;
    let etag = put_event(&server, "m1", "20240601T100000Z")
        .await
        .header("etag")
        .unwrap();
    let base = server.calendar_path();
    let body = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>
        <D:href>{base}m1.ics</D:href><D:href>{base}gone.ics</D:href><D:href>/dav/calendars/bob/default/x.ics</D:href></C:calendar-multiget>"#
    );
    let status = server
        .request("REPORT", &base)
        .header("depth", "1")
        .xml(&body)
        .send()
        .await
        .multistatus();
    assert_eq!(status.responses.len(), 3);
    let found = status.get(&format!("{base}m1.ics"));
    assert_eq!(found.ok(&dav("getetag")).text, etag);
    let data = &found.ok(&caldav("calendar-data")).text;
    let stored = server.request("GET", &format!("{base}m1.ics")).send().await.text();
    assert_eq!(data, &stored);
    assert_eq!(status.get(&format!("{base}gone.ics")).status, Some(404));
    assert_eq!(status.get("/dav/calendars/bob/default/x.ics").status, Some(404));
}

#[tokio::test]
async fn sync_collection_initial_then_incremental_with_deletions() {
    let server = TestServer::spawn().await;
    let base = server.calendar_path();
    put_event(&server, "s1", "20240601T100000Z").await;
    put_event(&server, "s2", "20240602T100000Z").await;
    let initial = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body("", None))
        .send()
        .await
        .multistatus();
    assert_eq!(initial.responses.len(), 2);
    initial.get(&format!("{base}s1.ics")).ok(&dav("getetag"));
    let token = initial.sync_token.clone().unwrap();
    // Nothing changed: an empty answer with the same token.
    let quiet = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body(&token, None))
        .send()
        .await
        .multistatus();
    assert!(quiet.responses.is_empty());
    assert_eq!(quiet.sync_token.as_deref(), Some(token.as_str()));
    put_event(&server, "s1", "20240601T110000Z").await;
    put_event(&server, "s3", "20240603T100000Z").await;
    assert_eq!(
        server.request("DELETE", &format!("{base}s2.ics")).send().await.status,
        204
    );
    let delta = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body(&token, None))
        .send()
        .await
        .multistatus();
    assert_eq!(delta.responses.len(), 3, "{delta:#?}");
    delta.get(&format!("{base}s1.ics")).ok(&dav("getetag"));
    delta.get(&format!("{base}s3.ics")).ok(&dav("getetag"));
    assert_eq!(delta.get(&format!("{base}s2.ics")).status, Some(404));
    assert_ne!(delta.sync_token, Some(token));
}

#[tokio::test]
async fn a_limit_truncates_with_507_and_a_token_to_go_on() {
    let server = TestServer::spawn().await;
    let base = server.calendar_path();
    for uid in ["l1", "l2", "l3"] {
        put_event(&server, uid, "20240601T100000Z").await;
    }
    let first = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body("", Some(2)))
        .send()
        .await
        .multistatus();
    assert_eq!(first.responses.len(), 3);
    assert_eq!(first.get(&base).status, Some(507));
    let rest = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body(first.sync_token.as_deref().unwrap(), None))
        .send()
        .await
        .multistatus();
    assert!(
        rest.responses.iter().any(|r| r.href == format!("{base}l3.ics")),
        "{rest:#?}"
    );
}

#[tokio::test]
async fn an_invalid_sync_token_gets_valid_sync_token() {
    let server = TestServer::spawn().await;
    let base = server.calendar_path();
    let other_calendar = server.engine.calendars(&server.other).await.unwrap()[0]
        .sync_token
        .to_string();
    for token in [
        "garbage",
        "http://televent.invalid/sync/nope/1",
        other_calendar.as_str(),
    ] {
        let response = server
            .request("REPORT", &base)
            .header("depth", "0")
            .xml(&sync_body(token, None))
            .send()
            .await;
        assert_eq!(response.status, 403, "{token}");
        assert_eq!(response.precondition(), "{DAV:}valid-sync-token");
    }
    // A token from the future.
    let future = format!("http://televent.invalid/sync/{}/999", server.calendar.id);
    let response = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body(&future, None))
        .send()
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.precondition(), "{DAV:}valid-sync-token");
}

#[tokio::test]
async fn unsupported_reports_and_reports_elsewhere_are_refused() {
    let server = TestServer::spawn().await;
    let response = server
        .request("REPORT", &server.calendar_path())
        .xml("<x:principal-search-property-set xmlns:x='DAV:'/>")
        .send()
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.precondition(), "{DAV:}supported-report");
    // The home answers sync-collection (see home_sync), the principal does not.
    let on_principal = server
        .request("REPORT", "/dav/principals/alice/")
        .xml(&sync_body("", None))
        .send()
        .await;
    assert_eq!(on_principal.status, 403);
    assert_eq!(on_principal.precondition(), "{DAV:}supported-report");
    let on_object = server
        .request("REPORT", &format!("{}x.ics", server.calendar_path()))
        .xml(&sync_body("", None))
        .send()
        .await;
    assert_eq!(on_object.status, 405);
}

#[tokio::test]
async fn a_long_sync_without_calendar_data_lists_every_member() {
    // The initial etag-only sync reads the calendar's listing, not each resource, and the
    // answer with calendar-data reads the resources: both must list the same members.
    let server = TestServer::spawn().await;
    let base = server.calendar_path();
    for n in 0..70 {
        put_event(&server, &format!("bulk{n}"), "20240601T100000Z").await;
    }
    let initial = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&sync_body("", None))
        .send()
        .await
        .multistatus();
    assert_eq!(initial.responses.len(), 70);
    let etag = initial
        .get(&format!("{base}bulk7.ics"))
        .ok(&dav("getetag"))
        .text
        .clone();
    let get = server.request("GET", &format!("{base}bulk7.ics")).send().await;
    assert_eq!(get.header("etag"), Some(etag));
    let with_data = "<sync-collection xmlns='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'><sync-token/><sync-level>1</sync-level><prop><getetag/><C:calendar-data/></prop></sync-collection>";
    let full = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(with_data)
        .send()
        .await
        .multistatus();
    assert_eq!(full.responses.len(), 70);
    assert!(
        full.responses
            .iter()
            .all(|r| r.ok(&caldav("calendar-data")).text.contains("BEGIN:VEVENT"))
    );
}

#[tokio::test]
async fn multiget_with_a_component_selection_returns_only_those_parts() {
    let server = TestServer::spawn().await;
    put_event(&server, "part", "20240601T100000Z").await;
    let base = server.calendar_path();
    let body = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data>
        <C:comp name="VCALENDAR"><C:prop name="VERSION"/><C:comp name="VEVENT"><C:prop name="UID"/><C:prop name="DTSTART"/></C:comp></C:comp>
        </C:calendar-data></D:prop><D:href>{base}part.ics</D:href></C:calendar-multiget>"#
    );
    let status = server.request("REPORT", &base).xml(&body).send().await.multistatus();
    let data = &status.get(&format!("{base}part.ics")).ok(&caldav("calendar-data")).text;
    assert_eq!(
        data,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:part\r\nDTSTART:20240601T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
}

#[tokio::test]
async fn limit_recurrence_set_keeps_the_master_and_the_overrides_in_the_window() {
    let server = TestServer::spawn().await;
    let base = server.calendar_path();
    let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n\
        BEGIN:VEVENT\r\nUID:lr\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240601T100000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=10\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:lr\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:20240602T100000Z\r\nDTSTART:20240602T150000Z\r\nDURATION:PT1H\r\nSUMMARY:early\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:lr\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:20240608T100000Z\r\nDTSTART:20240608T150000Z\r\nDURATION:PT1H\r\nSUMMARY:late\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";
    assert_eq!(
        server
            .request("PUT", &format!("{base}lr.ics"))
            .body(body)
            .send()
            .await
            .status,
        201
    );
    let report = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data>
        <C:limit-recurrence-set start="20240607T000000Z" end="20240609T000000Z"/></C:calendar-data></D:prop>
        <D:href>{base}lr.ics</D:href></C:calendar-multiget>"#
    );
    let status = server.request("REPORT", &base).xml(&report).send().await.multistatus();
    let data = &status.get(&format!("{base}lr.ics")).ok(&caldav("calendar-data")).text;
    assert!(
        data.contains("RRULE:FREQ=DAILY") && data.contains("SUMMARY:late") && !data.contains("SUMMARY:early"),
        "{data}"
    );
}
