//! `televent worker` and `televent serve` as real processes delivering to a fake Telegram Bot
//! API on loopback: a worker SIGKILLed in the middle of a batch loses nothing, two workers on
//! one PostgreSQL deliver each message once, and `serve` runs the worker so that an invitation
//! saved through CalDAV reaches Telegram.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use televent_adapters::credentials::Argon2Hasher;
use televent_app::{Televent, TeleventBuilder};
use televent_ports::store::Precondition;
use televent_tests::fake_telegram::{FakeTelegram, RecordedCall};

use crate::process::{Process, serve};

const TOKEN: &str = "123456:TEST-token";
const BOB: i64 = 2002;
const PATIENCE: Duration = Duration::from_secs(60);

fn worker(database: &str, telegram: &FakeTelegram) -> Process {
    worker_with(database, telegram, &[])
}

fn worker_with(database: &str, telegram: &FakeTelegram, env: &[(&str, &str)]) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_televent"))
        .args([
            "worker",
            "--poll-seconds",
            "0.05",
            "--batch",
            "8",
            "--lease-seconds",
            "2",
            "--retry-seconds",
            "1",
        ])
        .env("TELEVENT_DATABASE_URL", database)
        .env("TELEVENT_BOT_TOKEN", TOKEN)
        .env("TELEVENT_TELEGRAM_API_URL", telegram.url())
        .env("TELEVENT_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    Process(child)
}

async fn engine(database: &str) -> Televent {
    let store = televent_adapters::store::open(database).await.unwrap();
    TeleventBuilder::new(store).hasher(Arc::new(Argon2Hasher)).build()
}

fn meeting(index: usize) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\nBEGIN:VEVENT\r\nUID:meeting-{index}\r\nDTSTAMP:20260601T000000Z\r\nDTSTART:20300612T100000Z\r\nSUMMARY:Meeting {index}\r\nORGANIZER:mailto:alice@televent.internal\r\nATTENDEE;RSVP=TRUE:mailto:bob@televent.internal\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// Alice invites Bob to `count` meetings: `count` invitations wait in the outbox.
async fn invitations(engine: &Televent, count: usize) {
    let (alice, calendar) = engine.create_user("alice", Some(1001), Some("UTC")).await.unwrap();
    let (bob, _) = engine.create_user("bob", Some(BOB), Some("UTC")).await.unwrap();
    // No digests: the worker's scheduler would add them depending on the hour the test runs.
    for user in [&alice, &bob] {
        let mut preferences = engine.preferences(user).await.unwrap();
        preferences.daily_digest_time = None;
        engine.set_preferences(user, preferences).await.unwrap();
    }
    for index in 0..count {
        let href = televent_domain::event::Href::parse(&format!("meeting-{index}.ics")).unwrap();
        engine
            .put_object(&alice, &calendar, &href, meeting(index).as_bytes(), Precondition::None)
            .await
            .unwrap();
    }
    assert_eq!(engine.outbox_counts().await.unwrap().pending, count as u64);
}

/// Waits (polling the shared store, for real processes) until `count` messages are delivered.
async fn until_delivered(engine: &Televent, count: u64) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let counts = engine.outbox_counts().await.unwrap();
        if counts.delivered >= count {
            assert_eq!(counts.failed, 0, "{counts:?}");
            return;
        }
        assert!(Instant::now() < deadline, "still not delivered: {counts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many times each meeting's invitation reached Telegram.
fn deliveries(calls: &[RecordedCall]) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for call in calls {
        assert_eq!(call.body["chat_id"].as_i64(), Some(BOB));
        let text = call.body["text"].as_str().unwrap();
        let summary = text.lines().next().unwrap().rsplit(": ").next().unwrap().to_owned();
        *seen.entry(summary).or_insert(0) += 1;
    }
    seen
}

async fn killed_worker_loses_nothing(database: &str) {
    let seed = engine(database).await;
    invitations(&seed, 30).await;
    let telegram = FakeTelegram::start().await;
    // Ten answers, then the eleventh send never returns: the worker is mid-batch (batches of
    // eight: one done, two of the second sent, one in flight, five more claimed).
    telegram.hang_after("sendmessage", 10);
    let first = worker(database, &telegram);
    telegram.wait_for_calls("sendmessage", 11, PATIENCE).await;
    drop(first); // SIGKILL
    let counts = seed.outbox_counts().await.unwrap();
    assert_eq!(counts.delivered, 10, "{counts:?}");
    assert!(
        counts.claimed >= 1,
        "the dead worker's claims are still held: {counts:?}"
    );

    telegram.stop_hanging();
    let second = worker(database, &telegram);
    until_delivered(&seed, 30).await;
    assert!(second.terminate().success(), "SIGTERM stops a worker cleanly");

    let seen = deliveries(&telegram.calls_named("sendmessage"));
    assert_eq!(seen.len(), 30, "every invitation arrived: {seen:?}");
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.len() <= 1,
        "only the send in flight at the kill may repeat (at least once): {repeated:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_loses_nothing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    killed_worker_loses_nothing(&database).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_loses_nothing_on_postgres() {
    let (database, _guard) = televent_tests::pg::fresh_database().await;
    killed_worker_loses_nothing(&database).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_postgres_deliver_each_message_once() {
    let (database, _guard) = televent_tests::pg::fresh_database().await;
    let seed = engine(&database).await;
    invitations(&seed, 120).await;
    let telegram = FakeTelegram::start().await;
    let workers = [worker(&database, &telegram), worker(&database, &telegram)];
    until_delivered(&seed, 120).await;
    for process in workers {
        assert!(process.terminate().success());
    }
    let calls = telegram.calls_named("sendmessage");
    let seen = deliveries(&calls);
    assert_eq!(seen.len(), 120);
    assert_eq!(calls.len(), 120, "no message was sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_the_worker_so_a_caldav_invitation_reaches_telegram() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    let seed = engine(&database).await;
    let (alice, _) = seed.create_user("alice", Some(1001), Some("UTC")).await.unwrap();
    let (bob, _) = seed.create_user("bob", Some(BOB), Some("UTC")).await.unwrap();
    for user in [&alice, &bob] {
        let mut preferences = seed.preferences(user).await.unwrap();
        preferences.daily_digest_time = None;
        seed.set_preferences(user, preferences).await.unwrap();
    }
    let device = seed.add_device(&alice, "test").await.unwrap();
    let telegram = FakeTelegram::start().await;

    let (server, address) = serve(
        &database,
        &["--poll-seconds", "0.05"],
        &[
            ("TELEVENT_BOT_TOKEN", TOKEN),
            ("TELEVENT_TELEGRAM_API_URL", &telegram.url()),
        ],
    );

    let body = meeting(1);
    let auth = crate::http::basic("alice", &device.password);
    let (status, _, response) = crate::http::exchange(
        &address,
        "PUT",
        "/dav/calendars/alice/default/meeting-1.ics",
        &[
            ("Authorization", &auth),
            ("Content-Type", "text/calendar"),
            ("If-None-Match", "*"),
        ],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{response}");

    let sent = telegram.wait_for_calls("sendmessage", 1, PATIENCE).await;
    assert_eq!(sent[0].body["chat_id"].as_i64(), Some(BOB));
    assert!(
        sent[0].body["text"]
            .as_str()
            .unwrap()
            .contains("alice invites you: Meeting 1")
    );
    assert!(server.terminate().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_list_shows_dead_letters_and_retry_requeues_them() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    let seed = engine(&database).await;
    invitations(&seed, 2).await;
    // Telegram refuses for good (the user blocked the bot): both are dead-lettered.
    let telegram = FakeTelegram::start().await;
    telegram.fail_next(2, televent_tests::fake_telegram::Failure::Forbidden);
    let process = worker(&database, &telegram);
    let deadline = Instant::now() + PATIENCE;
    while seed.outbox_counts().await.unwrap().failed < 2 {
        assert!(Instant::now() < deadline, "{:?}", seed.outbox_counts().await.unwrap());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(process.terminate().success());

    let db = Some(database.as_str());
    let listed = crate::run::ok(db, &["outbox", "list", "--status", "failed"]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines[0], "0 pending, 0 claimed, 0 delivered, 2 failed", "{listed}");
    assert_eq!(lines.len(), 3, "{listed}");
    assert!(lines[1].contains("failed") && lines[1].contains("telegram"), "{listed}");
    assert!(
        lines[1].contains("last error: permanent failure: Forbidden: bot was blocked by the user"),
        "{listed}"
    );
    let id = lines[1].split_whitespace().next().unwrap();

    let one = crate::run::ok(db, &["outbox", "retry", id]);
    assert_eq!(one.trim(), format!("message {id} queued again"));
    let again = crate::run::fails(db, &["outbox", "retry", id]);
    assert!(again.contains("not found"), "{again}");
    let rest = crate::run::ok(db, &["outbox", "retry", "--all-failed"]);
    assert_eq!(rest.trim(), "1 failed message(s) queued again");
    let bad = crate::run::fails(db, &["outbox", "list", "--status", "lost"]);
    assert!(bad.contains("'lost' is not a status"), "{bad}");

    // Unblocked, a worker delivers both.
    let process = worker(&database, &telegram);
    until_delivered(&seed, 2).await;
    assert!(process.terminate().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_failing_for_a_while_then_recovering_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    let seed = engine(&database).await;
    invitations(&seed, 3).await;
    let telegram = FakeTelegram::start().await;
    // Five answers of 500 (teloxide waits before reading a 5xx: the 2 s timeout cuts it), then
    // Telegram is back.
    telegram.fail_next(5, televent_tests::fake_telegram::Failure::ServerError);
    let process = worker_with(&database, &telegram, &[("TELEVENT_TELEGRAM_TIMEOUT_SECONDS", "2")]);
    until_delivered(&seed, 3).await;
    assert!(process.terminate().success());
    let calls = telegram.calls_named("sendmessage");
    assert_eq!(calls.len(), 8, "five failed tries, three deliveries");
    assert_eq!(deliveries(&calls).len(), 3);
    let tries: u32 = seed
        .outbox_messages(None, 10)
        .await
        .unwrap()
        .iter()
        .map(|m| m.attempts)
        .sum();
    assert_eq!(
        tries, 8,
        "every try counted on its message: five failures, three deliveries"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_refusing_then_accepting_loses_nothing() {
    use televent_tests::smtp_server::{SinkOptions, SmtpSink};

    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    let seed = engine(&database).await;
    let (alice, calendar) = seed.create_user("alice", Some(1001), Some("UTC")).await.unwrap();
    let mut preferences = seed.preferences(&alice).await.unwrap();
    preferences.daily_digest_time = None;
    seed.set_preferences(&alice, preferences).await.unwrap();
    for index in 0..3 {
        let body = meeting(index).replace("bob@televent.internal", &format!("guest{index}@example.com"));
        let href = televent_domain::event::Href::parse(&format!("meeting-{index}.ics")).unwrap();
        seed.put_object(&alice, &calendar, &href, body.as_bytes(), Precondition::None)
            .await
            .unwrap();
    }
    let sink = SmtpSink::start(SinkOptions {
        refuse_first: 2,
        refuse_code: Some(451),
        ..SinkOptions::default()
    })
    .await;
    let telegram = FakeTelegram::start().await;
    let smtp_url = sink.url(None);
    let process = worker_with(
        &database,
        &telegram,
        &[
            ("TELEVENT_SMTP_URL", &smtp_url),
            ("TELEVENT_MAIL_FROM", "Televent <cal@example.org>"),
        ],
    );
    until_delivered(&seed, 3).await;
    assert!(process.terminate().success());
    let mails = sink.wait_for_messages(3, PATIENCE).await;
    let mut recipients: Vec<String> = mails.iter().flat_map(|m| m.rcpt_tos.clone()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["guest0@example.com", "guest1@example.com", "guest2@example.com"]
    );
    assert!(mails.iter().all(|m| {
        m.part("text/calendar")
            .is_some_and(|p| p.param("method") == Some("REQUEST"))
    }));
}
