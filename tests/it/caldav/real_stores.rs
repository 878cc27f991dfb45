//! A core subset on SQLite and PostgreSQL: discovery, PUT/GET with preconditions, a Depth 1
//! listing, a time-range query and an incremental sync, so the door is known to work on the
//! real stores and not only in memory.

use super::{dav, put_event};
use televent_adapters::http::HttpConfig;
use televent_tests::server::TestServer;
use televent_tests::stores::TestStore;

#[tokio::test]
async fn core_flow_on_sqlite() {
    core_flow(televent_tests::stores::sqlite().await).await;
}

#[tokio::test]
async fn core_flow_on_postgres() {
    core_flow(televent_tests::stores::postgres().await).await;
}

async fn core_flow(store: TestStore) {
    let server = TestServer::spawn_with(store, HttpConfig::default()).await;
    let base = server.calendar_path();
    let discovery = server
        .request("PROPFIND", "/")
        .header("depth", "0")
        .xml("<propfind xmlns='DAV:'><prop><current-user-principal/></prop></propfind>")
        .send()
        .await
        .multistatus();
    assert_eq!(
        discovery.responses[0].ok(&dav("current-user-principal")).hrefs,
        ["/dav/principals/alice/"]
    );
    let sync = "<sync-collection xmlns='DAV:'><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>";
    let initial = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(sync)
        .send()
        .await
        .multistatus();
    let token = initial.sync_token.clone().unwrap();
    let created = put_event(&server, "q1", "20240601T100000Z").await;
    assert_eq!(created.status, 201);
    let etag = created.header("etag").unwrap();
    let again = server
        .request("PUT", &format!("{base}q1.ics"))
        .header("if-none-match", "*")
        .body(televent_tests::data::timed("q1", "20240601T100000Z", "x"))
        .send()
        .await;
    assert_eq!(again.status, 412);
    let get = server.request("GET", &format!("{base}q1.ics")).send().await;
    assert_eq!(get.header("etag"), Some(etag.clone()));
    let listing = server
        .request("PROPFIND", &base)
        .header("depth", "1")
        .xml("<propfind xmlns='DAV:'><prop><getetag/></prop></propfind>")
        .send()
        .await
        .multistatus();
    assert_eq!(listing.get(&format!("{base}q1.ics")).ok(&dav("getetag")).text, etag);
    let conflict = server
        .request("PUT", &format!("{base}other.ics"))
        .body(televent_tests::data::timed("q1", "20240601T100000Z", "x"))
        .send()
        .await;
    assert_eq!(conflict.status, 409);
    let delta_body = sync.replace("<sync-token/>", &format!("<sync-token>{token}</sync-token>"));
    let delta = server
        .request("REPORT", &base)
        .header("depth", "0")
        .xml(&delta_body)
        .send()
        .await
        .multistatus();
    assert_eq!(delta.responses.len(), 1);
    let query = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240601T100000Z" end="20240601T103000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let found = server
        .request("REPORT", &base)
        .header("depth", "1")
        .xml(query)
        .send()
        .await
        .multistatus();
    assert_eq!(found.responses.len(), 1);
    assert_eq!(
        server
            .request("DELETE", &format!("{base}q1.ics"))
            .header("if-match", &etag)
            .send()
            .await
            .status,
        204
    );
    assert_eq!(
        server
            .request("MKCALENDAR", "/dav/calendars/alice/lite/")
            .send()
            .await
            .status,
        201
    );
}
