//! Hostile headers and request lines: a 1 MB header, 10 000 headers, invalid UTF-8 and control
//! characters in the request line, absurd Depth values, If-Match garbage, a Host with a path,
//! and a client that never finishes its headers.

use std::time::Duration;

use televent_tests::server::TestServer;
use tokio::io::AsyncWriteExt;

use super::{assert_4xx, assert_alive, basic, raw, read_to_close, seed, snapshot};

#[tokio::test]
async fn a_one_megabyte_header_is_refused_and_the_connection_closed() {
    let server = TestServer::spawn().await;
    let request = format!(
        "PROPFIND /dav/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nX-Big: {}\r\n\r\n",
        basic(&server),
        "a".repeat(1024 * 1024)
    );
    let answer = raw(&server, request.as_bytes()).await;
    assert!(answer.closed);
    assert!(matches!(answer.status(), Some(431 | 400) | None), "{}", answer.text());
    // The same as an Authorization header (a 1 MB password).
    let request = format!(
        "PROPFIND /dav/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\n\r\n",
        super::basic_for("alice", &"p".repeat(1024 * 1024))
    );
    let answer = raw(&server, request.as_bytes()).await;
    assert!(answer.closed);
    assert!(matches!(answer.status(), Some(431 | 400) | None), "{}", answer.text());
    assert_alive(&server).await;
}

#[tokio::test]
async fn ten_thousand_headers_are_refused() {
    let server = TestServer::spawn().await;
    let mut request = format!(
        "PROPFIND /dav/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\n",
        basic(&server)
    );
    for i in 0..10_000 {
        request.push_str(&format!("X-H{i}: v\r\n"));
    }
    request.push_str("\r\n");
    let answer = raw(&server, request.as_bytes()).await;
    assert!(answer.closed);
    assert!(matches!(answer.status(), Some(431 | 400) | None), "{}", answer.text());
    // 10 000 Depth headers of one name.
    let mut request = format!(
        "PROPFIND /dav/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\n",
        basic(&server)
    );
    for _ in 0..10_000 {
        request.push_str("Depth: 1\r\n");
    }
    request.push_str("\r\n");
    let answer = raw(&server, request.as_bytes()).await;
    assert!(answer.closed);
    assert!(matches!(answer.status(), Some(431 | 400) | None), "{}", answer.text());
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_broken_request_line_is_400() {
    let server = TestServer::spawn().await;
    let auth = basic(&server);
    let lines: Vec<Vec<u8>> = vec![
        b"PROPFIND /dav/\xff\xfe HTTP/1.1".to_vec(),
        b"PROPFIND /dav/\x00 HTTP/1.1".to_vec(),
        b"PROPFIND /dav/\x1b[31m HTTP/1.1".to_vec(),
        b"PROP\x01FIND /dav/ HTTP/1.1".to_vec(),
        b"PROPFIND\t/dav/\tHTTP/1.1".to_vec(),
        b"PROPFIND /dav/ HTTP/9.9".to_vec(),
        b"PROPFIND  HTTP/1.1".to_vec(),
        b"\xc3\xa9 /dav/ HTTP/1.1".to_vec(),
        b"PROPFIND /dav/ HTTP/1.1 extra".to_vec(),
        b"PROPFIND /dav/\rX: y HTTP/1.1".to_vec(),
    ];
    for line in lines {
        let mut request = line.clone();
        request.extend_from_slice(format!("\r\nHost: localhost\r\nAuthorization: {auth}\r\n\r\n").as_bytes());
        let answer = raw(&server, &request).await;
        assert!(answer.closed);
        let status = answer.status();
        assert!(
            matches!(status, Some(400..=499) | None),
            "{:?}: {}",
            String::from_utf8_lossy(&line),
            answer.text()
        );
    }
    // Control characters in a header value.
    let request =
        format!("PROPFIND /dav/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: {auth}\r\nDepth: 0\x00\x07\r\n\r\n");
    let answer = raw(&server, request.as_bytes()).await;
    assert!(matches!(answer.status(), Some(400..=499) | None), "{}", answer.text());
    assert_alive(&server).await;
}

#[tokio::test]
async fn absurd_depth_values_are_400_and_infinity_403() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    for depth in [
        "2",
        "-1",
        "99999999999999999999999",
        "1, 1",
        "0 1",
        "one",
        "",
        "   ",
        "infinityinfinity",
        "١",
    ] {
        let response = server
            .request("PROPFIND", &server.calendar_path())
            .header("depth", depth)
            .send()
            .await;
        assert_eq!(response.status, 400, "Depth {depth:?}: {}", response.text());
        assert!(response.text().contains("Depth"), "{}", response.text());
        let response = server
            .request("REPORT", &server.calendar_path())
            .header("depth", depth)
            .xml(r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#)
            .send()
            .await;
        assert!(
            !response.status.is_server_error(),
            "REPORT Depth {depth:?}: {}",
            response.status
        );
    }
    let response = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "infinity")
        .send()
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.precondition(), "{DAV:}propfind-finite-depth");
    // Two Depth headers that disagree: the server reads the first. With infinity first it is
    // refused; with 0 first the answer is Depth 0 (one response), never an unbounded listing.
    let response = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "infinity")
        .header("depth", "0")
        .send()
        .await;
    assert_4xx(&response, "Depth: infinity, then 0");
    let response = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .header("depth", "infinity")
        .send()
        .await;
    if response.status == 207 {
        assert_eq!(response.multistatus().responses.len(), 1, "Depth: 0, then infinity");
    } else {
        assert_4xx(&response, "Depth: 0, then infinity");
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn if_match_garbage_never_writes() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    let path = format!("{}keep.ics", server.calendar_path());
    let body = televent_tests::data::timed("keep", "20240601T100000Z", "Overwritten");
    for garbage in [
        "garbage",
        "\"",
        "\"\"",
        "W/",
        ",,,,",
        "\"unterminated",
        &"\"x\",".repeat(10_000),
        "' OR 1=1 --",
    ] {
        for method in ["PUT", "DELETE"] {
            let response = server
                .request(method, &path)
                .header("content-type", "text/calendar")
                .header("if-match", garbage)
                .body(if method == "PUT" { body.clone() } else { String::new() })
                .send()
                .await;
            assert!(
                response.status == 412 || response.status == 400,
                "{method} If-Match {:?}: {} {}",
                garbage.chars().take(40).collect::<String>(),
                response.status,
                response.text()
            );
            assert_eq!(snapshot(&server).await, before, "{method} If-Match {garbage:?}");
        }
        // If-None-Match garbage on GET is not a match: a 200.
        let response = server
            .request("GET", &path)
            .header("if-none-match", garbage)
            .send()
            .await;
        assert!(
            response.status == 200 || response.status == 400,
            "If-None-Match {garbage:?}: {}",
            response.status
        );
    }
    // `*` mixed into a list is not valid (RFC 9110: `*` or a list); the server reads it as
    // `*` (any current representation). Either that or a refusal, never a write to a
    // resource that does not exist.
    for mixed in ["\"a\", *", "*, \"a\""] {
        let response = server
            .request("PUT", &format!("{}absent.ics", server.calendar_path()))
            .header("content-type", "text/calendar")
            .header("if-match", mixed)
            .body(televent_tests::data::timed("absent", "20240601T100000Z", "x"))
            .send()
            .await;
        assert!(
            response.status == 412 || response.status == 400,
            "{mixed}: {}",
            response.status
        );
        let response = server
            .request("PUT", &path)
            .header("content-type", "text/calendar")
            .header("if-match", mixed)
            .body(body.clone())
            .send()
            .await;
        assert!(
            matches!(response.status.as_u16(), 204 | 400 | 412),
            "{mixed}: {}",
            response.status
        );
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_host_with_a_path_or_an_absolute_uri_never_reaches_another_user() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    for host in [
        "localhost/dav/calendars/bob/",
        "bob@localhost",
        "localhost:99999",
        "evil.example/../",
        "",
    ] {
        let request = format!(
            "PROPFIND /dav/calendars/alice/default/ HTTP/1.1\r\nHost: {host}\r\nAuthorization: {}\r\nDepth: 1\r\nConnection: close\r\n\r\n",
            basic(&server)
        );
        let answer = raw(&server, request.as_bytes()).await;
        let text = answer.text();
        assert!(matches!(answer.status(), Some(207 | 400)), "Host {host:?}: {text}");
        assert!(!text.contains("/dav/calendars/bob"), "Host {host:?}: {text}");
    }
    // An absolute-form request target naming bob's calendar, as alice.
    let request = format!(
        "PROPFIND http://localhost/dav/calendars/bob/default/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nDepth: 1\r\nConnection: close\r\n\r\n",
        basic(&server)
    );
    let answer = raw(&server, request.as_bytes()).await;
    assert_eq!(answer.status(), Some(404), "{}", answer.text());
    // Authority-form and asterisk-form on a DAV method.
    for target in ["localhost:80", "*"] {
        let request = format!(
            "PROPFIND {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
            basic(&server)
        );
        let answer = raw(&server, request.as_bytes()).await;
        assert!(
            matches!(answer.status(), Some(400..=499) | None),
            "{target}: {}",
            answer.text()
        );
    }
    assert_alive(&server).await;
}

/// Slowloris: a client that starts its headers and never finishes. The server reads headers for
/// at most `header_read_timeout` (1 s here; 30 s by default) and then closes the connection;
/// the test waits up to 30 s for that close.
#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let config = televent_adapters::http::HttpConfig {
        header_read_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::stores::memory().await, config).await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"PROPFIND /dav/ HTTP/1.1\r\nHost: local")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let answer = read_to_close(&mut stream).await;
    assert!(
        answer.closed,
        "the server never closed a connection whose headers never came"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    if let Some(status) = answer.status() {
        assert_eq!(status, 408, "{}", answer.text());
    }
    assert_alive(&server).await;
}

/// The same with tokio's clock paused: the server's timer (TokioTimer) sees virtual time, so
/// the 30 s pass at once once everything is idle. On the memory store only: the SQL stores'
/// pool timeouts would fire at once too.
#[tokio::test(start_paused = true)]
async fn a_client_that_never_finishes_its_headers_is_disconnected_paused_clock() {
    let server = TestServer::spawn_with(
        televent_tests::stores::memory().await,
        televent_adapters::http::HttpConfig::default(),
    )
    .await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"PROPFIND /dav/ HTTP/1.1\r\nHost: local")
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    let answer = read_to_close(&mut stream).await;
    assert!(
        answer.closed,
        "the server never closed a connection whose headers never came"
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(29) && waited < Duration::from_secs(59),
        "closed after {waited:?} (virtual)"
    );
    if let Some(status) = answer.status() {
        assert_eq!(status, 408, "{}", answer.text());
    }
}
