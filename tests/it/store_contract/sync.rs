use televent_domain::event::Href;
use televent_domain::ids::CalendarId;
use televent_domain::sync::{ChangeKind, SyncError, SyncToken};
use televent_ports::StoreError;
use televent_ports::store::{DeleteObject, Precondition};
use televent_tests::data::{now, timed, user, write};
use televent_tests::stores::TestStore;

fn kinds(set: &televent_domain::sync::ChangeSet) -> Vec<(String, ChangeKind)> {
    set.changes.iter().map(|c| (c.href.clone(), c.kind)).collect()
}

pub async fn changes_since_a_token_are_exact(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let put = |href: &str, summary: &str| {
        write(
            &calendar,
            href,
            &timed(href, "20240101T100000Z", summary),
            Precondition::None,
        )
    };
    store.put_object(put("a.ics", "a")).await.unwrap();
    store.put_object(put("b.ics", "b")).await.unwrap();
    let initial = store.changes_since(calendar.id, None, None).await.unwrap();
    assert_eq!(
        kinds(&initial),
        [
            ("a.ics".to_owned(), ChangeKind::Created),
            ("b.ics".to_owned(), ChangeKind::Created)
        ]
    );
    assert_eq!(initial.token.seq(), 2);
    assert!(!initial.truncated);

    store.put_object(put("a.ics", "a2")).await.unwrap();
    store.put_object(put("c.ics", "c")).await.unwrap();
    store
        .delete_object(DeleteObject {
            calendar: calendar.id,
            href: Href::parse("b.ics").unwrap(),
            precondition: Precondition::None,
            outbox: vec![],
            at: now(),
        })
        .await
        .unwrap();
    store.put_object(put("d.ics", "d")).await.unwrap();
    store
        .delete_object(DeleteObject {
            calendar: calendar.id,
            href: Href::parse("d.ics").unwrap(),
            precondition: Precondition::None,
            outbox: vec![],
            at: now(),
        })
        .await
        .unwrap();
    let delta = store
        .changes_since(calendar.id, Some(initial.token), None)
        .await
        .unwrap();
    assert_eq!(
        kinds(&delta),
        [
            ("a.ics".to_owned(), ChangeKind::Updated),
            ("c.ics".to_owned(), ChangeKind::Created),
            ("b.ics".to_owned(), ChangeKind::Deleted),
            ("d.ics".to_owned(), ChangeKind::Deleted),
        ]
    );
    assert_eq!(delta.token.seq(), 7);
    assert_eq!(
        delta.token,
        store.calendar_by_id(calendar.id).await.unwrap().unwrap().sync_token
    );
    let nothing = store.changes_since(calendar.id, Some(delta.token), None).await.unwrap();
    assert!(nothing.changes.is_empty());
    assert_eq!(nothing.token, delta.token);
    // The initial listing never reports the dead.
    let fresh = store.changes_since(calendar.id, None, None).await.unwrap();
    assert_eq!(
        kinds(&fresh).into_iter().map(|(h, _)| h).collect::<Vec<_>>(),
        ["a.ics", "c.ics"]
    );
}

pub async fn bad_tokens_are_typed_errors(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let future = SyncToken::new(calendar.id, 99);
    assert_eq!(
        store.changes_since(calendar.id, Some(future), None).await,
        Err(StoreError::Sync(SyncError::Unknown))
    );
    let foreign = SyncToken::new(CalendarId::new_random(), 0);
    assert_eq!(
        store.changes_since(calendar.id, Some(foreign), None).await,
        Err(StoreError::Sync(SyncError::Unknown))
    );
    assert_eq!(
        store.changes_since(CalendarId::new_random(), None, None).await,
        Err(StoreError::NotFound)
    );
}

pub async fn a_limit_truncates_and_the_rest_follows(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let start = store.calendar_by_id(calendar.id).await.unwrap().unwrap().sync_token;
    for index in 0..5 {
        let href = format!("{index}.ics");
        store
            .put_object(write(
                &calendar,
                &href,
                &timed(&href, "20240101T100000Z", "x"),
                Precondition::None,
            ))
            .await
            .unwrap();
    }
    let mut token = start;
    let mut seen = Vec::new();
    loop {
        let page = store.changes_since(calendar.id, Some(token), Some(2)).await.unwrap();
        assert!(page.changes.len() <= 2);
        seen.extend(page.changes.iter().map(|c| c.href.clone()));
        token = page.token;
        if !page.truncated {
            break;
        }
    }
    assert_eq!(seen, ["0.ics", "1.ics", "2.ics", "3.ics", "4.ics"]);
    let initial = store.changes_since(calendar.id, None, Some(3)).await.unwrap();
    assert!(initial.truncated);
    assert_eq!(initial.changes.len(), 3);
    let rest = store
        .changes_since(calendar.id, Some(initial.token), None)
        .await
        .unwrap();
    assert_eq!(rest.changes.len(), 2);
}

pub async fn pruned_tokens_are_too_old(store: TestStore) {
    let (_, calendar) = user(&*store, "alice").await;
    let put = |href: &str| {
        write(
            &calendar,
            href,
            &timed(href, "20240101T100000Z", "x"),
            Precondition::None,
        )
    };
    store.put_object(put("a.ics")).await.unwrap();
    let old = store.calendar_by_id(calendar.id).await.unwrap().unwrap().sync_token;
    store.put_object(put("b.ics")).await.unwrap();
    let kept = store.calendar_by_id(calendar.id).await.unwrap().unwrap().sync_token;
    store.put_object(put("c.ics")).await.unwrap();

    assert_eq!(store.prune_changes(calendar.id, kept).await.unwrap(), 2);
    assert_eq!(
        store.changes_since(calendar.id, Some(old), None).await,
        Err(StoreError::Sync(SyncError::TooOld))
    );
    let after = store.changes_since(calendar.id, Some(kept), None).await.unwrap();
    assert_eq!(kinds(&after), [("c.ics".to_owned(), ChangeKind::Created)]);
    // The initial sync does not need the log.
    assert_eq!(
        store
            .changes_since(calendar.id, None, None)
            .await
            .unwrap()
            .changes
            .len(),
        3
    );
    // Pruning never goes back, and a token from the future is refused.
    assert_eq!(store.prune_changes(calendar.id, old).await.unwrap(), 0);
    assert_eq!(
        store.changes_since(calendar.id, Some(old), None).await,
        Err(StoreError::Sync(SyncError::TooOld))
    );
    let future = SyncToken::new(calendar.id, 99);
    assert_eq!(
        store.prune_changes(calendar.id, future).await,
        Err(StoreError::Sync(SyncError::Unknown))
    );
}
