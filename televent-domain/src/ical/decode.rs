//! Bytes to logical lines: encoding detection, line-end repair and unfolding.
//!
//! Unfolding happens on bytes, before UTF-8 decoding, because clients fold in the middle of a
//! multi-byte character. Nothing here interprets property names or values.

use super::problem::Problem;

/// One unfolded content line, decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalLine {
    /// 1-based number of the first physical line this logical line came from.
    pub line: u32,
    /// The unfolded text, without its line end.
    pub text: String,
    /// The physical lines as they came (decoded), joined by CRLF: what a split copies verbatim.
    pub raw: String,
}

/// Decodes `bytes` into logical lines, repairing what real clients get wrong.
pub fn logical_lines(bytes: &[u8]) -> (Vec<LogicalLine>, Vec<Problem>) {
    let mut problems = Vec::new();
    let utf16;
    let bytes = if let Some(text) = decode_utf16(bytes) {
        problems.push(Problem::repaired(
            0,
            "the file is UTF-16; read as UTF-16 and stored as sent",
        ));
        utf16 = text.into_bytes();
        utf16.as_slice()
    } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        problems.push(Problem::repaired(0, "a UTF-8 byte order mark starts the file; ignored"));
        rest
    } else {
        bytes
    };

    let physical = split_physical_lines(bytes, &mut problems);
    let mut lines: Vec<LogicalLine> = Vec::with_capacity(physical.len());
    let mut pending: Option<Pending<'_>> = None;
    let mut not_utf8_reported = false;
    for (index, line) in physical.into_iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        match (line.first(), pending.as_mut()) {
            (Some(b' ' | b'\t'), Some(open)) => {
                open.joined.extend_from_slice(line.get(1..).unwrap_or_default());
                open.parts.push(line);
            }
            _ => {
                if let Some(done) = pending.take() {
                    lines.push(done.finish(&mut problems, &mut not_utf8_reported));
                }
                pending = Some(Pending {
                    line: number,
                    joined: line.to_vec(),
                    parts: vec![line],
                });
            }
        }
    }
    if let Some(done) = pending.take() {
        lines.push(done.finish(&mut problems, &mut not_utf8_reported));
    }
    (lines, problems)
}

/// A logical line being unfolded: its first line number, its bytes so far, its physical parts.
struct Pending<'a> {
    line: u32,
    joined: Vec<u8>,
    parts: Vec<&'a [u8]>,
}

impl Pending<'_> {
    fn finish(self, problems: &mut Vec<Problem>, not_utf8_reported: &mut bool) -> LogicalLine {
        let (text, lossy) = decode_text(&self.joined);
        if text.contains('\0') {
            // No iCalendar value holds one (RFC 5545 section 3.3.11 excludes control
            // characters), and no store can keep it in a text column: refused, not repaired.
            problems.push(Problem::fatal(
                self.line,
                "the line holds a NUL character, which iCalendar text never contains",
            ));
        }
        if lossy && !*not_utf8_reported {
            *not_utf8_reported = true;
            problems.push(Problem::repaired(
                self.line,
                "text is not valid UTF-8; broken bytes were replaced or read as Windows-1252",
            ));
        }
        let raw = self
            .parts
            .iter()
            .map(|part| decode_text(part).0)
            .collect::<Vec<_>>()
            .join("\r\n");
        LogicalLine {
            line: self.line,
            text,
            raw,
        }
    }
}

/// Splits on CRLF, bare LF or bare CR, and says once if the line ends were not CRLF.
fn split_physical_lines<'a>(bytes: &'a [u8], problems: &mut Vec<Problem>) -> Vec<&'a [u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    let (mut lf_only, mut cr_only) = (false, false);
    while index < bytes.len() {
        match bytes.get(index) {
            Some(b'\r') => {
                lines.push(bytes.get(start..index).unwrap_or_default());
                if bytes.get(index + 1) == Some(&b'\n') {
                    index += 2;
                } else {
                    cr_only = true;
                    index += 1;
                }
                start = index;
            }
            Some(b'\n') => {
                lf_only = true;
                lines.push(bytes.get(start..index).unwrap_or_default());
                index += 1;
                start = index;
            }
            _ => index += 1,
        }
    }
    if start < bytes.len() {
        lines.push(bytes.get(start..).unwrap_or_default());
    }
    if lf_only {
        problems.push(Problem::repaired(0, "lines end in LF instead of CRLF; accepted"));
    }
    if cr_only {
        problems.push(Problem::repaired(0, "lines end in a bare CR instead of CRLF; accepted"));
    }
    lines
}

/// UTF-8 when it is. Text with broken UTF-8 that still holds valid multi-byte characters is
/// UTF-8 damaged in transit: the broken bytes become U+FFFD. Text with no valid multi-byte
/// character at all is a legacy 8-bit export: each byte is read as Windows-1252. The flag says
/// a fallback was used.
fn decode_text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => {
            let lossy = String::from_utf8_lossy(bytes);
            if lossy.chars().any(|c| c != '\u{FFFD}' && !c.is_ascii()) {
                (lossy.into_owned(), true)
            } else {
                (bytes.iter().map(|&b| windows_1252(b)).collect(), true)
            }
        }
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH.get(usize::from(byte - 0x80)).copied().unwrap_or('\u{FFFD}'),
        _ => char::from(byte),
    }
}

/// A UTF-16 file announces itself with a byte order mark; anything else is not UTF-16 here.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (little_endian, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|pair| match pair {
        [a, b] if little_endian => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    Some(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(bytes: &[u8]) -> Vec<String> {
        logical_lines(bytes).0.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn unfolds_crlf_lf_and_cr_line_ends() {
        assert_eq!(texts(b"A:1\r\n  x\r\nB:2"), ["A:1 x", "B:2"]);
        assert_eq!(texts(b"A:1\n\tx\nB:2\n"), ["A:1x", "B:2"]);
        assert_eq!(texts(b"A:1\r x\rB:2\r"), ["A:1x", "B:2"]);
    }

    #[test]
    fn a_fold_inside_a_utf8_character_is_joined_before_decoding() {
        let bytes = b"SUMMARY:Caf\xC3\r\n \xA9\r\n";
        assert_eq!(texts(bytes), ["SUMMARY:Café"]);
    }

    #[test]
    fn bom_utf16_and_latin1_are_read() {
        assert_eq!(texts(b"\xEF\xBB\xBFA:1\r\n"), ["A:1"]);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("A:é\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(texts(&utf16), ["A:é"]);
        assert_eq!(texts(b"A:D\xFCsseldorf\r\n"), ["A:Düsseldorf"]);
        assert_eq!(
            texts(
                "A:日本\u{0}"
                    .as_bytes()
                    .iter()
                    .map(|&b| if b == 0 { 0xE5 } else { b })
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            ["A:日本\u{FFFD}"]
        );
    }

    #[test]
    fn line_numbers_point_at_the_first_physical_line() {
        let (lines, _) = logical_lines(b"A:1\r\n x\r\nB:2\r\n");
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(lines[0].raw, "A:1\r\n x");
    }
}
