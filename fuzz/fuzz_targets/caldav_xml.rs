//! CalDAV request bodies (PROPFIND, PROPPATCH, REPORT, MKCALENDAR) as the handlers read them:
//! the bytes as UTF-8 text, then each typed parser. None may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use televent_adapters::http::xml::mkcalendar::parse_mkcalendar;
use televent_adapters::http::xml::propfind::parse_propfind;
use televent_adapters::http::xml::proppatch::parse_proppatch;
use televent_adapters::http::xml::read::text;
use televent_adapters::http::xml::report::parse_report;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = text(data) else { return };
    let _ = parse_propfind(body);
    let _ = parse_proppatch(body);
    let _ = parse_report(body);
    let _ = parse_mkcalendar(body);
});
