//! Signing in to the REST API: device password, one-time link, Telegram Mini App data; bearer
//! and cookie sessions; signing out; revoked devices and expiry.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use hyper::StatusCode;
use serde_json::json;
use televent_adapters::credentials::Argon2Hasher;
use televent_adapters::http::HttpConfig;
use televent_app::TeleventBuilder;
use televent_tests::clock::ManualClock;
use televent_tests::server::TestServer;
use televent_tests::stores::memory;

use super::{sign_in, signed_init_data};

#[tokio::test]
async fn a_password_session_works_by_bearer_and_by_cookie_until_signed_out() {
    let server = TestServer::spawn().await;
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "password", "user": "alice", "password": server.password}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let token = response.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(response.json()["user"], "alice");
    let cookie = response.header("set-cookie").unwrap();
    assert!(cookie.starts_with(&format!("televent_session={token};")), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback: {cookie}");

    let me = server.request("GET", "/api/v1/me").bearer(&token).send().await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["name"], "alice");
    assert_eq!(me.json()["time_zone"], "Europe/Berlin");
    let by_cookie = server
        .request("GET", "/api/v1/me")
        .anonymous()
        .header("cookie", &format!("theme=dark; televent_session={token}"))
        .send()
        .await;
    assert_eq!(by_cookie.status, StatusCode::OK, "{}", by_cookie.text());

    let out = server
        .request("DELETE", "/api/v1/sessions/current")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = server.request("GET", "/api/v1/me").bearer(&token).send().await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.problem(), "unauthorized");
}

#[tokio::test]
async fn wrong_credentials_are_refused_and_audited() {
    let server = TestServer::spawn().await;
    let wrong = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "password", "user": "alice", "password": "not-it"}))
        .send()
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.problem(), "unauthorized");
    let audit = server.engine.store().entries(None, 10).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "login.failed" && e.entity == "alice"),
        "{audit:?}"
    );
    for (token, status) in [
        ("Bearer nope", StatusCode::UNAUTHORIZED),
        ("Digest x", StatusCode::UNAUTHORIZED),
    ] {
        let response = server
            .request("GET", "/api/v1/me")
            .anonymous()
            .header("authorization", token)
            .send()
            .await;
        assert_eq!(response.status, status);
    }
    let nobody = server.request("GET", "/api/v1/me").anonymous().send().await;
    assert_eq!(nobody.problem(), "unauthorized");
    let unknown_method = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "magic"}))
        .send()
        .await;
    assert_eq!(unknown_method.problem(), "invalid-request");
}

#[tokio::test]
async fn a_login_link_signs_in_once() {
    let server = TestServer::spawn().await;
    let link = server.engine.create_login_link(&server.user).await.unwrap();
    let body = json!({"method": "link", "token": link.secret});
    let first = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&body)
        .send()
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(first.json()["user"], "alice");
    let again = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&body)
        .send()
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(
        again.json()["detail"].as_str().unwrap().contains("/web"),
        "{}",
        again.text()
    );
}

#[tokio::test]
async fn links_and_sessions_expire() {
    let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap());
    let store = memory().await;
    let engine = TeleventBuilder::new(Arc::clone(&store.store))
        .clock(Arc::new(clock.clone()))
        .hasher(Arc::new(Argon2Hasher))
        .build();
    let (user, _) = engine.create_user("alice", None, None).await.unwrap();
    let late = engine.create_login_link(&user).await.unwrap();
    let fresh = engine.create_login_link(&user).await.unwrap();
    clock.advance(Duration::minutes(9));
    let session = engine.sign_in_with_link(&fresh.secret).await.unwrap().unwrap();
    clock.advance(Duration::minutes(2));
    assert_eq!(
        engine.sign_in_with_link(&late.secret).await.unwrap(),
        None,
        "11 minutes old"
    );
    assert_eq!(engine.session_user(&session.secret).await.unwrap(), Some(user.clone()));
    clock.advance(Duration::days(30));
    assert_eq!(engine.session_user(&session.secret).await.unwrap(), None, "30 days old");
    // Trying a link uses it up, expired or not: only the expired session is left to prune.
    assert_eq!(engine.prune_access_tokens().await.unwrap(), 1);
    assert_eq!(engine.prune_access_tokens().await.unwrap(), 0);
}

#[tokio::test]
async fn telegram_mini_app_data_signs_in_the_linked_user() {
    const BOT: &str = "4242:test-bot-token";
    let config = HttpConfig {
        telegram_bot_token: Some(BOT.to_owned()),
        ..HttpConfig::default()
    };
    let server = TestServer::spawn_with(memory().await, config).await;
    server.engine.create_user("carol", Some(777_000), None).await.unwrap();
    let now = Utc::now().timestamp();
    let good = signed_init_data(BOT, 777_000, now);
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "telegram", "init_data": good}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.json()["user"], "carol");

    let refused = [
        signed_init_data("4242:another-bot", 777_000, now),
        signed_init_data(BOT, 777_000, now - 2 * 86_400),
        signed_init_data(BOT, 555, now),
        good.replace("777000", "777001"),
    ];
    for init_data in refused {
        let response = server
            .request("POST", "/api/v1/sessions")
            .anonymous()
            .json(&json!({"method": "telegram", "init_data": init_data}))
            .send()
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{init_data}: {}",
            response.text()
        );
    }

    let without_bot = TestServer::spawn().await;
    let response = without_bot
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "telegram", "init_data": signed_init_data(BOT, 777_000, now)}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.problem(), "forbidden");
}

#[tokio::test]
async fn revoking_a_device_ends_the_sessions_made_with_it() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let devices = server
        .request("GET", "/api/v1/devices")
        .bearer(&token)
        .send()
        .await
        .json();
    let id = devices["items"][0]["id"].as_str().unwrap().to_owned();
    let revoked = server
        .request("DELETE", &format!("/api/v1/devices/{id}"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = server.request("GET", "/api/v1/me").bearer(&token).send().await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.text());
    let basic = server.request("GET", "/api/v1/me").send().await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED, "the password is revoked too");
}
