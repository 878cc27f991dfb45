//! A PostgreSQL restart under a running `televent serve`: while the database is down the
//! server answers 503 with Retry-After (never 500, never a crash); when it is back, the server
//! reconnects by itself and everything answered 2xx before is there.

use std::time::{Duration, Instant};

use televent_tests::pg::Cluster;

use crate::http::{basic, exchange};
use crate::process::serve;

const PATIENCE: Duration = Duration::from_secs(60);

fn event(n: usize) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//restart//EN\r\nBEGIN:VEVENT\r\nUID:e{n}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20300101T100000Z\r\nDURATION:PT1H\r\nSUMMARY:Event {n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_503_while_postgres_is_down_and_recovers_when_it_is_back() {
    let mut cluster = Cluster::create().unwrap();
    let database = cluster.database("t_restart").await;
    crate::run::ok(Some(&database), &["user", "add", "alice"]);
    let added = crate::run::ok(Some(&database), &["device", "add", "alice"]);
    let auth = basic("alice", added.lines().last().unwrap().trim());
    let (server, address) = serve(&database, &["--no-worker"], &[]);
    let put = |n: usize| {
        let address = address.clone();
        let auth = auth.clone();
        async move {
            exchange(
                &address,
                "PUT",
                &format!("/dav/calendars/alice/default/e{n}.ics"),
                &[("Authorization", &auth), ("Content-Type", "text/calendar")],
                &event(n),
            )
            .await
            .unwrap()
        }
    };
    let mut stored = Vec::new();
    for n in 0..5 {
        let (status, headers, body) = put(n).await;
        assert_eq!(status, 201, "{body}");
        stored.push((n, headers["etag"].clone()));
    }

    cluster.stop().unwrap();
    let (health, headers, _) = exchange(&address, "GET", "/health", &[], "").await.unwrap();
    assert_eq!(health, 503);
    let (status, headers_put, body) = put(99).await;
    assert_eq!(status, 503, "a write while the database is down: {body}");
    assert!(headers_put.contains_key("retry-after") || headers.contains_key("retry-after"));
    let (status, _, body) = exchange(
        &address,
        "PROPFIND",
        "/dav/calendars/alice/default/",
        &[("Authorization", &auth), ("Depth", "1")],
        "",
    )
    .await
    .unwrap();
    assert!(
        status == 503 || status == 207,
        "a read while the database is down: {status} {body}"
    );
    let mut server = server;
    assert!(server.0.try_wait().unwrap().is_none(), "the server is still running");

    cluster.start().unwrap();
    // The server reconnects by itself: wait (bounded) for its health check to pass.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, _, _) = exchange(&address, "GET", "/health", &[], "").await.unwrap();
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not reconnect");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, _, body) = put(5).await;
    assert_eq!(status, 201, "{body}");
    for (n, etag) in &stored {
        let (status, headers, _) = exchange(
            &address,
            "GET",
            &format!("/dav/calendars/alice/default/e{n}.ics"),
            &[("Authorization", &auth)],
            "",
        )
        .await
        .unwrap();
        assert_eq!(status, 200);
        assert_eq!(&headers["etag"], etag);
    }
    let (status, _, _) = exchange(
        &address,
        "GET",
        "/dav/calendars/alice/default/e99.ics",
        &[("Authorization", &auth)],
        "",
    )
    .await
    .unwrap();
    assert_eq!(
        status, 404,
        "the write refused while the database was down left nothing"
    );
    assert!(server.terminate().success());
}
