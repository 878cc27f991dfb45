use std::collections::BTreeSet;

use televent_domain::event::Href;
use televent_domain::outbox::OutboxStatus;
use televent_ports::StoreError;
use televent_ports::store::{DeleteObject, Precondition};
use televent_tests::data::{at, event, now, reminder_message, timed, user, write};
use televent_tests::stores::TestStore;

fn href(name: &str) -> Href {
    Href::parse(name).unwrap()
}

pub async fn objects_are_created_read_updated_and_deleted(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let first = write(
        &calendar,
        "a.ics",
        &timed("a", "20240101T100000Z", "First"),
        Precondition::IfNoneMatchAny,
    );
    let created = store.put_object(first.clone()).await.unwrap();
    assert!(created.created);
    assert_eq!(created.etag, first.etag);
    assert_eq!(created.token.seq(), 1);

    let stored = store.object(calendar.id, &href("a.ics")).await.unwrap().unwrap();
    assert_eq!(stored.bytes, first.bytes, "bytes come back exactly");
    assert_eq!(stored.etag, first.etag);
    assert_eq!(stored.index, first.index);

    let second = write(
        &calendar,
        "a.ics",
        &timed("a", "20240101T110000Z", "Second"),
        Precondition::IfMatch(first.etag.clone()),
    );
    let updated = store.put_object(second.clone()).await.unwrap();
    assert!(!updated.created);
    assert_eq!(updated.token.seq(), 2);
    let stored = store.object(calendar.id, &href("a.ics")).await.unwrap().unwrap();
    assert_eq!(stored.index.summary.as_deref(), Some("Second"));
    assert_eq!(
        stored.id,
        store.object_by_uid(calendar.id, "a").await.unwrap().unwrap().id
    );

    store
        .put_object(write(
            &calendar,
            "b.ics",
            &timed("b", "20240102T100000Z", "B"),
            Precondition::None,
        ))
        .await
        .unwrap();
    let metas: Vec<(String, u64)> = store
        .object_metas(calendar.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.href.to_string(), m.size))
        .collect();
    assert_eq!(
        metas.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>(),
        ["a.ics", "b.ics"]
    );
    assert_eq!(metas[0].1, second.bytes.len() as u64);
    let fetched = store
        .objects_by_hrefs(calendar.id, &[href("b.ics"), href("missing.ics"), href("a.ics")])
        .await
        .unwrap();
    assert_eq!(
        fetched.iter().map(|o| o.href.to_string()).collect::<BTreeSet<_>>(),
        BTreeSet::from(["a.ics".to_owned(), "b.ics".to_owned()])
    );
    assert_eq!(store.objects(calendar.id).await.unwrap().len(), 2);

    let token = store
        .delete_object(DeleteObject {
            calendar: calendar.id,
            href: href("a.ics"),
            precondition: Precondition::IfMatch(second.etag),
            outbox: vec![],
            at: now(),
        })
        .await
        .unwrap();
    assert_eq!(token.seq(), 4);
    assert_eq!(store.object(calendar.id, &href("a.ics")).await.unwrap(), None);
    assert_eq!(store.object_by_uid(calendar.id, "a").await.unwrap(), None);
    let again = DeleteObject {
        calendar: calendar.id,
        href: href("a.ics"),
        precondition: Precondition::None,
        outbox: vec![],
        at: now(),
    };
    assert_eq!(store.delete_object(again).await, Err(StoreError::NotFound));
}

pub async fn preconditions_are_checked(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let body = timed("a", "20240101T100000Z", "A");
    let stale = write(
        &calendar,
        "a.ics",
        &timed("a", "20240101T100000Z", "old"),
        Precondition::None,
    )
    .etag;
    // If-Match on nothing fails; If-None-Match: * on nothing succeeds.
    assert_eq!(
        store
            .put_object(write(&calendar, "a.ics", &body, Precondition::IfMatch(stale.clone())))
            .await,
        Err(StoreError::PreconditionFailed)
    );
    let created = store
        .put_object(write(&calendar, "a.ics", &body, Precondition::IfNoneMatchAny))
        .await
        .unwrap();
    // If-None-Match: * on something fails; a stale If-Match fails; nothing changed.
    assert_eq!(
        store
            .put_object(write(&calendar, "a.ics", &body, Precondition::IfNoneMatchAny))
            .await,
        Err(StoreError::PreconditionFailed)
    );
    let changed = timed("a", "20240101T100000Z", "changed");
    assert_eq!(
        store
            .put_object(write(
                &calendar,
                "a.ics",
                &changed,
                Precondition::IfMatch(stale.clone())
            ))
            .await,
        Err(StoreError::PreconditionFailed)
    );
    let delete = |precondition| DeleteObject {
        calendar: calendar.id,
        href: href("a.ics"),
        precondition,
        outbox: vec![],
        at: now(),
    };
    assert_eq!(
        store.delete_object(delete(Precondition::IfMatch(stale))).await,
        Err(StoreError::PreconditionFailed)
    );
    let stored = store.object(calendar.id, &href("a.ics")).await.unwrap().unwrap();
    assert_eq!(stored.etag, created.etag);
    assert_eq!(
        store
            .calendar_by_id(calendar.id)
            .await
            .unwrap()
            .unwrap()
            .sync_token
            .seq(),
        1
    );
    store
        .delete_object(delete(Precondition::IfMatch(created.etag)))
        .await
        .unwrap();
}

pub async fn a_uid_lives_at_one_href(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let (_, other) = user(&*store, "bob").await;
    store
        .put_object(write(
            &calendar,
            "a.ics",
            &timed("same", "20240101T100000Z", "A"),
            Precondition::None,
        ))
        .await
        .unwrap();
    let clash = store
        .put_object(write(
            &calendar,
            "b.ics",
            &timed("same", "20240101T100000Z", "B"),
            Precondition::None,
        ))
        .await;
    assert_eq!(clash, Err(StoreError::UidConflict(href("a.ics"))));
    assert_eq!(store.object(calendar.id, &href("b.ics")).await.unwrap(), None);
    // The same UID in another calendar is fine.
    store
        .put_object(write(
            &other,
            "b.ics",
            &timed("same", "20240101T100000Z", "B"),
            Precondition::None,
        ))
        .await
        .unwrap();
}

pub async fn concurrent_if_match_writers_have_exactly_one_winner(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let created = store
        .put_object(write(
            &calendar,
            "a.ics",
            &timed("a", "20240101T100000Z", "v0"),
            Precondition::None,
        ))
        .await
        .unwrap();
    for round in 0..5 {
        let current = store.object(calendar.id, &href("a.ics")).await.unwrap().unwrap().etag;
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let store = store.store.clone();
                let w = write(
                    &calendar,
                    "a.ics",
                    &timed("a", "20240101T100000Z", &format!("round {round} writer {writer}")),
                    Precondition::IfMatch(current.clone()),
                );
                tokio::spawn(async move { store.put_object(w).await })
            })
            .collect();
        let mut wins = 0;
        for writer in writers {
            match writer.await.unwrap() {
                Ok(_) => wins += 1,
                Err(error) => assert_eq!(error, StoreError::PreconditionFailed),
            }
        }
        assert_eq!(wins, 1, "round {round}");
    }
    let token = store.calendar_by_id(calendar.id).await.unwrap().unwrap().sync_token;
    assert_eq!(token.seq(), 6, "one bump for the create and one per round");
    assert_ne!(
        store.object(calendar.id, &href("a.ics")).await.unwrap().unwrap().etag,
        created.etag
    );
}

pub async fn a_failing_write_leaves_nothing(store: TestStore) {
    let (alice, calendar) = user(&*store, "alice").await;
    store
        .put_object(write(
            &calendar,
            "keep.ics",
            &timed("keep", "20240101T100000Z", "keep"),
            Precondition::None,
        ))
        .await
        .unwrap();
    let mut bad = write(
        &calendar,
        "new.ics",
        &timed("new", "20240101T100000Z", "new"),
        Precondition::None,
    );
    bad.outbox = vec![reminder_message(&alice, "fine-key"), reminder_message(&alice, "")];
    assert!(matches!(
        store.put_object(bad.clone()).await,
        Err(StoreError::Invalid(_))
    ));
    let mut bad_update = write(
        &calendar,
        "keep.ics",
        &timed("keep", "20240101T100000Z", "changed"),
        Precondition::None,
    );
    bad_update.outbox = bad.outbox.clone();
    assert!(matches!(
        store.put_object(bad_update).await,
        Err(StoreError::Invalid(_))
    ));
    let bad_delete = DeleteObject {
        calendar: calendar.id,
        href: href("keep.ics"),
        precondition: Precondition::None,
        outbox: bad.outbox.clone(),
        at: now(),
    };
    assert!(matches!(
        store.delete_object(bad_delete).await,
        Err(StoreError::Invalid(_))
    ));

    assert_eq!(store.object(calendar.id, &href("new.ics")).await.unwrap(), None);
    assert_eq!(
        store
            .object(calendar.id, &href("keep.ics"))
            .await
            .unwrap()
            .unwrap()
            .index
            .summary
            .as_deref(),
        Some("keep")
    );
    assert_eq!(
        store
            .calendar_by_id(calendar.id)
            .await
            .unwrap()
            .unwrap()
            .sync_token
            .seq(),
        1
    );
    assert_eq!(
        store
            .changes_since(
                calendar.id,
                Some(store.calendar_by_id(calendar.id).await.unwrap().unwrap().sync_token),
                None
            )
            .await
            .unwrap()
            .changes,
        vec![]
    );
    assert!(
        store.list(None, 10, now()).await.unwrap().is_empty(),
        "no outbox row either"
    );

    // A write to a calendar that does not exist changes nothing either.
    let mut ghost = write(
        &calendar,
        "g.ics",
        &timed("g", "20240101T100000Z", "g"),
        Precondition::None,
    );
    ghost.calendar = televent_domain::ids::CalendarId::new_random();
    ghost.outbox = vec![reminder_message(&alice, "ghost")];
    assert_eq!(store.put_object(ghost).await, Err(StoreError::NotFound));
    assert_eq!(store.counts(now()).await.unwrap().pending, 0);
    let _ = OutboxStatus::Pending;
}

pub async fn time_range_candidates_cover_every_kind(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let put = |href: &str, text: String| {
        let w = write(&calendar, href, &text, Precondition::None);
        let store = store.store.clone();
        async move { store.put_object(w).await.unwrap() }
    };
    put("single.ics", timed("single", "20240610T100000Z", "single")).await;
    put(
        "allday.ics",
        event("allday", "DTSTART;VALUE=DATE:20240615\r\nSUMMARY:all day\r\n"),
    )
    .await;
    put(
        "weekly.ics",
        event(
            "weekly",
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n",
        ),
    )
    .await;
    put(
        "forever.ics",
        event(
            "forever",
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n",
        ),
    )
    .await;
    put(
        "floating.ics",
        event("floating", "DTSTART:20240620T230000\r\nDURATION:PT1H\r\n"),
    )
    .await;
    put("todo.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VTODO\r\nUID:todo\r\nSUMMARY:whenever\r\nEND:VTODO\r\nEND:VCALENDAR\r\n".to_owned()).await;

    let hrefs = |from, to| {
        let store = store.store.clone();
        let id = calendar.id;
        async move {
            let mut found: Vec<String> = store
                .candidates(id, from, to)
                .await
                .unwrap()
                .into_iter()
                .map(|o| o.href.to_string())
                .collect();
            found.sort();
            found
        }
    };
    // The week of 10 June: the single event, the unbounded rule, the undated to-do.
    assert_eq!(
        hrefs(at(2024, 6, 10, 0, 0), at(2024, 6, 11, 0, 0)).await,
        ["forever.ics", "single.ics", "todo.ics"]
    );
    // The all-day event, read in any zone, may touch 14 June late UTC.
    assert_eq!(
        hrefs(at(2024, 6, 14, 20, 0), at(2024, 6, 14, 21, 0)).await,
        ["allday.ics", "forever.ics", "todo.ics"]
    );
    // The weekly rule ends on 4 March (COUNT=10).
    assert_eq!(
        hrefs(at(2024, 3, 4, 9, 30), at(2024, 3, 4, 9, 45)).await,
        ["forever.ics", "todo.ics", "weekly.ics"]
    );
    assert_eq!(
        hrefs(at(2024, 3, 12, 0, 0), at(2024, 3, 13, 0, 0)).await,
        ["forever.ics", "todo.ics"]
    );
    // Floating 23:00 on 20 June can be as early as 09:00 UTC.
    assert_eq!(
        hrefs(at(2024, 6, 20, 9, 0), at(2024, 6, 20, 10, 0)).await,
        ["floating.ics", "forever.ics", "todo.ics"]
    );
    // Before anything started only the to-do matches.
    assert_eq!(hrefs(at(2023, 1, 1, 0, 0), at(2023, 1, 2, 0, 0)).await, ["todo.ics"]);
}
