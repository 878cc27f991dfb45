use chrono::Duration;
use televent_domain::access::{AccessToken, Subscription, TokenHash, TokenKind};
use televent_domain::calendar::{CalendarSlug, NewCalendar};
use televent_domain::ids::{DeviceId, UserId};
use televent_ports::StoreError;
use televent_tests::data::{now, user};
use televent_tests::stores::TestStore;

fn token(secret: &str, kind: TokenKind, user: UserId, lifetime: Duration) -> AccessToken {
    AccessToken {
        hash: TokenHash::of(secret),
        kind,
        user,
        device: Some(DeviceId::new_random()),
        created_at: now(),
        expires_at: now() + lifetime,
    }
}

pub async fn tokens_are_found_by_kind_taken_once_and_expire(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    let session = token("s1", TokenKind::Session, alice.id, Duration::days(30));
    let link = token("l1", TokenKind::LoginLink, alice.id, Duration::minutes(10));
    store.put_token(session.clone()).await.unwrap();
    store.put_token(link.clone()).await.unwrap();
    assert_eq!(
        store
            .put_token(token("x", TokenKind::Session, UserId::new_random(), Duration::days(1)))
            .await,
        Err(StoreError::NotFound),
        "no such user"
    );
    let hash = TokenHash::of("s1");
    assert_eq!(
        store.token(&hash, TokenKind::Session, now()).await.unwrap(),
        Some(session.clone())
    );
    assert_eq!(
        store.token(&hash, TokenKind::LoginLink, now()).await.unwrap(),
        None,
        "kinds apart"
    );
    assert_eq!(
        store
            .token(&hash, TokenKind::Session, now() + Duration::days(30))
            .await
            .unwrap(),
        None,
        "expired at its expiry instant"
    );
    // A link is taken once, and only as a link.
    let link_hash = TokenHash::of("l1");
    assert_eq!(
        store.take_token(&link_hash, TokenKind::Session, now()).await.unwrap(),
        None
    );
    assert_eq!(
        store.take_token(&link_hash, TokenKind::LoginLink, now()).await.unwrap(),
        Some(link)
    );
    assert_eq!(
        store.take_token(&link_hash, TokenKind::LoginLink, now()).await.unwrap(),
        None
    );
    // Taking an expired link removes it and gives nothing.
    store
        .put_token(token("l2", TokenKind::LoginLink, alice.id, Duration::minutes(10)))
        .await
        .unwrap();
    let late = now() + Duration::minutes(11);
    assert_eq!(
        store
            .take_token(&TokenHash::of("l2"), TokenKind::LoginLink, late)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .take_token(&TokenHash::of("l2"), TokenKind::LoginLink, now())
            .await
            .unwrap(),
        None
    );
    // Concurrent takers of one link: exactly one wins.
    store
        .put_token(token("l3", TokenKind::LoginLink, alice.id, Duration::minutes(10)))
        .await
        .unwrap();
    let l3 = TokenHash::of("l3");
    let (a, b) = tokio::join!(
        store.take_token(&l3, TokenKind::LoginLink, now()),
        store.take_token(&l3, TokenKind::LoginLink, now())
    );
    assert_eq!(usize::from(a.unwrap().is_some()) + usize::from(b.unwrap().is_some()), 1);
    store
        .put_token(token("s2", TokenKind::Session, alice.id, Duration::days(1)))
        .await
        .unwrap();
    assert_eq!(store.delete_expired_tokens(now() + Duration::days(2)).await.unwrap(), 1);
    assert!(store.token(&hash, TokenKind::Session, now()).await.unwrap().is_some());
    store.delete_token(&hash).await.unwrap();
    store.delete_token(&hash).await.unwrap();
    assert_eq!(store.token(&hash, TokenKind::Session, now()).await.unwrap(), None);
}

pub async fn subscriptions_are_unique_replaced_and_go_with_their_calendar(store: TestStore) {
    let (alice, calendar) = user(&*store, "alice").await;
    let other = store
        .create_calendar(
            alice.id,
            NewCalendar::named(CalendarSlug::parse("work").unwrap(), "Work"),
            now(),
        )
        .await
        .unwrap();
    let first = Subscription {
        calendar: calendar.id,
        token: "tok-1".to_owned(),
        created_at: now(),
    };
    assert_eq!(store.subscription(calendar.id).await.unwrap(), None);
    store.put_subscription(first.clone()).await.unwrap();
    assert_eq!(store.subscription(calendar.id).await.unwrap(), Some(first.clone()));
    assert_eq!(store.subscription_by_token("tok-1").await.unwrap(), Some(first));
    let taken = Subscription {
        calendar: other.id,
        token: "tok-1".to_owned(),
        created_at: now(),
    };
    assert!(matches!(
        store.put_subscription(taken).await,
        Err(StoreError::AlreadyExists(_))
    ));
    let second = Subscription {
        calendar: calendar.id,
        token: "tok-2".to_owned(),
        created_at: now() + Duration::minutes(1),
    };
    store.put_subscription(second.clone()).await.unwrap();
    assert_eq!(store.subscription_by_token("tok-1").await.unwrap(), None, "replaced");
    assert_eq!(store.subscription(calendar.id).await.unwrap(), Some(second));
    store
        .put_subscription(Subscription {
            calendar: other.id,
            token: "tok-3".to_owned(),
            created_at: now(),
        })
        .await
        .unwrap();
    store.delete_calendar(other.id).await.unwrap();
    assert_eq!(
        store.subscription_by_token("tok-3").await.unwrap(),
        None,
        "gone with its calendar"
    );
    store.delete_subscription(calendar.id).await.unwrap();
    assert_eq!(store.delete_subscription(calendar.id).await, Err(StoreError::NotFound));
    assert_eq!(
        store
            .put_subscription(Subscription {
                calendar: other.id,
                token: "tok-4".to_owned(),
                created_at: now(),
            })
            .await,
        Err(StoreError::NotFound),
        "no such calendar"
    );
}
