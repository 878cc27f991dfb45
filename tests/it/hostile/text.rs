//! Hostile text in every field a person types: SQL metacharacters, very long values, emoji,
//! right-to-left and zero-width characters, in events (CalDAV and REST), calendar names
//! (PROPPATCH and REST), device labels, user names at sign-in and resource names. Values
//! round-trip exactly, on every store, and the tables stay intact.

use serde_json::json;
use televent_adapters::http::HttpConfig;
use televent_tests::data::timed;
use televent_tests::server::TestServer;
use televent_tests::stores::{TestStore, memory, postgres, sqlite};

use super::{assert_alive, basic_for, put, seed, snapshot};

const SQL: &[&str] = &[
    "'; DROP TABLE calendar_objects; --",
    "\" OR 1=1 --",
    "x' OR '1'='1",
    "\\'; DELETE FROM users; --",
    "%_%' UNION SELECT password_hash FROM device_passwords --",
    "$1 ?1 :name @p; SELECT pg_sleep(10); --",
];

const UNICODE: &[&str] = &[
    "🎉📅 party 👨‍👩‍👧",
    "اجتماع الفريق",
    "\u{202E}gnp.exe",
    "zero\u{200B}width\u{200D}join\u{FEFF}bom",
    "e\u{301} combining",
    "𝕿𝖊𝖑𝖊𝖛𝖊𝖓𝖙",
];

/// Signs alice in with her device password; returns the session token.
pub(super) async fn sign_in(server: &TestServer) -> String {
    let response = server
        .request("POST", "/api/v1/sessions")
        .anonymous()
        .json(&json!({"method": "password", "user": "alice", "password": server.password}))
        .send()
        .await;
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["token"].as_str().unwrap().to_owned()
}

/// iCalendar TEXT escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// XML text escaping.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Percent-encodes everything but unreserved characters.
fn pct(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every field with every value: stored, read back exactly, through both doors.
async fn round_trip(server: &TestServer, values: &[&str]) {
    let token = sign_in(server).await;
    let mut events = 1; // keep.ics
    for (i, value) in values.iter().enumerate() {
        // CalDAV PUT: UID, SUMMARY and LOCATION.
        let name = format!("t{i}.ics");
        let body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\nUID:{value}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240601T100000Z\r\nDURATION:PT1H\r\nSUMMARY:{}\r\nLOCATION:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            escape(value),
            escape(value)
        );
        let response = put(server, &name, body.as_bytes()).await;
        assert_eq!(response.status, 201, "{value:?}: {}", response.text());
        events += 1;
        let got = server
            .request("GET", &format!("{}{name}", server.calendar_path()))
            .send()
            .await;
        assert_eq!(got.text(), body, "{value:?}: the bytes round-trip");
        let read = server
            .request("GET", &format!("/api/v1/calendars/default/events/{name}"))
            .bearer(&token)
            .send()
            .await;
        assert_eq!(read.status, 200, "{value:?}: {}", read.text());
        let read = read.json();
        assert_eq!(read["title"], *value, "{value:?}");
        assert_eq!(read["location"], *value, "{value:?}");

        // REST: an event's title and location.
        let made = server
            .request("POST", "/api/v1/calendars/default/events")
            .bearer(&token)
            .json(&json!({"title": value, "location": value, "start": "2026-12-01T10:00"}))
            .send()
            .await;
        assert_eq!(made.status, 201, "{value:?}: {}", made.text());
        events += 1;
        let id = made.json()["id"].as_str().unwrap().to_owned();
        let read = server
            .request("GET", &format!("/api/v1/calendars/default/events/{}", pct(&id)))
            .bearer(&token)
            .send()
            .await
            .json();
        assert_eq!(read["title"], *value, "{value:?}");
        assert_eq!(read["location"], *value, "{value:?}");

        // PROPPATCH displayname, read back by PROPFIND.
        let response = server
            .request("PROPPATCH", &server.calendar_path())
            .xml(&format!(
                r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>{}</D:displayname></D:prop></D:set></D:propertyupdate>"#,
                xml_escape(value)
            ))
            .send()
            .await;
        assert_eq!(response.status, 207, "{value:?}: {}", response.text());
        let listing = server
            .request("PROPFIND", &server.calendar_path())
            .header("depth", "0")
            .xml(r#"<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>"#)
            .send()
            .await
            .multistatus();
        assert_eq!(listing.responses[0].ok("{DAV:}displayname").text, *value);

        // REST calendar name.
        let made = server
            .request("POST", "/api/v1/calendars")
            .bearer(&token)
            .json(&json!({"name": value, "id": format!("h{i}")}))
            .send()
            .await;
        assert_eq!(made.status, 201, "{value:?}: {}", made.text());
        let id = made.json()["id"].as_str().unwrap().to_owned();
        let read = server
            .request("GET", &format!("/api/v1/calendars/{}", pct(&id)))
            .bearer(&token)
            .send()
            .await;
        assert_eq!(read.status, 200, "{value:?}: {}", read.text());
        assert_eq!(read.json()["name"], *value);

        // REST device label.
        let made = server
            .request("POST", "/api/v1/devices")
            .bearer(&token)
            .json(&json!({"label": value}))
            .send()
            .await;
        assert_eq!(made.status, 201, "{value:?}: {}", made.text());
        let listed = server
            .request("GET", "/api/v1/devices")
            .bearer(&token)
            .send()
            .await
            .json();
        assert!(
            listed["items"].as_array().unwrap().iter().any(|d| d["label"] == *value),
            "{value:?}: {listed}"
        );

        // A resource name: stored under exactly that name, or refused as a name (never a 5xx).
        let href = format!("{value}.ics");
        let path = format!("{}{}", server.calendar_path(), pct(&href));
        let body = timed(&format!("href-{i}"), "20240601T100000Z", "named");
        let response = server
            .request("PUT", &path)
            .header("content-type", "text/calendar")
            .body(body.clone())
            .send()
            .await;
        if response.status == 201 {
            events += 1;
            let got = server.request("GET", &path).send().await;
            assert_eq!(got.text(), body, "{value:?}");
            let stored = server.engine.store().objects(server.calendar.id).await.unwrap();
            assert!(stored.iter().any(|o| o.href.as_str() == href), "{value:?}");
        } else {
            assert!(
                response.status.is_client_error(),
                "{value:?} as a name: {} {}",
                response.status,
                response.text()
            );
        }
    }

    // The tables are intact: everything is still there, and a normal write and read work.
    let stored = server.engine.store().objects(server.calendar.id).await.unwrap();
    assert_eq!(stored.len(), events);
    let response = put(
        server,
        "after.ics",
        timed("after", "20240601T100000Z", "After").as_bytes(),
    )
    .await;
    assert_eq!(response.status, 201, "{}", response.text());
    let got = server
        .request("GET", &format!("{}after.ics", server.calendar_path()))
        .send()
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(
        server.engine.store().calendars(server.user.id).await.unwrap().len(),
        values.len() + 1
    );
    assert_eq!(
        server.engine.devices(&server.user).await.unwrap().len(),
        values.len() + 1
    );
    assert_alive(server).await;
}

/// Sign-in with hostile user names and passwords: 401, audited with the name as sent, nothing
/// else.
async fn hostile_sign_ins(server: &TestServer, values: &[&str]) {
    let users_before = server.engine.store().calendars(server.other.id).await.unwrap();
    for value in values.iter().take(2) {
        let response = server
            .request("POST", "/api/v1/sessions")
            .anonymous()
            .json(&json!({"method": "password", "user": value, "password": value}))
            .send()
            .await;
        assert_eq!(response.status, 401, "{value:?}: {}", response.text());
        assert_eq!(response.problem(), "unauthorized");
        let response = server
            .request("PROPFIND", "/dav/")
            .anonymous()
            .header("authorization", &basic_for(value, "x' OR '1'='1"))
            .send()
            .await;
        assert_eq!(response.status, 401, "{value:?}");
    }
    let audit = server.engine.store().entries(None, 100).await.unwrap();
    for value in values.iter().take(2) {
        let expected: String = value.chars().take(64).collect();
        assert!(
            audit.iter().any(|e| e.action == "login.failed" && e.entity == expected),
            "{value:?} not audited as sent"
        );
    }
    assert_eq!(
        server.engine.store().calendars(server.other.id).await.unwrap(),
        users_before
    );
}

async fn sql_metacharacters_on(store: TestStore) {
    let server = TestServer::spawn_with(store, HttpConfig::default()).await;
    seed(&server).await;
    round_trip(&server, SQL).await;
    hostile_sign_ins(&server, SQL).await;
    // Bob's data (another user's rows) is untouched and he still signs in.
    let response = server
        .request("PROPFIND", "/dav/calendars/bob/default/")
        .auth("bob", &server.other_password)
        .header("depth", "1")
        .send()
        .await;
    assert_eq!(response.status, 207, "{}", response.text());
}

#[tokio::test]
async fn sql_metacharacters_round_trip_exactly_memory() {
    sql_metacharacters_on(memory().await).await;
}

#[tokio::test]
async fn sql_metacharacters_round_trip_exactly_sqlite() {
    sql_metacharacters_on(sqlite().await).await;
}

#[tokio::test]
async fn sql_metacharacters_round_trip_exactly_postgres() {
    sql_metacharacters_on(postgres().await).await;
}

#[tokio::test]
async fn emoji_rtl_and_zero_width_text_round_trips_exactly() {
    let server = TestServer::spawn().await;
    seed(&server).await;
    round_trip(&server, UNICODE).await;
    hostile_sign_ins(&server, UNICODE).await;
}

#[tokio::test]
async fn a_one_megabyte_summary_inside_the_limit_round_trips() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    let summary = "ab🎉".repeat(1024 * 1024 / 6);
    let body = timed("long", "20240601T100000Z", &summary);
    let response = put(&server, "long.ics", body.as_bytes()).await;
    assert_eq!(response.status, 201, "{}", response.text());
    let got = server
        .request("GET", &format!("{}long.ics", server.calendar_path()))
        .send()
        .await;
    assert_eq!(got.text(), body);
    let read = server
        .request("GET", "/api/v1/calendars/default/events/long.ics")
        .bearer(&token)
        .send()
        .await
        .json();
    assert_eq!(read["title"], summary);
    // The same through REST, and a 1 MB calendar name and device label.
    let made = server
        .request("POST", "/api/v1/calendars/default/events")
        .bearer(&token)
        .json(&json!({"title": summary, "location": summary, "start": "2026-12-01T10:00"}))
        .send()
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    assert_eq!(made.json()["title"], summary);
    for (path, field) in [("/api/v1/calendars", "name"), ("/api/v1/devices", "label")] {
        let response = server
            .request("POST", path)
            .bearer(&token)
            .json(&json!({ field: summary }))
            .send()
            .await;
        assert!(
            response.status == 201 || response.status == 400,
            "{path}: {} {}",
            response.status,
            response.text().chars().take(300).collect::<String>()
        );
        if response.status == 400 {
            assert_eq!(response.problem(), "invalid-request");
        }
    }
    // A 1 MB displayname by PROPPATCH: saved or refused, never a 5xx.
    let response = server
        .request("PROPPATCH", &server.calendar_path())
        .xml(&format!(
            r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>{summary}</D:displayname></D:prop></D:set></D:propertyupdate>"#
        ))
        .send()
        .await;
    assert!(
        response.status == 207 || response.status.is_client_error(),
        "{}",
        response.status
    );
    assert_alive(&server).await;
}

#[tokio::test]
async fn text_match_wildcards_and_quotes_are_literal() {
    let server = TestServer::spawn().await;
    for (name, summary) in [("pct.ics", "100% sure"), ("quote.ics", "it's"), ("plain.ics", "plain")] {
        let response = put(&server, name, timed(name, "20240601T100000Z", summary).as_bytes()).await;
        assert_eq!(response.status, 201);
    }
    let before = snapshot(&server).await;
    for (needle, expected) in [
        ("%", vec!["pct.ics"]),
        ("_", vec![]),
        ("'", vec!["quote.ics"]),
        ("' OR '1'='1", vec![]),
        ("*", vec![]),
        (".*", vec![]),
    ] {
        let body = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match>{}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#,
            xml_escape(needle)
        );
        let listing = server
            .request("REPORT", &server.calendar_path())
            .header("depth", "1")
            .xml(&body)
            .send()
            .await
            .multistatus();
        let mut found: Vec<String> = listing
            .responses
            .iter()
            .map(|r| r.href.rsplit('/').next().unwrap().to_owned())
            .collect();
        found.sort();
        assert_eq!(found, expected, "{needle:?}");
    }
    assert_eq!(snapshot(&server).await, before);
}

/// Calendar ids are derived from names by keeping ASCII letters and digits; a name with none
/// becomes `calendar`, so a second such name (any two Cyrillic, Arabic or emoji names) is
/// refused 409 instead of getting its own id.
#[tokio::test]
async fn calendars_with_non_latin_names_get_distinct_ids() {
    let server = TestServer::spawn().await;
    let token = sign_in(&server).await;
    for name in ["Работа", "Дом", "اجتماع", "🎉"] {
        let made = server
            .request("POST", "/api/v1/calendars")
            .bearer(&token)
            .json(&json!({"name": name}))
            .send()
            .await;
        assert_eq!(made.status, 201, "{name:?}: {}", made.text());
        assert_eq!(made.json()["name"], name);
    }
    assert_eq!(server.engine.store().calendars(server.user.id).await.unwrap().len(), 5);
}
