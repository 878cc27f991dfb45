//! Events through the API: JSON in and out over the stored iCalendar bytes, If-Match, the
//! bytes themselves, occurrences, and bad input refused with nothing stored.

use hyper::StatusCode;
use serde_json::json;
use televent_tests::data::event;
use televent_tests::server::TestServer;

use super::sign_in;

#[tokio::test]
async fn an_event_made_as_json_is_read_changed_and_deleted_with_if_match() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let created = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .json(&json!({
            "title": "Dentist, upstairs",
            "start": "2026-12-01T15:30",
            "location": "Main St 5",
            "reminders": [15],
        }))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let body = created.json();
    let id = body["id"].as_str().unwrap().to_owned();
    let etag = created.header("etag").unwrap();
    assert_eq!(body["etag"], etag.as_str());
    assert_eq!(body["title"], "Dentist, upstairs");
    assert_eq!(body["start"], "2026-12-01T15:30:00");
    assert_eq!(body["end"], "2026-12-01T16:30:00", "one hour by default");
    assert_eq!(body["time_zone"], "Europe/Berlin", "the user's zone by default");
    assert_eq!(body["reminders"], json!([15]));
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/calendars/default/events/{id}")
    );

    // The same event over CalDAV, with the same ETag.
    let caldav = server
        .request("GET", &format!("{}{id}", server.calendar_path()))
        .send()
        .await;
    assert_eq!(caldav.status, StatusCode::OK);
    assert_eq!(caldav.header("etag").unwrap(), etag);
    assert!(
        caldav.text().contains("SUMMARY:Dentist\\, upstairs\r\n"),
        "{}",
        caldav.text()
    );
    assert!(caldav.text().contains("DTSTART;TZID=Europe/Berlin:20261201T153000"));

    let path = format!("/api/v1/calendars/default/events/{id}");
    let stale = server
        .request("PATCH", &path)
        .bearer(&token)
        .header("if-match", "\"stale\"")
        .json(&json!({"title": "Moved"}))
        .send()
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.problem(), "precondition-failed");

    let changed = server
        .request("PATCH", &path)
        .bearer(&token)
        .header("if-match", &etag)
        .json(&json!({"title": "Dentist", "start": "2026-12-02T10:00", "location": null}))
        .send()
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let changed_body = changed.json();
    assert_eq!(changed_body["title"], "Dentist");
    assert_eq!(changed_body["start"], "2026-12-02T10:00:00");
    assert_eq!(changed_body["end"], "2026-12-02T11:00:00", "moving keeps the length");
    assert_eq!(changed_body["location"], json!(null));
    assert_ne!(changed.header("etag").unwrap(), etag);

    let gone = server
        .request("DELETE", &path)
        .bearer(&token)
        .header("if-match", &etag)
        .send()
        .await;
    assert_eq!(
        gone.status,
        StatusCode::PRECONDITION_FAILED,
        "the old ETag is stale now"
    );
    let deleted = server
        .request("DELETE", &path)
        .bearer(&token)
        .header("if-match", &changed.header("etag").unwrap())
        .send()
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let missing = server.request("GET", &path).bearer(&token).send().await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.problem(), "not-found");
}

#[tokio::test]
async fn a_patch_keeps_what_other_clients_stored() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let ics = event(
        "kept-1",
        "DTSTART;TZID=Europe/Berlin:20261203T090000\r\nDTEND;TZID=Europe/Berlin:20261203T100000\r\nSUMMARY:Standup\r\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\nBEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT1H\r\nSUMMARY:mail\r\nDESCRIPTION:mail\r\nATTENDEE:mailto:a@example.com\r\nEND:VALARM\r\n",
    );
    let created = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .header("content-type", "text/calendar")
        .body(ics)
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["id"], "kept-1.ics");
    let patched = server
        .request("PATCH", "/api/v1/calendars/default/events/kept-1.ics")
        .bearer(&token)
        .json(&json!({"title": "Daily standup", "recurrence": "weekdays"}))
        .send()
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.json()["recurrence"]["preset"], "weekdays");
    let bytes = server
        .request("GET", "/api/v1/calendars/default/events/kept-1.ics/ics")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(bytes.header("content-type").unwrap(), "text/calendar; charset=utf-8");
    let text = bytes.text();
    assert!(
        text.contains("X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\n"),
        "{text}"
    );
    assert!(text.contains("ACTION:EMAIL\r\n"), "{text}");
    assert!(text.contains("SUMMARY:Daily standup\r\n"), "{text}");
    assert!(text.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r\n"), "{text}");
    assert!(text.contains("SEQUENCE:1\r\n"), "{text}");
}

#[tokio::test]
async fn occurrences_are_expanded_in_the_users_zone() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    for body in [
        json!({"title": "Gym", "start": "2026-11-02T18:00", "end": "2026-11-02T19:30", "recurrence": "weekly"}),
        json!({"title": "Holiday", "all_day": true, "start": "2026-11-10", "end": "2026-11-12"}),
    ] {
        let response = server
            .request("POST", "/api/v1/calendars/default/events")
            .bearer(&token)
            .json(&body)
            .send()
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    }
    let response = server
        .request("GET", "/api/v1/occurrences?from=2026-11-09&to=2026-11-23")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body = response.json();
    assert_eq!(body["time_zone"], "Europe/Berlin");
    let items: Vec<(String, String, String, bool)> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_owned(),
                o["start"].as_str().unwrap().to_owned(),
                o["end"].as_str().unwrap().to_owned(),
                o["all_day"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (
                "Gym".into(),
                "2026-11-09T18:00:00".into(),
                "2026-11-09T19:30:00".into(),
                false
            ),
            ("Holiday".into(), "2026-11-10".into(), "2026-11-12".into(), true),
            (
                "Gym".into(),
                "2026-11-16T18:00:00".into(),
                "2026-11-16T19:30:00".into(),
                false
            ),
        ]
    );
    assert!(body["items"][0]["recurring"].as_bool().unwrap());
    for query in [
        "",
        "?from=2026-11-09",
        "?from=2026-11-09&to=2026-11-01",
        "?from=2026-01-01&to=2028-01-01",
        "?from=x&to=y",
    ] {
        let bad = server
            .request("GET", &format!("/api/v1/occurrences{query}"))
            .bearer(&token)
            .send()
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(bad.problem(), "invalid-request");
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_a_problem_and_nothing_is_stored() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let cases = [
        (
            "application/json",
            "{not json".to_owned(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"start": "2026-12-01T10:00"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x", "start": "2026-12-01T10:00", "colour": 1}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x", "start": "2026-12-01T10:00", "end": "2026-12-01T09:00"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x", "start": "tomorrow"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x", "start": "2026-12-01T10:00", "recurrence": "hourly"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x", "start": "2026-12-01T10:00", "time_zone": "Mars/Olympus"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "application/json",
            json!({"title": "x", "start": "2026-12-01T10:00", "attendees": ["not an address"]}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid-request",
        ),
        (
            "text/plain",
            "hello".to_owned(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        ),
        (
            "text/calendar",
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-calendar-data",
        ),
        (
            "text/calendar",
            "\u{0}\u{1} not a calendar".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-calendar-data",
        ),
    ];
    for (media, body, status, problem) in cases {
        let response = server
            .request("POST", "/api/v1/calendars/default/events")
            .bearer(&token)
            .header("content-type", media)
            .body(body.clone())
            .send()
            .await;
        assert_eq!(response.status, status, "{body}: {}", response.text());
        assert_eq!(response.problem(), problem, "{body}");
    }
    let todo = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:todo-1\r\nDTSTAMP:20261124T080000Z\r\nSUMMARY:Buy milk\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let refused = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .header("content-type", "text/calendar")
        .body(todo)
        .send()
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
    assert_eq!(refused.problem(), "invalid-calendar-data");
    let stored = server
        .request("GET", "/api/v1/calendars/default/events/todo-1.ics/ics")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(stored.status, StatusCode::NOT_FOUND, "a refused to-do is not stored");
    let listed = server
        .request("GET", "/api/v1/calendars/default/events")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(listed.json()["items"], json!([]), "nothing was stored");
    let wrong_method = server.request("PUT", "/api/v1/me").bearer(&token).send().await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.header("allow").unwrap(), "GET, PATCH");
    let nowhere = server.request("GET", "/api/v1/nowhere").bearer(&token).send().await;
    assert_eq!(nowhere.problem(), "not-found");
}
