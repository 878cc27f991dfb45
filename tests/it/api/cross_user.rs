//! The cross-user matrix: with bob's session, every route on alice's calendar, events,
//! subscription and devices answers 404 (or 403) and changes nothing.

use hyper::StatusCode;
use serde_json::json;
use televent_tests::server::TestServer;

use super::{sign_in, sign_in_as};

#[tokio::test]
async fn another_users_objects_answer_404_and_stay_as_they_were() {
    let server = TestServer::spawn().await;
    let alice = sign_in(&server).await;
    let bob = sign_in_as(&server, "bob", &server.other_password).await;
    let made = server
        .request("POST", "/api/v1/calendars")
        .bearer(&alice)
        .json(&json!({"name": "Secret", "id": "secret"}))
        .send()
        .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let event = server
        .request("POST", "/api/v1/calendars/secret/events")
        .bearer(&alice)
        .json(&json!({"title": "Private", "start": "2026-12-01T10:00"}))
        .send()
        .await;
    let id = event.json()["id"].as_str().unwrap().to_owned();
    let etag = event.header("etag").unwrap();
    let default_event = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&alice)
        .json(&json!({"title": "Also private", "start": "2026-12-02T10:00"}))
        .send()
        .await;
    let default_id = default_event.json()["id"].as_str().unwrap().to_owned();
    let feed = server
        .request("PUT", "/api/v1/calendars/secret/subscription")
        .bearer(&alice)
        .send()
        .await;
    assert_eq!(feed.status, StatusCode::CREATED);
    let devices = server
        .request("GET", "/api/v1/devices")
        .bearer(&alice)
        .send()
        .await
        .json();
    let device = devices["items"][0]["id"].as_str().unwrap().to_owned();

    let patch = json!({"title": "Hijacked"});
    let routes: Vec<(&str, String, Option<serde_json::Value>)> = vec![
        ("GET", "/api/v1/calendars/secret".into(), None),
        (
            "PATCH",
            "/api/v1/calendars/secret".into(),
            Some(json!({"name": "Mine"})),
        ),
        ("DELETE", "/api/v1/calendars/secret".into(), None),
        ("GET", "/api/v1/calendars/secret/events".into(), None),
        (
            "POST",
            "/api/v1/calendars/secret/events".into(),
            Some(json!({"title": "x", "start": "2026-12-01T10:00"})),
        ),
        ("GET", format!("/api/v1/calendars/secret/events/{id}"), None),
        (
            "PATCH",
            format!("/api/v1/calendars/secret/events/{id}"),
            Some(patch.clone()),
        ),
        ("DELETE", format!("/api/v1/calendars/secret/events/{id}"), None),
        ("GET", format!("/api/v1/calendars/secret/events/{id}/ics"), None),
        ("GET", "/api/v1/calendars/secret/subscription".into(), None),
        ("PUT", "/api/v1/calendars/secret/subscription".into(), None),
        ("DELETE", "/api/v1/calendars/secret/subscription".into(), None),
        (
            "GET",
            "/api/v1/occurrences?from=2026-12-01&to=2026-12-03&calendar=secret".into(),
            None,
        ),
        // Bob's own default calendar does not hold alice's event of the same name.
        ("GET", format!("/api/v1/calendars/default/events/{default_id}"), None),
        (
            "PATCH",
            format!("/api/v1/calendars/default/events/{default_id}"),
            Some(patch.clone()),
        ),
        ("DELETE", format!("/api/v1/calendars/default/events/{default_id}"), None),
        ("DELETE", format!("/api/v1/devices/{device}"), None),
    ];
    for (method, path, body) in &routes {
        let mut request = server.request(method, path).bearer(&bob);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await;
        assert!(
            response.status == StatusCode::NOT_FOUND || response.status == StatusCode::FORBIDDEN,
            "{method} {path}: {} {}",
            response.status,
            response.text()
        );
        assert!(
            !response.text().contains("Private"),
            "{method} {path} leaked: {}",
            response.text()
        );
    }
    // PUT of bytes under alice's name lands in bob's own calendar at most, never in hers.
    let put = server
        .request("PUT", &format!("/api/v1/calendars/secret/events/{id}/ics"))
        .bearer(&bob)
        .header("content-type", "text/calendar")
        .body(televent_tests::data::timed("x", "20261201T100000Z", "Hijacked"))
        .send()
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);

    // Nothing of alice's changed.
    let still = server
        .request("GET", &format!("/api/v1/calendars/secret/events/{id}"))
        .bearer(&alice)
        .send()
        .await;
    assert_eq!(still.status, StatusCode::OK);
    assert_eq!(still.header("etag").unwrap(), etag);
    assert_eq!(still.json()["title"], "Private");
    let calendar = server
        .request("GET", "/api/v1/calendars/secret")
        .bearer(&alice)
        .send()
        .await
        .json();
    assert_eq!(calendar["name"], "Secret");
    let other = server
        .request("GET", &format!("/api/v1/calendars/default/events/{default_id}"))
        .bearer(&alice)
        .send()
        .await;
    assert_eq!(other.json()["title"], "Also private");
    assert_eq!(
        server
            .request("GET", "/api/v1/calendars/secret/subscription")
            .bearer(&alice)
            .send()
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        server.request("GET", "/api/v1/me").send().await.status,
        StatusCode::OK,
        "alice's device password still works"
    );
    let bobs = server
        .request("GET", "/api/v1/calendars/default/events")
        .bearer(&bob)
        .send()
        .await
        .json();
    assert_eq!(
        bobs["items"],
        json!([]),
        "bob's POST to 'secret' created nothing anywhere"
    );
}
