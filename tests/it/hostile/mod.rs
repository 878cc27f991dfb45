//! Hostile input (issue 6): the server never falls over on bad input. Every test sends
//! something an attacker or a broken client would, asserts a 4xx with a clear body (never a
//! 5xx, never a dropped connection unless closing is the right answer), checks that stored
//! data did not change, and checks that the server still answers a normal request afterwards.

mod bodies;
mod brute_force;
mod concurrency;
mod headers;
mod paths;
mod recurrence;
mod text;
mod xml;

use std::time::Duration;

use base64::Engine as _;
use televent_tests::data::timed;
use televent_tests::server::{TestResponse, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A test-side deadline far above anything the server should take.
const DEADLINE: Duration = Duration::from_secs(60);

/// `Basic ...` for alice.
fn basic(server: &TestServer) -> String {
    basic_for("alice", &server.password)
}

/// `Basic ...` for a name and password.
fn basic_for(name: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{name}:{password}"));
    format!("Basic {encoded}")
}

/// What a raw exchange produced: the bytes read until the server closed (or the deadline).
#[derive(Debug)]
struct RawAnswer {
    bytes: Vec<u8>,
    /// True when the server closed the connection (EOF or reset) before the deadline.
    closed: bool,
}

impl RawAnswer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The status code of the first response, if one came.
    fn status(&self) -> Option<u16> {
        let text = self.text();
        let line = text.lines().next()?;
        line.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
    }
}

/// Writes `request` on a new connection (write errors are tolerated: the server may close
/// early) and reads until the server closes or `DEADLINE` passes.
async fn raw(server: &TestServer, request: &[u8]) -> RawAnswer {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let _ = stream.write_all(request).await;
    read_to_close(&mut stream).await
}

/// Reads from `stream` until EOF, an error (a reset) or `DEADLINE`.
async fn read_to_close(stream: &mut tokio::net::TcpStream) -> RawAnswer {
    let mut bytes = Vec::new();
    let read = tokio::time::timeout(DEADLINE, async {
        let mut buffer = vec![0_u8; 64 * 1024];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    RawAnswer {
        bytes,
        closed: read.is_ok(),
    }
}

/// The server still answers normal requests: a PROPFIND of alice's calendar and a GET of an
/// event written now.
async fn assert_alive(server: &TestServer) {
    let propfind = server
        .request("PROPFIND", &server.calendar_path())
        .header("depth", "0")
        .send()
        .await;
    assert_eq!(propfind.status, 207, "{}", propfind.text());
    let health = server.request("GET", "/health").anonymous().send().await;
    assert_eq!(health.status, 200);
}

/// Every stored resource of alice's default calendar, `(href, bytes)` sorted, and its sync token.
async fn snapshot(server: &TestServer) -> (Vec<(String, Vec<u8>)>, String) {
    let store = server.engine.store();
    let mut objects: Vec<(String, Vec<u8>)> = store
        .objects(server.calendar.id)
        .await
        .unwrap()
        .into_iter()
        .map(|object| (object.href.as_str().to_owned(), object.bytes))
        .collect();
    objects.sort();
    let calendars = store.calendars(server.user.id).await.unwrap();
    let token = calendars
        .iter()
        .find(|c| c.id == server.calendar.id)
        .map(|c| format!("{:?}/{}", c.sync_token, c.display_name))
        .unwrap();
    (objects, token)
}

/// Puts a known event `keep.ics` so tests can check that it survives.
async fn seed(server: &TestServer) {
    let response = put(
        server,
        "keep.ics",
        timed("keep", "20240601T100000Z", "Keep me").as_bytes(),
    )
    .await;
    assert_eq!(response.status, 201, "{}", response.text());
}

/// PUTs `body` as `name` in alice's default calendar.
async fn put(server: &TestServer, name: &str, body: &[u8]) -> TestResponse {
    server
        .request("PUT", &format!("{}{name}", server.calendar_path()))
        .header("content-type", "text/calendar; charset=utf-8")
        .body(body.to_vec())
        .send()
        .await
}

/// Asserts a 4xx answer (never a 5xx).
#[track_caller]
fn assert_4xx(response: &TestResponse, what: &str) {
    assert!(
        response.status.is_client_error(),
        "{what}: expected a 4xx, got {} {}",
        response.status,
        String::from_utf8_lossy(&response.body)
            .chars()
            .take(500)
            .collect::<String>()
    );
}
