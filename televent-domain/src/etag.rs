//! Entity tags: a strong ETag is the BLAKE3 hash of the exact stored bytes.

use std::fmt;

/// A strong ETag, quoted as it travels in HTTP headers: `"<64 hex digits>"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ETag(String);

impl ETag {
    /// The ETag of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(format!("\"{}\"", blake3::hash(bytes).to_hex()))
    }

    /// Reads an ETag as a client sends it back (quoted, optionally `W/`-prefixed; a weak tag
    /// never matches a strong one, so it is refused).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.is_empty() && !inner.contains('"')).then(|| Self(text.to_owned()))
    }

    /// The quoted form, for headers and `getetag`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ETag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_is_a_quoted_blake3_of_the_bytes() {
        let etag = ETag::of(b"BEGIN:VCALENDAR");
        assert_eq!(etag.as_str().len(), 66);
        assert!(etag.as_str().starts_with('"') && etag.as_str().ends_with('"'));
        assert_eq!(etag, ETag::of(b"BEGIN:VCALENDAR"));
        assert_ne!(etag, ETag::of(b"BEGIN:VCALENDAR\r\n"));
        assert_eq!(ETag::parse(etag.as_str()), Some(etag));
        assert_eq!(ETag::parse("W/\"x\""), None);
        assert_eq!(ETag::parse("\"\""), None);
    }
}
