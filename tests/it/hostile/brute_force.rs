//! Password guessing: failures are audited and slowed down (200 ms after the third, doubling up
//! to 5 s: docs/caldav.md), nothing is ever locked out, the right password still works, and a
//! revoked device password stops working at once even while it is cached.

use std::sync::Arc;
use std::time::{Duration, Instant};

use televent_adapters::clock::SystemClock;
use televent_adapters::credentials::Argon2Hasher;
use televent_adapters::http::auth::{Authenticator, Client};
use televent_app::TeleventBuilder;
use televent_tests::server::TestServer;

use super::assert_alive;

async fn failed_logins(server: &TestServer, name: &str) -> usize {
    server
        .engine
        .store()
        .entries(None, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "login.failed" && e.entity == name)
        .count()
}

#[tokio::test]
async fn wrong_passwords_over_http_are_audited_and_slowed_and_the_right_one_still_works() {
    let server = TestServer::spawn().await;
    let mut took = Vec::new();
    for attempt in 0..5 {
        let started = Instant::now();
        let response = server
            .request("PROPFIND", "/dav/")
            .auth("alice", &format!("wrong-{attempt}"))
            .header("user-agent", "hydra")
            .send()
            .await;
        took.push(started.elapsed());
        assert_eq!(response.status, 401);
        assert_eq!(
            response.header("www-authenticate").as_deref(),
            Some(televent_adapters::http::auth::CHALLENGE)
        );
    }
    // The fourth waited 200 ms first, the fifth 400 ms (lower bounds: the delay is a sleep).
    assert!(took[3] >= Duration::from_millis(200), "{took:?}");
    assert!(took[4] >= Duration::from_millis(400), "{took:?}");
    assert_eq!(failed_logins(&server, "alice").await, 5);
    let audited = server.engine.store().entries(None, 1000).await.unwrap();
    let entry = audited.iter().find(|e| e.action == "login.failed").unwrap();
    assert_eq!(entry.client_addr.as_deref(), Some("127.0.0.1"));
    assert_eq!(entry.user_agent.as_deref(), Some("hydra"));
    // The right password works (after its wait: nothing is locked out) and resets the count.
    let started = Instant::now();
    let response = server.request("PROPFIND", "/dav/").send().await;
    assert_eq!(response.status, 207);
    assert!(started.elapsed() >= Duration::from_millis(800));
    let started = Instant::now();
    let response = server
        .request("PROPFIND", "/dav/")
        .auth("alice", "wrong-again")
        .send()
        .await;
    assert_eq!(response.status, 401);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the count was reset: {:?}",
        started.elapsed()
    );
    // The REST sign-in counts against the same throttle and audit.
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&serde_json::json!({"method": "password", "user": "alice", "password": "nope"}))
        .send()
        .await;
    assert_eq!(response.status, 401);
    assert_eq!(response.problem(), "unauthorized");
    assert_eq!(failed_logins(&server, "alice").await, 7);
    assert_alive(&server).await;
}

/// Twenty wrong passwords through the authenticator itself, with tokio's clock paused so the
/// 5 s waits take no real time: the delays grow to the cap, every failure is audited, and the
/// right password still works afterwards.
#[tokio::test(start_paused = true)]
async fn twenty_wrong_passwords_wait_up_to_the_cap_with_a_paused_clock() {
    let store = televent_tests::stores::memory().await;
    let engine = TeleventBuilder::new(Arc::clone(&store.store))
        .clock(Arc::new(SystemClock))
        .hasher(Arc::new(Argon2Hasher))
        .build();
    let (user, _) = engine.create_user("alice", None, None).await.unwrap();
    let password = engine.add_device(&user, "test").await.unwrap().password;
    let auth = Authenticator::new(engine.clone(), Duration::from_secs(300));
    let client = Client {
        addr: Some("192.0.2.7".parse().unwrap()),
        user_agent: Some("hydra".to_owned()),
    };
    let mut waits = Vec::new();
    for attempt in 0..20 {
        let started = tokio::time::Instant::now();
        let verified = auth
            .verify("alice".to_owned(), format!("guess-{attempt}"), &client)
            .await
            .unwrap();
        assert!(verified.is_none());
        waits.push(started.elapsed());
    }
    let expected = |failures: u32| -> Duration {
        if failures < 3 {
            Duration::ZERO
        } else {
            (Duration::from_millis(200) * 2_u32.pow((failures - 3).min(16))).min(Duration::from_secs(5))
        }
    };
    for (failures, waited) in waits.iter().enumerate() {
        let want = expected(u32::try_from(failures).unwrap());
        assert!(
            *waited >= want,
            "attempt {failures}: waited {waited:?}, expected at least {want:?}"
        );
    }
    assert!(waits[19] >= Duration::from_secs(5));
    let audited = store.entries(None, 1000).await.unwrap();
    assert_eq!(
        audited
            .iter()
            .filter(|e| e.action == "login.failed" && e.entity == "alice")
            .count(),
        20
    );
    // Another address guessing the same user waits too (per user name).
    let other = Client {
        addr: Some("198.51.100.1".parse().unwrap()),
        user_agent: None,
    };
    let started = tokio::time::Instant::now();
    assert!(
        auth.verify("ALICE".to_owned(), "x".to_owned(), &other)
            .await
            .unwrap()
            .is_none()
    );
    assert!(started.elapsed() >= Duration::from_secs(5));
    // The right password still works (after a wait) and then skips the wait: it is cached.
    let verified = auth
        .verify("alice".to_owned(), password.clone(), &client)
        .await
        .unwrap();
    assert_eq!(verified.map(|(u, _)| u.id), Some(user.id));
    let started = tokio::time::Instant::now();
    assert!(
        auth.verify("alice".to_owned(), password, &client)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_flood_of_throttled_attempts_is_refused_at_once_beyond_the_waiting_places() {
    let store = televent_tests::stores::memory().await;
    let engine = TeleventBuilder::new(Arc::clone(&store.store))
        .clock(Arc::new(SystemClock))
        .hasher(Arc::new(Argon2Hasher))
        .build();
    let (user, _) = engine.create_user("alice", None, None).await.unwrap();
    let password = engine.add_device(&user, "test").await.unwrap().password;
    let auth = Arc::new(Authenticator::new(engine.clone(), Duration::from_secs(300)));
    let client = Client {
        addr: Some("192.0.2.7".parse().unwrap()),
        user_agent: None,
    };
    for attempt in 0..10 {
        let _ = auth.verify("alice".to_owned(), format!("g{attempt}"), &client).await;
    }
    // 100 throttled attempts at once: at most 32 wait, the rest are refused without a check.
    let mut set = tokio::task::JoinSet::new();
    for attempt in 0..100 {
        let auth = Arc::clone(&auth);
        let client = client.clone();
        set.spawn(async move { auth.verify("alice".to_owned(), format!("f{attempt}"), &client).await });
    }
    let mut refused = 0;
    while let Some(result) = set.join_next().await {
        assert!(result.unwrap().unwrap().is_none());
        refused += 1;
    }
    assert_eq!(refused, 100);
    let audited = store
        .entries(None, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "login.failed")
        .count();
    assert!(
        audited <= 10 + 32,
        "{audited} checked: the waiting places were not bounded"
    );
    assert!(
        auth.verify("alice".to_owned(), password, &client)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_revoked_device_password_stops_working_at_once_even_when_cached() {
    let server = TestServer::spawn().await;
    let extra = server.engine.add_device(&server.user, "stolen phone").await.unwrap();
    let propfind = || {
        server
            .request("PROPFIND", &server.calendar_path())
            .auth("alice", &extra.password)
            .header("depth", "0")
            .send()
    };
    // Twice: the second is a cache hit.
    assert_eq!(propfind().await.status, 207);
    assert_eq!(propfind().await.status, 207);
    server
        .engine
        .revoke_device(&server.user, &extra.device.id.to_string())
        .await
        .unwrap();
    let response = propfind().await;
    assert_eq!(response.status, 401);
    assert!(response.header("www-authenticate").is_some());
    // The REST API and a sign-in with it are refused too.
    let response = server
        .request("GET", "/api/v1/me")
        .auth("alice", &extra.password)
        .send()
        .await;
    assert_eq!(response.status, 401);
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&serde_json::json!({"method": "password", "user": "alice", "password": extra.password}))
        .send()
        .await;
    assert_eq!(response.status, 401);
    // Her other device is unaffected.
    assert_alive(&server).await;
}
