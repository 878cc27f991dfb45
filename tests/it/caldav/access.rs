//! Authentication and access: Basic with a device password, and nothing of another user.

use std::sync::Arc;

use super::put_event;
use televent_app::TeleventBuilder;
use televent_tests::server::TestServer;

#[tokio::test]
async fn requests_without_or_with_wrong_credentials_get_a_basic_challenge() {
    let server = TestServer::spawn().await;
    let cases = [
        server
            .request("PROPFIND", "/dav/principals/alice/")
            .anonymous()
            .send()
            .await,
        server
            .request("PROPFIND", "/dav/principals/alice/")
            .auth("alice", "wrong")
            .send()
            .await,
        server
            .request("PROPFIND", "/dav/principals/alice/")
            .auth("nobody", "wrong")
            .send()
            .await,
        server
            .request("PROPFIND", "/dav/principals/alice/")
            .header("authorization", "Basic !!!")
            .anonymous()
            .send()
            .await,
        server
            .request("GET", &format!("{}x.ics", server.calendar_path()))
            .auth("alice", &server.other_password)
            .send()
            .await,
    ];
    for response in cases {
        assert_eq!(response.status, 401);
        assert_eq!(
            response.header("www-authenticate").as_deref(),
            Some("Basic realm=\"Televent\", charset=\"UTF-8\"")
        );
    }
}

#[tokio::test]
async fn a_revoked_device_is_refused_at_once_though_its_credential_is_cached() {
    // The default configuration: verified credentials are cached for minutes.
    let server = TestServer::spawn().await;
    assert_eq!(server.request("PROPFIND", "/dav/").send().await.status, 207);
    let device = server.engine.devices(&server.user).await.unwrap()[0].clone();
    assert_eq!(server.request("PROPFIND", "/dav/").send().await.status, 207);
    let still = server.engine.devices(&server.user).await.unwrap()[0].clone();
    assert_eq!(
        still.last_used_at, device.last_used_at,
        "the second request was answered from the cache (a full check records the login)"
    );
    // Revoked through another engine on the same store, as another server process would: no
    // signal reaches this server's cache but the store itself.
    let elsewhere = TeleventBuilder::new(Arc::clone(server.engine.store())).build();
    elsewhere
        .revoke_device(&server.user, &device.id.to_string())
        .await
        .unwrap();
    let refused = server.request("PROPFIND", "/dav/").send().await;
    assert_eq!(refused.status, 401);
    assert!(refused.header("www-authenticate").is_some());
    assert_eq!(server.request("GET", &server.calendar_path()).send().await.status, 401);
    // Bob's devices are not touched.
    let bob = server
        .request("PROPFIND", "/dav/")
        .auth("bob", &server.other_password)
        .send()
        .await;
    assert_eq!(bob.status, 207);
}

#[tokio::test]
async fn user_names_are_case_insensitive_at_login() {
    let server = TestServer::spawn().await;
    let response = server
        .request("PROPFIND", "/dav/principals/alice/")
        .auth("Alice", &server.password.clone())
        .send()
        .await;
    assert_eq!(response.status, 207);
}

#[tokio::test]
async fn another_users_paths_answer_404_like_missing_ones() {
    let server = TestServer::spawn().await;
    assert_eq!(put_event(&server, "mine", "20240601T100000Z").await.status, 201);
    let alice_object = format!("{}mine.ics", server.calendar_path());
    for (method, path) in [
        ("PROPFIND", "/dav/principals/alice/"),
        ("PROPFIND", "/dav/calendars/alice/"),
        ("PROPFIND", "/dav/calendars/alice/default/"),
        ("GET", alice_object.as_str()),
        ("DELETE", alice_object.as_str()),
        ("PUT", alice_object.as_str()),
        ("MKCALENDAR", "/dav/calendars/alice/stolen/"),
        ("REPORT", "/dav/calendars/alice/default/"),
    ] {
        let as_bob = server
            .request(method, path)
            .auth("bob", &server.other_password)
            .send()
            .await;
        assert_eq!(as_bob.status, 404, "{method} {path}");
    }
    let missing = server
        .request("PROPFIND", "/dav/principals/nobody/")
        .auth("bob", &server.other_password)
        .send()
        .await;
    assert_eq!(missing.status, 404);
    // Alice's data is untouched.
    assert_eq!(server.request("GET", &alice_object).send().await.status, 200);
    assert_eq!(server.engine.calendars(&server.user).await.unwrap().len(), 1);
}

#[tokio::test]
async fn failed_logins_are_audited_and_slowed_down() {
    let server = TestServer::spawn().await;
    for _ in 0..3 {
        let response = server
            .request("PROPFIND", "/dav/")
            .auth("alice", "wrong")
            .header("user-agent", "Bruteforce/1.0")
            .send()
            .await;
        assert_eq!(response.status, 401);
    }
    // The fourth failure in a row waits first.
    let started = std::time::Instant::now();
    assert_eq!(
        server
            .request("PROPFIND", "/dav/")
            .auth("alice", "wrong")
            .send()
            .await
            .status,
        401
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    let entries = server.engine.store().entries(None, 10).await.unwrap();
    let failures: Vec<_> = entries.iter().filter(|e| e.action == "login.failed").collect();
    assert_eq!(failures.len(), 4);
    assert!(
        failures
            .iter()
            .all(|e| e.entity == "alice" && e.client_addr.as_deref() == Some("127.0.0.1"))
    );
    assert!(
        failures
            .iter()
            .any(|e| e.user_agent.as_deref() == Some("Bruteforce/1.0"))
    );
    // The right password still works, and resets the count.
    assert_eq!(server.request("PROPFIND", "/dav/").send().await.status, 207);
}
