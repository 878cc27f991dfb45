//! The user, calendars, devices, subscriptions, the outbox, pages of lists, audit entries, the
//! rate limit and the web page's files.

use hyper::StatusCode;
use serde_json::json;
use televent_adapters::http::{HttpConfig, RateLimit};
use televent_tests::server::TestServer;
use televent_tests::stores::memory;

use super::sign_in;

#[tokio::test]
async fn me_shows_and_changes_zone_and_preferences() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let me = server.request("GET", "/api/v1/me").bearer(&token).send().await.json();
    assert_eq!(me["preferences"]["reminder_minutes_before"], 15);
    assert_eq!(me["preferences"]["daily_digest_time"], "08:00");
    assert_eq!(me["telegram_linked"], false);
    assert_eq!(me["caldav_url"], format!("http://{}/dav/", server.addr));
    let changed = server
        .request("PATCH", "/api/v1/me")
        .bearer(&token)
        .json(&json!({"time_zone": "America/New_York", "preferences": {"daily_digest_time": null, "reminder_minutes_before": 30}}))
        .send()
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let stored = server.engine.user("alice").await.unwrap();
    assert_eq!(stored.time_zone.name(), "America/New_York");
    // A cached Basic credential (used above to sign in) sees the change at once.
    let by_basic = server.request("GET", "/api/v1/me").send().await.json();
    assert_eq!(by_basic["time_zone"], "America/New_York");
    let preferences = server.engine.preferences(&stored).await.unwrap();
    assert_eq!(preferences.reminder_minutes_before, Some(30));
    assert_eq!(preferences.daily_digest_time, None);
    for body in [
        json!({"time_zone": "Nowhere/Land"}),
        json!({"preferences": {"daily_digest_time": "25:00"}}),
        json!({"preferences": {"reminder_minutes_before": -5}}),
        json!({"preferences": {"colour": "red"}}),
    ] {
        let refused = server
            .request("PATCH", "/api/v1/me")
            .bearer(&token)
            .json(&body)
            .send()
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{body}");
    }
    let unchanged = server.engine.user("alice").await.unwrap();
    assert_eq!(
        unchanged.time_zone.name(),
        "America/New_York",
        "refused changes change nothing"
    );
}

#[tokio::test]
async fn calendars_are_made_listed_in_pages_changed_and_deleted() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    for name in ["Work", "Family"] {
        let made = server
            .request("POST", "/api/v1/calendars")
            .bearer(&token)
            .json(&json!({"name": name, "color": "#3366CC"}))
            .send()
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    }
    let first = server
        .request("GET", "/api/v1/calendars?limit=2")
        .bearer(&token)
        .send()
        .await
        .json();
    let ids: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["default", "family"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = server
        .request("GET", &format!("/api/v1/calendars?limit=2&cursor={cursor}"))
        .bearer(&token)
        .send()
        .await
        .json();
    assert_eq!(second["items"][0]["id"], "work");
    assert_eq!(
        second["items"][0]["caldav_url"],
        format!("http://{}/dav/calendars/alice/work/", server.addr)
    );
    assert_eq!(second["next_cursor"], json!(null));

    let patched = server
        .request("PATCH", "/api/v1/calendars/work")
        .bearer(&token)
        .json(&json!({"name": "Office", "color": null}))
        .send()
        .await;
    assert_eq!(patched.json()["name"], "Office");
    assert_eq!(patched.json()["color"], json!(null));
    let duplicate = server
        .request("POST", "/api/v1/calendars")
        .bearer(&token)
        .json(&json!({"name": "Work", "id": "work"}))
        .send()
        .await;
    assert_eq!(duplicate.problem(), "conflict");
    let default = server
        .request("DELETE", "/api/v1/calendars/default")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(default.status, StatusCode::FORBIDDEN);
    assert_eq!(default.problem(), "forbidden");
    let deleted = server
        .request("DELETE", "/api/v1/calendars/work")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = server
        .request("GET", "/api/v1/calendars/work")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(gone.problem(), "not-found");
    let audit = server.engine.store().entries(Some(server.user.id), 50).await.unwrap();
    let api_entry = audit
        .iter()
        .find(|e| e.action == "calendar.delete" && e.detail.as_deref() == Some("REST API"))
        .unwrap();
    assert_eq!(api_entry.client_addr.as_deref(), Some("127.0.0.1"));
}

#[tokio::test]
async fn a_device_password_is_shown_once_and_works_for_caldav() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let made = server
        .request("POST", "/api/v1/devices")
        .bearer(&token)
        .json(&json!({"label": "iPhone"}))
        .send()
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let body = made.json();
    let password = body["password"].as_str().unwrap();
    assert_eq!(body["user_name"], "alice");
    assert_eq!(body["caldav_url"], format!("http://{}/dav/", server.addr));
    let propfind = server
        .request("PROPFIND", "/dav/")
        .auth("alice", password)
        .header("depth", "0")
        .send()
        .await;
    assert_eq!(propfind.status, StatusCode::MULTI_STATUS);
    let listed = server
        .request("GET", "/api/v1/devices")
        .bearer(&token)
        .send()
        .await
        .json();
    assert!(listed.to_string().contains("iPhone"));
    assert!(
        !listed.to_string().contains(password),
        "a listing never shows a password"
    );
    let unknown = server
        .request("DELETE", "/api/v1/devices/not-a-device")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(unknown.problem(), "not-found");
}

#[tokio::test]
async fn a_subscription_url_serves_the_calendar_until_renewed_or_revoked() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let created = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .json(&json!({"title": "Shared dinner", "start": "2026-12-05T19:00"}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let none = server
        .request("GET", "/api/v1/calendars/default/subscription")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(none.problem(), "not-found");
    let made = server
        .request("PUT", "/api/v1/calendars/default/subscription")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let url = made.json()["url"].as_str().unwrap().to_owned();
    assert!(made.json()["webcal_url"].as_str().unwrap().starts_with("webcal://"));
    let path = url.split_once(&server.addr.to_string()).unwrap().1.to_owned();
    let feed = server.request("GET", &path).anonymous().send().await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(feed.header("content-type").unwrap(), "text/calendar; charset=utf-8");
    assert!(feed.text().contains("SUMMARY:Shared dinner"), "{}", feed.text());
    let etag = feed.header("etag").unwrap();
    let again = server
        .request("GET", &path)
        .anonymous()
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    let renewed = server
        .request("PUT", "/api/v1/calendars/default/subscription")
        .bearer(&token)
        .send()
        .await;
    let new_url = renewed.json()["url"].as_str().unwrap().to_owned();
    assert_ne!(new_url, url);
    assert_eq!(
        server.request("GET", &path).anonymous().send().await.status,
        StatusCode::NOT_FOUND
    );
    let new_path = new_url.split_once(&server.addr.to_string()).unwrap().1.to_owned();
    assert_eq!(
        server.request("GET", &new_path).anonymous().send().await.status,
        StatusCode::OK
    );
    let revoked = server
        .request("DELETE", "/api/v1/calendars/default/subscription")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        server.request("GET", &new_path).anonymous().send().await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_outbox_lists_only_the_users_own_messages() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let created = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .json(&json!({"title": "Review", "start": "2026-12-07T11:00", "attendees": ["anna@example.com", "bob@televent.internal"]}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["organizer"], "alice@televent.internal");
    let first = server
        .request("GET", "/api/v1/outbox?limit=1")
        .bearer(&token)
        .send()
        .await
        .json();
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = server
        .request("GET", &format!("/api/v1/outbox?limit=5&cursor={cursor}"))
        .bearer(&token)
        .send()
        .await
        .json();
    let mut recipients: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|m| {
            assert_eq!(m["kind"], "invitation");
            assert_eq!(m["summary"], "Review");
            assert_eq!(m["status"], "pending");
            m["recipient"].as_str().unwrap().to_owned()
        })
        .collect();
    recipients.sort();
    assert_eq!(recipients.len(), 2, "{recipients:?}");
    assert!(recipients.contains(&"anna@example.com".to_owned()));
    let bob = super::sign_in_as(&server, "bob", &server.other_password).await;
    let theirs = server.request("GET", "/api/v1/outbox").bearer(&bob).send().await.json();
    assert_eq!(theirs["items"], json!([]));
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let config = HttpConfig {
        rate_limit: Some(RateLimit {
            per_second: 0.01,
            burst: 3.0,
        }),
        ..HttpConfig::default()
    };
    let server = TestServer::spawn_with(memory().await, config).await;
    for _ in 0..3 {
        let response = server.request("GET", "/api/v1/me").send().await;
        assert_eq!(response.status, StatusCode::OK);
    }
    let limited = server.request("GET", "/api/v1/me").send().await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.problem(), "too-many-requests");
    assert!(limited.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    let caldav = server.request("PROPFIND", "/dav/").header("depth", "0").send().await;
    assert_eq!(caldav.status, StatusCode::TOO_MANY_REQUESTS, "CalDAV shares the limit");
}

#[tokio::test]
async fn the_web_page_is_served_with_a_strict_policy_and_dav_still_answers_at_the_root() {
    let server = TestServer::spawn().await;
    for path in ["/", "/login", "/week", "/month", "/settings", "/devices"] {
        let page = server.request("GET", path).anonymous().send().await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.header("content-type").unwrap(), "text/html; charset=utf-8");
        let policy = page.header("content-security-policy").unwrap();
        assert!(policy.starts_with("default-src 'self'"), "{policy}");
        assert!(page.text().contains("/assets/app.js"), "{path}");
    }
    let script = server.request("GET", "/assets/app.js").anonymous().send().await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.header("content-type").unwrap(), "text/javascript; charset=utf-8");
    let missing = server.request("GET", "/assets/nothing.js").anonymous().send().await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let root = server.request("PROPFIND", "/").header("depth", "0").send().await;
    assert_eq!(
        root.status,
        StatusCode::MULTI_STATUS,
        "CalDAV clients still find their way from /"
    );
    let openapi = server.request("GET", "/api/v1/openapi.json").anonymous().send().await;
    assert_eq!(openapi.status, StatusCode::OK);
    assert!(openapi.json()["openapi"].as_str().unwrap().starts_with("3.1"));
}
