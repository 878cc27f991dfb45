//! sync-collection on the calendar home (RFC 6578 with calendars as members), as macOS polls
//! it: every calendar on the empty token, then only the calendars created, changed or deleted
//! since, and 403 `DAV:valid-sync-token` for a token the server did not issue to the user.

use super::{caldav, dav, put_event};
use televent_tests::corpus::shared_dir;
use televent_tests::server::{Multistatus, TestServer};

const HOME: &str = "/dav/calendars/alice/";

/// macOS 10.11's home sync body with `token` in its placeholder.
fn macos_body(token: &str) -> String {
    let path = shared_dir()
        .join("caldav-requests")
        .join("macos1011__07_calendarhome_sync_collection.xml");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("%(sync-token)s"));
    text.replace("%(sync-token)s", token)
}

/// The macOS REPORT on alice's home from `token` (macOS sends Depth 1, sic).
async fn sync(server: &TestServer, token: &str) -> Multistatus {
    server
        .request("REPORT", HOME)
        .header("depth", "1")
        .xml(&macos_body(token))
        .send()
        .await
        .multistatus()
}

/// `(href, status)` of each response: 200 for a listed calendar, else its own status.
fn listed(status: &Multistatus) -> Vec<(String, u16)> {
    status
        .responses
        .iter()
        .map(|r| (r.href.clone(), r.status.unwrap_or(200)))
        .collect()
}

async fn mkcalendar(server: &TestServer, slug: &str) {
    let response = server.request("MKCALENDAR", &format!("{HOME}{slug}/")).send().await;
    assert_eq!(response.status, 201);
}

#[tokio::test]
async fn macos_home_sync_lists_every_calendar_then_only_what_changed() {
    let server = TestServer::spawn().await;
    mkcalendar(&server, "work").await;

    let initial = sync(&server, "").await;
    assert_eq!(
        listed(&initial),
        [
            ("/dav/calendars/alice/default/".to_owned(), 200),
            ("/dav/calendars/alice/work/".to_owned(), 200)
        ]
    );
    let default = &initial.responses[0];
    assert_eq!(
        default.ok(&dav("resourcetype")).children,
        [dav("collection"), caldav("calendar")]
    );
    assert_eq!(default.ok(&dav("displayname")).text, server.calendar.display_name);
    let calendar_token = server
        .engine
        .calendar(&server.user, "default")
        .await
        .unwrap()
        .sync_token;
    assert_eq!(default.ok(&dav("sync-token")).text, calendar_token.to_string());
    assert_eq!(default.props[&dav("quota-used-bytes")].status, 404);
    let t0 = initial.sync_token.clone().unwrap();

    let nothing = sync(&server, &t0).await;
    assert!(nothing.responses.is_empty(), "{nothing:?}");
    assert_eq!(
        nothing.sync_token.as_deref(),
        Some(t0.as_str()),
        "no change, same token"
    );

    // A member change in one calendar: only that calendar.
    assert_eq!(put_event(&server, "e1", "20240601T100000Z").await.status, 201);
    let member = sync(&server, &t0).await;
    assert_eq!(listed(&member), [("/dav/calendars/alice/default/".to_owned(), 200)]);
    let t1 = member.sync_token.clone().unwrap();
    assert_ne!(t1, t0);

    // A property change.
    let proppatch =
        "<propertyupdate xmlns='DAV:'><set><prop><displayname>Work stuff</displayname></prop></set></propertyupdate>";
    let patched = server
        .request("PROPPATCH", &format!("{HOME}work/"))
        .xml(proppatch)
        .send()
        .await;
    assert_eq!(patched.status, 207);
    let property = sync(&server, &t1).await;
    assert_eq!(listed(&property), [("/dav/calendars/alice/work/".to_owned(), 200)]);
    assert_eq!(property.responses[0].ok(&dav("displayname")).text, "Work stuff");
    let t2 = property.sync_token.clone().unwrap();

    // A creation and a deletion.
    mkcalendar(&server, "trip").await;
    assert_eq!(
        server.request("DELETE", &format!("{HOME}work/")).send().await.status,
        204
    );
    let both = sync(&server, &t2).await;
    assert_eq!(
        listed(&both),
        [
            ("/dav/calendars/alice/trip/".to_owned(), 200),
            ("/dav/calendars/alice/work/".to_owned(), 404)
        ]
    );
    let t3 = both.sync_token.clone().unwrap();
    assert!(sync(&server, &t3).await.responses.is_empty());

    // An old token still gives the whole delta since then.
    assert_eq!(
        listed(&sync(&server, &t0).await),
        [
            ("/dav/calendars/alice/default/".to_owned(), 200),
            ("/dav/calendars/alice/trip/".to_owned(), 200),
            ("/dav/calendars/alice/work/".to_owned(), 404)
        ]
    );
}

#[tokio::test]
async fn a_token_not_issued_for_this_home_is_refused_with_valid_sync_token() {
    let server = TestServer::spawn().await;
    let bobs = server
        .request("REPORT", "/dav/calendars/bob/")
        .auth("bob", &server.other_password)
        .xml(&macos_body(""))
        .send()
        .await
        .multistatus()
        .sync_token
        .unwrap();
    let calendars = server
        .request("REPORT", &server.calendar_path())
        .xml(&macos_body(""))
        .send()
        .await
        .multistatus()
        .sync_token
        .unwrap();
    for token in [
        "garbage",
        bobs.as_str(),
        calendars.as_str(),
        "http://televent.invalid/home-sync/x/y",
    ] {
        let response = server
            .request("REPORT", HOME)
            .header("depth", "1")
            .xml(&macos_body(token))
            .send()
            .await;
        assert_eq!(response.status, 403, "{token}");
        assert!(response.text().contains("valid-sync-token"), "{}", response.text());
    }
}

#[tokio::test]
async fn a_limit_cuts_the_list_and_the_next_token_gives_the_rest() {
    let server = TestServer::spawn().await;
    mkcalendar(&server, "work").await;
    let body = |token: &str| {
        format!(
            "<sync-collection xmlns='DAV:'><sync-token>{token}</sync-token><sync-level>1</sync-level>\
             <limit><nresults>1</nresults></limit><prop><displayname/></prop></sync-collection>"
        )
    };
    let first = server.request("REPORT", HOME).xml(&body("")).send().await.multistatus();
    assert_eq!(
        listed(&first),
        [
            ("/dav/calendars/alice/default/".to_owned(), 200),
            (HOME.to_owned(), 507)
        ]
    );
    let rest = server
        .request("REPORT", HOME)
        .xml(&body(&first.sync_token.unwrap()))
        .send()
        .await
        .multistatus();
    assert_eq!(listed(&rest), [("/dav/calendars/alice/work/".to_owned(), 200)]);
}

#[tokio::test]
async fn the_home_advertises_sync_collection() {
    let server = TestServer::spawn().await;
    let response = server
        .request("PROPFIND", HOME)
        .header("depth", "0")
        .xml("<propfind xmlns='DAV:'><prop><supported-report-set/></prop></propfind>")
        .send()
        .await;
    let body = response.text();
    let home = response.multistatus();
    assert_eq!(home.responses[0].ok(&dav("supported-report-set")).children.len(), 4);
    assert!(body.contains("sync-collection"), "{body}");
    assert!(body.contains("principal-property-search"), "{body}");
}

#[tokio::test]
async fn the_homes_sync_token_from_propfind_starts_an_incremental_sync() {
    let server = TestServer::spawn().await;
    let propfind = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>"#;
    let token = |status: &Multistatus| status.get(HOME).ok(&dav("sync-token")).text.trim().to_owned();
    let read = server
        .request("PROPFIND", HOME)
        .header("depth", "0")
        .xml(propfind)
        .send()
        .await
        .multistatus();
    let first = token(&read);
    assert!(!first.is_empty());
    // Nothing changed since: an empty delta with the same token.
    let quiet = sync(&server, &first).await;
    assert!(listed(&quiet).is_empty(), "{:?}", listed(&quiet));
    assert_eq!(quiet.sync_token.as_deref(), Some(first.as_str()));
    // A new calendar: the delta names it, and PROPFIND's token moves on with it.
    mkcalendar(&server, "trips").await;
    let delta = sync(&server, &first).await;
    assert_eq!(listed(&delta), [("/dav/calendars/alice/trips/".to_owned(), 200)]);
    let again = server
        .request("PROPFIND", HOME)
        .header("depth", "0")
        .xml(propfind)
        .send()
        .await
        .multistatus();
    assert_eq!(Some(token(&again)), delta.sync_token);
}
