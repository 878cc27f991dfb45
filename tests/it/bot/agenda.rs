//! /today, /tomorrow, /week, /agenda: occurrences in the user's zone.

use televent_domain::event::Href;
use televent_domain::user::User;
use televent_ports::store::Precondition;
use televent_tests::stores;

use super::rig::{ANNA, BotRig, text};

async fn put(rig: &BotRig, user: &User, uid: &str, body: &str) {
    let calendar = rig.calendar(user).await;
    let ics = televent_tests::data::event(uid, body);
    let href = Href::parse(&format!("{uid}.ics")).unwrap();
    rig.engine
        .put_object(user, &calendar, &href, ics.as_bytes(), Precondition::None)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn days_in_the_users_zone_with_recurrences_and_all_day_events() {
    // Wednesday 10 June 2026, 23:30 in Berlin (21:30 UTC).
    let rig = BotRig::start_at(stores::memory().await, televent_tests::data::at(2026, 6, 10, 21, 30)).await;
    let anna = rig.onboard(ANNA, "anna", "Berlin", 1).await;
    rig.send(ANNA, None, "/today");
    assert_eq!(text(&rig.sent(3).await), "Today, Wed 10 Jun\nNothing planned.");
    rig.send(ANNA, None, "/week");
    assert_eq!(text(&rig.sent(4).await), "Nothing planned.");

    // 22:30 UTC on the 10th is 00:30 on the 11th in Berlin: tomorrow, not today.
    put(
        &rig,
        &anna,
        "late",
        "DTSTART:20260610T223000Z\r\nDURATION:PT30M\r\nSUMMARY:Night call\r\n",
    )
    .await;
    put(
        &rig,
        &anna,
        "dentist",
        "DTSTART;TZID=Europe/Berlin:20260610T100000\r\nDTEND;TZID=Europe/Berlin:20260610T110000\r\n\
         SUMMARY:Dentist\r\nLOCATION:Main St 5\r\n",
    )
    .await;
    put(
        &rig,
        &anna,
        "holiday",
        "DTSTART;VALUE=DATE:20260612\r\nDTEND;VALUE=DATE:20260614\r\nSUMMARY:Holiday\r\n",
    )
    .await;
    put(
        &rig,
        &anna,
        "standup",
        "DTSTART;TZID=Europe/Berlin:20260601T090000\r\nDURATION:PT15M\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\nSUMMARY:Standup\r\n",
    )
    .await;

    rig.send(ANNA, None, "/today");
    assert_eq!(
        text(&rig.sent(5).await),
        "Today, Wed 10 Jun\n10:00-11:00  Dentist (Main St 5)"
    );
    rig.send(ANNA, None, "/tomorrow");
    assert_eq!(
        text(&rig.sent(6).await),
        "Tomorrow, Thu 11 Jun\n00:30-01:00  Night call\n09:00-09:15  Standup"
    );
    rig.send(ANNA, None, "/week");
    assert_eq!(
        text(&rig.sent(7).await),
        "Today, Wed 10 Jun\n10:00-11:00  Dentist (Main St 5)\n\n\
         Tomorrow, Thu 11 Jun\n00:30-01:00  Night call\n09:00-09:15  Standup\n\n\
         Fri 12 Jun\nall day  Holiday\n\n\
         Sat 13 Jun\nall day  Holiday\n\n\
         Mon 15 Jun\n09:00-09:15  Standup"
    );
    rig.send(ANNA, None, "/agenda 2");
    assert_eq!(
        text(&rig.sent(8).await),
        "Today, Wed 10 Jun\n10:00-11:00  Dentist (Main St 5)\n\n\
         Tomorrow, Thu 11 Jun\n00:30-01:00  Night call\n09:00-09:15  Standup"
    );
    rig.send(ANNA, None, "/agenda 31");
    let month = text(&rig.sent(9).await).to_owned();
    assert_eq!(month.matches("Standup").count(), 9, "{month}");
    rig.send(ANNA, None, "/agenda 40");
    assert_eq!(
        text(&rig.sent(10).await),
        "Give a number of days from 1 to 31, for example: /agenda 14"
    );
    rig.stop().await;
}
