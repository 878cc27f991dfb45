//! `televent expand --json` against the corpus oracle (../shared/ical-corpus/expected): every
//! file the oracle parsed must match, except the differences docs/corpus.md lists and explains.

use std::collections::BTreeSet;

use serde_json::Value;
use televent_tests::corpus::{corpus_dir, doc_table};

use crate::run::ok;

type Key = (String, String, String, String, String, String, String);

fn key(occurrence: &Value) -> Key {
    let field = |name: &str| occurrence[name].as_str().unwrap_or("").to_owned();
    (
        field("start"),
        field("uid"),
        field("component"),
        field("recurrence_id"),
        field("end"),
        field("summary"),
        field("status"),
    )
}

/// Whether our occurrences for `name` equal the oracle's.
fn matches(expected: &Value) -> Result<(), String> {
    let file = corpus_dir().join(expected["file"].as_str().unwrap());
    let output = ok(
        None,
        &[
            "expand",
            file.to_str().unwrap(),
            "--from",
            "2000-01-01T00:00:00Z",
            "--to",
            "2030-01-01T00:00:00Z",
            "--json",
        ],
    );
    let ours: Value = serde_json::from_str(&output).unwrap();
    let mut ours: Vec<Key> = ours["occurrences"].as_array().unwrap().iter().map(key).collect();
    let cap = expected["cap"].as_u64().unwrap() as usize;
    if expected["capped"].as_bool().unwrap() {
        // The oracle kept the first `cap` in (start, UID, ...) order; so must we.
        ours.truncate(cap);
    }
    let theirs: Vec<Key> = expected["occurrences"].as_array().unwrap().iter().map(key).collect();
    let (ours, theirs): (BTreeSet<Key>, BTreeSet<Key>) = (ours.into_iter().collect(), theirs.into_iter().collect());
    if ours == theirs {
        return Ok(());
    }
    let missing: Vec<_> = theirs.difference(&ours).take(2).collect();
    let extra: Vec<_> = ours.difference(&theirs).take(2).collect();
    Err(format!("missing {missing:?}, extra {extra:?}"))
}

#[test]
fn expansions_match_the_oracle_except_for_documented_differences() {
    let documented: BTreeSet<String> = doc_table("docs/corpus.md", "expand-differences")
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
    let mut entries: Vec<_> = std::fs::read_dir(corpus_dir().join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let (mut compared, mut differing) = (0, BTreeSet::new());
    let mut unexplained = Vec::new();
    for path in entries {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if !expected["parsed"].as_bool().unwrap() {
            continue;
        }
        compared += 1;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if let Err(difference) = matches(&expected) {
            if !documented.contains(&name) {
                unexplained.push(format!("{name}: {difference}"));
            }
            differing.insert(name);
        }
    }
    assert!(
        unexplained.is_empty(),
        "differences not explained in docs/corpus.md:\n{}",
        unexplained.join("\n")
    );
    let fixed: Vec<_> = documented.difference(&differing).collect();
    assert!(
        fixed.is_empty(),
        "docs/corpus.md explains differences that are gone: {fixed:?}"
    );
    assert_eq!(compared, 103, "the oracle parsed 103 files");
    assert_eq!(compared - differing.len(), 95, "docs/corpus.md reports 95 matches");
}
