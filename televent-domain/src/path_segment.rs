//! What may name a thing inside a URL path: calendar slugs and resource names share the rule.

/// True when `text` can be one path segment: 1 to `max_len` bytes, not `.` or `..`, no `/`,
/// no `\`, no control characters (so no traversal, whatever a client percent-encodes).
pub(crate) fn is_path_segment(text: &str, max_len: usize) -> bool {
    !text.is_empty()
        && text.len() <= max_len
        && text != "."
        && text != ".."
        && !text.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}
