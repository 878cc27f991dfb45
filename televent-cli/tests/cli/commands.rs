//! The management commands on a real SQLite file (and PostgreSQL, see `on_postgres`).

use std::process::Command;

use televent_domain::ingest::split_import;
use televent_tests::corpus::corpus_dir;

use crate::run::{fails, ok};

fn corpus(file: &str) -> String {
    corpus_dir().join(file).to_str().unwrap().to_owned()
}

/// The whole life of a user's calendar through the command line, on the database at `db`.
pub fn user_imports_inspects_and_exports(db: &str) {
    let db = Some(db);
    ok(db, &["migrate"]);
    let created = ok(
        db,
        &[
            "user",
            "add",
            "alice",
            "--timezone",
            "Europe/Berlin",
            "--telegram-id",
            "42",
        ],
    );
    assert!(
        created.contains("created user alice (time zone Europe/Berlin)"),
        "{created}"
    );
    let users = ok(db, &["user", "list"]);
    let alice = users.lines().find(|l| l.starts_with("alice")).unwrap();
    assert!(alice.contains("42") && alice.contains("Europe/Berlin"), "{users}");

    // Linked addresses: listed, refused to another user, unlinked.
    let linked = ok(db, &["user", "link", "alice", "Alice@Example.com"]);
    assert!(linked.contains("linked alice@example.com to alice"), "{linked}");
    ok(db, &["user", "link", "alice", "mailto:a@work.example"]);
    let users = ok(db, &["user", "list"]);
    let alice = users.lines().find(|l| l.starts_with("alice")).unwrap();
    assert!(alice.ends_with("a@work.example, alice@example.com"), "{users}");
    ok(db, &["user", "add", "dave"]);
    assert_eq!(
        fails(db, &["user", "link", "dave", "alice@example.com"]),
        "error: another user's link to alice@example.com already exists"
    );
    assert!(fails(db, &["user", "link", "dave", "not an address"]).contains("is not an e-mail address"));
    assert!(fails(db, &["user", "unlink", "dave", "alice@example.com"]).contains("not found"));
    ok(db, &["user", "unlink", "alice", "a@work.example"]);
    let users = ok(db, &["user", "list"]);
    let alice = users.lines().find(|l| l.starts_with("alice")).unwrap();
    assert!(alice.ends_with(" alice@example.com"), "{users}");
    let dave = users.lines().find(|l| l.starts_with("dave")).unwrap();
    assert!(dave.ends_with(" -"), "{users}");

    // Device passwords: the password alone on the last line, then listed, then revoked.
    let added = ok(db, &["device", "add", "alice", "--label", "iPhone"]);
    let password = added.lines().last().unwrap();
    assert_eq!(password.len(), 23, "{added}");
    assert!(
        password
            .split('-')
            .all(|group| group.len() == 5 && group.chars().all(|c| c.is_ascii_alphanumeric()))
    );
    let listed = ok(db, &["device", "list", "alice"]);
    let row = listed.lines().find(|l| l.contains("iPhone")).unwrap();
    assert!(row.ends_with("active"), "{listed}");
    let id = row.split_whitespace().next().unwrap();
    ok(db, &["device", "revoke", "alice", id]);
    assert!(
        ok(db, &["device", "list", "alice"])
            .lines()
            .any(|l| l.contains("iPhone") && l.contains("revoked"))
    );

    // Import: 49 recurring events and a journal that a calendar does not take.
    let imported = ok(
        db,
        &[
            "import",
            "alice",
            &corpus("valid/thunderbird__l10n-rrule-details.ics"),
            &corpus("valid/ical.net__JOURNAL1.ics"),
        ],
    );
    assert!(imported.starts_with("stored 49, rejected 1\n"), "{imported}");
    assert!(
        imported.contains("ical.net__JOURNAL1.ics:4: VJOURNAL uid5@host1.com: VJOURNAL is not stored here"),
        "{imported}"
    );

    // Export, and the export imports again onto the same 49 UIDs.
    let exported = ok(db, &["export", "alice"]);
    let split = split_import(exported.as_bytes());
    assert_eq!(split.resources.len(), 49);
    assert!(split.rejected.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.ics");
    std::fs::write(&file, &exported).unwrap();
    let again = ok(db, &["import", "alice", file.to_str().unwrap()]);
    assert!(again.starts_with("stored 49, rejected 0"), "{again}");
    assert_eq!(
        split_import(ok(db, &["export", "alice"]).as_bytes()).resources.len(),
        49
    );

    // The agenda, in Alice's zone (the file's events are at 20:00 UTC in January 2009).
    let agenda = ok(db, &["agenda", "alice", "--from", "2009-01-21", "--to", "2009-01-22"]);
    assert!(
        agenda.contains("Wed 2009-01-21  21:00-22:00  monthlyDaysOfNth,Nth=1,3,5,7,9,11,13,15,Interval=1"),
        "{agenda}"
    );
    assert!(agenda.contains("(repeats)"), "{agenda}");
    let empty = ok(db, &["agenda", "alice", "--from", "1990-01-01", "--to", "1990-01-02"]);
    assert!(empty.ends_with("nothing planned\n"), "{empty}");

    // Mistakes get one clear line.
    assert_eq!(fails(db, &["user", "add", "alice"]), "error: user alice already exists");
    assert_eq!(fails(db, &["device", "list", "bob"]), "error: user 'bob' not found");
    assert!(fails(db, &["user", "add", "bob", "--timezone", "Mars/Base"]).contains("not an IANA time zone"));
    assert!(fails(db, &["import", "alice", "/nonexistent.ics"]).contains("cannot read /nonexistent.ics"));
    assert!(fails(db, &["device", "revoke", "alice", "not-an-id"]).contains("is not a device id"));
    assert!(fails(db, &["export", "alice", "--calendar", "nope"]).contains("calendar 'nope' not found"));
}

#[test]
fn on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("televent.db").display());
    user_imports_inspects_and_exports(&url);
    assert!(dir.path().join("televent.db").is_file());
}

#[test]
fn the_default_database_is_a_sqlite_file_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_televent"))
        .args(["user", "add", "carol"])
        .env_remove("TELEVENT_DATABASE_URL")
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(dir.path().join("televent.db").is_file());
}

#[test]
fn bad_arguments_get_one_clear_line() {
    assert!(fails(Some("mysql://localhost/x"), &["user", "list"]).contains("mysql://localhost/x"));
    assert!(
        fails(
            None,
            &[
                "expand",
                &corpus("valid/ical4j__friday13.ics"),
                "--from",
                "soon",
                "--to",
                "2030-01-01"
            ]
        )
        .contains("--from: 'soon' is not a date or time")
    );
    assert!(
        fails(
            None,
            &[
                "expand",
                "/nonexistent.ics",
                "--from",
                "2000-01-01",
                "--to",
                "2030-01-01"
            ]
        )
        .contains("cannot read")
    );
    let table = ok(
        None,
        &[
            "expand",
            &corpus("valid/ical4j__friday13.ics"),
            "--from",
            "2000-01-01",
            "--to",
            "2030-01-01",
        ],
    );
    assert!(!table.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn on_postgres() {
    let (url, _database) = televent_tests::pg::fresh_database().await;
    tokio::task::spawn_blocking(move || user_imports_inspects_and_exports(&url))
        .await
        .unwrap();
}
