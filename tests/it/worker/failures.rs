//! What happens when channels fail: retries with backoff, honouring Telegram's retry_after,
//! dead letters that can be requeued, and messages that wait while a channel is off.

use chrono::Duration;
use televent_domain::outbox::{Channel, OutboxStatus};
use televent_tests::fake_telegram::Failure;
use televent_tests::smtp_server::SinkOptions;
use televent_tests::stores::TestStore;

use super::rig::{PATIENCE, Rig, RigOptions, meeting};

async fn invite(rig: &Rig, attendee: &str) {
    let (alice, calendar) = rig.user("alice", Some(1001), "Europe/Berlin").await;
    let ics = meeting("plan", "alice", &[attendee], "20260612T100000", "");
    rig.put(&alice, &calendar, "plan", &ics).await;
}

pub async fn telegram_outage_backs_off_then_recovers(store: TestStore) {
    let rig = Rig::new(store).await;
    rig.user("bob", Some(2002), "UTC").await;
    invite(&rig, "bob@televent.internal").await;
    rig.telegram.fail_next(2, Failure::ServerError);

    let report = rig.deliver().await;
    assert_eq!((report.retrying, report.delivered), (1, 0), "{report:?}");
    let message = rig.messages(Some(OutboxStatus::Pending)).await.remove(0);
    assert_eq!(message.attempts, 1);
    assert!(
        message.last_error.as_deref().unwrap_or_default().contains("temporary"),
        "{message:?}"
    );
    let wait = message.available_at - rig.now();
    assert!(
        wait >= Duration::seconds(22) && wait <= Duration::seconds(38),
        "first backoff ~30 s: {wait}"
    );
    assert_eq!(rig.deliver().await.claimed, 0, "not before its retry time");

    rig.clock.set(message.available_at);
    assert_eq!(rig.deliver().await.retrying, 1);
    let message = rig.messages(Some(OutboxStatus::Pending)).await.remove(0);
    assert_eq!(message.attempts, 2);
    let wait = message.available_at - rig.now();
    assert!(
        wait >= Duration::seconds(45) && wait <= Duration::seconds(75),
        "doubled: {wait}"
    );

    rig.clock.set(message.available_at);
    assert_eq!(rig.deliver().await.delivered, 1);
    assert_eq!(rig.sent().len(), 3, "two failed calls, one that went through");
    let counts = rig.engine.outbox_counts().await.unwrap();
    assert_eq!((counts.delivered, counts.pending, counts.failed), (1, 0, 0));
    let stats = rig.engine.delivery_stats().channel(Channel::Telegram);
    assert_eq!(stats.failed.load(std::sync::atomic::Ordering::Relaxed), 2);
    assert_eq!(stats.delivered.load(std::sync::atomic::Ordering::Relaxed), 1);
}

pub async fn rate_limit_waits_as_told_without_counting_a_try(store: TestStore) {
    let rig = Rig::new(store).await;
    rig.user("bob", Some(2002), "UTC").await;
    invite(&rig, "bob@televent.internal").await;
    rig.telegram.fail_next(1, Failure::RetryAfter(7));

    assert_eq!(rig.deliver().await.waiting, 1);
    let message = rig.messages(Some(OutboxStatus::Pending)).await.remove(0);
    assert_eq!(message.attempts, 0, "a rate limit is not a failed try");
    assert_eq!(message.available_at, rig.now() + Duration::seconds(7));
    rig.advance(Duration::seconds(6));
    assert_eq!(rig.deliver().await.claimed, 0);
    rig.advance(Duration::seconds(1));
    assert_eq!(rig.deliver().await.delivered, 1);
}

pub async fn smtp_refusals_retry_or_dead_letter(store: TestStore) {
    let options = RigOptions {
        smtp: Some(SinkOptions {
            refuse_first: 1,
            refuse_code: Some(451),
            ..SinkOptions::default()
        }),
        ..RigOptions::default()
    };
    let rig = Rig::with(store, options).await;
    invite(&rig, "carol@example.com").await;
    assert_eq!(rig.deliver().await.retrying, 1, "451 is temporary");
    let message = rig.messages(Some(OutboxStatus::Pending)).await.remove(0);
    rig.clock.set(message.available_at);
    assert_eq!(rig.deliver().await.delivered, 1);
    rig.smtp.as_ref().unwrap().wait_for_messages(1, PATIENCE).await;

    // A 550 is permanent: dead-lettered at once, listed with its error, and requeued by hand.
    let store = televent_tests::stores::memory().await;
    let options = RigOptions {
        smtp: Some(SinkOptions {
            refuse_first: 1,
            refuse_code: Some(550),
            ..SinkOptions::default()
        }),
        ..RigOptions::default()
    };
    let rig = Rig::with(store, options).await;
    invite(&rig, "nobody@example.com").await;
    assert_eq!(rig.deliver().await.dead, 1);
    let failed = rig.messages(Some(OutboxStatus::Failed)).await;
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].last_error.as_deref().unwrap_or_default().contains("550"),
        "{failed:?}"
    );
    rig.engine.retry_outbox_message(failed[0].id).await.unwrap();
    assert_eq!(rig.deliver().await.delivered, 1);
    assert_eq!(rig.engine.outbox_counts().await.unwrap().failed, 0);
}

pub async fn without_a_channel_messages_wait_pending(store: TestStore) {
    let options = RigOptions {
        telegram: false,
        ..RigOptions::default()
    };
    let rig = Rig::with(store, options).await;
    rig.user("bob", Some(2002), "UTC").await;
    invite(&rig, "bob@televent.internal").await;
    invite_external(&rig).await;
    let report = rig.deliver().await;
    assert_eq!((report.waiting, report.retrying, report.dead), (2, 0, 0), "{report:?}");
    for message in rig.messages(None).await {
        assert_eq!(message.status, OutboxStatus::Pending);
        assert_eq!(message.attempts, 0);
    }
    assert!(rig.sent().is_empty());
}

async fn invite_external(rig: &Rig) {
    let alice = rig.engine.user("alice").await.unwrap();
    let calendar = rig.engine.calendars(&alice).await.unwrap().remove(0);
    let ics = meeting("ext", "alice", &["dave@example.com"], "20260612T100000", "");
    rig.put(&alice, &calendar, "ext", &ics).await;
}
