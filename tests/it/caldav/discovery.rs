//! Discovery: from the bare server URL to the calendars (RFC 6764, 5397, 4791 section 6).

use super::{caldav, dav};
use televent_tests::server::TestServer;

const DISCOVERY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><A:principal-URL/><A:resourcetype/></A:prop></A:propfind>"#;

#[tokio::test]
async fn well_known_redirects_to_the_dav_root_without_credentials() {
    let server = TestServer::spawn().await;
    for method in ["GET", "PROPFIND"] {
        let response = server.request(method, "/.well-known/caldav").anonymous().send().await;
        assert_eq!(response.status, 301);
        assert_eq!(response.header("location").as_deref(), Some("/dav/"));
    }
}

#[tokio::test]
async fn well_known_uses_the_public_url_when_configured() {
    let config = televent_adapters::http::HttpConfig {
        public_url: Some("https://cal.example.com/".into()),
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::server::test_store().await, config).await;
    let response = server.request("GET", "/.well-known/caldav").anonymous().send().await;
    assert_eq!(
        response.header("location").as_deref(),
        Some("https://cal.example.com/dav/")
    );
}

#[tokio::test]
async fn propfind_on_slash_and_dav_root_leads_to_the_principal() {
    let server = TestServer::spawn().await;
    for path in ["/", "/dav/", "/dav"] {
        let status = server
            .request("PROPFIND", path)
            .header("depth", "0")
            .xml(DISCOVERY)
            .send()
            .await
            .multistatus();
        let root = &status.responses[0];
        assert_eq!(
            root.ok(&dav("current-user-principal")).hrefs,
            ["/dav/principals/alice/"],
            "{path}"
        );
        assert_eq!(root.ok(&dav("resourcetype")).children, [dav("collection")]);
        // principal-URL is a property of principals only.
        assert_eq!(root.props[&dav("principal-URL")].status, 404);
    }
}

#[tokio::test]
async fn the_principal_names_home_addresses_and_itself() {
    let server = TestServer::spawn().await;
    let body = r#"<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop>
        <resourcetype/><displayname/><principal-URL/><current-user-principal/>
        <C:calendar-home-set/><C:calendar-user-address-set/></prop></propfind>"#;
    let status = server
        .request("PROPFIND", "/dav/principals/alice/")
        .header("depth", "0")
        .xml(body)
        .send()
        .await
        .multistatus();
    let principal = status.get("/dav/principals/alice/");
    assert_eq!(
        principal.ok(&dav("resourcetype")).children,
        [dav("collection"), dav("principal")]
    );
    assert_eq!(principal.ok(&dav("displayname")).text, "alice");
    assert_eq!(principal.ok(&dav("principal-URL")).hrefs, ["/dav/principals/alice/"]);
    assert_eq!(
        principal.ok(&caldav("calendar-home-set")).hrefs,
        ["/dav/calendars/alice/"]
    );
    let addresses = &principal.ok(&caldav("calendar-user-address-set")).hrefs;
    assert!(
        addresses.contains(&"mailto:alice@televent.internal".to_owned()),
        "{addresses:?}"
    );
}

#[tokio::test]
async fn linked_addresses_are_the_principals_addresses_too() {
    let server = TestServer::spawn().await;
    let address_set = r#"<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop>
        <C:calendar-user-address-set/></prop></propfind>"#;
    let search = r#"<principal-property-search xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
        <property-search><prop><C:calendar-user-address-set/></prop><match>Alice@Example.com</match></property-search>
        <prop><displayname/></prop></principal-property-search>"#;
    let found = || async {
        server
            .request("REPORT", "/dav/principals/")
            .header("depth", "0")
            .xml(search)
            .send()
            .await
            .multistatus()
            .responses
            .len()
    };
    assert_eq!(found().await, 0, "not linked yet");

    server
        .engine
        .link_address(&server.user, "alice@example.com")
        .await
        .unwrap();
    let status = server
        .request("PROPFIND", "/dav/principals/alice/")
        .header("depth", "0")
        .xml(address_set)
        .send()
        .await
        .multistatus();
    assert_eq!(
        status
            .get("/dav/principals/alice/")
            .ok(&caldav("calendar-user-address-set"))
            .hrefs,
        [
            "mailto:alice@televent.internal",
            "mailto:alice@example.com",
            "/dav/principals/alice/"
        ]
    );
    assert_eq!(found().await, 1, "a principal search finds the linked address");
}

#[tokio::test]
async fn the_home_lists_calendars_at_depth_1() {
    let server = TestServer::spawn().await;
    let body = r#"<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop><resourcetype/><displayname/><C:supported-calendar-component-set/><owner/></prop></propfind>"#;
    let status = server
        .request("PROPFIND", "/dav/calendars/alice/")
        .header("depth", "1")
        .xml(body)
        .send()
        .await
        .multistatus();
    assert_eq!(status.responses.len(), 2, "{status:#?}");
    let home = status.get("/dav/calendars/alice/");
    assert_eq!(home.ok(&dav("resourcetype")).children, [dav("collection")]);
    let calendar = status.get(&server.calendar_path());
    assert_eq!(
        calendar.ok(&dav("resourcetype")).children,
        [dav("collection"), caldav("calendar")]
    );
    assert_eq!(calendar.ok(&dav("owner")).hrefs, ["/dav/principals/alice/"]);
    assert_eq!(
        calendar.ok(&caldav("supported-calendar-component-set")).children,
        [caldav("comp"), caldav("comp")]
    );
}

#[tokio::test]
async fn options_advertises_calendar_access_and_the_methods() {
    let server = TestServer::spawn().await;
    let response = server
        .request("OPTIONS", &server.calendar_path())
        .anonymous()
        .send()
        .await;
    assert_eq!(response.status, 200);
    let dav_header = response.header("dav").unwrap();
    for class in ["1", "3", "calendar-access"] {
        assert!(dav_header.split(',').any(|c| c.trim() == class), "{dav_header}");
    }
    let allow = response.header("allow").unwrap();
    for method in ["PROPFIND", "REPORT", "MKCALENDAR"] {
        assert!(allow.contains(method), "{allow}");
    }
    let object = server
        .request("OPTIONS", &format!("{}x.ics", server.calendar_path()))
        .send()
        .await;
    let allow = object.header("allow").unwrap();
    for method in ["GET", "PUT", "DELETE"] {
        assert!(allow.contains(method), "{allow}");
    }
}

#[tokio::test]
async fn health_answers_without_credentials() {
    let server = TestServer::spawn().await;
    let response = server.request("GET", "/health").anonymous().send().await;
    assert_eq!(response.status, 200);
}
