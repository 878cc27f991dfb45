//! One logical line to a property: `NAME *(;PARAM=VALUE[,VALUE]) : VALUE`.
//!
//! Tolerant of what real clients write: lower-case names, spaces around names and `=`, quoted
//! parameter values holding `:` `;` `,`, and a backslash-escaped `;` in an unquoted parameter
//! value (iOS structured locations). Values are kept raw here; typed readers unescape them.

/// A parameter: upper-cased name and its values (quotes removed, RFC 6868 `^` escapes decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Upper-case parameter name, for example `TZID`.
    pub name: String,
    /// The values, most parameters have one.
    pub values: Vec<String>,
}

/// A parsed content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Upper-case property name, for example `DTSTART`.
    pub name: String,
    /// Parameters in the order written.
    pub params: Vec<Param>,
    /// The raw value text after the first unquoted `:`.
    pub value: String,
    /// 1-based physical line the property starts on.
    pub line: u32,
}

impl Property {
    /// The first value of parameter `name` (case-insensitive), if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| p.values.first())
            .map(String::as_str)
    }

    /// Every value of parameter `name`.
    pub fn param_values(&self, name: &str) -> &[String] {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.values.as_slice())
            .unwrap_or_default()
    }
}

/// Why a line is not a content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// No `:` separates the name and parameters from the value.
    NoColon,
    /// The name is empty or holds characters no property name may hold.
    BadName(String),
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoColon => write!(f, "not a content line (no ':' between name and value)"),
            Self::BadName(name) => write!(f, "'{name}' is not a property name"),
        }
    }
}

/// Parses one unfolded line.
pub fn parse_line(text: &str, line: u32) -> Result<Property, LineError> {
    let mut chars = text.char_indices().peekable();
    // Name: up to the first ';' or ':'.
    let mut name_end = None;
    for (index, c) in chars.by_ref() {
        if c == ';' || c == ':' {
            name_end = Some((index, c));
            break;
        }
    }
    let Some((name_end, separator)) = name_end else {
        return Err(LineError::NoColon);
    };
    let name = clean_name(text.get(..name_end).unwrap_or_default())?;
    let mut params = Vec::new();
    let mut rest = text.get(name_end + 1..).unwrap_or_default();
    if separator == ';' {
        let (parsed, after) = parse_params(rest)?;
        params = parsed;
        rest = after;
    }
    Ok(Property {
        name,
        params,
        value: rest.to_owned(),
        line,
    })
}

/// Property and parameter names: letters, digits and '-'. Whitespace inside is dropped
/// (python-icalendar issue 351), case is folded to upper.
fn clean_name(raw: &str) -> Result<String, LineError> {
    let name: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(LineError::BadName(raw.trim().to_owned()));
    }
    Ok(name.to_ascii_uppercase())
}

/// Reads `PARAM=V[,V];PARAM=V:` and returns the params and the value after the colon.
fn parse_params(mut rest: &str) -> Result<(Vec<Param>, &str), LineError> {
    let mut params = Vec::new();
    loop {
        let eq = rest.find(['=', ':', ';']).ok_or(LineError::NoColon)?;
        let name = clean_name(rest.get(..eq).unwrap_or_default())?;
        let mut values = Vec::new();
        let after_name = rest.get(eq..).unwrap_or_default();
        let mut cursor = if after_name.starts_with('=') { eq + 1 } else { eq };
        if after_name.starts_with('=') {
            loop {
                let (value, next) = read_param_value(rest, cursor)?;
                values.push(value);
                cursor = next;
                if rest.get(cursor..).is_some_and(|r| r.starts_with(',')) {
                    cursor += 1;
                } else {
                    break;
                }
            }
        }
        params.push(Param { name, values });
        match rest.get(cursor..cursor + 1) {
            Some(":") => return Ok((params, rest.get(cursor + 1..).unwrap_or_default())),
            Some(";") => rest = rest.get(cursor + 1..).unwrap_or_default(),
            _ => return Err(LineError::NoColon),
        }
    }
}

/// One parameter value starting at byte `start` of `text`; returns it and the index after it.
fn read_param_value(text: &str, start: usize) -> Result<(String, usize), LineError> {
    let tail = text.get(start..).unwrap_or_default();
    let trimmed = tail.trim_start_matches([' ', '\t']);
    let start = start + (tail.len() - trimmed.len());
    if let Some(quoted) = trimmed.strip_prefix('"') {
        let close = quoted.find('"').ok_or(LineError::NoColon)?;
        let value = decode_caret(quoted.get(..close).unwrap_or_default());
        return Ok((value, start + 1 + close + 1));
    }
    let mut value = String::new();
    let mut iter = trimmed.char_indices();
    while let Some((index, c)) = iter.next() {
        match c {
            ';' | ':' | ',' => return Ok((decode_caret(value.trim_end()), start + index)),
            '\\' => {
                // Not RFC syntax, but iOS writes `\;` inside unquoted X-TITLE values.
                if let Some((_, escaped)) = iter.next() {
                    if !matches!(escaped, ';' | ':' | ',') {
                        value.push('\\');
                    }
                    value.push(escaped);
                }
            }
            _ => value.push(c),
        }
    }
    Err(LineError::NoColon)
}

/// RFC 6868: `^n` newline, `^'` double quote, `^^` caret.
fn decode_caret(value: &str) -> String {
    if !value.contains('^') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.peek() {
                Some('n') => {
                    out.push('\n');
                    chars.next();
                }
                Some('\'') => {
                    out.push('"');
                    chars.next();
                }
                Some('^') => {
                    out.push('^');
                    chars.next();
                }
                _ => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, name: &str, params: &[(&str, &[&str])], value: &str) {
        let parsed = parse_line(line, 1).unwrap();
        assert_eq!(parsed.name, name, "{line}");
        let got: Vec<(String, Vec<String>)> = parsed
            .params
            .iter()
            .map(|p| (p.name.clone(), p.values.clone()))
            .collect();
        let want: Vec<(String, Vec<String>)> = params
            .iter()
            .map(|(n, v)| (n.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect();
        assert_eq!(got, want, "{line}");
        assert_eq!(parsed.value, value, "{line}");
    }

    #[test]
    fn reads_the_shapes_clients_write() {
        check("SUMMARY:Hello: world", "SUMMARY", &[], "Hello: world");
        check(
            "dtstart;tzid=Europe/Berlin:20200101T100000",
            "DTSTART",
            &[("TZID", &["Europe/Berlin"])],
            "20200101T100000",
        );
        check(
            "ATTENDEE;CN=\"Doe, John\";ROLE=REQ-PARTICIPANT:mailto:j@x.org",
            "ATTENDEE",
            &[("CN", &["Doe, John"]), ("ROLE", &["REQ-PARTICIPANT"])],
            "mailto:j@x.org",
        );
        check(
            "X-A;MEMBER=\"a:b\",\"c;d\":v",
            "X-A",
            &[("MEMBER", &["a:b", "c;d"])],
            "v",
        );
        check(
            "REFRESH - INTERVAL; VALUE = DURATION:PT48H",
            "REFRESH-INTERVAL",
            &[("VALUE", &["DURATION"])],
            "PT48H",
        );
        check(
            "X-S;X-TITLE=Main\\; Street:geo:1,2",
            "X-S",
            &[("X-TITLE", &["Main; Street"])],
            "geo:1,2",
        );
        check("X-C;CN=a^'b^'^n:v", "X-C", &[("CN", &["a\"b\"\n"])], "v");
        check("X-EMPTY:", "X-EMPTY", &[], "");
    }

    #[test]
    fn refuses_what_is_not_a_content_line() {
        assert_eq!(parse_line("X-APPLE-RADIUS=49.9", 1), Err(LineError::NoColon));
        assert_eq!(parse_line("X", 1), Err(LineError::NoColon));
        assert!(matches!(
            parse_line("UID;^\\", 1),
            Err(LineError::BadName(_)) | Err(LineError::NoColon)
        ));
        assert!(matches!(parse_line("a b@c:d", 1), Err(LineError::BadName(_))));
    }
}
