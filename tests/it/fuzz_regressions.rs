//! Inputs the fuzz targets of fuzz/ found (docs/reliability.md), minimised with
//! `cargo fuzz tmin`, kept as bytes so that each finding stays fixed.

use televent_domain::ingest::{ingest_resource, split_import};

/// Every resource an import makes must itself be a valid PUT body (as tests/it/corpus.rs checks
/// for the corpus); what it cannot make one of is refused with a reason, never stored.
fn assert_import_resources_ingest(input: &[u8]) {
    let split = split_import(input);
    assert!(
        !split.resources.is_empty() || split.rejected.iter().any(|r| !r.reason.is_empty()),
        "the input is neither imported nor refused with a reason"
    );
    for resource in &split.resources {
        if let Err(error) = ingest_resource(&resource.bytes) {
            panic!(
                "split_import made a resource ingest_resource refuses: {error:?}\n{}",
                String::from_utf8_lossy(&resource.bytes)
            );
        }
    }
}

/// Fuzz target `ingest`, found 2026-11-24 (crash-163a3725...). An iTIP stream (a VCALENDAR
/// with METHOD) may hold an override (RECURRENCE-ID) without DTSTART, and `split_import`
/// accepts it; but the resource it writes drops METHOD, and `ingest_resource` then refuses it
/// ("VEVENT has no readable DTSTART; an event needs a start"), so an import stores a resource
/// that a client could not PUT back.
#[test]
fn import_of_an_itip_override_without_dtstart_is_a_valid_put_body() {
    // As cargo fuzz tmin left it (no UID: split_import derives one).
    assert_import_resources_ingest(
        b"BEGIN:VCALENDAR\nMETHOD:P\nBEGIN:VEVENT\n:UID:125\nRECURRENCE-ID:19700101T070000Z\nSUMMETPOS=1\nP1D\nEND:VEVENT\nEND:VCALENDAR\n",
    );
}

/// The same finding as a client would send it: the cancellation of one instance.
#[test]
fn import_of_an_itip_cancelled_instance_is_a_valid_put_body() {
    assert_import_resources_ingest(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:u1\r\n\
          DTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:20240108T100000Z\r\nSEQUENCE:1\r\nSTATUS:CANCELLED\r\n\
          END:VEVENT\r\nEND:VCALENDAR\r\n",
    );
}

/// The same finding with a master: fuzz target `ingest`, found 2026-11-24
/// (crash-4894d625...). A METHOD calendar with a master and an override whose DTSTART is
/// missing (here mangled): the import keeps the override, the PUT refuses it.
#[test]
fn import_of_an_itip_override_without_dtstart_beside_a_master_is_a_valid_put_body() {
    // As cargo fuzz tmin left it.
    assert_import_resources_ingest(
        b"BEGIN:VCALENDAR\nPRODID:-//Sun/Calendar Server//EN\nMETHOD:PUBL\nBEGIN:VEVENT\n\
          UID:00000000000000000000000000000000420a9a4c17370000f304000065180000\n\
          RECUDTSTARTRRENCE-ID:20101021T070000Z\nDTSTAMP:201001\nDTSTART:20101021T070000Z\n\
          DTENT:20101021T070000Z\nX-DTSTART-sful.\nEND:VEVENT\nBEGIN:VEVENT\n\
          UID:00000000000000000000000000000000420a9a4c17370000f304000065180000\n\
          RECURRENCE-ID:20100930T070000Z\nDTS2DTSTAMP:20250601T120000ZENT=\"PUBL\n\
          REQSTATUS:2.0;Sssful.\nEND:VEVENT\nX-0\nEND:VCALENDAR\n",
    );
}
