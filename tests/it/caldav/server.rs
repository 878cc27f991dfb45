//! The server itself: the body limit layer, graceful shutdown that finishes requests in
//! flight, and routing of paths outside the DAV tree.

use std::time::Duration;

use televent_adapters::http::HttpConfig;
use televent_tests::data::timed;
use televent_tests::server::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn bodies_over_the_request_limit_are_413_before_anything_runs() {
    let config = HttpConfig {
        max_resource_size: 1000,
        max_request_body: 2000,
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::server::test_store().await, config).await;
    let path = format!("{}big.ics", server.calendar_path());
    let huge = server.request("PUT", &path).body(vec![b'x'; 5000]).send().await;
    assert_eq!(huge.status, 413);
    let large = server.request("PUT", &path).body(vec![b'x'; 1500]).send().await;
    assert_eq!(large.status, 403);
    assert_eq!(large.precondition(), "{urn:ietf:params:xml:ns:caldav}max-resource-size");
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish_and_stops_accepting() {
    let mut server = TestServer::spawn().await;
    let body = timed("late", "20240601T100000Z", "Late");
    let (head, tail) = body.as_bytes().split_at(40);
    let credentials = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{}", server.password))
    };
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "PUT {}late.ics HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic {credentials}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.calendar_path(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(head).await.unwrap();
    // Let the server start on the request (authentication included) before shutting down.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.write_all(tail).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let addr = server.addr;
    tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn paths_outside_the_dav_tree_are_404_and_unknown_methods_405() {
    let server = TestServer::spawn().await;
    assert_eq!(server.request("GET", "/favicon.ico").send().await.status, 404);
    let response = server.request("PATCH", &server.calendar_path()).send().await;
    assert_eq!(response.status, 405);
    assert!(response.header("allow").unwrap().contains("PROPFIND"));
}

#[tokio::test]
async fn metrics_count_requests_by_method_and_status_without_credentials() {
    let server = TestServer::spawn().await;
    assert_eq!(super::put_event(&server, "m", "20240601T100000Z").await.status, 201);
    assert_eq!(server.request("PROPFIND", "/dav/").send().await.status, 207);
    assert_eq!(server.request("PROPFIND", "/dav/").anonymous().send().await.status, 401);
    let response = server.request("GET", "/metrics").anonymous().send().await;
    assert_eq!(response.status, 200);
    assert!(
        response
            .header("content-type")
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text();
    for line in [
        "televent_http_requests_total{method=\"PUT\",status=\"201\"} 1",
        "televent_http_requests_total{method=\"PROPFIND\",status=\"207\"} 1",
        "televent_http_requests_total{method=\"PROPFIND\",status=\"401\"} 1",
        "televent_http_request_duration_seconds_count 3",
        "televent_store_errors_total 0",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
    }
    assert!(!text.contains("alice"));
}

#[tokio::test]
async fn a_request_over_the_timeout_is_answered_503() {
    // With no time at all, a request that has to wait (here: for the password check) times out.
    let config = HttpConfig {
        request_timeout: Duration::ZERO,
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::server::test_store().await, config).await;
    let response = server.request("PROPFIND", "/dav/").send().await;
    assert_eq!(response.status, 503);
}

#[tokio::test]
async fn a_connection_stays_usable_after_an_answer_that_ignored_the_body() {
    // niquests repeats a redirected PROPFIND on the same connection: the body of the first must
    // not be left in the way. Two requests on one connection, the first answered early (301).
    let server = TestServer::spawn().await;
    let body = "<propfind xmlns='DAV:'><prop><current-user-principal/></prop></propfind>";
    let head = format!(
        "PROPFIND /.well-known/caldav HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    // The body comes later, as over a real network.
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream.write_all(body.as_bytes()).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 301"), "{answer}");
    assert!(answer.contains("HTTP/1.1 200"), "{answer}");
}
