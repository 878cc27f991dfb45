use televent_domain::attendee::CalAddress;
use televent_domain::audit::AuditEntry;
use televent_domain::calendar::CalendarSlug;
use televent_domain::device::{DevicePassword, PasswordHash};
use televent_domain::ids::DeviceId;
use televent_domain::user::{TelegramId, TimeZoneId, UserName, UserPreferences};
use televent_ports::StoreError;
use televent_ports::store::NewUser;
use televent_tests::data::{now, user};
use televent_tests::stores::TestStore;

pub async fn users_get_a_default_calendar_and_preferences(store: TestStore) {
    let (alice, calendar) = user(&*store, "alice").await;
    assert_eq!(calendar.owner, alice.id);
    assert_eq!(calendar.slug, CalendarSlug::default_calendar());
    assert_eq!(calendar.sync_token.seq(), 0);
    assert_eq!(store.calendars(alice.id).await.unwrap(), vec![calendar]);
    assert_eq!(store.preferences(alice.id).await.unwrap(), UserPreferences::default());

    let changed = UserPreferences {
        reminder_minutes_before: None,
        notifications_enabled: false,
        ..UserPreferences::default()
    };
    store.set_preferences(alice.id, changed).await.unwrap();
    assert_eq!(store.preferences(alice.id).await.unwrap(), changed);

    let mut updated = alice.clone();
    updated.time_zone = TimeZoneId::parse("Asia/Tokyo").unwrap();
    updated.telegram_id = Some(TelegramId::new(77).unwrap());
    store.update_user(&updated).await.unwrap();
    assert_eq!(store.user_by_id(alice.id).await.unwrap(), Some(updated.clone()));
    assert_eq!(
        store.user_by_telegram_id(TelegramId::new(77).unwrap()).await.unwrap(),
        Some(updated.clone())
    );
    assert_eq!(
        store.user_by_name(&UserName::parse("alice").unwrap()).await.unwrap(),
        Some(updated)
    );
    assert_eq!(
        store.user_by_name(&UserName::parse("nobody").unwrap()).await.unwrap(),
        None
    );
}

pub async fn names_and_telegram_ids_are_unique(store: TestStore) {
    let new = |name: &str, telegram: i64| NewUser {
        name: UserName::parse(name).unwrap(),
        telegram_id: Some(TelegramId::new(telegram).unwrap()),
        time_zone: TimeZoneId::UTC,
        at: now(),
    };
    store.create_user(new("bob", 1)).await.unwrap();
    assert!(matches!(
        store.create_user(new("bob", 2)).await,
        Err(StoreError::AlreadyExists(_))
    ));
    assert!(matches!(
        store.create_user(new("carol", 1)).await,
        Err(StoreError::AlreadyExists(_))
    ));
    let (carol, _) = store.create_user(new("carol", 3)).await.unwrap();
    let mut stealing = carol.clone();
    stealing.telegram_id = Some(TelegramId::new(1).unwrap());
    assert!(matches!(
        store.update_user(&stealing).await,
        Err(StoreError::AlreadyExists(_))
    ));
    let names: Vec<String> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name.to_string())
        .collect();
    assert_eq!(names, ["bob", "carol"]);
}

pub async fn devices_are_listed_revoked_and_touched(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    let (bob, _) = user(&*store, "bob").await;
    let device = DevicePassword {
        id: DeviceId::new_random(),
        user: alice.id,
        label: "iPhone".to_owned(),
        hash: PasswordHash::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".to_owned()),
        created_at: now(),
        last_used_at: None,
        revoked_at: None,
    };
    store.add_device(device.clone()).await.unwrap();
    assert_eq!(store.devices(alice.id).await.unwrap(), vec![device.clone()]);
    assert!(store.devices(bob.id).await.unwrap().is_empty());

    store.touch_device(device.id, now()).await.unwrap();
    assert_eq!(store.devices(alice.id).await.unwrap()[0].last_used_at, Some(now()));

    assert_eq!(
        store.revoke_device(bob.id, device.id, now()).await,
        Err(StoreError::NotFound),
        "not bob's device"
    );
    assert!(store.devices(alice.id).await.unwrap()[0].is_active());
    store.revoke_device(alice.id, device.id, now()).await.unwrap();
    assert_eq!(store.devices(alice.id).await.unwrap()[0].revoked_at, Some(now()));
}

pub async fn one_device_is_read_by_id_revoked_or_not(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    let device = DevicePassword {
        id: DeviceId::new_random(),
        user: alice.id,
        label: "Thunderbird".to_owned(),
        hash: PasswordHash::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".to_owned()),
        created_at: now(),
        last_used_at: None,
        revoked_at: None,
    };
    store.add_device(device.clone()).await.unwrap();
    assert_eq!(store.device(device.id).await.unwrap(), Some(device.clone()));
    assert_eq!(store.device(DeviceId::new_random()).await.unwrap(), None);

    store.revoke_device(alice.id, device.id, now()).await.unwrap();
    let revoked = store.device(device.id).await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at, Some(now()));
    assert!(!revoked.is_active());
}

pub async fn audit_entries_come_back_newest_first(store: TestStore) {
    let (alice, _) = user(&*store, "alice").await;
    for (index, action) in ["object.put", "object.delete", "login.failed"].into_iter().enumerate() {
        store
            .record(AuditEntry {
                at: now() + chrono::Duration::seconds(index as i64),
                user: if action == "login.failed" { None } else { Some(alice.id) },
                action: action.to_owned(),
                entity: "a.ics".to_owned(),
                detail: Some("d".to_owned()),
                client_addr: Some("127.0.0.1".to_owned()),
                user_agent: Some("test".to_owned()),
            })
            .await
            .unwrap();
    }
    let all: Vec<String> = store
        .entries(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(all, ["login.failed", "object.delete", "object.put"]);
    let alices: Vec<String> = store
        .entries(Some(alice.id), 1)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(alices, ["object.delete"]);
}

pub async fn linked_addresses_are_unique_and_found(store: TestStore) {
    let address = |text: &str| CalAddress::parse(text).unwrap();
    let (anna, _) = user(&*store, "anna").await;
    let (bob, _) = user(&*store, "bob").await;

    store
        .link_address(anna.id, &address("mailto:work@example.com"))
        .await
        .unwrap();
    store
        .link_address(anna.id, &address("mailto:anna@example.com"))
        .await
        .unwrap();
    store
        .link_address(anna.id, &address("mailto:anna@example.com"))
        .await
        .unwrap();
    assert_eq!(
        store.addresses(anna.id).await.unwrap(),
        [address("mailto:anna@example.com"), address("mailto:work@example.com")]
    );
    assert_eq!(store.addresses(bob.id).await.unwrap(), []);

    assert!(matches!(
        store.link_address(bob.id, &address("MAILTO:Anna@Example.com")).await,
        Err(StoreError::AlreadyExists(_))
    ));
    assert!(matches!(
        store
            .link_address(bob.id, &address("mailto:carol@televent.internal"))
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.addresses(bob.id).await.unwrap(), []);

    let shared = store.store.clone();
    let found = |text: &'static str| {
        let store = shared.clone();
        async move {
            store
                .user_by_address(&address(text))
                .await
                .unwrap()
                .map(|u| u.name.to_string())
        }
    };
    assert_eq!(found("mailto:Anna@Example.com").await.as_deref(), Some("anna"));
    assert_eq!(found("mailto:work@example.com").await.as_deref(), Some("anna"));
    assert_eq!(found("mailto:bob@televent.internal").await.as_deref(), Some("bob"));
    assert_eq!(found("mailto:nobody@televent.internal").await, None);
    assert_eq!(found("mailto:stranger@example.com").await, None);

    assert_eq!(
        store.unlink_address(bob.id, &address("mailto:anna@example.com")).await,
        Err(StoreError::NotFound)
    );
    store
        .unlink_address(anna.id, &address("mailto:anna@example.com"))
        .await
        .unwrap();
    assert_eq!(
        store.unlink_address(anna.id, &address("mailto:anna@example.com")).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(found("mailto:anna@example.com").await, None);
    assert_eq!(
        store.addresses(anna.id).await.unwrap(),
        [address("mailto:work@example.com")]
    );

    // Unlinked, the address is free for someone else.
    store
        .link_address(bob.id, &address("mailto:anna@example.com"))
        .await
        .unwrap();
    assert_eq!(found("mailto:anna@example.com").await.as_deref(), Some("bob"));
}
