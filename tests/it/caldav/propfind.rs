//! PROPFIND on calendars and resources: the properties clients ask for, Depth, unknown
//! properties, allprop and propname.

use super::{caldav, dav, put_event};
use televent_tests::server::TestServer;

const CALENDAR_PROPS: &str = r#"<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/">
  <prop><resourcetype/><displayname/><CS:getctag/><sync-token/><supported-report-set/><current-user-privilege-set/>
  <C:supported-calendar-component-set/><C:max-resource-size/><C:calendar-description/><I:calendar-color/><I:calendar-order/>
  <owner/><current-user-principal/><x:unheard-of xmlns:x="urn:example:x"/></prop></propfind>"#;

#[tokio::test]
async fn a_calendar_has_the_properties_clients_ask_for() {
    let server = TestServer::spawn().await;
    let status = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .xml(CALENDAR_PROPS)
        .send()
        .await
        .multistatus();
    assert_eq!(status.responses.len(), 1);
    let calendar = status.get(&server.calendar_path());
    assert_eq!(calendar.ok(&dav("displayname")).text, server.calendar.display_name);
    let ctag = calendar.ok("{http://calendarserver.org/ns/}getctag").text.clone();
    assert_eq!(calendar.ok(&dav("sync-token")).text, ctag);
    assert_eq!(
        calendar.ok(&caldav("max-resource-size")).text,
        (10 * 1024 * 1024).to_string()
    );
    let reports = &calendar.ok(&dav("supported-report-set"));
    assert_eq!(reports.children.len(), 4, "{reports:?}");
    let privileges = &calendar.ok(&dav("current-user-privilege-set")).children;
    assert!(privileges.iter().all(|p| p == &dav("privilege")) && privileges.len() >= 3);
    // Unset and unknown properties are 404 propstats, never an error.
    for missing in [
        caldav("calendar-description"),
        "{http://apple.com/ns/ical/}calendar-color".to_owned(),
        "{urn:example:x}unheard-of".to_owned(),
    ] {
        assert_eq!(calendar.props[&missing].status, 404, "{missing}");
    }
    // A write changes the CTag and the sync token.
    put_event(&server, "a", "20240601T100000Z").await;
    let again = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .xml(CALENDAR_PROPS)
        .send()
        .await
        .multistatus();
    assert_ne!(
        again.responses[0].ok("{http://calendarserver.org/ns/}getctag").text,
        ctag
    );
}

#[tokio::test]
async fn depth_1_lists_every_resource_with_etag_type_and_length() {
    let server = TestServer::spawn().await;
    let mut etags = Vec::new();
    for (uid, start) in [("one", "20240601T100000Z"), ("two", "20240602T100000Z")] {
        etags.push(put_event(&server, uid, start).await.header("etag").unwrap());
    }
    let body = r#"<propfind xmlns="DAV:"><prop><getetag/><getcontenttype/><getcontentlength/><getlastmodified/><resourcetype/></prop></propfind>"#;
    let status = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "1")
        .xml(body)
        .send()
        .await
        .multistatus();
    assert_eq!(status.responses.len(), 3);
    for (uid, etag) in ["one", "two"].iter().zip(&etags) {
        let object = status.get(&format!("{}{uid}.ics", server.calendar_path()));
        assert_eq!(&object.ok(&dav("getetag")).text, etag);
        assert!(object.ok(&dav("getcontenttype")).text.starts_with("text/calendar"));
        let bytes = televent_tests::data::timed(uid, "x", uid);
        assert!(object.ok(&dav("getcontentlength")).text.parse::<usize>().unwrap() > bytes.len() - 10);
        assert!(object.ok(&dav("getlastmodified")).text.ends_with("GMT"));
        assert!(object.ok(&dav("resourcetype")).children.is_empty());
    }
    // Depth 0 on one resource.
    let one = server
        .request("PROPFIND", &format!("{}one.ics", server.calendar_path()))
        .header("depth", "0")
        .xml(body)
        .send()
        .await
        .multistatus();
    assert_eq!(one.responses.len(), 1);
    assert_eq!(one.responses[0].ok(&dav("getetag")).text, etags[0]);
}

#[tokio::test]
async fn depth_infinity_is_refused_with_propfind_finite_depth() {
    let server = TestServer::spawn().await;
    let response = server
        .request("PROPFIND", "/dav/calendars/alice/")
        .header("depth", "infinity")
        .xml(CALENDAR_PROPS)
        .send()
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.precondition(), "{DAV:}propfind-finite-depth");
    let bad = server
        .request("PROPFIND", "/dav/calendars/alice/")
        .header("depth", "2")
        .send()
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn allprop_propname_and_an_empty_body() {
    let server = TestServer::spawn().await;
    let path = server.calendar_path();
    for body in ["", "<propfind xmlns='DAV:'><allprop/></propfind>"] {
        let status = server
            .request("PROPFIND", &path)
            .header("depth", "0")
            .xml(body)
            .send()
            .await
            .multistatus();
        let calendar = &status.responses[0];
        calendar.ok(&dav("resourcetype"));
        calendar.ok(&dav("sync-token"));
        assert!(calendar.props.values().all(|p| p.status == 200), "{calendar:#?}");
    }
    let names = server
        .request("PROPFIND", &path)
        .header("depth", "0")
        .xml("<propfind xmlns='DAV:'><propname/></propfind>")
        .send()
        .await
        .multistatus();
    let calendar = &names.responses[0];
    assert!(calendar.ok(&dav("displayname")).text.is_empty());
    assert!(calendar.ok(&dav("resourcetype")).children.is_empty());
}

#[tokio::test]
async fn bad_xml_is_a_400_and_a_dtd_is_refused() {
    let server = TestServer::spawn().await;
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><propfind xmlns="DAV:"><prop>&b;</prop></propfind>"#;
    for body in ["<propfind", bomb, "<propfind xmlns='urn:wrong'><prop/></propfind>"] {
        let response = server.request("PROPFIND", "/dav/").xml(body).send().await;
        assert_eq!(response.status, 400, "{body}");
    }
}

#[tokio::test]
async fn prefer_return_minimal_drops_the_404_propstat() {
    let server = TestServer::spawn().await;
    let response = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .header("prefer", "return-minimal")
        .xml(CALENDAR_PROPS)
        .send()
        .await;
    assert_eq!(response.header("preference-applied").as_deref(), Some("return=minimal"));
    let status = response.multistatus();
    assert!(status.responses[0].props.values().all(|p| p.status == 200));
}

#[tokio::test]
async fn missing_calendars_and_resources_are_404() {
    let server = TestServer::spawn().await;
    for path in [
        "/dav/calendars/alice/nope/",
        "/dav/calendars/alice/default/nope.ics",
        "/dav/nowhere/",
        "/elsewhere",
    ] {
        let response = server.request("PROPFIND", path).header("depth", "0").send().await;
        assert_eq!(response.status, 404, "{path}");
    }
}

#[tokio::test]
async fn a_large_listing_is_sent_in_chunks_and_lists_every_member_once() {
    let server = TestServer::spawn().await;
    let mut etags = std::collections::BTreeMap::new();
    for index in 0..400 {
        let uid = format!("member-{index:03}");
        let etag = put_event(&server, &uid, "20240601T100000Z")
            .await
            .header("etag")
            .unwrap();
        etags.insert(format!("{}{uid}.ics", server.calendar_path()), etag);
    }
    let body = r#"<propfind xmlns="DAV:"><prop><getetag/><getcontentlength/></prop></propfind>"#;
    let sync = "<sync-collection xmlns='DAV:'><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>";
    for (method, request) in [("PROPFIND", body), ("REPORT", sync)] {
        let response = server
            .request(method, &server.calendar_path())
            .header("depth", "1")
            .xml(request)
            .send()
            .await;
        // Made as it is sent (about 140 KB here, several chunks), so no length up front.
        assert_eq!(
            response.header("transfer-encoding").as_deref(),
            Some("chunked"),
            "{method}"
        );
        assert_eq!(response.header("content-length"), None, "{method}");
        let status = response.multistatus();
        let listed: std::collections::BTreeMap<String, String> = status
            .responses
            .iter()
            .filter(|r| r.href.ends_with(".ics"))
            .map(|r| (r.href.clone(), r.ok(&dav("getetag")).text.clone()))
            .collect();
        assert_eq!(listed, etags, "{method}");
        assert_eq!(
            status.responses.iter().filter(|r| r.href.ends_with(".ics")).count(),
            400,
            "{method}: each member once"
        );
        assert_eq!(status.sync_token.is_some(), method == "REPORT", "{method}");
    }
}
