//! 300 concurrent connections, each a PROPFIND. The default configuration allows 256 requests
//! at once and makes the others wait (the concurrency limit sits outside the request timeout,
//! so waiting does not count against it); the rate limit's burst is 5,000. So every one of the
//! 300 is answered 207, none refused, and the server answers normally afterwards.

use tokio::io::AsyncWriteExt;
use tokio::task::JoinSet;

use televent_tests::server::TestServer;

use super::{assert_alive, basic, read_to_close, seed};

#[tokio::test]
async fn three_hundred_concurrent_propfinds_are_all_answered() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    // Warm the credential cache so that the 300 do not each pay Argon2.
    assert_alive(&server).await;
    let auth = basic(&server);
    let path = server.calendar_path();
    let body = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:displayname/></D:prop></D:propfind>"#;
    let request = format!(
        "PROPFIND {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {auth}\r\nDepth: 1\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // Open all 300 connections first, then send on all of them at once.
    let mut streams = Vec::new();
    for _ in 0..300 {
        streams.push(tokio::net::TcpStream::connect(server.addr).await.unwrap());
    }
    let mut set = JoinSet::new();
    for mut stream in streams {
        let request = request.clone();
        set.spawn(async move {
            stream.write_all(request.as_bytes()).await.unwrap();
            read_to_close(&mut stream).await
        });
    }
    let mut statuses = std::collections::BTreeMap::<Option<u16>, usize>::new();
    while let Some(answer) = set.join_next().await {
        let answer = answer.unwrap();
        assert!(answer.closed);
        if answer.status() == Some(207) {
            assert!(answer.text().contains("keep.ics"));
        }
        *statuses.entry(answer.status()).or_default() += 1;
    }
    assert_eq!(statuses, [(Some(207), 300)].into_iter().collect(), "{statuses:?}");
    assert_alive(&server).await;
}

/// Slow bodies ("slow POST"): clients that send their headers and then trickle (here: stall)
/// the body. The body is read inside the concurrency limit, so each such request holds one of
/// the `max_concurrent_requests` places until `request_timeout`; as many of them as there
/// are places stall every other user. Here 4 places, 4 stalled PUTs, and a normal PROPFIND
/// that should still be answered well within 10 s (the request timeout is 60 s).
#[tokio::test]
async fn stalled_bodies_do_not_starve_other_requests() {
    let config = televent_adapters::http::HttpConfig {
        max_concurrent_requests: 4,
        ..Default::default()
    };
    let server = TestServer::spawn_with(televent_tests::stores::memory().await, config).await;
    assert_alive(&server).await;
    let mut stalled = Vec::new();
    for i in 0..4 {
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let head = format!(
            "PUT {}slow{i}.ics HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nContent-Length: 100000\r\n\r\nBEGIN:VCALENDAR\r\n",
            server.calendar_path(),
            basic(&server)
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stalled.push(stream);
    }
    // Give the server the moment it needs to take the four requests in (not a timing
    // assertion: the PROPFIND below is judged by a deadline far above a normal answer).
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let answered = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        server
            .request("PROPFIND", &server.calendar_path())
            .header("depth", "0")
            .send(),
    )
    .await;
    assert!(
        answered.is_ok(),
        "a normal PROPFIND waited behind 4 stalled bodies for 10 s"
    );
    assert_eq!(answered.unwrap().status, 207);
    drop(stalled);
}
