//! The shared iCalendar corpus and the docs tables that describe what it does.

use std::path::{Path, PathBuf};

/// `../shared` beside the checkout (CI clones the project with it), or `TELEVENT_SHARED_DIR`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("TELEVENT_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

/// The corpus root.
pub fn corpus_dir() -> PathBuf {
    let dir = shared_dir().join("ical-corpus");
    assert!(
        dir.is_dir(),
        "the iCalendar corpus is missing at {} (set TELEVENT_SHARED_DIR)",
        dir.display()
    );
    dir
}

/// Every corpus file as `(valid|invalid)/name.ics`, sorted.
pub fn corpus_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["valid", "invalid"] {
        for entry in std::fs::read_dir(corpus_dir().join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".ics") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    files
}

/// The workspace root.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The rows of the Markdown table between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in a
/// docs file, each as its cells (header and separator rows skipped).
pub fn doc_table(doc: &str, name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(workspace_dir().join(doc)).unwrap();
    let begin = format!("<!-- {name}:begin -->");
    let end = format!("<!-- {name}:end -->");
    let start = text.find(&begin).unwrap_or_else(|| panic!("{doc} has no {begin}"));
    let stop = text.find(&end).unwrap_or_else(|| panic!("{doc} has no {end}"));
    text[start + begin.len()..stop]
        .lines()
        .filter(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim()
                .trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().trim_matches('`').to_owned())
                .collect()
        })
        .collect()
}
