//! Hostile XML bodies on every method that reads XML: entity expansion, external entities,
//! deep nesting, a 20 MB body, malformed XML, UTF-16 and a BOM, and namespace tricks. A DTD is
//! refused outright (no expansion, no file read), unreadable XML is a 400 that says so, and
//! nothing is stored by a refused request.

use televent_adapters::http::HttpConfig;
use televent_tests::server::{TestResponse, TestServer};
use tokio::io::AsyncWriteExt;

use super::{DEADLINE, assert_4xx, assert_alive, basic, read_to_close, seed, snapshot};

const NS: &str = r#"xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav""#;

/// One XML-reading request: a template whose `{X}` marks where text may go, and whether the
/// plain template succeeds (`2xx`).
struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    depth: Option<&'static str>,
    template: String,
}

fn cases(server: &TestServer) -> Vec<Case> {
    let calendar = server.calendar_path();
    vec![
        Case {
            name: "PROPFIND",
            method: "PROPFIND",
            path: calendar.clone(),
            depth: Some("1"),
            template: format!(
                r#"<D:propfind {NS}><D:prop><D:displayname/><D:getetag/></D:prop><!--{{X}}--></D:propfind>"#
            )
            .replace("<!--{X}-->", "{X}"),
        },
        Case {
            name: "calendar-query",
            method: "REPORT",
            path: calendar.clone(),
            depth: Some("1"),
            template: format!(
                r#"<C:calendar-query {NS}><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match>Keep{{X}}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
            ),
        },
        Case {
            name: "calendar-multiget",
            method: "REPORT",
            path: calendar.clone(),
            depth: Some("1"),
            template: format!(
                r#"<C:calendar-multiget {NS}><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>{calendar}keep.ics{{X}}</D:href></C:calendar-multiget>"#
            ),
        },
        Case {
            name: "sync-collection",
            method: "REPORT",
            path: calendar.clone(),
            depth: None,
            template: format!(
                r#"<D:sync-collection {NS}><D:sync-token>{{X}}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
            ),
        },
        Case {
            name: "PROPPATCH",
            method: "PROPPATCH",
            path: calendar.clone(),
            depth: None,
            template: format!(
                r#"<D:propertyupdate {NS}><D:set><D:prop><D:displayname>Renamed{{X}}</D:displayname></D:prop></D:set></D:propertyupdate>"#
            ),
        },
        Case {
            name: "MKCALENDAR",
            method: "MKCALENDAR",
            path: "/dav/calendars/alice/hostile/".to_owned(),
            depth: None,
            template: format!(
                r#"<C:mkcalendar {NS}><D:set><D:prop><D:displayname>Made{{X}}</D:displayname></D:prop></D:set></C:mkcalendar>"#
            ),
        },
    ]
}

async fn send(server: &TestServer, case: &Case, body: impl Into<Vec<u8>>) -> TestResponse {
    let mut request = server
        .request(case.method, &case.path)
        .header("content-type", "application/xml; charset=utf-8")
        .body(body);
    if let Some(depth) = case.depth {
        request = request.header("depth", depth);
    }
    request.send().await
}

/// What a refused request must leave: alice's objects and calendar as they were, no new
/// calendar.
async fn assert_unchanged(server: &TestServer, before: &(Vec<(String, Vec<u8>)>, String), what: &str) {
    assert_eq!(&snapshot(server).await, before, "{what}: stored data changed");
    let calendars = server.engine.store().calendars(server.user.id).await.unwrap();
    assert_eq!(calendars.len(), 1, "{what}: a calendar was made");
}

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"#;

const EXTERNAL: &str = r#"<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> ]>
"#;

#[tokio::test]
async fn the_plain_templates_work_so_the_attacks_below_test_something() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    for case in cases(&server) {
        let response = send(&server, &case, case.template.replace("{X}", "")).await;
        assert!(
            response.status.is_success(),
            "{}: {} {}",
            case.name,
            response.status,
            response.text()
        );
    }
}

#[tokio::test]
async fn entity_expansion_is_refused_400_on_every_method() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for case in cases(&server) {
        let body = format!("{LAUGHS}{}", case.template.replace("{X}", "&lol9;"));
        let response = send(&server, &case, body).await;
        assert_eq!(response.status, 400, "{}: {}", case.name, response.text());
        let text = response.text();
        assert!(text.len() < 4096 && !text.contains("lollol"), "{}: {text}", case.name);
        assert!(text.contains("XML") || text.contains("DTD"), "{}: {text}", case.name);
        assert_unchanged(&server, &before, case.name).await;
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn external_entities_are_never_resolved() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for case in cases(&server) {
        let body = format!("{EXTERNAL}{}", case.template.replace("{X}", "&xxe;"));
        let response = send(&server, &case, body).await;
        assert_eq!(response.status, 400, "{}: {}", case.name, response.text());
        assert!(!response.text().contains("root:"), "{}: /etc/passwd leaked", case.name);
        assert_unchanged(&server, &before, case.name).await;
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn ten_thousand_deep_nesting_is_refused_without_a_stack_overflow() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let mut before = snapshot(&server).await;
    let depth = 10_000;
    for case in cases(&server) {
        // The real request wrapped in 10 000 elements: the root is then not the method's.
        let open = r#"<D:x xmlns:D="DAV:">"#.repeat(depth);
        let close = "</D:x>".repeat(depth);
        let body = format!("{open}{}{close}", case.template.replace("{X}", ""));
        let response = send(&server, &case, body).await;
        if case.method == "REPORT" {
            // An unknown report element is 403 DAV:supported-report.
            assert_eq!(response.status, 403, "{}: {}", case.name, response.text());
            assert_eq!(response.precondition(), "{DAV:}supported-report");
        } else {
            assert_eq!(response.status, 400, "{}: {}", case.name, response.text());
        }
        assert_unchanged(&server, &before, case.name).await;
        // And 10 000 elements deep inside the request, where text is read.
        let inner = format!("{}{}", "<D:y>".repeat(depth), "</D:y>".repeat(depth));
        let response = send(&server, &case, case.template.replace("{X}", &inner)).await;
        assert!(
            !response.status.is_server_error(),
            "{} (inner): {} {}",
            case.name,
            response.status,
            response.text()
        );
        // Well-formed, so a write may succeed (the nested elements are ignored): start again
        // from what it left.
        if response.status.is_success() && case.method == "MKCALENDAR" {
            let deleted = server.request("DELETE", &case.path).send().await;
            assert_eq!(deleted.status, 204);
        }
        before = snapshot(&server).await;
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn deeply_nested_filters_and_selections_are_refused_403_or_400() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let calendar = server.calendar_path();
    let depth = 10_000;
    let filters = format!(
        r#"<C:calendar-query {NS}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR">{}{}</C:comp-filter></C:filter></C:calendar-query>"#,
        r#"<C:comp-filter name="VEVENT">"#.repeat(depth),
        "</C:comp-filter>".repeat(depth)
    );
    let response = server
        .request("REPORT", &calendar)
        .header("depth", "1")
        .xml(&filters)
        .send()
        .await;
    assert_4xx(&response, "nested comp-filters");
    let selection = format!(
        r#"<C:calendar-multiget {NS}><D:prop><C:calendar-data>{}{}</C:calendar-data></D:prop><D:href>{calendar}keep.ics</D:href></C:calendar-multiget>"#,
        r#"<C:comp name="VCALENDAR">"#.repeat(depth),
        "</C:comp>".repeat(depth)
    );
    let response = server
        .request("REPORT", &calendar)
        .header("depth", "1")
        .xml(&selection)
        .send()
        .await;
    assert_4xx(&response, "nested comp selections");
    let props = format!(
        r#"<D:propfind {NS}><D:prop>{}{}</D:prop></D:propfind>"#,
        "<D:displayname>".repeat(depth),
        "</D:displayname>".repeat(depth)
    );
    let response = server
        .request("PROPFIND", &calendar)
        .header("depth", "0")
        .xml(&props)
        .send()
        .await;
    assert!(!response.status.is_server_error(), "{}", response.status);
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_20_mb_body_is_answered_at_the_limit_without_being_read_whole() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    let calendar = server.calendar_path();
    let size = 20 * 1024 * 1024;
    for method in ["PROPFIND", "REPORT"] {
        // Declared: answered 413 from the headers alone (the body is never sent).
        let head = format!(
            "{method} {calendar} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nDepth: 1\r\nContent-Type: application/xml\r\nContent-Length: {size}\r\n\r\n",
            basic(&server)
        );
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let answer = read_to_close(&mut stream).await;
        assert_eq!(answer.status(), Some(413), "{method}: {}", answer.text());
        assert!(
            answer.closed,
            "{method}: the connection must close after a refused body"
        );

        // Chunked, no length: answered once max-resource-size is passed, then closed.
        let head = format!(
            "{method} {calendar} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nDepth: 1\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n",
            basic(&server)
        );
        let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let (mut reader, mut writer) = stream.into_split();
        writer.write_all(head.as_bytes()).await.unwrap();
        let writing = tokio::spawn(async move {
            let chunk = format!("{:x}\r\n{}\r\n", 1024 * 1024, "<".repeat(1024 * 1024));
            let mut sent = 0_usize;
            while sent < size {
                if writer.write_all(chunk.as_bytes()).await.is_err() {
                    return false;
                }
                sent += 1024 * 1024;
            }
            writer.write_all(b"0\r\n\r\n").await.is_ok()
        });
        let mut bytes = Vec::new();
        let read = tokio::time::timeout(DEADLINE, tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut bytes)).await;
        assert!(read.is_ok(), "{method}: no answer before the deadline");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(
            text.starts_with("HTTP/1.1 403") || text.starts_with("HTTP/1.1 413"),
            "{method} chunked: {text}"
        );
        assert!(
            text.contains("max-resource-size") || text.starts_with("HTTP/1.1 413"),
            "{text}"
        );
        writing.abort();
    }
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn malformed_xml_is_400_on_every_method() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    let broken = [
        "<D:propfind xmlns:D=\"DAV:\"><D:prop>",
        "<D:propfind xmlns:D=\"DAV:\"></D:prop></D:propfind>",
        "<?xml version=\"1.0\"?>",
        "not xml at all",
        "<D:propfind xmlns:D=\"DAV:\" a=\"1\" a=\"2\"/>",
        "<U:propfind/>",
        "<D:propfind xmlns:D=\"DAV:\"><D:prop>\u{0}</D:prop></D:propfind>",
        "<a><b></a></b>",
    ];
    for case in cases(&server) {
        for body in broken {
            let response = send(&server, &case, body).await;
            assert_eq!(response.status, 400, "{} {body:?}: {}", case.name, response.text());
            assert!(!response.text().is_empty(), "{}: a 400 says why", case.name);
            assert_unchanged(&server, &before, case.name).await;
        }
        // Broken UTF-8 in the body.
        let mut body = case.template.replace("{X}", "").into_bytes();
        body.splice(10..10, [0xff, 0xfe, 0xc0, 0xaf]);
        let response = send(&server, &case, body).await;
        assert_eq!(response.status, 400, "{} bad UTF-8: {}", case.name, response.text());
        assert_unchanged(&server, &before, case.name).await;
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn utf16_is_refused_400_and_a_utf8_bom_is_accepted() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for case in cases(&server) {
        let text = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>{}",
            case.template.replace("{X}", "")
        );
        for big_endian in [false, true] {
            let mut body = if big_endian { vec![0xfe, 0xff] } else { vec![0xff, 0xfe] };
            for unit in text.encode_utf16() {
                let bytes = if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                body.extend_from_slice(&bytes);
            }
            let response = send(&server, &case, body).await;
            assert_eq!(response.status, 400, "{} UTF-16: {}", case.name, response.text());
            assert_unchanged(&server, &before, case.name).await;
        }
    }
    // A UTF-8 BOM is harmless: the request works as without it.
    for case in cases(&server) {
        if matches!(case.name, "PROPPATCH" | "MKCALENDAR") {
            continue;
        }
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend_from_slice(case.template.replace("{X}", "").as_bytes());
        let response = send(&server, &case, body).await;
        assert!(
            response.status.is_success(),
            "{} with a BOM: {} {}",
            case.name,
            response.status,
            response.text()
        );
    }
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn namespaces_are_read_by_uri_never_by_prefix() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for case in cases(&server) {
        let plain = case.template.replace("{X}", "");
        // The prefixes swapped: D means CalDAV and C means DAV: the same request.
        let swapped = plain
            .replace("D:", "\u{1}:")
            .replace("C:", "D:")
            .replace("\u{1}:", "C:")
            .replace("xmlns:C=\"DAV:\" xmlns:D=\"urn:ietf:params:xml:ns:caldav\"", NS)
            .replace(NS, "xmlns:C=\"DAV:\" xmlns:D=\"urn:ietf:params:xml:ns:caldav\"");
        // The usual prefixes bound to a stranger's namespace: not a DAV request at all.
        let foreign = plain.replace(NS, r#"xmlns:D="urn:evil" xmlns:C="urn:evil:caldav""#);
        // DAV: as a default namespace, rebound to something else halfway down.
        let rebound = plain.replacen("<D:prop>", r#"<D:prop xmlns:D="urn:evil">"#, 1);
        if !matches!(case.name, "PROPPATCH" | "MKCALENDAR") {
            let response = send(&server, &case, swapped.clone()).await;
            assert!(
                response.status.is_success(),
                "{} swapped: {} {}\n{swapped}",
                case.name,
                response.status,
                response.text()
            );
        }
        let response = send(&server, &case, foreign).await;
        assert_4xx(&response, &format!("{} foreign", case.name));
        assert_unchanged(&server, &before, case.name).await;
        if rebound != plain {
            let response = send(&server, &case, rebound).await;
            assert!(
                !response.status.is_server_error(),
                "{} rebound: {} {}",
                case.name,
                response.status,
                response.text()
            );
            if !response.status.is_success() {
                assert_unchanged(&server, &before, case.name).await;
            }
        }
    }
    // A swapped-prefix PROPPATCH does what the plain one would.
    let response = server
        .request("PROPPATCH", &server.calendar_path())
        .xml(r#"<C:propertyupdate xmlns:C="DAV:" xmlns:D="urn:ietf:params:xml:ns:caldav"><C:set><C:prop><C:displayname>Swapped</C:displayname></C:prop></C:set></C:propertyupdate>"#)
        .send()
        .await;
    assert_eq!(response.status, 207, "{}", response.text());
    let calendars = server.engine.store().calendars(server.user.id).await.unwrap();
    assert_eq!(calendars[0].display_name, "Swapped");
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_body_over_max_resource_size_is_refused_with_the_precondition() {
    let config = HttpConfig {
        max_resource_size: 64 * 1024,
        max_request_body: 1024 * 1024,
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::stores::memory().await, config).await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for case in cases(&server) {
        let padding = "x".repeat(100 * 1024);
        let response = send(&server, &case, case.template.replace("{X}", &padding)).await;
        assert_eq!(response.status, 403, "{}: {}", case.name, response.text());
        assert_eq!(
            response.precondition(),
            "{urn:ietf:params:xml:ns:caldav}max-resource-size"
        );
        assert_unchanged(&server, &before, case.name).await;
    }
    assert_alive(&server).await;
}
