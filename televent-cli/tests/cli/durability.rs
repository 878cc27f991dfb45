//! Durability: `televent serve` as a real process under a concurrent PUT load, SIGKILLed at a
//! random moment, restarted. Every PUT answered 2xx is there with the ETag it was answered
//! with, every resource present is exactly one of the bodies sent for it (nothing half
//! written), and sync-collection from the token taken before the round reports exactly the
//! resources present that the round wrote. On SQLite and on PostgreSQL, several rounds each.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::http::{exchange, multistatus_of_default, sync_token};
use crate::process::{Process, serve};

/// Concurrent writers.
const WRITERS: usize = 8;
/// Rounds of load, kill and restart per store.
const ROUNDS: usize = 3;

fn body(round: usize, writer: usize, n: usize) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//durability//EN\r\nBEGIN:VEVENT\r\nUID:r{round}-w{writer}-{n}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20300101T{:02}0000Z\r\nDURATION:PT1H\r\nSUMMARY:round {round} writer {writer} event {n} {}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        n % 24,
        "x".repeat(200 + n % 300)
    )
}

fn etag_of(bytes: &str) -> String {
    format!("\"{}\"", blake3::hash(bytes.as_bytes()).to_hex())
}

/// What changed since `token`: hrefs (resource names) reported as present.
async fn changed_since(address: &str, auth: &str, token: &str) -> BTreeSet<String> {
    let request = format!(
        r#"<sync-collection xmlns="DAV:"><sync-token>{token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>"#
    );
    let (status, _, body) = exchange(
        address,
        "REPORT",
        "/dav/calendars/alice/default/",
        &[
            ("Authorization", auth),
            ("Content-Type", "application/xml"),
            ("Depth", "1"),
        ],
        &request,
    )
    .await
    .unwrap();
    assert_eq!(status, 207, "{body}");
    let document = roxmltree::Document::parse(&body).unwrap();
    document
        .descendants()
        .filter(|n| n.has_tag_name(("DAV:", "response")))
        .filter(|r| {
            !r.descendants().any(|n| {
                n.has_tag_name(("DAV:", "status"))
                    && n.text().is_some_and(|t| t.contains("404"))
                    && n.parent().is_some_and(|p| p.has_tag_name(("DAV:", "response")))
            })
        })
        .filter_map(|r| {
            r.descendants()
                .find(|n| n.has_tag_name(("DAV:", "href")))
                .and_then(|n| n.text())
        })
        .filter_map(|href| href.rsplit('/').next().map(str::to_owned))
        .filter(|name| !name.is_empty())
        .collect()
}

/// Every resource in alice's default calendar: name → ETag (one PROPFIND).
async fn listing(address: &str, auth: &str) -> BTreeMap<String, String> {
    let body = multistatus_of_default(
        address,
        auth,
        "PROPFIND",
        r#"<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>"#,
    )
    .await;
    let document = roxmltree::Document::parse(&body).unwrap();
    document
        .descendants()
        .filter(|n| n.has_tag_name(("DAV:", "response")))
        .filter_map(|r| {
            let href = r.descendants().find(|n| n.has_tag_name(("DAV:", "href")))?.text()?;
            let etag = r.descendants().find(|n| n.has_tag_name(("DAV:", "getetag")))?.text()?;
            let name = href.rsplit('/').next()?.to_owned();
            (!name.is_empty()).then(|| (name, etag.to_owned()))
        })
        .collect()
}

async fn rounds_of_kill_and_restart(database: &str) {
    crate::run::ok(Some(database), &["user", "add", "alice"]);
    let added = crate::run::ok(Some(database), &["device", "add", "alice"]);
    let password = added.lines().last().unwrap().trim().to_owned();
    let auth = crate::http::basic("alice", &password);
    // Every body ever sent, by resource name, and the ETags answered 2xx.
    let mut sent: BTreeMap<String, String> = BTreeMap::new();
    let mut acknowledged: BTreeMap<String, String> = BTreeMap::new();
    let seed = std::collections::hash_map::RandomState::new().build_hasher().finish();
    for round in 0..ROUNDS {
        let (server, address) = start(database);
        let token = sync_token(&address, &auth).await;
        let before: BTreeSet<String> = listing(&address, &auth).await.into_keys().collect();
        // The kill comes after a random number of answered PUTs (40 to 119).
        let kill_after = 40 + usize::try_from((seed >> (round * 8)) % 80).unwrap();
        let answered = Arc::new(AtomicUsize::new(0));
        let progress = Arc::new(tokio::sync::Notify::new());
        let round_sent = Arc::new(Mutex::new(BTreeMap::new()));
        let round_acknowledged = Arc::new(Mutex::new(BTreeMap::new()));
        let mut writers = tokio::task::JoinSet::new();
        for writer in 0..WRITERS {
            let address = address.clone();
            let auth = auth.clone();
            let answered = Arc::clone(&answered);
            let progress = Arc::clone(&progress);
            let sent = Arc::clone(&round_sent);
            let acknowledged = Arc::clone(&round_acknowledged);
            writers.spawn(async move {
                for n in 0.. {
                    let name = format!("r{round}-w{writer}-{n}.ics");
                    let text = body(round, writer, n);
                    sent.lock().unwrap().insert(name.clone(), text.clone());
                    let path = format!("/dav/calendars/alice/default/{name}");
                    let headers = [
                        ("Authorization", auth.as_str()),
                        ("Content-Type", "text/calendar"),
                        ("If-None-Match", "*"),
                    ];
                    match exchange(&address, "PUT", &path, &headers, &text).await {
                        Some((201, headers, _)) => {
                            let etag = headers.get("etag").cloned().unwrap();
                            assert_eq!(etag, etag_of(&text), "the ETag answered is the sent bytes' hash");
                            acknowledged.lock().unwrap().insert(name, etag);
                            answered.fetch_add(1, Ordering::SeqCst);
                            progress.notify_one();
                        }
                        Some((status, _, body)) => panic!("PUT {path}: {status} {body}"),
                        None => return, // killed
                    }
                }
            });
        }
        // Wait for the kill moment: woken by each answered PUT, no clock involved.
        while answered.load(Ordering::SeqCst) < kill_after {
            tokio::select! {
                () = progress.notified() => {}
                // A writer that ends before the kill failed: show why instead of waiting forever.
                ended = writers.join_next() => match ended {
                    Some(Err(error)) => std::panic::resume_unwind(error.into_panic()),
                    Some(Ok(())) => panic!("a writer stopped before the server was killed"),
                    None => panic!("no writers left"),
                },
            }
        }
        server.signal("KILL");
        while writers.join_next().await.is_some() {}
        drop(server);
        sent.extend(round_sent.lock().unwrap().clone());
        let round_acknowledged = round_acknowledged.lock().unwrap().clone();
        acknowledged.extend(round_acknowledged.clone());

        let (server, address) = start(database);
        let present = listing(&address, &auth).await;
        for (name, etag) in &acknowledged {
            assert_eq!(
                present.get(name),
                Some(etag),
                "round {round}: {name} was answered 201 and must be there"
            );
        }
        for (name, etag) in &present {
            let text = sent.get(name).unwrap_or_else(|| panic!("{name} was never sent"));
            assert_eq!(etag, &etag_of(text), "{name} is exactly what was sent, not half of it");
            // And the bytes themselves.
            let (status, _, got) = exchange(
                &address,
                "GET",
                &format!("/dav/calendars/alice/default/{name}"),
                &[("Authorization", auth.as_str())],
                "",
            )
            .await
            .unwrap();
            assert_eq!(status, 200);
            assert_eq!(&got, text);
        }
        let written_this_round: BTreeSet<String> =
            present.keys().filter(|name| !before.contains(*name)).cloned().collect();
        assert!(written_this_round.len() >= round_acknowledged.len());
        assert_eq!(
            changed_since(&address, &auth, &token).await,
            written_this_round,
            "round {round}: sync-collection reports exactly what the round wrote"
        );
        assert!(server.terminate().success());
    }
}

/// `televent serve` without the worker and without the rate limit (the writers are one client).
fn start(database: &str) -> (Process, String) {
    serve(database, &["--no-worker", "--rate-limit-per-second", "0"], &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_keeps_every_answered_put_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    rounds_of_kill_and_restart(&database).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_keeps_every_answered_put_on_postgres() {
    let (database, _guard) = televent_tests::pg::fresh_database().await;
    rounds_of_kill_and_restart(&database).await;
}
