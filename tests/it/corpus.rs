//! The whole iCalendar corpus through the import and PUT paths: nothing panics, every valid
//! file imports or is refused for a reason docs/corpus.md lists, every broken one gets a clear
//! answer, and every resource an import makes is itself a valid PUT body.

use std::collections::BTreeMap;
use std::sync::Arc;

use televent_adapters::store::MemoryStore;
use televent_app::TeleventBuilder;
use televent_domain::ingest::{ingest_resource, split_import};
use televent_tests::corpus::{corpus_dir, corpus_files, doc_table};

/// `(file, component) -> (count, reason)` from docs/corpus.md.
fn documented_rejections() -> BTreeMap<(String, String), (usize, String)> {
    doc_table("docs/corpus.md", "rejections")
        .into_iter()
        .map(|row| {
            (
                (row[0].clone(), row[1].clone()),
                (row[2].parse().unwrap(), row[3].clone()),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_corpus_file_imports_or_is_refused_for_a_documented_reason() {
    let engine = TeleventBuilder::new(Arc::new(MemoryStore::new())).build();
    let files = corpus_files();
    assert!(files.len() >= 100, "corpus looks incomplete: {} files", files.len());
    let mut actual: BTreeMap<(String, String), (usize, Vec<String>)> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        let bytes = std::fs::read(corpus_dir().join(file)).unwrap();
        // Each file into its own user's calendar, through the app as `televent import` does.
        let (user, calendar) = engine.create_user(&format!("u{index}"), None, None).await.unwrap();
        let report = engine
            .import(&user, &calendar, &bytes, &mut |_, _| {})
            .await
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let stored = engine.store().objects(calendar.id).await.unwrap();
        assert_eq!(stored.len(), report.stored(), "{file}");
        for object in &stored {
            // What an import stores is a valid single-UID resource on its own.
            let again = ingest_resource(&object.bytes)
                .unwrap_or_else(|e| panic!("{file}: stored resource does not re-ingest: {e}"));
            assert_eq!(again.uid, object.index.uid, "{file}");
        }
        if file.starts_with("invalid/") {
            assert!(
                report.stored() > 0 || !report.rejected.is_empty(),
                "{file}: neither stored nor refused"
            );
        }
        for rejection in &report.rejected {
            assert!(!rejection.reason.is_empty(), "{file}: a rejection without a reason");
            if file.starts_with("valid/") {
                let entry = actual.entry((file.clone(), rejection.component.clone())).or_default();
                entry.0 += 1;
                entry.1.push(rejection.reason.clone());
            }
        }
    }
    let documented = documented_rejections();
    for ((file, component), (count, reasons)) in &actual {
        let Some((documented_count, reason)) = documented.get(&(file.clone(), component.clone())) else {
            panic!("{file}: {count} {component} refused but not listed in docs/corpus.md: {reasons:?}");
        };
        assert_eq!(
            count, documented_count,
            "{file} {component}: docs/corpus.md says {documented_count}"
        );
        assert!(
            reasons.iter().all(|r| r.contains(reason.as_str())),
            "{file} {component}: {reasons:?} vs documented '{reason}'"
        );
    }
    for key in documented.keys() {
        assert!(
            actual.contains_key(key),
            "docs/corpus.md lists {key:?}, which is no longer refused: update the docs"
        );
    }
}

#[test]
fn put_bodies_from_the_corpus_never_panic_and_refusals_say_where() {
    for file in corpus_files() {
        let bytes = std::fs::read(corpus_dir().join(&file)).unwrap();
        match ingest_resource(&bytes) {
            Ok(resource) => assert_eq!(resource.bytes, bytes, "{file}: bytes must be kept as sent"),
            Err(error) => assert!(!error.message.is_empty(), "{file}"),
        }
        // Splitting never panics either, and what it splits out is PUT-valid.
        for resource in split_import(&bytes).resources {
            ingest_resource(&resource.bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }
}
