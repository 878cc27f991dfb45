//! The CalDAV server over real HTTP on loopback: every method, precondition, auth rule and
//! error of this slice, real client bodies replayed, and the corpus through PUT.

mod access;
mod corpus;
mod discovery;
mod home_sync;
mod mkcalendar;
mod objects;
mod propfind;
mod proppatch;
mod query;
mod real_stores;
mod replay;
mod reports;
mod server;

use televent_tests::data::timed;
use televent_tests::server::{TestResponse, TestServer};

const DAV: &str = "{DAV:}";
const CALDAV: &str = "{urn:ietf:params:xml:ns:caldav}";

/// `{DAV:}local`.
fn dav(local: &str) -> String {
    format!("{DAV}{local}")
}

/// `{CALDAV}local`.
fn caldav(local: &str) -> String {
    format!("{CALDAV}{local}")
}

/// PUTs a one-hour event `uid` at `start` into alice's default calendar as `<uid>.ics`.
async fn put_event(server: &TestServer, uid: &str, start: &str) -> TestResponse {
    let path = format!("{}{uid}.ics", server.calendar_path());
    server
        .request("PUT", &path)
        .header("content-type", "text/calendar; charset=utf-8")
        .body(timed(uid, start, uid))
        .send()
        .await
}
