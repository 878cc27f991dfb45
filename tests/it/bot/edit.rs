//! An agenda button opens an event; Rename and Change time rewrite only their lines of the
//! stored bytes, and an event changed elsewhere meanwhile is left alone.

use televent_domain::event::Href;
use televent_domain::user::User;
use televent_ports::store::Precondition;
use televent_tests::stores;

use super::rig::{ANNA, BotRig, button, text};

async fn put(rig: &BotRig, user: &User, uid: &str, body: &str) {
    let calendar = rig.calendar(user).await;
    let ics = televent_tests::data::event(uid, body);
    let href = Href::parse(&format!("{uid}.ics")).unwrap();
    rig.engine
        .put_object(user, &calendar, &href, ics.as_bytes(), Precondition::None)
        .await
        .unwrap();
}

const DENTIST: &str = "DTSTART;TZID=Europe/Berlin:20260611T153000\r\nDTEND;TZID=Europe/Berlin:20260611T163000\r\n\
                       SUMMARY:Dentist\r\nLOCATION:Main St 5\r\nX-CUSTOM:keep me\r\n";

async fn stored(rig: &BotRig, user: &User) -> String {
    let objects = rig.objects(user).await;
    assert_eq!(objects.len(), 1);
    String::from_utf8(objects[0].bytes.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_and_change_time_from_the_details() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    put(&rig, &anna, "dentist", DENTIST).await;

    rig.send(ANNA, None, "/tomorrow");
    let agenda = rig.sent(3).await;
    assert_eq!(text(&agenda), "Tomorrow, Thu 11 Jun\n15:30-16:30  Dentist (Main St 5)");
    rig.press(ANNA, &agenda, &button(&agenda, "Dentist, Thu 11 Jun 15:30"));
    rig.answered(1).await;
    let details = rig.sent(4).await;
    assert_eq!(
        text(&details),
        "Dentist\nWhen: Thu 11 Jun 2026 15:30-16:30 (Europe/Berlin)\nWhere: Main St 5"
    );

    rig.press(ANNA, &details, &button(&details, "✏️ Rename"));
    rig.answered(2).await;
    assert_eq!(
        text(&rig.sent(5).await),
        "Send the new title for \"Dentist\" (or /cancel)."
    );
    rig.send(ANNA, None, "Dentist (Dr. Who)");
    assert_eq!(text(&rig.sent(6).await), "Renamed to \"Dentist (Dr. Who)\".");
    let ics = stored(&rig, &anna).await;
    for line in [
        "SUMMARY:Dentist (Dr. Who)\r\n",
        "DTSTART;TZID=Europe/Berlin:20260611T153000\r\n",
        "LOCATION:Main St 5\r\n",
        "X-CUSTOM:keep me\r\n",
        "SEQUENCE:1\r\n",
    ] {
        assert!(ics.contains(line), "{line:?} in {ics}");
    }

    rig.press(ANNA, &details, &button(&details, "🕒 Change time"));
    rig.answered(3).await;
    assert!(
        text(&rig.sent(7).await).starts_with("When should \"Dentist (Dr. Who)\" be?"),
        "the question"
    );
    rig.send(ANNA, None, "sometime soon");
    assert_eq!(
        text(&rig.sent(8).await),
        "I could not find a day or time in that. Send the new time like: tomorrow 15:00, Friday 10-11, or 24 Dec."
    );
    // Still waiting: Friday is 12 June.
    rig.send(ANNA, None, "Friday 10-11");
    assert_eq!(
        text(&rig.sent(9).await),
        "Moved \"Dentist (Dr. Who)\" to Fri 12 Jun 2026 10:00-11:00 (Europe/Berlin)."
    );
    let ics = stored(&rig, &anna).await;
    for line in [
        "SUMMARY:Dentist (Dr. Who)\r\n",
        "DTSTART;TZID=Europe/Berlin:20260612T100000\r\n",
        "DTEND;TZID=Europe/Berlin:20260612T110000\r\n",
        "LOCATION:Main St 5\r\n",
        "X-CUSTOM:keep me\r\n",
        "SEQUENCE:2\r\n",
    ] {
        assert!(ics.contains(line), "{line:?} in {ics}");
    }
    assert!(!ics.contains("20260611T153000"), "{ics}");

    // Answered: the next text is a new event again.
    rig.send(ANNA, None, "Gym tomorrow 18:00");
    assert!(text(&rig.sent(10).await).starts_with("New event:"));
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_changed_elsewhere_is_not_overwritten() {
    let rig = BotRig::start(stores::memory().await).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    put(&rig, &anna, "dentist", DENTIST).await;
    rig.send(ANNA, None, "/week");
    let agenda = rig.sent(3).await;
    rig.press(ANNA, &agenda, &button(&agenda, "Dentist, Thu 11 Jun 15:30"));
    let details = rig.sent(4).await;
    rig.press(ANNA, &details, &button(&details, "✏️ Rename"));
    rig.sent(5).await;

    // A calendar app changes it meanwhile.
    put(
        &rig,
        &anna,
        "dentist",
        &DENTIST.replace("SUMMARY:Dentist", "SUMMARY:Dentist moved"),
    )
    .await;
    rig.send(ANNA, None, "Orthodontist");
    assert_eq!(
        text(&rig.sent(6).await),
        "This event was changed elsewhere in the meantime, so I left it as it is. \
         Open it again from /today or /week and retry."
    );
    assert!(stored(&rig, &anna).await.contains("SUMMARY:Dentist moved\r\n"));

    // /cancel ends a question.
    rig.press(ANNA, &details, &button(&details, "✏️ Rename"));
    assert_eq!(
        text(&rig.sent(7).await),
        "Send the new title for \"Dentist moved\" (or /cancel)."
    );
    rig.send(ANNA, None, "/cancel");
    rig.sent(8).await;
    rig.send(ANNA, None, "Orthodontist");
    assert!(text(&rig.sent(9).await).starts_with("I couldn't find when it is."));
    assert!(stored(&rig, &anna).await.contains("SUMMARY:Dentist moved\r\n"));
    rig.stop().await;
}
