//! Hostile bodies: iCalendar that is not UTF-8 (and Windows-1252, which the reader accepts),
//! NUL bytes, empty PUTs, a Content-Length that lies, chunked bodies, PUTs over
//! max-resource-size, and JSON API bodies with wrong types, huge numbers, deep nesting and
//! duplicate keys.

use std::time::Duration;

use serde_json::json;
use televent_adapters::http::HttpConfig;
use televent_tests::data::{event, timed};
use televent_tests::server::TestServer;
use televent_tests::stores::{TestStore, memory, postgres, sqlite};
use tokio::io::AsyncWriteExt;

use super::{assert_4xx, assert_alive, basic, put, raw, read_to_close, seed, snapshot};

const CALDAV: &str = "{urn:ietf:params:xml:ns:caldav}";

/// PUT of `bytes`: either refused with `valid-calendar-data` (and nothing stored) or stored
/// byte for byte.
async fn put_stored_exactly_or_refused(server: &TestServer, name: &str, bytes: &[u8], what: &str) -> bool {
    let before = snapshot(server).await;
    let response = put(server, name, bytes).await;
    if response.status == 201 {
        let got = server
            .request("GET", &format!("{}{name}", server.calendar_path()))
            .send()
            .await;
        assert_eq!(got.status, 200, "{what}");
        assert_eq!(got.body, bytes, "{what}: the bytes must be stored exactly");
        true
    } else {
        assert_eq!(response.status, 403, "{what}: {} {}", response.status, response.text());
        assert!(
            response.precondition().starts_with(CALDAV),
            "{what}: {}",
            response.text()
        );
        assert_eq!(snapshot(server).await, before, "{what}");
        false
    }
}

#[tokio::test]
async fn windows_1252_is_read_and_broken_utf8_never_fails_the_server() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    // Valid Windows-1252: "Café – Zürich" with é = E9, – = 96, ü = FC.
    let mut cp1252 = event("cp1252", "DTSTART:20240601T100000Z\r\nDURATION:PT1H\r\nSUMMARY:Caf\r\n").into_bytes();
    let at = cp1252.windows(11).position(|w| w == b"SUMMARY:Caf").unwrap() + 11;
    cp1252.splice(at..at, b"\xE9 \x96 Z\xFCrich".iter().copied());
    let response = server
        .request("PUT", &format!("{}cp1252.ics", server.calendar_path()))
        .header("content-type", "text/calendar")
        .body(cp1252.clone())
        .send()
        .await;
    assert_eq!(response.status, 201, "Windows-1252: {}", response.text());
    let got = server
        .request("GET", &format!("{}cp1252.ics", server.calendar_path()))
        .send()
        .await;
    assert_eq!(got.body, cp1252, "stored exactly");
    let token = super::text::sign_in(&server).await;
    let read = server
        .request("GET", "/api/v1/calendars/default/events/cp1252.ics")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(read.status, 200, "{}", read.text());
    assert_eq!(read.json()["title"], "Café – Zürich");
    // Bytes that are neither UTF-8 nor Windows-1252 (0x81, 0x8D), overlong and truncated
    // sequences, lone surrogates.
    for (name, junk) in [
        ("undefined.ics", b"\x81\x8D\x8F\x90\x9D".as_slice()),
        ("overlong.ics", b"\xC0\xAE\xE0\x80\xAF".as_slice()),
        ("truncated.ics", b"\xE2\x82".as_slice()),
        ("surrogate.ics", b"\xED\xA0\x80".as_slice()),
        ("ff.ics", b"\xFF\xFE\xFF".as_slice()),
    ] {
        let mut bytes = timed(name, "20240601T100000Z", "junk").into_bytes();
        let at = bytes.windows(12).position(|w| w == b"SUMMARY:junk").unwrap() + 12;
        bytes.splice(at..at, junk.iter().copied());
        put_stored_exactly_or_refused(&server, name, &bytes, name).await;
        // And junk where the UID goes.
        let mut bytes = timed("uidjunk", "20240601T100000Z", "x").into_bytes();
        let at = bytes.windows(11).position(|w| w == b"UID:uidjunk").unwrap() + 11;
        bytes.splice(at..at, junk.iter().copied());
        put_stored_exactly_or_refused(&server, &format!("uid-{name}"), &bytes, name).await;
        let _ = server
            .request("DELETE", &format!("{}uid-{name}", server.calendar_path()))
            .send()
            .await;
    }
    assert_alive(&server).await;
}

/// Every place a NUL byte can go; returns what went wrong (a 5xx, or a changed answer).
async fn nul_bytes_on(store: TestStore) -> Vec<String> {
    let server = TestServer::spawn_with(store, HttpConfig::default()).await;
    seed(&server).await;
    let mut problems = Vec::new();
    for (what, name, bytes) in [
        (
            "NUL in SUMMARY",
            "nul.ics",
            timed("nul", "20240601T100000Z", "a\0b").into_bytes(),
        ),
        (
            "NUL in UID",
            "nuluid.ics",
            timed("nul\0uid", "20240601T100000Z", "x").into_bytes(),
        ),
        ("only NULs", "zeros.ics", vec![0_u8; 4096]),
    ] {
        let before = snapshot(&server).await;
        let response = put(&server, name, &bytes).await;
        match response.status.as_u16() {
            201 => {
                let got = server
                    .request("GET", &format!("{}{name}", server.calendar_path()))
                    .send()
                    .await;
                if got.body != bytes {
                    problems.push(format!("{what}: stored bytes differ"));
                }
            }
            403 => {
                if snapshot(&server).await != before {
                    problems.push(format!("{what}: refused but stored"));
                }
            }
            other => problems.push(format!("{what}: PUT answered {other} {}", response.text())),
        }
    }
    // A NUL in the resource name.
    let response = server
        .request("PUT", &format!("{}a%00b.ics", server.calendar_path()))
        .header("content-type", "text/calendar")
        .body(timed("nulname", "20240601T100000Z", "x"))
        .send()
        .await;
    if response.status.is_server_error() {
        problems.push(format!(
            "NUL in the resource name: PUT answered {} {}",
            response.status,
            response.text()
        ));
    }
    // NULs in REST JSON text.
    let token = super::text::sign_in(&server).await;
    for (what, path, body) in [
        (
            "NUL in an event title",
            "/api/v1/calendars/default/events",
            json!({"title": "a\u{0}b", "start": "2026-12-01T10:00", "location": "\u{0}"}),
        ),
        (
            "NUL in a calendar name",
            "/api/v1/calendars",
            json!({"name": "x\u{0}y", "id": "nul"}),
        ),
        ("NUL in a device label", "/api/v1/devices", json!({"label": "x\u{0}y"})),
        (
            "NUL in a sign-in name",
            "/api/v1/sessions",
            json!({"method": "password", "user": "alice\u{0}", "password": "x\u{0}"}),
        ),
    ] {
        let response = server.request("POST", path).bearer(&token).json(&body).send().await;
        if response.status.is_server_error() {
            problems.push(format!(
                "{what}: POST {path} answered {} {}",
                response.status,
                response.text()
            ));
        }
    }
    // A failed login with a NUL in the name is still audited (an attacker must not be able to
    // slip past the audit log).
    let response = server
        .request("PROPFIND", "/dav/")
        .anonymous()
        .header("authorization", &super::basic_for("mallory\0", "x"))
        .send()
        .await;
    if response.status != 401 {
        problems.push(format!("NUL in a Basic user name: {}", response.status));
    }
    let audit = server.engine.store().entries(None, 100).await.unwrap();
    for name in ["alice\0", "mallory\0"] {
        // Audited with its control characters made visible (no database text column takes a NUL).
        let logged = televent_domain::audit::printable(name, 64);
        if !audit.iter().any(|e| e.action == "login.failed" && e.entity == logged) {
            problems.push(format!("a failed login as {name:?} was not audited"));
        }
    }
    // PROPPATCH a displayname with an escaped NUL-like character (XML forbids NUL itself).
    let response = server
        .request("PROPPATCH", &server.calendar_path())
        .xml(r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>a&#x1;b</D:displayname></D:prop></D:set></D:propertyupdate>"#)
        .send()
        .await;
    if response.status.is_server_error() {
        problems.push(format!("a control character in a displayname: {}", response.status));
    }
    assert_alive(&server).await;
    problems
}

#[tokio::test]
async fn nul_bytes_never_fail_the_server_memory() {
    let problems = nul_bytes_on(memory().await).await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn nul_bytes_never_fail_the_server_sqlite() {
    let problems = nul_bytes_on(sqlite().await).await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn nul_bytes_never_fail_the_server_postgres() {
    let problems = nul_bytes_on(postgres().await).await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn an_empty_put_is_403_valid_calendar_data_and_replaces_nothing() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for name in ["keep.ics", "new.ics"] {
        let response = put(&server, name, b"").await;
        assert_eq!(response.status, 403, "{}", response.text());
        assert_eq!(response.precondition(), format!("{CALDAV}valid-calendar-data"));
        // Whitespace only, and a bare VCALENDAR.
        let response = put(&server, name, b"\r\n \r\n").await;
        assert_eq!(response.status, 403, "{}", response.text());
        let response = put(&server, name, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").await;
        assert_4xx(&response, "an empty VCALENDAR");
    }
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_content_length_that_lies_never_stores_a_partial_body() {
    let config = HttpConfig {
        request_timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let server = TestServer::spawn_with(memory().await, config).await;
    seed(&server).await;
    let before = snapshot(&server).await;
    let body = timed("liar", "20240601T100000Z", "Liar");
    let path = format!("{}liar.ics", server.calendar_path());
    // Shorter than the body: the server reads what was declared (not a calendar) and the rest
    // is a broken next request.
    let request = format!(
        "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nContent-Length: 20\r\n\r\n{body}",
        basic(&server)
    );
    let answer = raw(&server, request.as_bytes()).await;
    assert_eq!(answer.status(), Some(403), "{}", answer.text());
    assert!(answer.text().contains("valid-calendar-data"), "{}", answer.text());
    assert!(answer.closed);
    // Longer than the body, and the client then closes its side: a broken body is a 400.
    let request = format!(
        "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\n\r\n{body}",
        basic(&server),
        body.len() + 100
    );
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    let answer = read_to_close(&mut stream).await;
    assert!(answer.closed);
    if let Some(status) = answer.status() {
        assert!((400..500).contains(&status), "{}", answer.text());
    }
    // Longer than the body, and the client stalls: the request timeout ends it.
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = read_to_close(&mut stream).await;
    assert!(answer.closed, "a stalled body must not hold the connection forever");
    assert!(matches!(answer.status(), Some(408 | 503)), "{}", answer.text());
    // Nothing was stored by any of them.
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn chunked_bodies_are_read_and_broken_or_smuggling_ones_refused() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let path = format!("{}chunked.ics", server.calendar_path());
    let body = timed("chunked", "20240601T100000Z", "Chunked");
    let (a, b) = body.split_at(37);
    let request = format!(
        "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n",
        basic(&server),
        a.len(),
        b.len()
    );
    let answer = raw(&server, request.as_bytes()).await;
    assert_eq!(answer.status(), Some(201), "{}", answer.text());
    let got = server.request("GET", &path).send().await;
    assert_eq!(got.text(), body);
    let before = snapshot(&server).await;
    let other = timed("chunked", "20240601T100000Z", "Changed");
    for (what, framing) in [
        ("a bad chunk size", format!("zz\r\n{other}\r\n0\r\n\r\n")),
        ("a chunk longer than declared", format!("5\r\n{other}\r\n0\r\n\r\n")),
        (
            "a huge chunk size",
            format!("ffffffffffffffffff\r\n{other}\r\n0\r\n\r\n"),
        ),
    ] {
        let request = format!(
            "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{framing}",
            basic(&server)
        );
        let answer = raw(&server, request.as_bytes()).await;
        assert!(answer.closed, "{what}");
        if let Some(status) = answer.status() {
            assert!((400..500).contains(&status), "{what}: {}", answer.text());
        }
        assert_eq!(snapshot(&server).await, before, "{what}");
    }
    // Both Transfer-Encoding and Content-Length (request smuggling): refused, nothing stored,
    // and the trailing request never runs.
    let smuggled = format!(
        "DELETE {}keep.ics HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\n\r\n",
        server.calendar_path(),
        basic(&server)
    );
    let request = format!(
        "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}",
        basic(&server)
    );
    let answer = raw(&server, request.as_bytes()).await;
    assert!(answer.closed);
    let text = answer.text();
    assert!(
        !text.contains("HTTP/1.1 204"),
        "the smuggled DELETE must not run: {text}"
    );
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_put_over_max_resource_size_is_403_with_the_precondition() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    let limit = televent_adapters::http::config::DEFAULT_MAX_RESOURCE_SIZE as usize;
    let summary = "x".repeat(limit);
    for name in ["keep.ics", "big.ics"] {
        let body = timed("keep", "20240601T100000Z", &summary);
        let response = put(&server, name, body.as_bytes()).await;
        assert_eq!(response.status, 403, "{}", response.status);
        assert_eq!(response.precondition(), format!("{CALDAV}max-resource-size"));
    }
    // The limit is advertised.
    let response = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .xml(r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:max-resource-size/></D:prop></D:propfind>"#)
        .send()
        .await;
    let listing = response.multistatus();
    let advertised = &listing.responses[0].ok(&format!("{CALDAV}max-resource-size")).text;
    assert_eq!(advertised, &limit.to_string());
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn hostile_json_is_a_400_problem_and_stores_nothing() {
    let server = TestServer::spawn().await;
    let token = super::text::sign_in(&server).await;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let bodies: Vec<(&str, String)> = vec![
        (
            "wrong types",
            json!({"title": 5, "start": ["2026-12-01T10:00"]}).to_string(),
        ),
        ("a string for an object", json!("title").to_string()),
        (
            "an array",
            json!([{"title": "x", "start": "2026-12-01T10:00"}]).to_string(),
        ),
        ("null", "null".to_owned()),
        (
            "a huge number",
            r#"{"title": "x", "start": "2026-12-01T10:00", "reminders": [1e999999]}"#.to_owned(),
        ),
        (
            "a huge integer",
            format!(
                r#"{{"title": "x", "start": "2026-12-01T10:00", "reminders": [{}]}}"#,
                "9".repeat(5000)
            ),
        ),
        (
            "a negative reminder",
            r#"{"title": "x", "start": "2026-12-01T10:00", "reminders": [-9223372036854775808]}"#.to_owned(),
        ),
        ("deep arrays", deep.clone()),
        ("deep objects", deep_object.clone()),
        (
            "deep inside a field",
            format!(r#"{{"title": "x", "start": "2026-12-01T10:00", "recurrence": {deep}}}"#),
        ),
        ("truncated", r#"{"title": "x", "start": "2026-"#.to_owned()),
        ("not UTF-8", "{\"title\": \"\u{FFFD}\"}".replace('\u{FFFD}', "\\udc00")),
        (
            "trailing garbage",
            r#"{"title": "x", "start": "2026-12-01T10:00"} {"#.to_owned(),
        ),
        (
            "a year 99999",
            r#"{"title": "x", "start": "99999-12-01T10:00"}"#.to_owned(),
        ),
    ];
    for (what, body) in &bodies {
        for (method, path) in [
            ("POST", "/api/v1/calendars/default/events"),
            ("POST", "/api/v1/calendars"),
            ("PATCH", "/api/v1/me"),
            ("POST", "/api/v1/devices"),
            ("POST", "/api/v1/sessions"),
        ] {
            let response = server
                .request(method, path)
                .bearer(&token)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await;
            assert_eq!(response.status, 400, "{what} to {method} {path}: {}", response.text());
            assert_eq!(response.problem(), "invalid-request", "{what} to {method} {path}");
        }
    }
    // Raw invalid UTF-8 bytes.
    let response = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .header("content-type", "application/json")
        .body(b"{\"title\": \"\xff\xfe\", \"start\": \"2026-12-01T10:00\"}".to_vec())
        .send()
        .await;
    assert_eq!(response.status, 400, "{}", response.text());
    // Nothing was stored.
    let events = server
        .request("GET", "/api/v1/calendars/default/events")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(events.json()["items"], json!([]));
    let calendars = server.engine.store().calendars(server.user.id).await.unwrap();
    assert_eq!(calendars.len(), 1);
    assert_eq!(server.engine.devices(&server.user).await.unwrap().len(), 1);
    assert_alive(&server).await;
}

#[tokio::test]
async fn duplicate_json_keys_are_refused_or_take_one_value_consistently() {
    let server = TestServer::spawn().await;
    let token = super::text::sign_in(&server).await;
    let response = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .header("content-type", "application/json")
        .body(r#"{"title": "first", "title": "second", "start": "2026-12-01T10:00"}"#)
        .send()
        .await;
    // serde_json keeps the last of duplicate keys: either refuse (400) or take "second",
    // never something else.
    let events = server
        .request("GET", "/api/v1/calendars/default/events")
        .bearer(&token)
        .send()
        .await;
    if response.status == 400 {
        assert_eq!(response.problem(), "invalid-request");
        assert_eq!(events.json()["items"], json!([]));
    } else {
        assert_eq!(response.status, 201, "{}", response.text());
        assert_eq!(response.json()["title"], "second");
        assert_eq!(events.json()["items"].as_array().unwrap().len(), 1);
    }
    // The sign-in: a second "user" must not override the checked one.
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"method": "password", "user": "bob", "password": "{}", "user": "alice"}}"#,
            server.other_password
        ))
        .send()
        .await;
    assert!(
        response.status == 400 || response.status == 401,
        "{} {}",
        response.status,
        response.text()
    );
    assert_alive(&server).await;
}
