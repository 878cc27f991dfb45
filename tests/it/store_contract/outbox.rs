use chrono::Duration;
use televent_domain::ids::OutboxId;
use televent_domain::outbox::{OutboxPayload, OutboxStatus};
use televent_ports::StoreError;
use televent_ports::store::Precondition;
use televent_tests::data::{now, reminder_message, timed, user, write};
use televent_tests::stores::TestStore;

pub async fn a_write_enqueues_its_messages(store: TestStore) {
    let (alice, calendar) = user(&*store, "alice").await;
    let mut first = write(
        &calendar,
        "a.ics",
        &timed("a", "20240101T100000Z", "a"),
        Precondition::None,
    );
    first.outbox = vec![reminder_message(&alice, "k1"), reminder_message(&alice, "k2")];
    store.put_object(first.clone()).await.unwrap();
    // The same keys again are not enqueued twice, but the write itself succeeds.
    store.put_object(first).await.unwrap();
    let listed = store.list(None, 10, now()).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|m| m.status == OutboxStatus::Pending && m.attempts == 0)
    );
    assert!(
        matches!(&listed[0].payload, OutboxPayload::Reminder(r) if r.summary.as_deref() == Some("Standup") && r.user == alice.id)
    );
    assert_eq!(
        store
            .enqueue(
                vec![reminder_message(&alice, "k1"), reminder_message(&alice, "k3")],
                now()
            )
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.counts(now()).await.unwrap().pending, 3);
}

pub async fn claims_lease_and_complete(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    let mut later = reminder_message(&alice, "later");
    later.available_at = now() + Duration::hours(1);
    store
        .enqueue(
            vec![
                reminder_message(&alice, "a"),
                reminder_message(&alice, "b"),
                reminder_message(&alice, "c"),
                later,
            ],
            now(),
        )
        .await
        .unwrap();

    let first = store.claim("w1", 2, Duration::minutes(5), now()).await.unwrap();
    assert_eq!(first.len(), 2);
    let second = store.claim("w2", 10, Duration::minutes(5), now()).await.unwrap();
    assert_eq!(second.len(), 1, "claimed messages and future ones are not handed out");
    assert!(first.iter().all(|m| !second.iter().any(|s| s.id == m.id)));
    assert_eq!(store.counts(now()).await.unwrap().claimed, 3);

    store.complete(first[0].id, "w1", now()).await.unwrap();
    assert_eq!(
        store.complete(first[1].id, "w2", now()).await,
        Err(StoreError::NotFound),
        "w2 holds no lease on it"
    );

    // w1 dies: after its lease, first[1] is claimable again; the delivered one is not.
    let after_lease = now() + Duration::minutes(6);
    let reclaimed = store.claim("w3", 10, Duration::minutes(5), after_lease).await.unwrap();
    let mut ids: Vec<_> = reclaimed.iter().map(|m| m.id).collect();
    ids.sort();
    let mut expected = vec![first[1].id, second[0].id];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(
        store.complete(first[1].id, "w1", after_lease).await,
        Err(StoreError::NotFound),
        "w1's lease is gone"
    );
    for message in &reclaimed {
        store.complete(message.id, "w3", after_lease).await.unwrap();
    }
    let counts = store.counts(after_lease).await.unwrap();
    assert_eq!((counts.pending, counts.claimed, counts.delivered), (1, 0, 3));
    let due_later = store
        .claim("w1", 10, Duration::minutes(5), now() + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(due_later.len(), 1);
}

pub async fn failures_back_off_then_dead_letter(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    store.enqueue(vec![reminder_message(&alice, "x")], now()).await.unwrap();
    let claimed = store.claim("w", 1, Duration::minutes(5), now()).await.unwrap();
    let id = claimed[0].id;
    store
        .fail(id, "w", "telegram said 500", Some(now() + Duration::minutes(1)), now())
        .await
        .unwrap();
    assert!(
        store
            .claim("w", 1, Duration::minutes(5), now())
            .await
            .unwrap()
            .is_empty(),
        "backing off"
    );
    let retried = store
        .claim("w", 1, Duration::minutes(5), now() + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(retried[0].attempts, 1);
    assert_eq!(retried[0].last_error.as_deref(), Some("telegram said 500"));
    store
        .release(id, "w", now() + Duration::minutes(2), now())
        .await
        .unwrap();
    let again = store
        .claim("w", 1, Duration::minutes(5), now() + Duration::minutes(3))
        .await
        .unwrap();
    assert_eq!(again[0].attempts, 1, "a release is not an attempt");
    store.fail(id, "w", "gave up", None, now()).await.unwrap();

    let failed = store.list(Some(OutboxStatus::Failed), 10, now()).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 2);
    assert_eq!(failed[0].last_error.as_deref(), Some("gave up"));
    assert!(
        store
            .claim("w", 1, Duration::minutes(5), now() + Duration::days(1))
            .await
            .unwrap()
            .is_empty(),
        "dead letters stay put"
    );

    store.retry(id, now()).await.unwrap();
    assert_eq!(
        store.retry(id, now()).await,
        Err(StoreError::NotFound),
        "only failed messages are retried"
    );
    let back = store.claim("w", 1, Duration::minutes(5), now()).await.unwrap();
    assert_eq!(back.len(), 1);
    store.fail(id, "w", "again", None, now()).await.unwrap();
    assert_eq!(store.retry_all_failed(now()).await.unwrap(), 1);
    assert_eq!(store.counts(now()).await.unwrap().failed, 0);
}

pub async fn a_message_is_read_by_id(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    store
        .enqueue(vec![reminder_message(&alice, "one")], now())
        .await
        .unwrap();
    let claimed = store.claim("w1", 1, Duration::minutes(5), now()).await.unwrap();
    let id = claimed[0].id;
    let read = store.message(id, now()).await.unwrap().unwrap();
    assert_eq!(read.status, OutboxStatus::Claimed);
    assert_eq!(read.payload, claimed[0].payload);
    assert_eq!(read.idempotency_key, "one");
    let after_lease = store.message(id, now() + Duration::minutes(6)).await.unwrap().unwrap();
    assert_eq!(
        after_lease.status,
        OutboxStatus::Pending,
        "a lease that ran out reads as pending"
    );
    assert_eq!(store.message(OutboxId::new_random(), now()).await.unwrap(), None);
}

pub async fn messages_are_listed_by_owner_in_pages(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    let (bob, _) = user(&*store, "bob").await;
    // Three of alice's in one enqueue (one creation time: the page order falls back to ids),
    // one later, and one of bob's.
    store
        .enqueue(
            vec![
                reminder_message(&alice, "a1"),
                reminder_message(&alice, "a2"),
                reminder_message(&alice, "a3"),
                reminder_message(&bob, "b1"),
            ],
            now(),
        )
        .await
        .unwrap();
    store
        .enqueue(vec![reminder_message(&alice, "a4")], now() + Duration::seconds(1))
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut after: Option<OutboxId> = None;
    loop {
        let page = store.list_for_owner(alice.id, after, 2, now()).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        after = page.last().map(|m| m.id);
        seen.extend(page);
    }
    let keys: Vec<&str> = seen.iter().map(|m| m.idempotency_key.as_str()).collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(keys[0], "a4", "newest first");
    let mut rest = keys[1..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, ["a1", "a2", "a3"]);
    assert!(seen.iter().all(|m| m.payload.owner() == alice.id));
    let bobs = store.list_for_owner(bob.id, None, 10, now()).await.unwrap();
    assert_eq!(bobs.len(), 1);
    assert!(
        store
            .list_for_owner(alice.id, Some(OutboxId::new_random()), 10, now())
            .await
            .unwrap()
            .is_empty(),
        "a cursor naming no message gives an empty page"
    );
}
