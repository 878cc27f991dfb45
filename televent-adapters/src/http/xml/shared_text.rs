//! Text that lives in someone else's bytes (a stored resource's) and is escaped only as it is
//! written: calendar-data goes from the stored bytes into the answer in one pass, and nothing
//! per resource is kept in a second, escaped form (that copy was most of the server's memory
//! beyond the data itself).
//!
//! A text is the whole source, or pieces: ranges of the source and short literal texts between
//! them. An expansion (RFC 4791 section 9.6.5) copies most of its lines from the resource, so
//! kept as pieces it is a few ranges and a few rewritten lines instead of a copy.

use std::fmt;
use std::sync::Arc;

use super::write::escape_into;

/// Bytes a [`SharedText`] reads from, shared with whoever holds them.
pub type Source = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One part of a [`SharedText`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// The source's bytes from the first offset up to the second (whole UTF-8 characters).
    Copied(u32, u32),
    /// Text of its own.
    Literal(Box<str>),
}

/// A text made of a source's bytes, escaped when written (see the module docs).
#[derive(Clone)]
pub struct SharedText {
    source: Source,
    /// `None`: the whole source, read as UTF-8 with invalid sequences replaced.
    pieces: Option<Arc<[Piece]>>,
}

impl SharedText {
    /// All of `source`.
    pub fn whole(source: Source) -> Self {
        Self { source, pieces: None }
    }

    /// `pieces` of `source`, as [`pieces_of`] made them from it.
    pub fn pieces(source: Source, pieces: Arc<[Piece]>) -> Self {
        Self {
            source,
            pieces: Some(pieces),
        }
    }

    /// Its length in bytes before escaping.
    pub fn len(&self) -> usize {
        match &self.pieces {
            None => (*self.source).as_ref().len(),
            Some(pieces) => pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Copied(from, to) => to.saturating_sub(*from) as usize,
                    Piece::Literal(text) => text.len(),
                })
                .sum(),
        }
    }

    /// True when it has no text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends it to `out`, escaped as [`escape_into`] does.
    pub fn write_escaped(&self, out: &mut String) {
        self.each_part(|part| escape_into(out, part));
    }

    /// The text itself (unescaped).
    pub fn to_text(&self) -> String {
        let mut text = String::with_capacity(self.len());
        self.each_part(|part| text.push_str(part));
        text
    }

    fn each_part(&self, mut part: impl FnMut(&str)) {
        let bytes = (*self.source).as_ref();
        match &self.pieces {
            None => part(&text_of(bytes)),
            Some(pieces) => {
                for piece in pieces.iter() {
                    match piece {
                        Piece::Copied(from, to) => {
                            if let Some(slice) = bytes.get(*from as usize..*to as usize) {
                                part(&text_of(slice));
                            }
                        }
                        Piece::Literal(text) => part(text),
                    }
                }
            }
        }
    }
}

/// `bytes` as text, invalid UTF-8 replaced. `from_utf8` first: it checks ASCII a word at a
/// time, where the lossy reader goes byte by byte (measured: an eighth of a report's time).
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedText")
            .field("len", &self.len())
            .field("pieces", &self.pieces)
            .finish()
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.to_text() == other.to_text()
    }
}

impl Eq for SharedText {}

/// `text` as pieces of `source`: each line of `text` found byte for byte in `source` is a range
/// of it (next to the previous range when it is there, anywhere else otherwise), every other
/// line literal. Whatever the source, the pieces join to exactly `text`: a range is only ever
/// made of bytes equal to the line it stands for.
pub fn pieces_of(text: &str, source: &[u8]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut literal = String::new();
    let mut next_to_last = 0usize;
    for line in text.split_inclusive('\n') {
        let wanted = line.as_bytes();
        let at = if source.get(next_to_last..).is_some_and(|rest| rest.starts_with(wanted)) {
            Some(next_to_last)
        } else {
            find(source, wanted)
        };
        let range = at.and_then(|at| Some((u32::try_from(at).ok()?, u32::try_from(at + wanted.len()).ok()?)));
        let Some((from, to)) = range else {
            literal.push_str(line);
            continue;
        };
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal).into_boxed_str()));
        }
        match pieces.last_mut() {
            Some(Piece::Copied(_, end)) if *end == from => *end = to,
            _ => pieces.push(Piece::Copied(from, to)),
        }
        next_to_last = to as usize;
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal.into_boxed_str()));
    }
    pieces
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Arc::new(text.as_bytes().to_vec())
    }

    #[test]
    fn pieces_join_to_the_text_and_copy_what_the_source_has() {
        let stored = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Berlin:20240101T100000\r\nSUMMARY:Tea & <cake>\r\nLOCATION:Kitchen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let expanded = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent//Televent//EN\r\nBEGIN:VEVENT\r\nDTSTART:20240101T090000Z\r\nUID:a\r\nSUMMARY:Tea & <cake>\r\nLOCATION:Kitchen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let pieces = pieces_of(expanded, stored.as_bytes());
        let copied: usize = pieces
            .iter()
            .map(|p| match p {
                Piece::Copied(from, to) => (to - from) as usize,
                Piece::Literal(_) => 0,
            })
            .sum();
        let literal: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Literal(text) => Some(&**text),
                Piece::Copied(..) => None,
            })
            .collect();
        assert_eq!(
            literal,
            ["PRODID:-//Televent//Televent//EN\r\n", "DTSTART:20240101T090000Z\r\n"]
        );
        assert_eq!(copied + literal.concat().len(), expanded.len());
        let shared = SharedText::pieces(source(stored), pieces.into());
        assert_eq!(shared.to_text(), expanded);
        assert_eq!(shared.len(), expanded.len());
        let mut written = String::new();
        shared.write_escaped(&mut written);
        assert_eq!(written, super::super::write::escape(expanded));
    }

    #[test]
    fn any_source_gives_pieces_that_join_to_the_text() {
        let texts = ["", "no line end", "a\r\nb\r\n", "ä\r\n\r\nü\n", "x\r\nx\r\nx\r\n"];
        let sources: [&[u8]; 5] = [b"", b"a\r\n", b"\xff\xfeb\r\nx\r\n", "ü\n ä\r\n".as_bytes(), b"x\r\nx"];
        for text in texts {
            for bytes in sources {
                let pieces = pieces_of(text, bytes);
                let shared = SharedText::pieces(Arc::new(bytes.to_vec()), pieces.into());
                assert_eq!(shared.to_text(), text, "{text:?} over {bytes:?}");
            }
        }
    }

    #[test]
    fn the_whole_source_reads_invalid_utf8_as_replacement() {
        let shared = SharedText::whole(Arc::new(b"a\r\n\xffb<".to_vec()));
        let mut written = String::new();
        shared.write_escaped(&mut written);
        assert_eq!(written, "a&#13;\n\u{FFFD}b&lt;");
        assert_eq!(shared.len(), 6);
    }
}
