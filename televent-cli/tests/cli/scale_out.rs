//! Scale-out on PostgreSQL: two `televent serve --no-worker` and two `televent worker`
//! processes on one database. Concurrent If-Match updates of one event through both servers
//! have exactly one winner per round; the calendar's sync token only grows, whichever server
//! is asked; and every invitation the writes cause reaches Telegram exactly once.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use televent_tests::fake_telegram::FakeTelegram;

use crate::http::{basic, exchange, sync_token};
use crate::process::{Process, serve};

const TOKEN: &str = "123456:TEST-token";
const BOB: i64 = 2002;
const ROUNDS: usize = 20;
const INVITATIONS: usize = 24;
const PATIENCE: Duration = Duration::from_secs(60);

/// `televent serve` without the worker: the process and its address.
fn server(database: &str) -> (Process, String) {
    serve(database, &["--no-worker", "--no-bot"], &[])
}

fn worker(database: &str, telegram: &FakeTelegram) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_televent"))
            .args(["worker", "--poll-seconds", "0.05", "--batch", "4"])
            .env("TELEVENT_DATABASE_URL", database)
            .env("TELEVENT_BOT_TOKEN", TOKEN)
            .env("TELEVENT_TELEGRAM_API_URL", telegram.url())
            .env("TELEVENT_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

fn event(uid: &str, summary: &str, attendee: bool) -> String {
    let invite = if attendee {
        "ORGANIZER:mailto:alice@televent.internal\r\nATTENDEE;RSVP=TRUE:mailto:bob@televent.internal\r\n"
    } else {
        ""
    };
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//scale-out//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20300101T100000Z\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n{invite}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The calendar's sync token as `address` sees it, as its sequence number.
async fn token_seq(address: &str, auth: &str) -> u64 {
    let token = sync_token(address, auth).await;
    token.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_and_two_workers_on_one_postgres() {
    let (database, _guard) = televent_tests::pg::fresh_database().await;
    crate::run::ok(Some(&database), &["user", "add", "alice", "--telegram-id", "1001"]);
    crate::run::ok(
        Some(&database),
        &["user", "add", "bob", "--telegram-id", &BOB.to_string()],
    );
    let added = crate::run::ok(Some(&database), &["device", "add", "alice"]);
    let auth = basic("alice", added.lines().last().unwrap().trim());
    let (_a, a) = server(&database);
    let (_b, b) = server(&database);
    let servers = [a.as_str(), b.as_str()];
    let path = "/dav/calendars/alice/default/contested.ics";

    let (status, headers, body) = exchange(
        &a,
        "PUT",
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "text/calendar"),
            ("If-None-Match", "*"),
        ],
        &event("contested", "round 0", false),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let mut etag = headers["etag"].clone();
    let mut last_seq = token_seq(&a, &auth).await;
    for round in 1..=ROUNDS {
        // Both servers get an update made against the same ETag at once.
        let attempts = servers.map(|address| {
            let auth = auth.clone();
            let etag = etag.clone();
            let text = event("contested", &format!("round {round} via {address}"), false);
            let address = address.to_owned();
            tokio::spawn(async move {
                let headers = [
                    ("Authorization", auth.as_str()),
                    ("Content-Type", "text/calendar"),
                    ("If-Match", etag.as_str()),
                ];
                exchange(&address, "PUT", path, &headers, &text).await.unwrap()
            })
        });
        let mut winners = Vec::new();
        for attempt in attempts {
            let (status, headers, body) = attempt.await.unwrap();
            match status {
                204 => winners.push(headers["etag"].clone()),
                412 => {}
                other => panic!("round {round}: {other} {body}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: exactly one winner");
        etag = winners.remove(0);
        // Whichever server is asked, the token moved on, and both agree.
        let first = token_seq(servers[round % 2], &auth).await;
        let second = token_seq(servers[(round + 1) % 2], &auth).await;
        assert!(
            first > last_seq,
            "round {round}: the token {first} is not after {last_seq}"
        );
        assert_eq!(second, first, "round {round}: the other server sees the same token");
        last_seq = first;
    }
    for address in servers {
        let (status, _, got) = exchange(address, "GET", path, &[("Authorization", &auth)], "")
            .await
            .unwrap();
        assert_eq!(status, 200);
        assert!(got.contains(&format!("round {ROUNDS} via")), "{got}");
    }

    // Invitations written through both servers, delivered by two workers: each exactly once.
    let telegram = FakeTelegram::start().await;
    let _workers = [worker(&database, &telegram), worker(&database, &telegram)];
    for index in 0..INVITATIONS {
        let address = servers[index % 2];
        let text = event(&format!("meeting-{index}"), &format!("Meeting {index}"), true);
        let (status, _, body) = exchange(
            address,
            "PUT",
            &format!("/dav/calendars/alice/default/meeting-{index}.ics"),
            &[
                ("Authorization", &auth),
                ("Content-Type", "text/calendar"),
                ("If-None-Match", "*"),
            ],
            &text,
        )
        .await
        .unwrap();
        assert_eq!(status, 201, "{body}");
    }
    let calls = telegram.wait_for_calls("sendmessage", INVITATIONS, PATIENCE).await;
    // Every message is now delivered: nothing is left for a second send.
    let engine = {
        let store = televent_adapters::store::open(&database).await.unwrap();
        televent_app::TeleventBuilder::new(store).build()
    };
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let counts = engine.outbox_counts().await.unwrap();
        if counts.delivered == INVITATIONS as u64 {
            assert_eq!((counts.pending, counts.claimed, counts.failed), (0, 0, 0), "{counts:?}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{counts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let calls = telegram.calls_named("sendmessage").len().max(calls.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for call in telegram.calls_named("sendmessage") {
        assert_eq!(call.body["chat_id"].as_i64(), Some(BOB));
        let text = call.body["text"].as_str().unwrap().to_owned();
        let summary = text.lines().next().unwrap().rsplit(": ").next().unwrap().to_owned();
        *seen.entry(summary).or_default() += 1;
    }
    assert_eq!(calls, INVITATIONS, "{seen:?}");
    assert_eq!(seen.len(), INVITATIONS);
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
}
