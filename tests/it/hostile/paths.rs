//! Hostile paths: dot segments plain and encoded, encoded slashes, double encoding, runs of
//! slashes, NUL, overlong UTF-8, 64 KB paths, and another user's paths with case tricks. None
//! reaches another user's data or the file system.

use televent_tests::server::{TestResponse, TestServer};

use super::{assert_alive, raw, seed, snapshot};

/// What alice's data looks like in a response: her event's summary, UID and calendar path.
fn leaks_alice(text: &str) -> bool {
    text.contains("Keep me") || text.contains("UID:keep") || text.contains("/dav/calendars/alice")
}

fn leaks_files(text: &str) -> bool {
    text.contains("root:x:0:0") || text.contains("[package]") || text.contains("[workspace]")
}

#[track_caller]
fn assert_refused(response: &TestResponse, what: &str) {
    let text = String::from_utf8_lossy(&response.body);
    assert!(
        matches!(response.status.as_u16(), 400 | 403 | 404 | 405 | 414),
        "{what}: {} {}",
        response.status,
        text.chars().take(300).collect::<String>()
    );
    assert!(!leaks_alice(&text), "{what}: leaked alice's data: {text}");
    assert!(!leaks_files(&text), "{what}: leaked a file: {text}");
}

/// Paths that try to climb from bob's tree into alice's or out of the DAV tree.
fn tricks() -> Vec<String> {
    let mut paths = vec![
        "/dav/calendars/bob/default/../../alice/default/keep.ics",
        "/dav/calendars/bob/../alice/default/keep.ics",
        "/dav/calendars/bob/%2e%2e/alice/default/keep.ics",
        "/dav/calendars/bob/%2E%2E/%2E%2E/calendars/alice/default/keep.ics",
        "/dav/calendars/bob/default/%2e%2e%2f%2e%2e%2falice%2fdefault%2fkeep.ics",
        "/dav/calendars/bob%2f..%2falice/default/keep.ics",
        "/dav/calendars/alice%2fdefault/keep.ics",
        "/dav/calendars/bob/default/%252e%252e%252falice%252fdefault%252fkeep.ics",
        "/dav/calendars/bob%252F..%252Falice/default/",
        "/dav//calendars//alice//default//keep.ics",
        "//dav/calendars/alice/default/keep.ics",
        "/dav/calendars/bob/default//keep.ics",
        "/dav/calendars/alice%00/default/keep.ics",
        "/dav/calendars/alice/default/keep.ics%00",
        "/dav/calendars/alice%00bob/default/",
        "/dav/calendars/bob/%C0%AE%C0%AE/alice/default/keep.ics",
        "/dav/calendars/bob/default/%C0%AE%C0%AE%C0%AFkeep.ics",
        "/dav/calendars/%C0%AE%C0%AE/alice/",
        "/dav/calendars/ALICE/default/keep.ics",
        "/dav/calendars/Alice/default/",
        "/dav/calendars/ALICE/",
        "/dav/principals/ALICE/",
        "/dav/calendars/alice%20/default/",
        "/dav/calendars/%20alice/default/",
        "/dav/calendars/a%6cice/default/keep.ics",
        "/dav/calendars/alic%C3%A9/default/",
        "/dav/calendars/\u{212A}eep/",
        "/dav/calendars/alice/default/keep.ics/",
        "/dav/calendars/alice/default/keep.ics/..",
        "/dav/calendars/alice/./default/keep.ics",
        "/dav/calendars/bob/default/.",
        "/dav/calendars/bob/default/..",
        "/dav/calendars/bob/default/%2e",
        "/dav/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/assets/../../../../etc/passwd",
        "/assets/..%2f..%2f..%2fCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/ics/..%2f..%2fetc%2fpasswd.ics",
        "/api/v1/calendars/..%2f..%2f..%2fetc%2fpasswd",
        "/api/v1/../../dav/calendars/alice/default/keep.ics",
        "/api/v1/calendars/default/events/..%2F..%2Fcalendars%2Fdefault",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    // Not valid in a URI as written: percent-encode the Kelvin sign the way a client would.
    paths.retain(|p| p.is_ascii());
    paths.push("/dav/calendars/%E2%84%AAeep/".to_owned());
    paths
}

#[tokio::test]
async fn path_tricks_never_reach_another_users_data_or_the_file_system() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    let bob = &server.other_password;
    for path in tricks() {
        for method in ["GET", "PROPFIND", "DELETE"] {
            let response = server
                .request(method, &path)
                .auth("bob", bob)
                .header("depth", "1")
                .send()
                .await;
            assert_refused(&response, &format!("{method} {path} as bob"));
        }
        // A PUT as bob: refused or stored in bob's own tree, never in alice's.
        let response = server
            .request("PUT", &path)
            .auth("bob", bob)
            .header("content-type", "text/calendar")
            .body(televent_tests::data::timed("hijack", "20240601T100000Z", "Hijacked"))
            .send()
            .await;
        assert!(
            !response.status.is_server_error(),
            "PUT {path} as bob: {} {}",
            response.status,
            response.text()
        );
        assert!(!leaks_alice(&response.text()));
        assert_eq!(
            snapshot(&server).await,
            before,
            "PUT {path} as bob changed alice's data"
        );
        // Bob's REST API, with a session, on the same trick.
        let response = server
            .request("GET", &path)
            .auth("bob", bob)
            .header("accept", "application/json")
            .send()
            .await;
        assert!(!leaks_alice(&response.text()), "{path}");
    }
    // Whatever bob stored is in his own calendar under a name (a name is only a key); shown
    // so that odd names (`..`, names with `/`) are visible in the test output.
    let bob_calendars = server.engine.store().calendars(server.other.id).await.unwrap();
    for calendar in &bob_calendars {
        for object in server.engine.store().objects(calendar.id).await.unwrap() {
            eprintln!("bob stored {:?} in {}", object.href.as_str(), calendar.slug);
        }
    }
    assert_eq!(snapshot(&server).await, before);
    assert_alive(&server).await;
}

#[tokio::test]
async fn path_tricks_on_alices_own_tree_stay_inside_it() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    // As alice, paths that try to climb out of her calendar into bob's or out of the tree.
    for path in [
        "/dav/calendars/alice/default/../../bob/default/",
        "/dav/calendars/alice/%2e%2e/bob/default/",
        "/dav/calendars/alice/default/%2e%2e%2f%2e%2e%2fbob%2fdefault%2f",
        "/dav/calendars/BOB/default/",
        "/dav/calendars/bob%00/default/",
        "/dav/calendars/alice/default/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    ] {
        let response = server.request("GET", path).send().await;
        let text = response.text();
        assert!(
            matches!(response.status.as_u16(), 400 | 403 | 404 | 405),
            "GET {path}: {} {text}",
            response.status
        );
        assert!(!leaks_files(&text), "{path}");
        let response = server.request("PROPFIND", path).header("depth", "1").send().await;
        assert!(
            matches!(response.status.as_u16(), 400 | 403 | 404 | 405),
            "PROPFIND {path}: {}",
            response.status
        );
        assert!(!response.text().contains("/dav/calendars/bob"), "{path}");
    }
    // A resource name that is a traversal: refused, or stored as that exact name in alice's
    // calendar (a name is only a key).
    let response = server
        .request("PUT", "/dav/calendars/alice/default/..%2F..%2Fbob%2Fdefault%2Fx.ics")
        .header("content-type", "text/calendar")
        .body(televent_tests::data::timed("x", "20240601T100000Z", "x"))
        .send()
        .await;
    assert!(!response.status.is_server_error(), "{}", response.status);
    let bob_calendars = server.engine.store().calendars(server.other.id).await.unwrap();
    for calendar in &bob_calendars {
        assert!(server.engine.store().objects(calendar.id).await.unwrap().is_empty());
    }
    if response.status.is_success() {
        let after = snapshot(&server).await;
        assert!(after.0.iter().any(|(href, _)| href == "../../bob/default/x.ics"));
    } else {
        assert_eq!(snapshot(&server).await, before);
    }
    assert_alive(&server).await;
}

#[tokio::test]
async fn a_64_kb_path_is_refused() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    let before = snapshot(&server).await;
    for path in [
        format!("{}{}.ics", server.calendar_path(), "a".repeat(64 * 1024)),
        format!("/dav/calendars/{}/", "a".repeat(64 * 1024)),
        format!("/dav/{}", "a/".repeat(32 * 1024)),
        format!("{}{}", server.calendar_path(), "%2F".repeat(20 * 1024)),
    ] {
        let request = format!(
            "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nContent-Type: text/calendar\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            super::basic(&server)
        );
        let answer = raw(&server, request.as_bytes()).await;
        assert!(answer.closed);
        let status = answer.status();
        assert!(
            matches!(status, Some(400..=499) | None),
            "{}",
            answer.text().chars().take(300).collect::<String>()
        );
        let request = format!(
            "PROPFIND {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nDepth: 1\r\nConnection: close\r\n\r\n",
            super::basic(&server)
        );
        let answer = raw(&server, request.as_bytes()).await;
        assert!(
            matches!(answer.status(), Some(400..=499) | None),
            "{:?}",
            answer.status()
        );
    }
    // A long but acceptable name (1 KB) is a normal resource name or a clear refusal.
    let name = format!("{}.ics", "n".repeat(1024));
    let response = super::put(
        &server,
        &name,
        televent_tests::data::timed("long-name", "20240601T100000Z", "x").as_bytes(),
    )
    .await;
    assert!(
        response.status == 201 || response.status.is_client_error(),
        "{}",
        response.status
    );
    if response.status != 201 {
        assert_eq!(snapshot(&server).await, before);
    }
    assert_alive(&server).await;
}
