//! An .ics document sent to the bot: downloaded, imported into the default calendar, answered
//! with what was added and what was refused.

use serde_json::json;
use televent_tests::stores;

use super::rig::{ANNA, BotRig, text};

/// `from` sends the document `file_id` named `name` (size `size`) in their private chat.
fn send_document(rig: &BotRig, id: i64, from: i64, file_id: &str, name: &str, size: usize) {
    rig.telegram.push_update(json!({
        "update_id": id,
        "message": {
            "message_id": id,
            "date": 1_780_000_000,
            "chat": {"id": from, "type": "private", "first_name": "Test"},
            "from": {"id": from, "is_bot": false, "first_name": "Test"},
            "document": {
                "file_id": file_id,
                "file_unique_id": format!("u-{file_id}"),
                "file_name": name,
                "mime_type": "text/calendar",
                "file_size": size,
            }
        }
    }));
}

const FILE: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other app//EN\r\n\
BEGIN:VEVENT\r\nUID:imported-standup\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART;TZID=Europe/Berlin:20260610T140000\r\nDTEND;TZID=Europe/Berlin:20260610T143000\r\n\
SUMMARY:Imported standup\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:imported-review\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:20260611T080000Z\r\nDURATION:PT1H\r\nSUMMARY:Review\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:no-start\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Broken\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ics_document_is_imported_into_the_default_calendar() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.telegram.add_file("doc-1", "documents/file_1.ics", FILE);
    send_document(&rig, 100, ANNA, "doc-1", "work.ics", FILE.len());
    let answer = rig.sent(3).await;
    let answer = text(&answer);
    assert!(answer.starts_with("Imported into \""), "{answer}");
    assert!(answer.contains(": 2 new events."), "{answer}");
    assert!(answer.contains("\n\nNot imported (1):\n- UID no-start"), "{answer}");
    let downloads = rig.telegram.calls_named("download");
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].body, "documents/file_1.ics");
    assert_eq!(rig.objects(&anna).await.len(), 2);

    // Update ids after the documents' (the fake drops ids below the confirmed offset).
    rig.telegram.push_update(json!({
        "update_id": 101,
        "message": {
            "message_id": 101,
            "date": 1_780_000_000,
            "chat": {"id": ANNA, "type": "private", "first_name": "Test"},
            "from": {"id": ANNA, "is_bot": false, "first_name": "Test"},
            "text": "/today",
        }
    }));
    assert_eq!(
        text(&rig.sent(4).await),
        "Today, Wed 10 Jun\n14:00-14:30  Imported standup"
    );

    // The same file again replaces in place.
    send_document(&rig, 102, ANNA, "doc-1", "work.ics", FILE.len());
    assert!(text(&rig.sent(5).await).contains(": 0 new events, 2 updated."));
    assert_eq!(rig.objects(&anna).await.len(), 2);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_documents_and_big_files_are_refused_without_downloading() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.telegram.add_file("big", "documents/big.ics", FILE);
    send_document(&rig, 100, ANNA, "big", "big.ics", 11 * 1024 * 1024);
    assert_eq!(
        text(&rig.sent(3).await),
        "That file is too big: I import .ics files up to 10 MB."
    );
    rig.telegram.push_update(json!({
        "update_id": 101,
        "message": {
            "message_id": 101,
            "date": 1_780_000_000,
            "chat": {"id": ANNA, "type": "private", "first_name": "Test"},
            "from": {"id": ANNA, "is_bot": false, "first_name": "Test"},
            "document": {"file_id": "pdf", "file_unique_id": "u-pdf", "file_name": "cv.pdf",
                         "mime_type": "application/pdf", "file_size": 10}
        }
    }));
    assert!(text(&rig.sent(4).await).starts_with("Send me an .ics file"));
    // A file Telegram no longer has: an apology, nothing stored.
    send_document(&rig, 102, ANNA, "gone", "gone.ics", 10);
    assert_eq!(
        text(&rig.sent(5).await),
        "That did not work; please try again in a moment."
    );
    assert!(rig.telegram.calls_named("download").is_empty());
    assert!(rig.objects(&anna).await.is_empty());
    rig.stop().await;
}
