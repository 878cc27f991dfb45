//! Real client request bodies from ../shared/caldav-requests, replayed; each test asserts what
//! the corpus INDEX says the client needs back.

use super::{caldav, dav, put_event};
use televent_tests::corpus::shared_dir;
use televent_tests::server::TestServer;

/// The body of a sample, its `{{...}}` placeholders replaced in order by `values`.
fn sample(name: &str, values: &[&str]) -> String {
    let mut text = std::fs::read_to_string(shared_dir().join("caldav-requests").join(name)).unwrap();
    for value in values {
        let start = text
            .find("{{")
            .unwrap_or_else(|| panic!("{name}: fewer placeholders than values"));
        let end = text[start..].find("}}").unwrap() + start + 2;
        text.replace_range(start..end, value);
    }
    assert!(!text.contains("{{"), "{name}: placeholders left");
    text
}

#[tokio::test]
async fn apple_discovery_on_the_bare_server_finds_the_principal() {
    // iOS and macOS send this PROPFIND to /.well-known/caldav, / and /principals/; macOS may
    // ignore the redirect, so / must answer it too.
    let server = TestServer::spawn().await;
    for file in [
        "ios5__01_wellknown_propfind.xml",
        "macos1011__01_wellknown_propfind.xml",
    ] {
        let body = sample(file, &[]);
        let status = server
            .request("PROPFIND", "/")
            .header("depth", "0")
            .xml(&body)
            .send()
            .await
            .multistatus();
        assert_eq!(
            status.responses[0].ok(&dav("current-user-principal")).hrefs,
            ["/dav/principals/alice/"],
            "{file}"
        );
    }
}

#[tokio::test]
async fn davx5_base_url_check_gets_current_user_principal() {
    // DAVx5 accepts current-user-principal, calendar-home-set or a calendar resourcetype.
    let server = TestServer::spawn().await;
    let body = sample("davx5__01_baseurl_propfind.xml", &[]);
    let status = server
        .request("PROPFIND", "/dav/")
        .header("depth", "0")
        .xml(&body)
        .send()
        .await
        .multistatus();
    assert_eq!(
        status.responses[0].ok(&dav("current-user-principal")).hrefs,
        ["/dav/principals/alice/"]
    );
    let principal = server
        .request("PROPFIND", "/dav/principals/alice/")
        .header("depth", "0")
        .xml(&body)
        .send()
        .await
        .multistatus();
    assert_eq!(
        principal.responses[0].ok(&caldav("calendar-home-set")).hrefs,
        ["/dav/calendars/alice/"]
    );
}

#[tokio::test]
async fn davx5_options_on_the_principal_says_calendar_access() {
    // "Principal is dropped if DAV header lacks calendar-access."
    let server = TestServer::spawn().await;
    let response = server.request("OPTIONS", "/dav/principals/alice/").send().await;
    assert!(response.header("dav").unwrap().contains("calendar-access"));
}

#[tokio::test]
async fn home_listings_mark_calendars_with_owner_and_components() {
    // DAVx5: "Collections need resourcetype C:calendar; owner is compared with the principal."
    // Outlook: "Needs displayname present and supported-calendar-component-set."
    // vdirsyncer: "Children must carry C:calendar in resourcetype."
    let server = TestServer::spawn().await;
    for file in [
        "davx5__05_homeset_propfind_depth1.xml",
        "outlook-caldavsynchronizer__03_home_list_calendars_propfind_depth1.xml",
        "vdirsyncer__03_home_collections_propfind_depth1.xml",
        "thunderbird__03_homeset_propfind_depth1.xml",
        "macos1011__06_calendarhome_propfind_depth1.xml",
    ] {
        let body = sample(file, &[]);
        let status = server
            .request("PROPFIND", "/dav/calendars/alice/")
            .header("depth", "1")
            .xml(&body)
            .send()
            .await
            .multistatus();
        let calendar = status.get(&server.calendar_path());
        assert!(
            calendar.ok(&dav("resourcetype")).children.contains(&caldav("calendar")),
            "{file}"
        );
        if file.starts_with("davx5") {
            assert_eq!(calendar.ok(&dav("owner")).hrefs, ["/dav/principals/alice/"]);
        }
        if file.starts_with("outlook") {
            assert!(!calendar.ok(&dav("displayname")).text.is_empty());
            assert!(
                !calendar
                    .ok(&caldav("supported-calendar-component-set"))
                    .children
                    .is_empty()
            );
        }
    }
}

#[tokio::test]
async fn davx5_capabilities_advertise_sync_collection() {
    // "sync-collection in supported-report-set selects RFC 6578 sync."
    let server = TestServer::spawn().await;
    let body = sample("davx5__06_calendar_capabilities_propfind.xml", &[]);
    let response = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .xml(&body)
        .send()
        .await;
    assert!(response.text().contains("<d:sync-collection/>"), "{}", response.text());
    let status = response.multistatus();
    status.responses[0].ok(&dav("sync-token"));
    status.responses[0].ok("{http://calendarserver.org/ns/}getctag");
    status.responses[0].ok(&caldav("max-resource-size"));
}

#[tokio::test]
async fn item_listings_carry_etags_and_a_calendar_content_type() {
    // vdirsyncer: "Items without getetag or with a non-calendar getcontenttype are skipped."
    let server = TestServer::spawn().await;
    put_event(&server, "listed", "20240601T100000Z").await;
    for file in [
        "vdirsyncer__04_calendar_list_propfind_depth1.xml",
        "thunderbird__10_calendar_etags_propfind_depth1.xml",
        "macos1011__09_calendar_propfind_depth1_etags.xml",
    ] {
        let body = sample(file, &[]);
        let status = server
            .request("PROPFIND", &server.calendar_path())
            .header("depth", "1")
            .xml(&body)
            .send()
            .await
            .multistatus();
        let item = status.get(&format!("{}listed.ics", server.calendar_path()));
        item.ok(&dav("getetag"));
        if !file.starts_with("macos") {
            assert!(
                item.ok(&dav("getcontenttype")).text.starts_with("text/calendar"),
                "{file}"
            );
        }
    }
}

#[tokio::test]
async fn outlook_and_davx5_sync_collection_with_the_empty_initial_token() {
    // Outlook: "Requires top-level D:sync-token in 207. 403 with D:valid-sync-token => retried
    // without token. Deleted members: response/status 404."
    let server = TestServer::spawn().await;
    put_event(&server, "synced", "20240601T100000Z").await;
    for file in [
        "outlook-caldavsynchronizer__08_calendar_sync_collection.xml",
        "davx5__09_calendar_sync_collection.xml",
    ] {
        let initial = server
            .request("REPORT", &server.calendar_path())
            .header("depth", "0")
            .xml(&sample(file, &[""]))
            .send()
            .await
            .multistatus();
        let token = initial.sync_token.clone().unwrap();
        assert_eq!(initial.responses.len(), 1, "{file}");
        let stale = server
            .request("REPORT", &server.calendar_path())
            .header("depth", "0")
            .xml(&sample(file, &["http://example.com/stale"]))
            .send()
            .await;
        assert_eq!(stale.status, 403);
        assert_eq!(stale.precondition(), "{DAV:}valid-sync-token");
        assert_eq!(
            server
                .request("DELETE", &format!("{}synced.ics", server.calendar_path()))
                .send()
                .await
                .status,
            204
        );
        let delta = server
            .request("REPORT", &server.calendar_path())
            .header("depth", "0")
            .xml(&sample(file, &[&token]))
            .send()
            .await
            .multistatus();
        assert_eq!(
            delta.get(&format!("{}synced.ics", server.calendar_path())).status,
            Some(404)
        );
        put_event(&server, "synced", "20240601T100000Z").await;
    }
}

#[tokio::test]
async fn vdirsyncer_multiget_gets_every_href_it_asked_for() {
    // "Duplicate or unsolicited hrefs are logged; missing hrefs raise NotFound."
    let server = TestServer::spawn().await;
    put_event(&server, "item1", "20240601T100000Z").await;
    put_event(&server, "item2", "20240602T100000Z").await;
    let base = server.calendar_path();
    let body = sample(
        "vdirsyncer__06_calendar_multiget.xml",
        &[&format!("{base}item1.ics"), &format!("{base}item2.ics")],
    );
    let status = server.request("REPORT", &base).xml(&body).send().await.multistatus();
    assert_eq!(status.responses.len(), 2);
    for item in ["item1", "item2"] {
        let response = status.get(&format!("{base}{item}.ics"));
        response.ok(&dav("getetag"));
        assert!(
            response
                .ok(&caldav("calendar-data"))
                .text
                .contains(&format!("UID:{item}"))
        );
    }
}

#[tokio::test]
async fn python_caldav_mkcalendar_with_resourcetype_in_the_set() {
    // "Also puts resourcetype in the MKCALENDAR set (servers should ignore or accept it)."
    let server = TestServer::spawn().await;
    let body = sample("python-caldav__05_mkcalendar.xml", &["Py Cal"]);
    let response = server
        .request("MKCALENDAR", "/dav/calendars/alice/pycal/")
        .xml(&body)
        .send()
        .await;
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(
        server
            .engine
            .calendar(&server.user, "pycal")
            .await
            .unwrap()
            .display_name,
        "Py Cal"
    );
}

#[tokio::test]
async fn thunderbird_put_with_if_none_match_star_succeeds() {
    // "Thunderbird treats 200, 201 and 204 as success; 409/412 as conflict."
    let server = TestServer::spawn().await;
    let response = server
        .request("PUT", &format!("{}tb.ics", server.calendar_path()))
        .header("content-type", "text/calendar; charset=utf-8")
        .header("if-none-match", "*")
        .body(televent_tests::data::timed("tb", "20240601T100000Z", "Thunderbird"))
        .send()
        .await;
    assert_eq!(response.status, 201);
    assert!(response.header("etag").is_some());
}

#[tokio::test]
async fn every_sample_body_whole_or_cut_never_gets_a_5xx() {
    // Whatever a client sends, the answer is a 2xx or a 4xx: never a crash, never a 5xx.
    let server = TestServer::spawn().await;
    put_event(&server, "target", "20240601T100000Z").await;
    let mut files: Vec<_> = std::fs::read_dir(shared_dir().join("caldav-requests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let calendar = server.calendar_path();
    let object = format!("{calendar}target.ics");
    let mut sent = 0;
    for (n, file) in files.iter().enumerate() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name == "INDEX.md" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let cuts = [text.len(), text.len() * 2 / 3, text.len() / 2, 7];
        for (c, cut) in cuts.into_iter().enumerate() {
            let body = &text.as_bytes()[..cut.min(text.len())];
            let mkcalendar = format!("/dav/calendars/alice/fuzz-{n}-{c}/");
            for (method, path) in [
                ("PROPFIND", "/dav/"),
                ("PROPFIND", calendar.as_str()),
                ("REPORT", calendar.as_str()),
                ("PROPPATCH", calendar.as_str()),
                ("MKCALENDAR", mkcalendar.as_str()),
                ("PUT", object.as_str()),
            ] {
                let response = server
                    .request(method, path)
                    .header("depth", "1")
                    .body(body.to_vec())
                    .send()
                    .await;
                assert!(
                    !response.status.is_server_error(),
                    "{name} cut at {cut}, {method} {path}: {} {}",
                    response.status,
                    response.text()
                );
                sent += 1;
            }
        }
    }
    assert!(sent > 1000, "{sent}");
}

#[tokio::test]
async fn apple_and_mozilla_principal_reports() {
    let server = TestServer::spawn().await;
    // macOS: "200 with DAV:principal-search-property-set, or 403/501; failure is not fatal."
    let set = server
        .request("REPORT", "/dav/principals/")
        .header("depth", "0")
        .xml(&sample("macos1011__04_report_principal_search_property_set.xml", &[]))
        .send()
        .await;
    assert_eq!(set.status, 200);
    assert!(
        set.text().contains("principal-search-property-set") && set.text().contains("<d:displayname/>"),
        "{}",
        set.text()
    );
    // macOS: "servers without calendar-proxy can answer 207 with 404 propstats."
    let expand = server
        .request("REPORT", "/dav/principals/alice/")
        .header("depth", "0")
        .xml(&sample("macos1011__05_report_expand_property_proxy_for.xml", &[]))
        .send()
        .await
        .multistatus();
    let principal = expand.get("/dav/principals/alice/");
    assert_eq!(
        principal.props["{http://calendarserver.org/ns/}calendar-proxy-read-for"].status,
        404
    );
    assert_eq!(
        principal.props["{http://calendarserver.org/ns/}calendar-proxy-write-for"].status,
        404
    );
    // Thunderbird looks its principal up by calendar-home-set.
    let search = sample(
        "thunderbird__08_principal_property_search_report.xml",
        &["/dav/calendars/alice"],
    );
    let found = server
        .request("REPORT", "/dav/principals/")
        .header("depth", "1")
        .xml(&search)
        .send()
        .await
        .multistatus();
    assert_eq!(found.responses.len(), 1);
    let principal = found.get("/dav/principals/alice/");
    assert_eq!(
        principal.ok(&caldav("calendar-home-set")).hrefs,
        ["/dav/calendars/alice/"]
    );
    assert!(principal.ok(&caldav("calendar-user-address-set")).hrefs[0].starts_with("mailto:"));
    // A search never reveals another user.
    let other = sample(
        "thunderbird__08_principal_property_search_report.xml",
        &["/dav/calendars/bob"],
    );
    let none = server
        .request("REPORT", "/dav/principals/")
        .header("depth", "1")
        .xml(&other)
        .send()
        .await
        .multistatus();
    assert!(none.responses.is_empty());
}

#[test]
fn mangled_sample_bodies_never_panic_the_xml_readers() {
    use televent_adapters::http::xml::{mkcalendar, propfind, proppatch, report};
    // A fixed xorshift, so every run mangles the same way.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % u64::try_from(bound.max(1)).unwrap()).unwrap()
    };
    let mut files: Vec<_> = std::fs::read_dir(shared_dir().join("caldav-requests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut parsed = 0;
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "xml")) {
        let original = std::fs::read(file).unwrap();
        for _ in 0..60 {
            let mut bytes = original.clone();
            for _ in 0..=next(4) {
                let at = next(bytes.len());
                match next(5) {
                    0 => bytes[at] = b"<>&/\"'=:x\0"[next(10)],
                    1 => {
                        let end = (at + next(40)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    2 => {
                        let end = (at + next(40)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                    3 => bytes.truncate(at),
                    _ => {
                        let entity = b"<!DOCTYPE x [<!ENTITY a \"b\">]>&a;";
                        bytes.splice(at..at, entity.iter().copied());
                    }
                }
                if bytes.is_empty() {
                    break;
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let _ = propfind::parse_propfind(text);
            let _ = report::parse_report(text);
            let _ = mkcalendar::parse_mkcalendar(text);
            let _ = proppatch::parse_proppatch(text);
            parsed += 1;
        }
    }
    assert!(parsed > 1000, "{parsed}");
}
