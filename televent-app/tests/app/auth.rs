use std::sync::Arc;

use televent_adapters::store::MemoryStore;
use televent_app::TeleventBuilder;
use televent_domain::device::PasswordHash;
use televent_ports::clock::MockClock;
use televent_ports::credentials::MockPasswordHasher;

use crate::now;

#[tokio::test]
async fn device_passwords_log_in_until_revoked() {
    let mut hasher = MockPasswordHasher::new();
    hasher
        .expect_generate()
        .returning(|| Ok("abcde-fghij-kmnop-qrstu".to_owned()));
    hasher
        .expect_hash()
        .returning(|password| Ok(PasswordHash::new(format!("hashed:{password}"))));
    hasher
        .expect_verify()
        .returning(|password, hash| hash.as_str() == format!("hashed:{password}"));
    let mut clock = MockClock::new();
    clock.expect_now().return_const(now());
    let engine = TeleventBuilder::new(Arc::new(MemoryStore::new()))
        .clock(Arc::new(clock))
        .hasher(Arc::new(hasher))
        .build();

    let (alice, _) = engine.create_user("alice", None, None).await.unwrap();
    let new = engine.add_device(&alice, "  iPhone ").await.unwrap();
    assert_eq!(new.password, "abcde-fghij-kmnop-qrstu");
    assert_eq!(new.device.label, "iPhone");
    assert_eq!(
        new.device.hash.as_str(),
        "hashed:abcde-fghij-kmnop-qrstu",
        "only the hash is stored"
    );

    let (user, device) = engine.authenticate("Alice", &new.password).await.unwrap().unwrap();
    assert_eq!((user.id, device), (alice.id, new.device.id));
    assert_eq!(engine.devices(&alice).await.unwrap()[0].last_used_at, Some(now()));
    assert_eq!(engine.authenticate("alice", "wrong").await.unwrap(), None);
    assert_eq!(engine.authenticate("nobody", &new.password).await.unwrap(), None);
    assert_eq!(engine.authenticate("not a name!", &new.password).await.unwrap(), None);

    assert!(engine.device_active(&alice, new.device.id).await.unwrap());
    let (bob, _) = engine.create_user("bob", None, None).await.unwrap();
    assert!(!engine.device_active(&bob, new.device.id).await.unwrap(), "not bob's");
    engine.revoke_device(&alice, &new.device.id.to_string()).await.unwrap();
    assert!(!engine.device_active(&alice, new.device.id).await.unwrap());
    assert_eq!(
        engine.authenticate("alice", &new.password).await.unwrap(),
        None,
        "revoked at once"
    );
    assert!(engine.add_device(&alice, "").await.is_err());
}
