//! Writing content lines, for the few places Televent writes iCalendar itself (a quick-add
//! draft, an answer written into the organizer's copy): TEXT escaping and line folding.

/// TEXT escaping (RFC 5545 section 3.3.11): backslash, semicolon, comma, newline; CR dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// Appends the content line `text` folded at 75 octets (never inside a UTF-8 character),
/// CRLF-terminated (RFC 5545 section 3.1).
pub fn fold_into(text: &str, out: &mut String) {
    let mut width = 0;
    for ch in text.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_folds() {
        assert_eq!(escape_text("a;b,c\\d\r\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        fold_into(&"é".repeat(50), &mut out);
        assert!(out.split("\r\n").all(|line| line.len() <= 75), "{out}");
        assert_eq!(out.replace("\r\n ", "").trim_end(), "é".repeat(50));
    }
}
